"""Agent-assist console: search page, service cards, suggested replies and a JSON API."""
