"""Rasa input channels of our own, configured in credentials.yml."""
