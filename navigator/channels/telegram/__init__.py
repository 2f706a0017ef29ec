"""Telegram adapter: python-telegram-bot v22, long polling or a secret-checked webhook."""
