"""One typed place for the app's configuration, read from INSATSLOTSEN_* environment variables."""
from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, validator


class Settings(BaseSettings):
    environment: str = "development"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 30.0
    action_server_url: str = "http://127.0.0.1:5055"
    # SQLAlchemy URL of Rasa's tracker store, for readiness; None: not checked by this app.
    tracker_store_url: str | None = None
    # Where 👍/👎 feedback is kept (an SQLAlchemy URL); PostgreSQL in production.
    feedback_db: str = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'feedback.db'}"
    # The intranet pages allowed to use the assistant (CORS and the Origin check on writes).
    allowed_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    max_body_bytes: int = 64 * 1024
    # Per client and process; 0 turns the limit off (only for load tests from one address).
    rate_limit_per_minute: int = 120
    rate_limit_burst: int = 30
    # Load balancers whose X-Forwarded-For names the real client.
    trusted_proxies: list[str] = []

    class Config:
        env_prefix = "INSATSLOTSEN_"

    @validator("environment")
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "test", "production"}:
            raise ValueError("environment must be development, test or production")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
