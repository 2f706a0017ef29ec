"""Rasa input channels (connectors) of the bot."""
