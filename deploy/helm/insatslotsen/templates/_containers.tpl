{{/* Each process's command and environment. The images hold the code, the model, the index and
the widget; nothing is downloaded at start. */}}

{{- define "insatslotsen.configVolume" -}}
- name: config
  configMap:
    name: {{ include "insatslotsen.fullname" . }}
{{- end -}}

{{- define "insatslotsen.configMount" -}}
- name: config
  mountPath: /etc/insatslotsen
  readOnly: true
{{- end -}}

{{- define "insatslotsen.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "insatslotsen.url" -}}
{{- printf "http://%s:%v" (include "insatslotsen.componentName" (dict "root" .root "component" .component)) .port -}}
{{- end -}}

{{- define "insatslotsen.rasaContainer" -}}
{{- $actions := include "insatslotsen.url" (dict "root" . "component" "action-server" "port" .Values.actionServer.port) -}}
# One Sanic worker per pod: the socket.io channel keeps its sessions in the process.
command:
  - python
  - -m
  - assistant.rasa_server
  - run
  - --model
  - /app/models/insatslotsen.tar.gz
  - --endpoints
  - /etc/insatslotsen/endpoints.yml
  - --credentials
  - /app/credentials.yml
  - --interface
  - 0.0.0.0
  - --port
  - {{ .Values.rasa.port | quote }}
  - --logging-config-file
  - /app/assistant/logging.yml
env:
  {{- include "insatslotsen.commonEnv" . | nindent 2 }}
  - name: SANIC_WORKERS
    value: "1"
  - name: ACTION_ENDPOINT_URL
    value: {{ printf "%s%s" $actions .Values.applicationSettings.endpoints.action.endpointURL | quote }}
  - name: TICKET_LOCK_LIFETIME
    value: {{ .Values.applicationSettings.lockLifetimeSeconds | quote }}
  {{- include "insatslotsen.trackerDbEnv" . | nindent 2 }}
  {{- include "insatslotsen.lockStoreEnv" . | nindent 2 }}
  {{- include "insatslotsen.secretEnv" (dict "root" . "name" "INSATSLOTSEN_SESSION_SECRET" "key" "session-secret") | nindent 2 }}
  # Empty: Rasa's HTTP API stays closed (assistant/rasa_server.py); set: open with JWT only.
  {{- include "insatslotsen.secretEnv" (dict "root" . "name" "INSATSLOTSEN_RASA_JWT_SECRET" "key" "rasa-jwt-secret") | nindent 2 }}
  # Only what is set here; the rest keep assistant/channels/teams_env.py's defaults.
  {{- range $key, $name := dict "appId" "INSATSLOTSEN_TEAMS_APP_ID" "tenantId" "INSATSLOTSEN_TEAMS_TENANT_ID" "tokenUrl" "INSATSLOTSEN_TEAMS_TOKEN_URL" "openidMetadataUrl" "INSATSLOTSEN_TEAMS_OPENID_METADATA_URL" "serviceUrlHosts" "INSATSLOTSEN_TEAMS_SERVICE_URL_HOSTS" "allowedTenants" "INSATSLOTSEN_TEAMS_ALLOWED_TENANTS" }}
  {{- with index $.Values.applicationSettings.teams $key }}
  - name: {{ $name }}
    value: {{ . | quote }}
  {{- end }}
  {{- end }}
  {{- include "insatslotsen.secretEnv" (dict "root" . "name" "INSATSLOTSEN_TEAMS_APP_PASSWORD" "key" "teams-app-password") | nindent 2 }}
  {{- with .Values.rasa.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
volumeMounts:
  {{- include "insatslotsen.tmpMount" . | nindent 2 }}
  {{- include "insatslotsen.configMount" . | nindent 2 }}
{{- end -}}

{{- define "insatslotsen.actionServerContainer" -}}
command:
  - python
  - -m
  - assistant.action_server
  - --host
  - 0.0.0.0
  - --port
  - {{ .Values.actionServer.port | quote }}
env:
  {{- include "insatslotsen.commonEnv" . | nindent 2 }}
  # Every action ends by this deadline, well inside Rasa's lock lifetime (docs/stores.md).
  - name: SANIC_RESPONSE_TIMEOUT
    value: {{ .Values.applicationSettings.actionTimeoutSeconds | quote }}
  {{- with .Values.actionServer.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
volumeMounts:
  {{- include "insatslotsen.tmpMount" . | nindent 2 }}
{{- end -}}

{{- define "insatslotsen.webAppContainer" -}}
{{- $rasa := include "insatslotsen.url" (dict "root" . "component" "rasa" "port" .Values.rasa.port) -}}
{{- $actions := include "insatslotsen.url" (dict "root" . "component" "action-server" "port" .Values.actionServer.port) -}}
{{- $pg := .Values.postgresql.external -}}
command:
  - python
  - -m
  - uvicorn
  - assistant.main:app
  - --host
  - 0.0.0.0
  - --port
  - {{ .Values.webApp.port | quote }}
  - --no-access-log
  - --log-config
  - /app/assistant/logging.yml
  - --ws
  - wsproto
  - --ws-max-size
  - "1048576"
  - --proxy-headers
  - --timeout-graceful-shutdown
  - "30"
env:
  {{- include "insatslotsen.commonEnv" . | nindent 2 }}
  - name: INSATSLOTSEN_RASA_URL
    value: {{ $rasa | quote }}
  - name: INSATSLOTSEN_RASA_TIMEOUT_SECONDS
    value: {{ .Values.applicationSettings.rasaTimeoutSeconds | quote }}
  # Readiness (/api/ready) asks the action server's /health.
  - name: INSATSLOTSEN_ACTION_SERVER_URL
    value: {{ $actions | quote }}
  - name: INSATSLOTSEN_ALLOWED_ORIGINS
    value: {{ join "," .Values.applicationSettings.allowedOrigins | quote }}
  - name: INSATSLOTSEN_TRUSTED_PROXIES
    value: {{ toJson .Values.applicationSettings.trustedProxies | quote }}
  # How many of those stand in front of the app: the client is that many entries from the right.
  - name: INSATSLOTSEN_TRUSTED_PROXY_HOPS
    value: {{ .Values.applicationSettings.trustedProxyHops | quote }}
  {{- include "insatslotsen.trackerDbEnv" . | nindent 2 }}
  # 👍/👎 feedback goes to the same PostgreSQL (its own table); the password must be URL-safe.
  - name: INSATSLOTSEN_FEEDBACK_DB
    value: {{ printf "postgresql://%s:$(TRACKER_DB_PASSWORD)@%s:%v/%s" $pg.username $pg.host $pg.port $pg.database | quote }}
  {{- include "insatslotsen.secretEnv" (dict "root" . "name" "INSATSLOTSEN_SESSION_SECRET" "key" "session-secret") | nindent 2 }}
  # /api/ready's details (which part is down) only with this token.
  {{- include "insatslotsen.secretEnv" (dict "root" . "name" "INSATSLOTSEN_OPERATOR_TOKEN" "key" "operator-token") | nindent 2 }}
  {{- with .Values.webApp.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
volumeMounts:
  {{- include "insatslotsen.tmpMount" . | nindent 2 }}
  {{- include "insatslotsen.configMount" . | nindent 2 }}
{{- end -}}
