{{- define "basics.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}
{{- end -}}
{{- define "basics.labels" }}
app: {{ include "basics.fullname" . }}
{{- end }}
