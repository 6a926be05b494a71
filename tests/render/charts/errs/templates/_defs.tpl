{{- define "errs.deep" -}}{{ .Values.a.b.c }}{{- end -}}
{{- define "errs.outer" -}}{{ include "errs.deep" . }}{{- end -}}
{{- define "errs.loop" -}}{{ include "errs.loop" . }}{{- end -}}
