"""Rasa tracker and lock stores for one machine (SQLite files under ``var/``)."""
