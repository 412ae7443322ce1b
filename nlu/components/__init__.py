"""Rasa NLU components for Swedish (registered with Rasa's DefaultV1Recipe on import)."""
