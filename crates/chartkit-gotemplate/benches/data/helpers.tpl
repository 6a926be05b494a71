{{/* Helm-style helpers: names, labels, selectors. */}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | printf "%.63s" -}}
{{- end -}}

{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- printf "%.63s" .Values.fullnameOverride -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if eq .Release.Name $name -}}
{{- printf "%.63s" .Release.Name -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | printf "%.63s" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "app.labels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "app.selector" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "app.container" -}}
- name: {{ .name }}
  image: "{{ .image.repository }}:{{ .image.tag }}"
  imagePullPolicy: {{ .image.pullPolicy }}
  {{- with .args }}
  args:
    {{- range . }}
    - {{ . | quote }}
    {{- end }}
  {{- end }}
  env:
    {{- range $k, $v := .env }}
    - name: {{ $k }}
      value: {{ $v | quote }}
    {{- end }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      containerPort: {{ .port }}
      protocol: {{ .protocol | default "TCP" }}
    {{- end }}
  resources:
    limits:
      cpu: {{ .resources.limits.cpu }}
      memory: {{ .resources.limits.memory }}
    requests:
      cpu: {{ .resources.requests.cpu }}
      memory: {{ .resources.requests.memory }}
  {{- if .probes.enabled }}
  livenessProbe:
    httpGet:
      path: {{ .probes.path }}
      port: {{ (index .ports 0).name }}
    initialDelaySeconds: {{ .probes.initialDelaySeconds }}
    periodSeconds: {{ .probes.periodSeconds }}
  {{- end }}
{{- end -}}
