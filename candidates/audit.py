"""Audit logging of candidate data (django-auditlog)."""


def mask_all(value: str) -> str:
    """Mask a sensitive value completely (the BSN): ``"123456782"`` → ``"*********"``."""
    return "*" * len(value or "")
