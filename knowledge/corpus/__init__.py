"""The guideline documents and their passages: what the assistant quotes and cites."""
from knowledge.corpus.loader import get_passage, load_metadata, load_passages, passages_for
from knowledge.corpus.passage import Passage

__all__ = ["Passage", "get_passage", "load_metadata", "load_passages", "passages_for"]
