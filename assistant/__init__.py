"""The Insatslotsen application: HTTP API, chat page, channels and process runner."""
