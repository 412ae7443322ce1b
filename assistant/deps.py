"""Dependencies handlers ask for by type: `def search(retriever: Retriever): ...`."""
from typing import Annotated

from fastapi import Depends, HTTPException

from assistant.settings import Settings, get_settings
from knowledge.retrieval import IndexMissingError, load_retriever
from knowledge.retrieval.search import Retriever as HybridRetriever


def get_retriever() -> HybridRetriever:
    """The loaded search index and model; 503 naming the rebuild command if there is no usable index."""
    try:
        return load_retriever()
    except IndexMissingError as error:
        raise HTTPException(status_code=503, detail=str(error)) from None


Retriever = Annotated[HybridRetriever, Depends(get_retriever)]

AppSettings = Annotated[Settings, Depends(get_settings)]
