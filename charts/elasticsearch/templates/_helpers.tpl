{{/*
Chart name, truncated to 63 characters (a DNS label).
*/}}
{{- define "elasticsearch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: `<release>-<chart>` (or the release name alone when it already contains the chart
name), truncated to 63 characters. fullnameOverride wins.
*/}}
{{- define "elasticsearch.fullname" -}}
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
{{- define "elasticsearch.statefulSetName" -}}
{{- include "elasticsearch.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
Headless Service governing the StatefulSet (per-pod DNS, peer discovery).
*/}}
{{- define "elasticsearch.headlessServiceName" -}}
{{- printf "%s-headless" (include "elasticsearch.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{/*
`chart-version` for the helm.sh/chart label.
*/}}
{{- define "elasticsearch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels for metadata. Never use these in selectors: they change with every chart release.
*/}}
{{- define "elasticsearch.labels" -}}
helm.sh/chart: {{ include "elasticsearch.chart" . }}
{{ include "elasticsearch.selectorLabels" . }}
app.kubernetes.io/version: {{ include "elasticsearch.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: name and instance only, stable across chart and image versions
(StatefulSet selectors and claim templates are immutable).
*/}}
{{- define "elasticsearch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "elasticsearch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "elasticsearch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "elasticsearch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "elasticsearch.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag | toString }}
{{- end }}

{{/*
Full image reference, pinned to a version (and a digest when given).
*/}}
{{- define "elasticsearch.image" -}}
{{- $tag := include "elasticsearch.imageTag" . }}
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
cluster.name.
*/}}
{{- define "elasticsearch.clusterName" -}}
{{- default (include "elasticsearch.fullname" .) .Values.clusterName }}
{{- end }}

{{/*
The headless Service's DNS name: it resolves to every pod (ready or not).
*/}}
{{- define "elasticsearch.headlessFqdn" -}}
{{- printf "%s.%s.svc.%s" (include "elasticsearch.headlessServiceName" .) .Release.Namespace (.Values.clusterDomain | trimSuffix ".") }}
{{- end }}

{{/*
discovery.seed_hosts: every pod by its name under the headless Service,
`<sts>-<i>.<headless>.<ns>.svc.<domain>` (the transport port is appended when it is not the
default 9300). The engine plugin computes the same list.
*/}}
{{- define "elasticsearch.seedHosts" -}}
{{- $sts := include "elasticsearch.statefulSetName" . }}
{{- $fqdn := include "elasticsearch.headlessFqdn" . }}
{{- $port := int .Values.ports.transport }}
{{- $hosts := list }}
{{- range $i := until (int .Values.replicas) }}
{{- if eq $port 9300 }}
{{- $hosts = append $hosts (printf "%s-%d.%s" $sts $i $fqdn) }}
{{- else }}
{{- $hosts = append $hosts (printf "%s-%d.%s:%d" $sts $i $fqdn $port) }}
{{- end }}
{{- end }}
{{- join "," $hosts }}
{{- end }}

{{/*
cluster.initial_master_nodes: the pod names `<sts>-0` .. `<sts>-(replicas-1)`.
*/}}
{{- define "elasticsearch.initialMasterNodes" -}}
{{- $sts := include "elasticsearch.statefulSetName" . }}
{{- $nodes := list }}
{{- range $i := until (int .Values.replicas) }}
{{- $nodes = append $nodes (printf "%s-%d" $sts $i) }}
{{- end }}
{{- join "," $nodes }}
{{- end }}

{{/*
A Kubernetes memory quantity (`2Gi`, `1536Mi`, `2G`, `2147483648`) in MiB, rounded down;
empty when it cannot be read.
*/}}
{{- define "elasticsearch.quantityMiB" -}}
{{- $q := toString . | trim }}
{{- if regexMatch "^[0-9]+(\\.[0-9]+)?Ti$" $q }}{{ mulf (float64 (trimSuffix "Ti" $q)) 1048576 | floor | int64 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?Gi$" $q }}{{ mulf (float64 (trimSuffix "Gi" $q)) 1024 | floor | int64 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?Mi$" $q }}{{ float64 (trimSuffix "Mi" $q) | floor | int64 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?G$" $q }}{{ divf (mulf (float64 (trimSuffix "G" $q)) 1000000000) 1048576 | floor | int64 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?M$" $q }}{{ divf (mulf (float64 (trimSuffix "M" $q)) 1000000) 1048576 | floor | int64 }}
{{- else if regexMatch "^[0-9]+$" $q }}{{ div (int64 $q) 1048576 }}
{{- end }}
{{- end }}

{{/*
A Java heap size (`1g`, `1536m`, `1048576k`) in MiB; empty when it cannot be read.
*/}}
{{- define "elasticsearch.javaSizeMiB" -}}
{{- $s := toString . | trim | lower }}
{{- if regexMatch "^[0-9]+g$" $s }}{{ mul (int64 (trimSuffix "g" $s)) 1024 }}
{{- else if regexMatch "^[0-9]+m$" $s }}{{ int64 (trimSuffix "m" $s) }}
{{- else if regexMatch "^[0-9]+k$" $s }}{{ div (int64 (trimSuffix "k" $s)) 1024 }}
{{- end }}
{{- end }}

{{/*
JVM heap in MiB: heapSize, else half the memory limit. Fails when the heap cannot be worked
out or exceeds half the memory limit.
*/}}
{{- define "elasticsearch.heapMiB" -}}
{{- $limit := "" }}
{{- with .Values.resources }}{{ with .limits }}{{ with .memory }}{{ $limit = include "elasticsearch.quantityMiB" . }}{{ end }}{{ end }}{{ end }}
{{- if .Values.heapSize }}
{{- $heap := include "elasticsearch.javaSizeMiB" .Values.heapSize }}
{{- if not $heap }}
{{- fail (printf "heapSize %q is not a Java size like 1g or 1536m" (toString .Values.heapSize)) }}
{{- end }}
{{- if and $limit (gt (mul (int64 $heap) 2) (int64 $limit)) }}
{{- fail (printf "heapSize %s (%s MiB) is more than half of resources.limits.memory (%s MiB): Elasticsearch needs the rest for the filesystem cache; raise the limit or lower heapSize" (toString .Values.heapSize) $heap $limit) }}
{{- end }}
{{- $heap }}
{{- else if $limit }}
{{- div (int64 $limit) 2 }}
{{- else }}
{{- fail "set resources.limits.memory (the heap defaults to half of it) or heapSize" }}
{{- end }}
{{- end }}

{{/*
ES_JAVA_OPTS: -Xms equal to -Xmx, then esJavaOpts.
*/}}
{{- define "elasticsearch.javaOpts" -}}
{{- $heap := include "elasticsearch.heapMiB" . }}
{{- $opts := printf "-Xms%sm -Xmx%sm" $heap $heap }}
{{- with .Values.esJavaOpts }}
{{- if regexMatch "-Xm[sx]" . }}
{{- fail "esJavaOpts must not set -Xms/-Xmx: use heapSize" }}
{{- end }}
{{- $opts = printf "%s %s" $opts . }}
{{- end }}
{{- $opts }}
{{- end }}

{{/*
Secret holding the elastic user's password.
*/}}
{{- define "elasticsearch.passwordSecretName" -}}
{{- default (printf "%s-credentials" (include "elasticsearch.fullname" . | trunc 51 | trimSuffix "-")) .Values.security.existingSecret }}
{{- end }}

{{/*
HTTP scheme of the nodes.
*/}}
{{- define "elasticsearch.scheme" -}}
{{- if and .Values.security.enabled .Values.security.tls.http }}https{{ else }}http{{ end }}
{{- end }}

{{/*
Checks of value combinations the schema cannot express.
*/}}
{{- define "elasticsearch.validate" -}}
{{- $n := int .Values.replicas }}
{{- if lt $n 1 }}
{{- fail "replicas must be at least 1" }}
{{- end }}
{{- if and .Values.roles (not (has "master" .Values.roles)) }}
{{- fail "roles must include master: every pod of this chart is master-eligible (the seed configuration lists them all as initial masters)" }}
{{- end }}
{{- if and .Values.security.enabled (gt $n 1) (not .Values.security.tls.secretName) }}
{{- fail "security.enabled with replicas > 1 needs transport TLS: set security.tls.secretName to a Secret with tls.crt, tls.key and ca.crt" }}
{{- end }}
{{- if and .Values.security.tls.http (not .Values.security.tls.secretName) }}
{{- fail "security.tls.http needs security.tls.secretName" }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (ge $n 3) }}
{{- $quorumSafe := div (sub $n 1) 2 }}
{{- if gt (int .Values.podDisruptionBudget.maxUnavailable) $quorumSafe }}
{{- fail (printf "podDisruptionBudget.maxUnavailable %d would let a drain take %d of %d master-eligible nodes down and lose the master quorum: use at most %d" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.podDisruptionBudget.maxUnavailable) $n $quorumSafe) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
storageClassName of the claim templates: omitted when persistence.storageClass is empty (the
cluster's default class), `""` for "-" (no dynamic provisioning), else the class.
*/}}
{{- define "elasticsearch.storageClass" -}}
{{- with .Values.persistence.storageClass }}
{{- if eq (toString .) "-" }}
{{- print "storageClassName: \"\"" }}
{{- else }}
{{- printf "storageClassName: %s" (toString . | quote) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
ConfigMap with the engine configuration.
*/}}
{{- define "elasticsearch.configMapName" -}}
{{- printf "%s-config" (include "elasticsearch.fullname" . | trunc 56 | trimSuffix "-") }}
{{- end }}
