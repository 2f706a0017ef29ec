"""Which source URLs point at a specific page, and which only at a site's front door."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Paths that are still the front page of a site: a language switch or an index file.
_FRONT = re.compile(
    r"^/?((id|en|in|ind|eng|home|beranda|index(\.(php|html?|aspx?))?|portal)/?)?$", re.I
)


def is_home_page(url: str) -> bool:
    """True when ``url`` is a site's root or home page, not the page a fact comes from."""
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return False
    return bool(_FRONT.match(parts.path or "/"))
