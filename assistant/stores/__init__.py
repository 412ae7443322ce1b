"""Tracker and lock stores for one or several Rasa replicas: configuration, health, retention."""
