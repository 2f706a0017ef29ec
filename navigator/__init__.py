"""Navigator: a life-journey guide to Indonesian public services."""

__version__ = "0.1.0"
