"""Writes on leerbedrijven and leerbanen."""

from django.db import transaction

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from leerbedrijven.selectors import leerbaan_places_left


def leerbaan_mark_vervuld_if_full(*, leerbaan: Leerbaan) -> Leerbaan:
    """Set an open ``leerbaan`` to *vervuld* when no place is left (places − matches
    geplaatst = 0); leave it as it is otherwise. Called after a placement, inside the caller's
    transaction (``LeerbaanStatus``: "vervuld when every place is taken"). Returns the leerbaan.
    """
    with transaction.atomic():
        if leerbaan.status == LeerbaanStatus.OPEN and leerbaan_places_left(leerbaan=leerbaan) == 0:
            leerbaan.status = LeerbaanStatus.VERVULD
            leerbaan.save(update_fields=["status"])
    return leerbaan
