"""Console accounts, roles and the audit log (``navigator agents``, the console's login)."""

from navigator.accounts.store import (
    ROLES,
    Account,
    AccountError,
    AccountStore,
    AuditEntry,
    Role,
    StoreError,
    new_password,
    role_rank,
)

__all__ = [
    "ROLES",
    "Account",
    "AccountError",
    "AccountStore",
    "AuditEntry",
    "Role",
    "StoreError",
    "new_password",
    "role_rank",
]
