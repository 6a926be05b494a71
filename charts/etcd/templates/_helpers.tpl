{{/*
Chart name, truncated to 63 characters (a DNS label).
*/}}
{{- define "etcd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name, Helm's convention: `<release>-<chart>` (or the release name alone when it already
contains the chart name), truncated to 63 characters. fullnameOverride wins.
*/}}
{{- define "etcd.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
StatefulSet name. A pod name `<sts>-<ordinal>` is also its hostname, a 63-character label:
leave room for the ordinal.
*/}}
{{- define "etcd.statefulSetName" -}}
{{- include "etcd.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
Headless Service governing the StatefulSet (per-pod DNS names, peer discovery).
*/}}
{{- define "etcd.headlessServiceName" -}}
{{- printf "%s-headless" (include "etcd.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{/*
`chart-version` for the helm.sh/chart label.
*/}}
{{- define "etcd.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels for metadata. Never use these in selectors: they change with every chart release.
*/}}
{{- define "etcd.labels" -}}
helm.sh/chart: {{ include "etcd.chart" . }}
{{ include "etcd.selectorLabels" . }}
app.kubernetes.io/version: {{ include "etcd.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: name and instance only, stable across chart and image versions
(StatefulSet selectors and claim templates are immutable).
*/}}
{{- define "etcd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "etcd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "etcd.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "etcd.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "etcd.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag | toString }}
{{- end }}

{{/*
Image reference, pinned to a version.
*/}}
{{- define "etcd.image" -}}
{{- $tag := include "etcd.imageTag" . }}
{{- if eq $tag "latest" }}
{{- fail "image.tag must be a pinned version, not \"latest\"" }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{/*
storageClassName of the claim templates: omitted when persistence.storageClass is empty (the
cluster's default class), `""` for "-", else the class.
*/}}
{{- define "etcd.storageClass" -}}
{{- with .Values.persistence.storageClass }}
{{- if eq (toString .) "-" }}
{{- print "storageClassName: \"\"" }}
{{- else }}
{{- printf "storageClassName: %s" (toString . | quote) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Every member's DNS name through the headless Service, one per line:
`<sts>-<i>.<headless>.<namespace>.svc.<clusterDomain>`.
*/}}
{{- define "etcd.memberHosts" -}}
{{- $sts := include "etcd.statefulSetName" . }}
{{- $svc := include "etcd.headlessServiceName" . }}
{{- $domain := .Values.clusterDomain | trimSuffix "." }}
{{- $out := list }}
{{- range $i := until (int .Values.replicas) }}
{{- $out = append $out (printf "%s-%d.%s.%s.svc.%s" $sts $i $svc $.Release.Namespace $domain) }}
{{- end }}
{{- join "\n" $out }}
{{- end }}

{{/*
ETCD_INITIAL_CLUSTER: `<pod>=http://<pod host>:<peer port>` per member, comma-separated (what
the engine plugin plugins/etcd's seed-list and configure compute too).
*/}}
{{- define "etcd.initialCluster" -}}
{{- $port := int .Values.ports.peer }}
{{- $out := list }}
{{- range splitList "\n" (include "etcd.memberHosts" .) }}
{{- $out = append $out (printf "%s=http://%s:%d" (index (splitList "." .) 0) . $port) }}
{{- end }}
{{- join "," $out }}
{{- end }}

{{/*
`$(POD_NAME)`'s host through the headless Service, for the advertise URLs.
*/}}
{{- define "etcd.selfHost" -}}
{{- printf "$(POD_NAME).%s.%s.svc.%s" (include "etcd.headlessServiceName" .) .Release.Namespace (.Values.clusterDomain | trimSuffix ".") }}
{{- end }}

{{/*
Checks of value combinations the schema cannot express.
*/}}
{{- define "etcd.validate" -}}
{{- $n := int .Values.replicas }}
{{- if lt $n 1 }}
{{- fail "replicas must be at least 1" }}
{{- end }}
{{- if and (gt $n 1) (eq (mod $n 2) 0) (not .Values.allowEvenReplicas) }}
{{- fail (printf "replicas=%d: %d members tolerate %d failure(s), no more than %d would, and an even split leaves no majority; use %d or %d, or set allowEvenReplicas=true" $n $n (div (sub $n 1) 2) (sub $n 1) (sub $n 1) (add $n 1)) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (ge $n 3) }}
{{- $quorumSafe := div (sub $n 1) 2 }}
{{- if gt (int .Values.podDisruptionBudget.maxUnavailable) $quorumSafe }}
{{- fail (printf "podDisruptionBudget.maxUnavailable %d would let a drain take %d of %d members down and lose the majority: use at most %d" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.podDisruptionBudget.maxUnavailable) $n $quorumSafe) }}
{{- end }}
{{- end }}
{{- end }}
