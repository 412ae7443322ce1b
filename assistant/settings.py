"""One typed place for the app's configuration, read from INSATSLOTSEN_* environment variables.

The HTTP app, the Rasa process's channels and the command line read this object (the knowledge
base's own fields are inherited from knowledge.settings, which must not import the app). Every
field is one variable: `INSATSLOTSEN_<FIELD NAME IN CAPITALS>`; list fields take a JSON list
(origins and tenants also "a, b").
"""
import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import SecretStr, root_validator, validator

from assistant.session_tokens import SECRET_ENV, weak_secret_reason
from knowledge.settings import KnowledgeSettings

# Upper bounds: a setting typed with an extra zero must not open sessions for months.
MAX_SESSION_TOKEN_HOURS = 24.0
MAX_SESSION_HOURS = 7 * 24.0
_COMMA_LISTS = {"allowed_origins", "teams_allowed_tenants", "trusted_proxies"}


class Settings(KnowledgeSettings):
    environment: str = "development"
    # Where `python -m assistant run` serves the HTTP app.
    host: str = "127.0.0.1"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 30.0
    # The built chat widget and example intranet page (`make widget`), served at /.
    widget_dir: Path = Path(__file__).resolve().parent.parent / "widget" / "dist"
    # The endpoints file Rasa runs with; the readiness check and the retention command read the
    # tracker store from it. endpoints.replicas.yml: PostgreSQL + Redis for several replicas.
    endpoints_file: str = "endpoints.yml"
    # `python -m assistant retention` deletes conversations without activity for this many days.
    retention_days: int = 90
    # Where 👍/👎 feedback is kept (an SQLAlchemy URL); PostgreSQL in production.
    feedback_db: str = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'feedback.db'}"
    # The intranet pages allowed to use the assistant (CORS, the Origin check on writes and on the
    # socket.io relay); comma-separated or a JSON list. processes.api_server replaces the default
    # with the local origins of the port it starts on.
    allowed_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    max_body_bytes: int = 64 * 1024
    # Per client and process; 0 turns the limit off (only for load tests from one address).
    rate_limit_per_minute: int = 120
    rate_limit_burst: int = 30
    # Load balancers whose X-Forwarded-For names the real client: the addresses they connect from,
    # and how many of them a request passes (each appends one entry; the entry that many places
    # from the right is the client, whatever the client itself wrote further left).
    trusted_proxies: list[str] = []
    trusted_proxy_hops: int = 1
    # Per session on /api/chat, whatever address the turns come from.
    chat_turns_per_minute: int = 30
    chat_turns_burst: int = 10
    action_server_url: str = "http://127.0.0.1:5055"
    # Unlocks the details of GET /api/ready (which part failed and why) as `Authorization: Bearer`.
    operator_token: SecretStr | None = None

    # Signs the session tokens (docs/widget-session.md). The HTTP app and the Rasa process must
    # share it; in development `python -m assistant run` generates one per start.
    session_secret: SecretStr | None = None
    # Set by the settings themselves, never by a variable: true when session_secret was made up here.
    session_secret_generated: bool = False
    session_token_hours: float = 12.0
    # A session ends this long after its first token, however often it was renewed.
    session_max_hours: float = 24.0
    # Per socket.io connection: the largest websocket frame, and how many frames per window.
    socketio_max_frame_bytes: int = 16 * 1024
    socketio_rate_limit_messages: int = 30
    socketio_rate_limit_seconds: float = 60.0
    # Open widget sockets per client address and in total, per HTTP app process.
    socketio_max_connections_per_client: int = 8
    socketio_max_connections: int = 1000
    # Feedback (👍/👎) older than this is deleted by `python -m assistant feedback retention`.
    feedback_retention_days: int = 365

    # Teams: the Azure AD tenants (directory ids) whose activities are served; empty: only
    # INSATSLOTSEN_TEAMS_TENANT_ID, and if that is empty too, none.
    teams_allowed_tenants: list[str] = []
    teams_tenant_id: str = ""
    # Authenticated activities per Teams conversation and minute.
    teams_turns_per_minute: int = 30

    class Config:
        env_prefix = "INSATSLOTSEN_"

        @classmethod
        def parse_env_var(cls, field_name: str, raw_value: str) -> Any:
            # Only list fields come here; allow "a, b" besides JSON so the variable is easy to write.
            if field_name in _COMMA_LISTS and not raw_value.lstrip().startswith("["):
                return [item.strip() for item in raw_value.split(",") if item.strip()]
            return json.loads(raw_value)

    @validator("environment")
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "test", "production"}:
            raise ValueError("environment must be development, test or production")
        return value

    @root_validator(pre=True)
    def _note_generated_secret(cls, values: dict[str, Any]) -> dict[str, Any]:
        values["session_secret_generated"] = values.get("session_secret") in (None, "")
        return values

    @validator("session_secret", always=True)
    def _secret_in_production(cls, value: SecretStr | None, values: dict[str, Any]) -> SecretStr:
        if value is None:
            if values.get("environment") == "production":
                raise ValueError(
                    f"{SECRET_ENV} måste sättas i produktion, t.ex. "
                    "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
                )
            # One per process start; processes.py hands it to the Rasa server too.
            return SecretStr(secrets.token_urlsafe(32))
        reason = weak_secret_reason(value.get_secret_value())
        if reason:
            raise ValueError(reason)
        return value

    @validator("operator_token")
    def _strong_operator_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and weak_secret_reason(value.get_secret_value()):
            raise ValueError("INSATSLOTSEN_OPERATOR_TOKEN är för svag; skapa den som sessionshemligheten.")
        return value

    @validator("allowed_origins", each_item=True)
    def _origin_shape(cls, value: str) -> str:
        origin = value.rstrip("/")
        if not origin.startswith(("http://", "https://")) or "/" in origin.split("://", 1)[1]:
            raise ValueError(f"{value!r} är ingen origin (schema://värd[:port]).")
        return origin

    @validator("session_token_hours", "socketio_rate_limit_seconds")
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("ska vara större än noll")
        return value

    @validator("session_token_hours")
    def _token_hours_bounded(cls, value: float) -> float:
        if value > MAX_SESSION_TOKEN_HOURS:
            raise ValueError(f"får vara högst {MAX_SESSION_TOKEN_HOURS:g} timmar")
        return value

    @validator("session_max_hours")
    def _session_hours_bounded(cls, value: float, values: dict[str, Any]) -> float:
        if not 1 <= value <= MAX_SESSION_HOURS:
            raise ValueError(f"ska vara mellan 1 och {MAX_SESSION_HOURS:g} timmar")
        if value < values.get("session_token_hours", 0):
            raise ValueError("får inte vara kortare än session_token_hours")
        return value

    @validator("trusted_proxy_hops", "socketio_max_connections_per_client", "socketio_max_connections",
               "feedback_retention_days", "retention_days", "chat_turns_burst")
    def _at_least_one(cls, value: int) -> int:
        if value < 1:
            raise ValueError("ska vara minst 1")
        return value

    @validator("rate_limit_per_minute", "chat_turns_per_minute", "teams_turns_per_minute")
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("får inte vara negativ (0 stänger av gränsen)")
        return value

    @root_validator(skip_on_failure=True)
    def _tenants(cls, values: dict[str, Any]) -> dict[str, Any]:
        tenants = [t.strip().lower() for t in values.get("teams_allowed_tenants", []) if t.strip()]
        own = values.get("teams_tenant_id", "").strip().lower()
        values["teams_allowed_tenants"] = tenants or ([own] if own else [])
        return values


@lru_cache
def get_settings() -> Settings:
    return Settings()
