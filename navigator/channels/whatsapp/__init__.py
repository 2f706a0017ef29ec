"""WhatsApp Cloud API adapter: a signed webhook in, the Graph API out (small httpx client)."""
