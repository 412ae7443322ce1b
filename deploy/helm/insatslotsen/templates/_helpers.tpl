{{/* Names and labels, as charts/rasa's rasa-common helpers name them. */}}
{{- define "insatslotsen.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "insatslotsen.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", e.g. insatslotsen-rasa. Called with (dict "root" $ "component" "rasa"). */}}
{{- define "insatslotsen.componentName" -}}
{{- printf "%s-%s" (include "insatslotsen.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "insatslotsen.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "insatslotsen.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "insatslotsen.selectorLabels" -}}
app.kubernetes.io/name: {{ include "insatslotsen.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "insatslotsen.componentLabels" -}}
{{ include "insatslotsen.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "insatslotsen.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "insatslotsen.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "insatslotsen.secretName" -}}
{{- default (include "insatslotsen.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "insatslotsen.image" -}}
{{- printf "%s/%s:%s" .root.Values.registry .values.image.name .values.image.tag -}}
{{- end -}}

{{/* An environment variable from the chart's (or the existing) Secret. */}}
{{- define "insatslotsen.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "insatslotsen.secretName" .root }}
      key: {{ .key }}
{{- end -}}

{{/* The shared PostgreSQL, as endpoints.yml's ${TRACKER_DB_*} (Rasa, web app, retention). */}}
{{- define "insatslotsen.trackerDbEnv" -}}
- name: TRACKER_DB_HOST
  value: {{ .Values.postgresql.external.host | quote }}
- name: TRACKER_DB_PORT
  value: {{ .Values.postgresql.external.port | quote }}
- name: TRACKER_DB_NAME
  value: {{ .Values.postgresql.external.database | quote }}
- name: TRACKER_DB_USER
  value: {{ .Values.postgresql.external.username | quote }}
{{ include "insatslotsen.secretEnv" (dict "root" . "name" "TRACKER_DB_PASSWORD" "key" "tracker-db-password") }}
- name: INSATSLOTSEN_ENDPOINTS_FILE
  value: /etc/insatslotsen/endpoints.yml
{{- end -}}

{{/* The shared Redis, as endpoints.yml's ${LOCK_STORE_*}. */}}
{{- define "insatslotsen.lockStoreEnv" -}}
- name: LOCK_STORE_HOST
  value: {{ .Values.redis.external.host | quote }}
- name: LOCK_STORE_PORT
  value: {{ .Values.redis.external.port | quote }}
- name: LOCK_STORE_DB
  value: {{ .Values.redis.external.db | quote }}
{{ include "insatslotsen.secretEnv" (dict "root" . "name" "LOCK_STORE_PASSWORD" "key" "lock-store-password") }}
{{- end -}}

{{/* What every process needs on a read-only root filesystem, without telemetry. */}}
{{- define "insatslotsen.commonEnv" -}}
- name: RASA_TELEMETRY_ENABLED
  value: "false"
- name: HOME
  value: /tmp
- name: MPLCONFIGDIR
  value: /tmp/matplotlib
- name: INSATSLOTSEN_ENVIRONMENT
  value: {{ .Values.applicationSettings.environment | quote }}
{{- end -}}

{{/* Rolls every pod when the endpoints or the chart-made secret values change. */}}
{{- define "insatslotsen.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ .Values.secrets | toJson | sha256sum }}
{{- end -}}

{{/* Pod-level settings every process shares. Called with (dict "root" $ "component" "rasa" "values" .Values.rasa). */}}
{{- define "insatslotsen.podSpec" -}}
serviceAccountName: {{ include "insatslotsen.serviceAccountName" .root }}
automountServiceAccountToken: false
enableServiceLinks: false
terminationGracePeriodSeconds: {{ .values.terminationGracePeriodSeconds }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .root.Values.topologySpread.enabled }}
topologySpreadConstraints:
{{- range $key := list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
  - maxSkew: {{ $.root.Values.topologySpread.maxSkew }}
    topologyKey: {{ $key }}
    whenUnsatisfiable: {{ $.root.Values.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "insatslotsen.selectorLabels" $ | nindent 8 }}
{{- end }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Container fields every process shares: image, security, probes, resources. */}}
{{- define "insatslotsen.containerCommon" -}}
image: {{ include "insatslotsen.image" . | quote }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .root.Values.securityContext | nindent 2 }}
ports:
  - name: http
    containerPort: {{ .values.port }}
    protocol: TCP
startupProbe:
  {{- toYaml .values.startupProbe | nindent 2 }}
readinessProbe:
  {{- toYaml .values.readinessProbe | nindent 2 }}
livenessProbe:
  {{- toYaml .values.livenessProbe | nindent 2 }}
resources:
  {{- toYaml .values.resources | nindent 2 }}
{{- end -}}

{{/* A Deployment of one process. Called with (dict "root" $ "component" "rasa" "values" .Values.rasa
"container" <command, env, volumeMounts as YAML> "volumes" <YAML>). */}}
{{- define "insatslotsen.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "insatslotsen.componentName" . }}
  labels:
    {{- include "insatslotsen.componentLabels" . | nindent 4 }}
spec:
  {{- if not .values.autoscaling.enabled }}
  replicas: {{ .values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    {{- toYaml .values.strategy | nindent 4 }}
  selector:
    matchLabels:
      {{- include "insatslotsen.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      annotations:
        {{- include "insatslotsen.checksums" .root | nindent 8 }}
        {{- with .values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "insatslotsen.componentLabels" . | nindent 8 }}
    spec:
      {{- include "insatslotsen.podSpec" . | nindent 6 }}
      containers:
        - name: {{ .component }}
          {{- include "insatslotsen.containerCommon" . | nindent 10 }}
          {{- .container | nindent 10 }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .values.tmpSizeLimit | default "256Mi" }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
{{- end -}}

{{/* A ClusterIP Service of one process (only the ingress publishes the web app). */}}
{{- define "insatslotsen.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "insatslotsen.componentName" . }}
  labels:
    {{- include "insatslotsen.componentLabels" . | nindent 4 }}
  {{- with .root.Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: ClusterIP
  ports:
    - name: http
      port: {{ .values.port }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "insatslotsen.selectorLabels" . | nindent 4 }}
{{- end -}}
