"""Rasa input channels of our own (configured in credentials.yml); imported by the Rasa process."""
