"""Custom actions for the Rasa action server: thin adapters over knowledge/ and nlu/."""
