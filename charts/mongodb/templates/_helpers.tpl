{{/*
Chart name, truncated to 63 characters (a DNS label).
*/}}
{{- define "mongodb.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: `<release>-<chart>` (or the release name alone when it already contains the chart
name), truncated to 63 characters. fullnameOverride wins.
*/}}
{{- define "mongodb.fullname" -}}
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
{{- define "mongodb.statefulSetName" -}}
{{- include "mongodb.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
Headless Service governing the StatefulSet (per-pod DNS, peer discovery).
*/}}
{{- define "mongodb.headlessServiceName" -}}
{{- printf "%s-headless" (include "mongodb.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{/*
`chart-version` for the helm.sh/chart label.
*/}}
{{- define "mongodb.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels for metadata. Never use these in selectors: they change with every chart release.
*/}}
{{- define "mongodb.labels" -}}
helm.sh/chart: {{ include "mongodb.chart" . }}
{{ include "mongodb.selectorLabels" . }}
app.kubernetes.io/version: {{ include "mongodb.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: name and instance only, stable across chart and image versions
(StatefulSet selectors and claim templates are immutable).
*/}}
{{- define "mongodb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mongodb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mongodb.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mongodb.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "mongodb.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag | toString }}
{{- end }}

{{/*
Full image reference, pinned to a version (and a digest when given).
*/}}
{{- define "mongodb.image" -}}
{{- $tag := include "mongodb.imageTag" . }}
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
{{- define "mongodb.storageClass" -}}
{{- with .Values.persistence.storageClass }}
{{- if eq (toString .) "-" }}
{{- print "storageClassName: \"\"" }}
{{- else }}
{{- printf "storageClassName: %s" (toString . | quote) }}
{{- end }}
{{- end }}
{{- end }}


{{/*
Replica set members: `<sts>-<i>.<headless>.<namespace>.svc.<clusterDomain>:27017`, one per
line.
*/}}
{{- define "mongodb.members" -}}
{{- $sts := include "mongodb.statefulSetName" . }}
{{- $svc := include "mongodb.headlessServiceName" . }}
{{- $domain := .Values.clusterDomain | trimSuffix "." }}
{{- $out := list }}
{{- range $i := until (int .Values.replicas) }}
{{- $out = append $out (printf "%s-%d.%s.%s.svc.%s:27017" $sts $i $svc $.Release.Namespace $domain) }}
{{- end }}
{{- join "\n" $out }}
{{- end }}

{{/*
Secret with the root password and the replica set key.
*/}}
{{- define "mongodb.secretName" -}}
{{- default (printf "%s-auth" (include "mongodb.fullname" . | trunc 58 | trimSuffix "-")) .Values.auth.existingSecret }}
{{- end }}

{{/*
A chart-managed secret value: the value from values.yaml, else the one already in the
cluster's Secret (kept across upgrades), else random. `lookup` finds nothing under
`helm template` / `chartkit render`, so there every render makes a new random value.
Arguments: (dict "ctx" $ "key" "secret-key" "value" .Values.x "length" 32)
*/}}
{{- define "mongodb.secretValue" -}}
{{- if .value }}
{{- .value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace (include "mongodb.secretName" .ctx) }}
{{- if and $existing $existing.data (hasKey $existing.data .key) }}
{{- index $existing.data .key | b64dec }}
{{- else }}
{{- randAlphaNum .length }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Number of voting members: MongoDB allows at most 7.
*/}}
{{- define "mongodb.votingMembers" -}}
{{- min (int .Values.replicas) 7 }}
{{- end }}

{{/*
Checks of value combinations the schema cannot express.
*/}}
{{- define "mongodb.validate" -}}
{{- $n := int .Values.replicas }}
{{- $voting := int (include "mongodb.votingMembers" .) }}
{{- if lt $n 1 }}
{{- fail "replicas must be at least 1" }}
{{- end }}
{{- if and (gt $n 1) (eq (mod $voting 2) 0) (not .Values.allowEvenReplicas) }}
{{- fail (printf "replicas=%d: %d voting members tolerate %d failure(s), no more than %d would, and an even split leaves no primary; use %d or %d, or set allowEvenReplicas=true (for example with an external arbiter)" $n $voting (div (sub $voting 1) 2) (sub $voting 1) (sub $n 1) (add $n 1)) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (ge $voting 3) }}
{{- $quorumSafe := div (sub $voting 1) 2 }}
{{- if gt (int .Values.podDisruptionBudget.maxUnavailable) $quorumSafe }}
{{- fail (printf "podDisruptionBudget.maxUnavailable %d would let a drain take %d of %d voting members down and lose the majority (no primary): use at most %d" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.podDisruptionBudget.maxUnavailable) $voting $quorumSafe) }}
{{- end }}
{{- end }}
{{- if and .Values.auth.enabled (not .Values.auth.rootUser) }}
{{- fail "auth.rootUser must not be empty" }}
{{- end }}
{{- end }}

{{/*
mongosh connection options for the chart's probes and hook Job: a direct connection that
gives up quickly.
*/}}
{{- define "mongodb.localUri" -}}
mongodb://127.0.0.1:27017/?directConnection=true&serverSelectionTimeoutMS=3000
{{- end }}
