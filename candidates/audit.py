"""Audit logging of candidate data (django-auditlog)."""

# The fields whose values django-auditlog's change entries mask (``candidates.apps``): the
# entries are append-only and outlive an erasure, so they keep that a value changed, never
# the value. Candidate: the BSN's columns, names, contact details, birth data and free texts.
CANDIDATE_PERSONAL_FIELDS = (
    "bsn_encrypted",
    "bsn_index",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "birth_place",
    "work_experience",
    "earlier_education",
    "anonymised_note",
)
# Voordracht: the free texts about the candidate (consultant's motivation, werkgever's decline
# message and interview invitation).
VOORDRACHT_PERSONAL_FIELDS = (
    "motivation",
    "decline_message",
    "interview_place",
    "interview_message",
)


def mask_all(value: str) -> str:
    """Mask a sensitive value completely, whatever its length (the BSN's token and blind
    index): any non-empty value → ``"*********"``, ``""`` → ``""``; the log shows that it
    changed, never what it was."""
    return "*********" if value else ""
