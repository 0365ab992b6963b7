from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateStatus(models.TextChoices):
    """A candidate's way through the portal (domain primer, 'the main flow'; the backbone
    issue): aangemeld → actief → voorgedragen → geplaatst → in opleiding → afgerond, or afgemeld /
    uitgevallen with a reason."""

    AANGEMELD = "aangemeld", _("Aangemeld")
    ACTIEF = "actief", _("Actief, zoekt een leerbaan")
    VOORGEDRAGEN = "voorgedragen", _("Voorgedragen")
    GEPLAATST = "geplaatst", _("Geplaatst")
    IN_OPLEIDING = "in_opleiding", _("In opleiding")
    AFGEROND = "afgerond", _("Afgerond")
    AFGEMELD = "afgemeld", _("Afgemeld")
    UITGEVALLEN = "uitgevallen", _("Uitgevallen")


# A candidate in these states may be proposed for (more) leerbanen.
SEARCHING_STATUSES = (CandidateStatus.ACTIEF, CandidateStatus.VOORGEDRAGEN)


class CandidateEndReason(models.TextChoices):
    """Why a candidate was afgemeld or dropped out (uitgevallen); also the reason an enrolment
    stops."""

    WERK_GEVONDEN = "werk_gevonden", _("Werk gevonden buiten het portaal")
    OPLEIDING_ELDERS = "opleiding_elders", _("Opleiding of traject elders")
    GEEN_INTERESSE = "geen_interesse", _("Wil niet meer verder")
    GEZONDHEID = "gezondheid", _("Gezondheid")
    PERSOONLIJK = "persoonlijk", _("Persoonlijke omstandigheden")
    VERHUISD = "verhuisd", _("Verhuisd")
    WERKGEVER_STOPT = "werkgever_stopt", _("Het leerbedrijf stopt")
    OPLEIDING_PAST_NIET = "opleiding_past_niet", _("De opleiding past niet")
    OVERIG = "overig", _("Andere reden (zie toelichting)")
    NIET_VASTGELEGD = "niet_vastgelegd", _("Niet vastgelegd (van vóór de workflow)")


class AnonymisationReason(models.TextChoices):
    """Why a candidate's personal data was cleared (``Candidate.anonymised_reason``;
    ``docs/privacy.md``): its retention term expired (the nightly job) or the candidate asked
    (erasure by the registering organisation, AVG art. 17)."""

    RETENTION = "retention", _("Bewaartermijn verstreken")
    REQUEST = "request", _("Op verzoek van de kandidaat")


# The name a candidate keeps once anonymised (``Candidate.last_name``; the first name is empty).
ANONYMISED_NAME = "Geanonimiseerd"


class VoordrachtStatus(models.TextChoices):
    """A voordracht: a consultant proposed a candidate for a leerbaan (the backbone issue):
    voorgedragen → uitgenodigd → aangenomen, or afgewezen (with a reason code) / ingetrokken /
    verlopen / elders geplaatst."""

    VOORGEDRAGEN = "voorgedragen", _("Voorgedragen")
    UITGENODIGD = "uitgenodigd", _("Uitgenodigd")
    AANGENOMEN = "aangenomen", _("Aangenomen")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")
    VERLOPEN = "verlopen", _("Verlopen")
    ELDERS_GEPLAATST = "elders_geplaatst", _("Elders geplaatst")


# Voordrachten the werkgever still has to answer.
OPEN_VOORDRACHT_STATUSES = (VoordrachtStatus.VOORGEDRAGEN, VoordrachtStatus.UITGENODIGD)


class DeclineReason(models.TextChoices):
    """Why a werkgever declined a voordracht (required; ``NIET_VASTGELEGD`` only for voordrachten
    declined before the workflow existed)."""

    PROFIEL = "profiel_past_niet", _("Het profiel past niet bij de leerbaan")
    GESPREK = "gesprek", _("Na het gesprek: geen goede match")
    NIET_VERSCHENEN = "niet_verschenen", _("De kandidaat is niet op het gesprek gekomen")
    KANDIDAAT_ZIET_AF = "kandidaat_ziet_af", _("De kandidaat ziet af van de leerbaan")
    ANDERE_KANDIDAAT = "andere_kandidaat", _("Gekozen voor een andere kandidaat")
    OVERIG = "overig", _("Andere reden (zie toelichting)")
    NIET_VASTGELEGD = "niet_vastgelegd", _("Niet vastgelegd (van vóór de workflow)")


class EmployerView(models.TextChoices):
    """How much of a candidate a werkgever sees (``candidates.selectors.candidate_for_employer``):
    from nothing that identifies the person to the contact details an invitation needs."""

    ANONYMOUS = "anonymous", _("Anoniem: alleen woonplaats en wat past")
    NAME = "name", _("Naam en woonplaats")
    PROFILE = "profile", _("Naam en profiel")
    CONTACT = "contact", _("Profiel met contactgegevens")


# The travel distance a candidate may state, in km.
MAX_TRAVEL_DISTANCE_KM = 150

# A voordracht nobody answered expires after this many days in its state (the scheduled job
# ``candidates.expire_due``): voorgedragen without an invitation, uitgenodigd without a decision.
VOORDRACHT_EXPIRY_DAYS = {VoordrachtStatus.VOORGEDRAGEN: 30, VoordrachtStatus.UITGENODIGD: 60}

# Free text on a voordracht and a request, in characters: the consultant's motivation, the
# werkgever's invitation (place and message), the werkgever's request and the consultant's
# answer to it.
MOTIVATION_MAX_CHARS = 2000
INTERVIEW_PLACE_MAX_CHARS = 200
INTERVIEW_MESSAGE_MAX_CHARS = 2000
REQUEST_MESSAGE_MAX_CHARS = 1000
REQUEST_ANSWER_MAX_CHARS = 500
