"""One typed place for the app's configuration, read from INSATSLOTSEN_* environment variables."""
from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, validator


class Settings(BaseSettings):
    environment: str = "development"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 30.0
    # The built chat widget and example intranet page (`make widget`), served at /.
    widget_dir: Path = Path(__file__).resolve().parent.parent / "widget" / "dist"
    # Where 👍/👎 feedback is kept (an SQLAlchemy URL); PostgreSQL in production.
    feedback_db: str = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'feedback.db'}"

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
