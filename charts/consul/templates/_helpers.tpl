{{/*
Chart name, truncated to 63 characters (a DNS label).
*/}}
{{- define "consul.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: `<release>-<chart>` (or the release name alone when it already contains the chart
name), truncated to 63 characters. fullnameOverride wins.
*/}}
{{- define "consul.fullname" -}}
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
StatefulSet name. Pod names are `<sts>-<ordinal>`; a pod name is also its hostname, a
63-character label, so leave room for the ordinal.
*/}}
{{- define "consul.statefulSetName" -}}
{{- include "consul.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
Headless Service governing the StatefulSet (per-pod DNS, peer discovery).
*/}}
{{- define "consul.headlessServiceName" -}}
{{- printf "%s-headless" (include "consul.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{/*
`chart-version` for the helm.sh/chart label.
*/}}
{{- define "consul.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels for metadata. Never use these in selectors: they change with every chart release.
*/}}
{{- define "consul.labels" -}}
helm.sh/chart: {{ include "consul.chart" . }}
{{ include "consul.selectorLabels" . }}
app.kubernetes.io/version: {{ include "consul.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: name and instance only, stable across chart and image versions
(StatefulSet selectors and claim templates are immutable).
*/}}
{{- define "consul.selectorLabels" -}}
app.kubernetes.io/name: {{ include "consul.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "consul.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "consul.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "consul.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag | toString }}
{{- end }}

{{/*
Full image reference, pinned to a version (and a digest when given).
*/}}
{{- define "consul.image" -}}
{{- $tag := include "consul.imageTag" . }}
{{- if eq $tag "latest" }}
{{- fail "image.tag must be a pinned version, not \"latest\"" }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
storageClassName of the claim templates: omitted when persistence.storageClass is empty (the
cluster's default class), `""` for "-" (no dynamic provisioning), else the class.
*/}}
{{- define "consul.storageClass" -}}
{{- with .Values.persistence.storageClass }}
{{- if eq (toString .) "-" }}
{{- print "storageClassName: \"\"" }}
{{- else }}
{{- printf "storageClassName: %s" (toString . | quote) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
`<sts>-<i>.<headless>.<namespace>.svc.<clusterDomain>` for every server: the -retry-join
addresses (Serf LAN, port 8301).
*/}}
{{- define "consul.serverAddresses" -}}
{{- $sts := include "consul.statefulSetName" . }}
{{- $svc := include "consul.headlessServiceName" . }}
{{- $domain := .Values.clusterDomain | trimSuffix "." }}
{{- $out := list }}
{{- range $i := until (int .Values.replicas) }}
{{- $out = append $out (printf "%s-%d.%s.%s.svc.%s" $sts $i $svc $.Release.Namespace $domain) }}
{{- end }}
{{- join "\n" $out }}
{{- end }}

{{/*
Checks of value combinations the schema cannot express.
*/}}
{{- define "consul.validate" -}}
{{- $n := int .Values.replicas }}
{{- if lt $n 1 }}
{{- fail "replicas must be at least 1" }}
{{- end }}
{{- if and (eq (mod $n 2) 0) (not .Values.server.allowEvenReplicas) }}
{{- fail (printf "replicas=%d: %d Consul servers tolerate %d failure(s), no more than %d would, and need a larger majority; use %d or %d, or set server.allowEvenReplicas=true (for example while migrating)" $n $n (div (sub $n 1) 2) (sub $n 1) (sub $n 1) (add $n 1)) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (ge $n 3) }}
{{- $quorumSafe := div (sub $n 1) 2 }}
{{- if gt (int .Values.podDisruptionBudget.maxUnavailable) $quorumSafe }}
{{- fail (printf "podDisruptionBudget.maxUnavailable %d would let a drain take %d of %d servers down and lose the Raft quorum: use at most %d" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.podDisruptionBudget.maxUnavailable) $n $quorumSafe) }}
{{- end }}
{{- end }}
{{- if and .Values.gossipEncryption.secretName (not .Values.gossipEncryption.secretKey) }}
{{- fail "gossipEncryption.secretKey must name the key of gossipEncryption.secretName" }}
{{- end }}
{{- end }}

{{/*
ConfigMap with the engine configuration.
*/}}
{{- define "consul.configMapName" -}}
{{- printf "%s-config" (include "consul.fullname" . | trunc 56 | trimSuffix "-") }}
{{- end }}
