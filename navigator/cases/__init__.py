"""Case codes (``NAV-7K3QX``): what a conversation came to, for an agent or a counter,
without anything that identifies the citizen; valid for 30 days."""

from __future__ import annotations

from navigator.cases.store import Case, CaseService, CaseStore, StoreError, new_code, normalise

__all__ = ["Case", "CaseService", "CaseStore", "StoreError", "new_code", "normalise"]
