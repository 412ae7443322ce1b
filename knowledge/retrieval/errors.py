"""What can go wrong when searching, in words a handläggare or an operator can act on."""

REBUILD_COMMAND = "python -m knowledge build-index"


class IndexMissingError(RuntimeError):
    """The search index is missing, unreadable or built from another corpus, tokenizer or model."""

    def __init__(self, reason: str):
        super().__init__(f"Sökindexet kan inte användas: {reason}. Bygg det med `{REBUILD_COMMAND}` (eller `make index`).")
        self.reason = reason


class QueryError(ValueError):
    """A query that cannot be searched: empty, or longer than allowed."""
