"""Swedish language understanding: Rasa training data, NLU components and the fact extractor."""
