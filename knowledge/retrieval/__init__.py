"""Passage retrieval over the guideline corpus: hybrid BM25 + dense search with citations.

    from knowledge.retrieval import load_retriever
    hits = load_retriever().search("kriterier 4:2 socialpsykiatri", k=5)
    hits[0].to_dict()  # {"doc", "section", "title", "text", "score", "id", "heading_path", "page"}

Loading reads the index built by `python -m knowledge build-index`; it never builds one.
"""
from typing import TYPE_CHECKING

from knowledge.retrieval.errors import IndexMissingError, QueryError
from knowledge.settings import KnowledgeSettings

if TYPE_CHECKING:
    from knowledge.retrieval.search import Retriever, SearchHit

__all__ = ["IndexMissingError", "QueryError", "Retriever", "SearchHit", "load_retriever"]


def __getattr__(name: str):
    # The search module imports numpy/scipy; keep `import knowledge.retrieval` light.
    if name in {"Retriever", "SearchHit"}:
        from knowledge.retrieval import search

        return getattr(search, name)
    raise AttributeError(name)


_loaded: dict[tuple, "Retriever"] = {}


def load_retriever(settings: KnowledgeSettings | None = None) -> "Retriever":
    """The retriever for these settings (default: from the environment), loaded once per settings."""
    from knowledge.retrieval.dense import load_model
    from knowledge.retrieval.index import load_index
    from knowledge.retrieval.search import Retriever

    settings = settings or KnowledgeSettings()
    try:
        key = settings.cache_key()
    except FileNotFoundError as error:
        raise IndexMissingError(str(error)) from error
    if key not in _loaded:
        index = load_index(settings)
        model = load_model(str(settings.model_dir()))
        # A damaged embeddings file can still be a well-formed array of the wrong width.
        width = model.get_sentence_embedding_dimension()
        if any(e.ndim != 2 or e.shape[1] != width for e in (index.embeddings, index.sentence_embeddings, index.window_embeddings, index.heading_embeddings, index.title_embeddings)):
            raise IndexMissingError(f"inbäddningarna i {settings.index_dir} passar inte modellen")
        _loaded[key] = Retriever(index, model, settings.max_query_chars)
    return _loaded[key]
