"""Audit logging of candidate data (django-auditlog)."""


def mask_all(value: str) -> str:
    """Mask a sensitive value completely, whatever its length (the BSN's token and blind
    index): any non-empty value → ``"*********"``, ``""`` → ``""``; the log shows that it
    changed, never what it was."""
    return "*********" if value else ""
