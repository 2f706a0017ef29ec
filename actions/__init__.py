"""Custom actions of the Navigator bot (rasa-sdk), backed by the search engine.

Start the action server with ``python -m actions`` (loads the engine once, then serves
on :5055). ``python -m rasa_sdk --actions actions`` also works; the engine then loads on
the first action call.
"""
