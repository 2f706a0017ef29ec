"""Custom Rasa NLU components of the Navigator bot."""
