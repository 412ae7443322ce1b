"""One typed place for the app's configuration, read from INSATSLOTSEN_* environment variables."""
import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseSettings, SecretStr, validator


class Settings(BaseSettings):
    environment: str = "development"
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
    # Load balancers whose X-Forwarded-For names the real client.
    trusted_proxies: list[str] = []
    action_server_url: str = "http://127.0.0.1:5055"

    # Signs the widget's session tokens (docs/widget-session.md). The HTTP app and the Rasa process
    # must share it; in development `python -m assistant run` generates one per start.
    session_secret: SecretStr | None = None
    session_token_hours: float = 12.0
    # Per socket.io connection: the largest websocket frame, and how many frames per window.
    socketio_max_frame_bytes: int = 16 * 1024
    socketio_rate_limit_messages: int = 30
    socketio_rate_limit_seconds: float = 60.0

    class Config:
        env_prefix = "INSATSLOTSEN_"

        @classmethod
        def parse_env_var(cls, field_name: str, raw_value: str) -> Any:
            # Only list fields come here; allow "a, b" besides JSON so the variable is easy to write.
            if field_name == "allowed_origins" and not raw_value.lstrip().startswith("["):
                return [origin.strip() for origin in raw_value.split(",") if origin.strip()]
            return json.loads(raw_value)

    @validator("environment")
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "test", "production"}:
            raise ValueError("environment must be development, test or production")
        return value

    @validator("session_secret", always=True)
    def _secret_in_production(cls, value: SecretStr | None, values: dict[str, Any]) -> SecretStr:
        if value is None:
            if values.get("environment") == "production":
                raise ValueError(
                    "INSATSLOTSEN_SESSION_SECRET måste sättas i produktion (minst 32 tecken), t.ex. "
                    "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
                )
            # One per process start; processes.py hands it to the Rasa server too.
            return SecretStr(secrets.token_urlsafe(32))
        if len(value.get_secret_value()) < 32:
            raise ValueError("INSATSLOTSEN_SESSION_SECRET ska vara minst 32 tecken lång.")
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


@lru_cache
def get_settings() -> Settings:
    return Settings()
