{{- define "errs.req" -}}
{{ required "inner value missing" .Values.missing }}
{{- end -}}
