"""Editors' insight: queries the navigator could not answer well, stored with data masked."""
