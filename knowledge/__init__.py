"""The guideline corpus, passage retrieval and the criteria checker.

Nothing here depends on Rasa or FastAPI: the action server and the HTTP API both call in.
"""
