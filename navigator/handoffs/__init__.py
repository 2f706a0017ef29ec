"""Agents take over conversations: the queue, claim and release, delivery to channels."""
