"""Chat channels: Telegram and WhatsApp adapters that talk to Rasa over its REST channel.

Shared pieces live here (settings, the Rasa REST client, redaction, message splitting,
canned texts, a small SQLite store, or Redis for several processes: ``state``); each
platform has its own subpackage. Nothing here imports rasa.
"""
