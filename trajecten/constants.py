from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    """An enrolment (inschrijving) at an mbo-instelling (domain primer, 'the main flow', steps
    5–7; the backbone issue): aangevraagd → geaccepteerd → gestart → afgerond, or afgewezen /
    gestopt with a reason."""

    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    GESTART = "gestart", _("Gestart")
    AFGEROND = "afgerond", _("Afgerond")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    GESTOPT = "gestopt", _("Gestopt")


# The enrolments that still run: a candidate has at most one of them (database constraint).
LIVE_ENROLMENT_STATUSES = (
    EnrolmentStatus.AANGEVRAAGD,
    EnrolmentStatus.GEACCEPTEERD,
    EnrolmentStatus.GESTART,
)


class EnrolmentDeclineReason(models.TextChoices):
    """Why an mbo-instelling declined an enrolment request."""

    VOL = "vol", _("Geen plaats op de gewenste startdatum")
    TOELATING = "toelating", _("De kandidaat voldoet niet aan de toelatingseisen")
    GEEN_AANBOD = "geen_aanbod", _("Wij bieden deze opleiding niet (meer) in BBL aan")
    ANDERE_LOCATIE = "andere_locatie", _("Een andere instelling ligt meer voor de hand")
    OVERIG = "overig", _("Andere reden (zie toelichting)")
    NIET_VASTGELEGD = "niet_vastgelegd", _("Niet vastgelegd (van vóór de workflow)")


class ProgrammeItemKind(models.TextChoices):
    """What one part of an enrolment's programme is (domain primer, 'The three routes'): a
    werkproces learned at the leerbedrijf, a generic part of the diploma (generieke eisen) or a
    keuzedeel."""

    WERKPROCES = "werkproces", _("Werkproces")
    GENERIEK = "generiek", _("Generiek onderdeel")
    KEUZEDEEL = "keuzedeel", _("Keuzedeel")


class GenericPart(models.TextChoices):
    """The generic parts of an mbo-diploma (generieke eisen; domain primer, 'The qualification
    structure'); Engels only at niveau 4 (``GENERIC_PARTS_FOR_NIVEAU``)."""

    NEDERLANDS = "nederlands", _("Nederlands")
    REKENEN = "rekenen", _("Rekenen")
    LOOPBAAN_BURGERSCHAP = "loopbaan_burgerschap", _("Loopbaan en burgerschap")
    ENGELS = "engels", _("Engels")


def generic_parts_for(niveau: int | None) -> list[GenericPart]:
    """The generic parts a diploma at ``niveau`` (1–4) includes: Nederlands, rekenen, loopbaan
    en burgerschap, and Engels at niveau 4 (the issue's route rules; WEB art. 7.2.4)."""
    parts = [GenericPart.NEDERLANDS, GenericPart.REKENEN, GenericPart.LOOPBAAN_BURGERSCHAP]
    return [*parts, GenericPart.ENGELS] if niveau == 4 else parts


class ConfirmedRole(models.TextChoices):
    """Who confirmed that a candidate masters a werkproces: the praktijkopleider (through the
    leerbedrijf's user) or the school."""

    PRAKTIJKOPLEIDER = "praktijkopleider", _("Praktijkopleider")
    SCHOOL = "school", _("School")


class VrijstellingGround(models.TextChoices):
    """The ground of a vrijstelling on a shortened diploma route (domain primer, 'Documents and
    contracts': the examencommissie grants them)."""

    WERKERVARING = "werkervaring", _("Werkervaring")
    EVC = "evc", _("EVC-ervaringscertificaat")
    VOOROPLEIDING = "vooropleiding", _("Eerdere opleiding")


class ResultKind(models.TextChoices):
    """A lesson (onderwijsonderdeel) or an exam of an enrolment."""

    LES = "les", _("Les")
    EXAMEN = "examen", _("Examen")


class CheckInDay(models.IntegerChoices):
    """The check-ins with leerbedrijf and candidate: 30, 60 and 90 days after the start."""

    DAY_30 = 30, _("Na 30 dagen")
    DAY_60 = 60, _("Na 60 dagen")
    DAY_90 = 90, _("Na 90 dagen")
