"""Reads on candidates, matches and enrolments, and the matching itself.

Matching (domain primer, 'A candidate's way through the portal', step 2: "the portal proposes
leerbanen that fit, each with the reasons why"). One function judges a candidate × leerbaan pair
(``_evaluate``); ``leerbanen_matching`` (a candidate's leerbanen) and ``candidates_matching`` (a
leerbaan's candidates) both use it, after narrowing the rows in SQL, so both directions always
agree.

Hard rules (all must hold; source: the matching issue and the domain primer):

1. the leerbaan is open (``Leerbaan.is_open``): gepubliceerd, before the end of its closing date
   (Europe/Amsterdam) and with places left (``places`` − ``places_taken``);
2. its kwalificatie is current (crebo 25000–27999, ``Kwalificatie.is_current``; SOURCES.md §3);
3. its leerbedrijf holds a BBL erkenning for that kwalificatie valid on the leerbaan's start date
   (primer, 'Erkende leerbedrijven': a leerbaan only for a kwalificatie the leerbedrijf is
   erkend for; a leerbaan is a BBL position);
4. it supports the candidate's route (primer, 'The three routes');
5. it lies within the candidate's ``max_travel_km``: great-circle km between the PC4 points of the
   candidate's postcode and the leerbaan's vestiging (``praktijkleren.geo.selectors.distance_km``);
6. its kwalificatie is one the candidate wishes (current ones only), or lies in a wished dossier
   (primer, step 1 'wishes: kwalificaties or sectors').

Score 0–100: ``100 × Σ weight × criterion / Σ weight`` with each criterion in 0–1 (weights in
``WEIGHTS``; the issue asks for distance, wish fit, hours and start date, closer/better fitting/
sooner being better):

- distance: ``1 − km / max_travel_km`` (1 at the door, 0 at the limit);
- wish fit: 1.0 a wished kwalificatie; within a wished dossier 0.8 when its niveau equals that
  of a wished kwalificatie, else 0.6 (issue: same kwalificatie > same dossier > same niveau);
- hours: ``1 − |leerbaan hours − candidate hours| / 16`` (hours a week), at least 0;
- start: on or after the earliest start date ``1 − days after / 365`` (at least 0); before it at
  most 0.5, ``0.5 × (1 − days before / 90)`` (the candidate is not available yet).

Ranking: score descending, then distance ascending, then leerbaan (or candidate) id.
"""

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates import bsn as bsn_crypto
from candidates.constants import (
    MAX_TRAVEL_DISTANCE_KM,
    OPEN_VOORDRACHT_STATUSES,
    SEARCHING_STATUSES,
    CandidateStatus,
    EmployerView,
    VoordrachtStatus,
)
from candidates.models import Candidate, Voordracht, VoordrachtRequest, is_consultant_of
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan, Praktijkopleider
from leerbedrijven.selectors import closing_today, leerbanen_open, leerbanen_with_facts
from opleidingen.constants import Route
from opleidingen.models import Kerntaak, Kwalificatie, Werkproces
from opleidingen.selectors import werkprocessen_of
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.models import Organisation
from praktijkleren.accounts.selectors import PortalUser, organisation_of
from praktijkleren.geo.selectors import EARTH_RADIUS_KM, distance_km

# Weights of the four criteria (sum 100), see the module docstring.
WEIGHTS = {"distance": 35, "wish": 30, "hours": 15, "start": 20}
WISH_KWALIFICATIE = 1.0
WISH_DOSSIER_SAME_NIVEAU = 0.8
WISH_DOSSIER = 0.6
HOURS_SCALE = 16  # hours a week of difference that bring the hours criterion to 0
START_HORIZON_DAYS = 365  # days after the earliest start date that bring the start criterion to 0
EARLY_START_DAYS = 90  # days before the earliest start date that bring it from 0.5 to 0

ROUTE_FLAGS = {
    Route.PRAKTIJKVERKLARING: "supports_praktijkverklaring",
    Route.CERTIFICAAT: "supports_certificaat",
    Route.DIPLOMA: "supports_diploma",
}
_KM_PER_DEGREE_LAT = math.radians(1) * EARTH_RADIUS_KM  # ≈ 111.195 km on the geo sphere
_BOX_MARGIN = 1.001
_LEERBAAN_RELATED = ("leerbedrijf__organisation", "vestiging__postcode", "kwalificatie__dossier")


@dataclasses.dataclass(frozen=True)
class _Scores:
    """The scores of one pair that passes every hard rule (reasons are built separately)."""

    score: float
    distance_km: float
    distance_score: float
    wish_score: float
    hours_score: float
    start_score: float


@dataclasses.dataclass(frozen=True)
class LeerbaanMatch(_Scores):
    """A leerbaan that fits a candidate: ``score`` 0–100 (one decimal), ``distance_km`` (km,
    PC4 to PC4, unrounded), ``reasons`` (Dutch sentences, one per criterion) and each
    criterion's score in 0–1."""

    leerbaan: Leerbaan
    reasons: list[str]


@dataclasses.dataclass(frozen=True)
class CandidateMatch(_Scores):
    """A candidate that fits a leerbaan; the same fields as ``LeerbaanMatch``."""

    candidate: Candidate
    reasons: list[str]


@dataclasses.dataclass(frozen=True)
class _Wishes:
    kwalificatie_ids: frozenset[int]
    dossier_ids: frozenset[int]
    niveaus: frozenset[int]


def _wishes(candidate: Candidate) -> _Wishes:
    """The candidate's wishes; only current kwalificaties count (uses prefetched rows if any)."""
    kwalificaties = [k for k in candidate.wished_kwalificaties.all() if k.is_current]
    return _Wishes(
        kwalificatie_ids=frozenset(k.pk for k in kwalificaties),
        dossier_ids=frozenset(d.pk for d in candidate.wished_dossiers.all()),
        niveaus=frozenset(k.niveau for k in kwalificaties if k.niveau),
    )


def _months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (``later >= earlier``)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def _span_text(earlier: dt.date, later: dt.date) -> str:
    months = _months_between(earlier, later)
    if months >= 1:
        return ngettext("%(n)d maand", "%(n)d maanden", months) % {"n": months}
    days = (later - earlier).days
    return ngettext("%(n)d dag", "%(n)d dagen", days) % {"n": days}


def _leerbaan_failures(leerbaan: Leerbaan, on_date: dt.date) -> list[str]:
    """Hard rules 1–3, which depend on the leerbaan alone (it carries ``leerbanen_with_facts``)."""
    failures = []
    if leerbaan.status != LeerbaanStatus.GEPUBLICEERD:
        failures.append(_("De leerbaan is niet gepubliceerd."))
    if leerbaan.closing_date < on_date:
        failures.append(_("De sluitingsdatum van de leerbaan is voorbij."))
    if leerbaan.places_left <= 0:
        failures.append(_("De leerbaan heeft geen plaatsen meer."))
    if not leerbaan.kwalificatie.is_current:
        failures.append(_("De kwalificatie van de leerbaan is niet actueel."))
    if not getattr(leerbaan, "erkend", False):
        failures.append(
            _("Het leerbedrijf is op de startdatum niet erkend (BBL) voor %(crebo)s.")
            % {"crebo": leerbaan.kwalificatie.crebo}
        )
    return failures


def _evaluate(
    candidate: Candidate, wishes: _Wishes, leerbaan: Leerbaan, on_date: dt.date
) -> tuple[list[str], _Scores | None]:
    """Judge one pair: (the hard rules it breaks as Dutch sentences, the scores if none)."""
    failures = _leerbaan_failures(leerbaan, on_date)
    if candidate.route not in leerbaan.routes():
        failures.append(
            _("De leerbaan biedt de route %(route)s niet.")
            % {"route": Route(candidate.route).label}
        )
    home, work = candidate.postcode, leerbaan.vestiging.postcode
    km = distance_km(home.lat, home.lon, work.lat, work.lon)
    if km > candidate.max_travel_km:
        failures.append(
            _("De leerbaan ligt %(km)d km van huis, verder dan %(max)d km.")
            % {"km": round(km), "max": candidate.max_travel_km}
        )
    kwalificatie = leerbaan.kwalificatie
    if kwalificatie.pk in wishes.kwalificatie_ids:
        wish = WISH_KWALIFICATIE
    elif kwalificatie.dossier_id is not None and kwalificatie.dossier_id in wishes.dossier_ids:
        same_niveau = kwalificatie.niveau in wishes.niveaus
        wish = WISH_DOSSIER_SAME_NIVEAU if same_niveau else WISH_DOSSIER
    else:
        failures.append(_("De kwalificatie is niet gewenst en ligt niet in een gewenst dossier."))
    if failures:
        return failures, None

    distance_score = max(0.0, 1.0 - km / candidate.max_travel_km)
    hours_diff = abs(leerbaan.hours_per_week - candidate.hours_per_week)
    hours_score = max(0.0, 1.0 - hours_diff / HOURS_SCALE)
    days_after = (leerbaan.start_date - candidate.earliest_start_date).days
    if days_after >= 0:
        start_score = max(0.0, 1.0 - days_after / START_HORIZON_DAYS)
    else:
        start_score = max(0.0, 0.5 * (1.0 + days_after / EARLY_START_DAYS))
    criteria = {
        "distance": distance_score,
        "wish": wish,
        "hours": hours_score,
        "start": start_score,
    }
    score = 100.0 * sum(WEIGHTS[k] * v for k, v in criteria.items()) / sum(WEIGHTS.values())
    return [], _Scores(
        score=round(score, 1),
        distance_km=km,
        distance_score=distance_score,
        wish_score=wish,
        hours_score=hours_score,
        start_score=start_score,
    )


def _reasons(candidate: Candidate, leerbaan: Leerbaan, scores: _Scores) -> list[str]:
    """One readable Dutch line per criterion, plus the erkenning, for a pair that fits."""
    km = round(scores.distance_km)
    if km < 1:
        distance_reason = _("Minder dan 1 km van huis")
    else:
        distance_reason = _("%(km)d km van huis") % {"km": km}
    kwalificatie = leerbaan.kwalificatie
    if scores.wish_score == WISH_KWALIFICATIE:
        wish_reason = _("Gewenste kwalificatie: %(kwalificatie)s") % {"kwalificatie": kwalificatie}
    else:
        if scores.wish_score == WISH_DOSSIER_SAME_NIVEAU:
            wish_reason = _(
                "In gewenst dossier %(dossier)s, op het gewenste niveau %(niveau)d: "
                "%(kwalificatie)s"
            )
        else:
            wish_reason = _("In gewenst dossier %(dossier)s: %(kwalificatie)s")
        wish_reason %= {
            "dossier": kwalificatie.dossier.naam if kwalificatie.dossier else "",
            "niveau": kwalificatie.niveau or 0,
            "kwalificatie": kwalificatie,
        }
    erkend_tot: dt.date | None = getattr(leerbaan, "erkend_tot", None)
    if erkend_tot:
        erkend_reason = _("Erkend voor %(crebo)s tot %(datum)s") % {
            "crebo": kwalificatie.crebo,
            "datum": date_format(erkend_tot, "j F Y"),
        }
    else:
        erkend_reason = _("Erkend voor %(crebo)s zonder einddatum") % {"crebo": kwalificatie.crebo}
    hours_reason = _("%(uren)d uur per week (gewenst %(gewenst)d)") % {
        "uren": leerbaan.hours_per_week,
        "gewenst": candidate.hours_per_week,
    }
    start_text = date_format(leerbaan.start_date, "j F Y")
    earliest = candidate.earliest_start_date
    if leerbaan.start_date == earliest:
        start_reason = _("Start %(datum)s, op de vroegste startdatum") % {"datum": start_text}
    elif leerbaan.start_date > earliest:
        start_reason = _("Start %(datum)s, %(verschil)s na de vroegste startdatum") % {
            "datum": start_text,
            "verschil": _span_text(earliest, leerbaan.start_date),
        }
    else:
        start_reason = _("Start %(datum)s, %(verschil)s vóór de vroegste startdatum") % {
            "datum": start_text,
            "verschil": _span_text(leerbaan.start_date, earliest),
        }
    return [distance_reason, wish_reason, erkend_reason, hours_reason, start_reason]


def _leerbaan_with_facts(leerbaan: Leerbaan) -> Leerbaan:
    """``leerbaan`` itself when it already carries the facts and related rows, else re-read."""
    if hasattr(leerbaan, "erkend"):
        return leerbaan
    return leerbanen_with_facts(Leerbaan.objects.select_related(*_LEERBAAN_RELATED)).get(
        pk=leerbaan.pk
    )


def _dlon_degrees(km: float, lat: float) -> float:
    """Largest longitude difference (degrees) of a point within ``km`` of latitude ``lat``."""
    ratio = math.sin(km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))
    return 180.0 if ratio >= 1 else math.degrees(math.asin(ratio))


def match_evaluate(
    *, candidate: Candidate, leerbaan: Leerbaan, on_date: dt.date | None = None
) -> LeerbaanMatch:
    """Judge one pair with the matching rules (module docstring) on ``on_date`` (default today).

    Returns the ``LeerbaanMatch`` (score and reasons) holding a fresh copy of the leerbaan.
    Raises ``ValidationError`` listing, in Dutch, every hard rule the pair breaks. Re-reads the
    leerbaan (places left, erkenning) so it judges the current state: a few queries.
    """
    on_date = on_date or closing_today()
    fresh = leerbanen_with_facts(Leerbaan.objects.select_related(*_LEERBAAN_RELATED)).get(
        pk=leerbaan.pk
    )
    failures, scores = _evaluate(candidate, _wishes(candidate), fresh, on_date)
    if scores is None:
        raise ValidationError(failures)
    return LeerbaanMatch(
        leerbaan=fresh, reasons=_reasons(candidate, fresh, scores), **dataclasses.asdict(scores)
    )


def leerbanen_matching(
    *, candidate: Candidate, limit: int = 50, on_date: dt.date | None = None
) -> list[LeerbaanMatch]:
    """The leerbanen that fit ``candidate`` on ``on_date`` (default today), best first, at most
    ``limit``. Rules, score and ranking: see the module docstring.

    SQL narrows the rows (open with places left, erkend on the start date via ``Exists``, current
    and wished kwalificatie or dossier, route flag, a lat/lon box around the candidate's PC4
    that contains every point within ``max_travel_km``); the exact distance and the scores are
    computed in Python. Constant number of queries: the candidate's postcode and two wish lists
    (when not loaded already) and one for the leerbanen.
    """
    on_date = on_date or closing_today()
    wishes = _wishes(candidate)
    if not wishes.kwalificatie_ids and not wishes.dossier_ids:
        return []
    home = candidate.postcode
    km = candidate.max_travel_km
    dlat = km / _KM_PER_DEGREE_LAT * _BOX_MARGIN
    dlon = _dlon_degrees(km, min(89.0, abs(home.lat) + dlat)) * _BOX_MARGIN
    leerbanen = (
        leerbanen_open(on_date=on_date)
        .filter(Q(erkend=True), kwalificatie__is_current=True)
        .filter(**{ROUTE_FLAGS[Route(candidate.route)]: True})
        .filter(
            Q(kwalificatie_id__in=wishes.kwalificatie_ids)
            | Q(kwalificatie__dossier_id__in=wishes.dossier_ids)
        )
        .filter(
            vestiging__postcode__lat__range=(home.lat - dlat, home.lat + dlat),
            vestiging__postcode__lon__range=(home.lon - dlon, home.lon + dlon),
        )
        .select_related(*_LEERBAAN_RELATED)
    )
    found = []
    for leerbaan in leerbanen:
        _failures, scores = _evaluate(candidate, wishes, leerbaan, on_date)
        if scores is not None:
            found.append((scores, leerbaan))
    found.sort(key=lambda pair: (-pair[0].score, pair[0].distance_km, pair[1].pk))
    return [
        LeerbaanMatch(
            leerbaan=leerbaan,
            reasons=_reasons(candidate, leerbaan, scores),
            **dataclasses.asdict(scores),
        )
        for scores, leerbaan in found[:limit]
    ]


def candidates_matching(
    *,
    leerbaan: Leerbaan,
    candidates: QuerySet[Candidate] | None = None,
    limit: int = 50,
    on_date: dt.date | None = None,
) -> list[CandidateMatch]:
    """The candidates that fit ``leerbaan`` on ``on_date`` (default today), best first, at most
    ``limit``, chosen from ``candidates`` (default: every candidate who searches, actief or
    voorgedragen, with consent). The same rules and score as ``leerbanen_matching`` (one shared
    pair function).

    SQL narrows the candidates (route, wish for the kwalificatie or its dossier via ``Exists``,
    a lat/lon box per candidate's ``max_travel_km``). Constant number of queries.
    """
    on_date = on_date or closing_today()
    leerbaan = _leerbaan_with_facts(leerbaan)
    if _leerbaan_failures(leerbaan, on_date):
        return []
    if candidates is None:
        candidates = Candidate.objects.filter(consent_given_at__isnull=False)
    candidates = candidates.filter(status__in=SEARCHING_STATUSES)
    kwalificatie = leerbaan.kwalificatie
    wished_kwalificatie = Candidate.wished_kwalificaties.through.objects.filter(
        candidate=OuterRef("pk"), kwalificatie=kwalificatie.pk
    )
    wish_filter = Q(Exists(wished_kwalificatie))
    if kwalificatie.dossier_id is not None:
        wished_dossier = Candidate.wished_dossiers.through.objects.filter(
            candidate=OuterRef("pk"), kwalificatiedossier=kwalificatie.dossier_id
        )
        wish_filter |= Q(Exists(wished_dossier))
    work = leerbaan.vestiging.postcode
    # Per-candidate box: dlon/km grows with km, so the ratio at the largest distance bounds all.
    lat_per_km = _BOX_MARGIN / _KM_PER_DEGREE_LAT
    edge_lat = min(89.0, abs(work.lat) + MAX_TRAVEL_DISTANCE_KM * lat_per_km)
    lon_per_km = (
        _dlon_degrees(MAX_TRAVEL_DISTANCE_KM, edge_lat) / MAX_TRAVEL_DISTANCE_KM * _BOX_MARGIN
    )
    dlat = ExpressionWrapper(F("max_travel_km") * lat_per_km, output_field=FloatField())
    dlon = ExpressionWrapper(F("max_travel_km") * lon_per_km, output_field=FloatField())
    rows = (
        candidates.filter(route__in=leerbaan.routes())
        .filter(wish_filter)
        .alias(box_dlat=dlat, box_dlon=dlon)
        .filter(
            postcode__lat__gte=work.lat - F("box_dlat"),
            postcode__lat__lte=work.lat + F("box_dlat"),
            postcode__lon__gte=work.lon - F("box_dlon"),
            postcode__lon__lte=work.lon + F("box_dlon"),
        )
        .select_related("postcode")
        .prefetch_related("wished_kwalificaties", "wished_dossiers")
    )
    found = []
    for candidate in rows:
        _failures, scores = _evaluate(candidate, _wishes(candidate), leerbaan, on_date)
        if scores is not None:
            found.append((scores, candidate))
    found.sort(key=lambda pair: (-pair[0].score, pair[0].distance_km, pair[1].pk))
    return [
        CandidateMatch(
            candidate=candidate,
            reasons=_reasons(candidate, leerbaan, scores),
            **dataclasses.asdict(scores),
        )
        for scores, candidate in found[:limit]
    ]


def candidates_visible_to(*, user: PortalUser) -> QuerySet[Candidate]:
    """Candidates ``user`` may see: a gemeente or UWV consultant sees its own organisation's
    candidates; anyone else none (employers see proposals through voordrachten, not profiles)."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind not in CONSULTANT_KINDS:
        return Candidate.objects.none()
    return Candidate.objects.filter(organisation=organisation)


def candidates_with_bsn(
    *, bsn: str, organisation: Organisation | None = None
) -> QuerySet[Candidate]:
    """Candidates whose BSN is ``bsn`` (nine digits), of ``organisation`` when given: an exact
    look-up through the blind index (``candidates.bsn.indexes``: also the previous index key's
    while it changes), never by decrypting. None for ``""``."""
    found = bsn_crypto.indexes(bsn)
    if not found:
        return Candidate.objects.none()
    candidates = Candidate.objects.filter(bsn_index__in=found)
    if organisation is not None:
        candidates = candidates.filter(organisation=organisation)
    return candidates


def candidate_bsn_for(*, candidate: Candidate, user: PortalUser) -> str:
    """The BSN of ``candidate`` as ``user`` may see it: whole for a consultant of the
    registering organisation (``candidate.organisation``), nothing for a werkgever, masked
    (``*****6789``, ``candidates.bsn.mask``) for anyone else; ``""`` when there is none."""
    if is_consultant_of(candidate, user):
        return candidate.bsn
    organisation = organisation_of(user)
    if organisation is not None and organisation.kind == OrganisationKind.WERKGEVER:
        return ""
    return bsn_crypto.mask(candidate.bsn)


def voordrachten_visible_to(*, user: PortalUser) -> QuerySet[Voordracht]:
    """Voordrachten ``user`` may see: a consultant those of its organisation's candidates; a
    werkgever those for its leerbedrijven's leerbanen (what it may see of each candidate is
    ``candidate_for_employer``); anyone else none."""
    organisation = organisation_of(user)
    if organisation is None:
        return Voordracht.objects.none()
    if organisation.kind in CONSULTANT_KINDS:
        return Voordracht.objects.filter(candidate__organisation=organisation)
    if organisation.kind == OrganisationKind.WERKGEVER:
        return Voordracht.objects.filter(leerbaan__leerbedrijf__organisation=organisation)
    return Voordracht.objects.none()


# Voordrachten that ended without the werkgever's decision: a werkgever's lists leave them out,
# since the candidate is anonymous in them and would sit next to a newer, named voordracht of
# the same person (``leerbaan_detail``, the inbox).
ENDED_WITHOUT_DECISION = (
    VoordrachtStatus.INGETROKKEN,
    VoordrachtStatus.VERLOPEN,
    VoordrachtStatus.ELDERS_GEPLAATST,
)


def voordrachten_for_employer_inbox(*, user: PortalUser) -> QuerySet[Voordracht]:
    """A werkgever's inbox: the voordrachten for its organisation's leerbanen
    (``voordrachten_visible_to``) but those that ended without its decision, newest first,
    with what the rows show selected; none for anyone else."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.WERKGEVER:
        return Voordracht.objects.none()
    return (
        voordrachten_visible_to(user=user)
        .exclude(status__in=ENDED_WITHOUT_DECISION)
        .select_related(
            "candidate__postcode",
            "candidate__organisation",
            "leerbaan__leerbedrijf",
            "leerbaan__kwalificatie",
        )
        .order_by("-created_at", "-pk")
    )


def voordracht_requests_visible_to(*, user: PortalUser) -> QuerySet[VoordrachtRequest]:
    """Requests for a voordracht ``user`` may see: a consultant those for its organisation's
    candidates (to answer them), a werkgever those for its organisation's leerbanen (to follow
    them; it sees each candidate only as ``candidate_for_employer`` shows a fitting candidate);
    anyone else none."""
    organisation = organisation_of(user)
    if organisation is None:
        return VoordrachtRequest.objects.none()
    if organisation.kind in CONSULTANT_KINDS:
        return VoordrachtRequest.objects.filter(candidate__organisation=organisation)
    if organisation.kind == OrganisationKind.WERKGEVER:
        return VoordrachtRequest.objects.filter(leerbaan__leerbedrijf__organisation=organisation)
    return VoordrachtRequest.objects.none()


@dataclasses.dataclass(frozen=True)
class CandidateForEmployer:
    """What a werkgever may see of a candidate (``candidate_for_employer``). ``view`` says how
    much (``EmployerView``); ``label`` is what to call the candidate ("Kandidaat uit Houten" or
    the name). Fields the view does not allow are None; the BSN and the benefit status are
    never here."""

    view: str
    label: str
    woonplaats: str
    first_name: str | None = None
    last_name: str | None = None
    route_label: str | None = None
    hours_per_week: int | None = None
    earliest_start_date: dt.date | None = None
    work_experience: str | None = None
    earlier_education: str | None = None
    email: str | None = None
    phone: str | None = None
    organisation_name: str | None = None


# What a werkgever sees per voordracht state, with the candidate's consent (domain primer,
# 'Privacy': an employer sees only what a proposal needs). An open voordracht shows the profile,
# an invitation or placement adds the contact details it needs; a declined one keeps the name
# for the werkgever's records; a voordracht that ended without the werkgever's decision shows
# nothing that identifies the person. Without consent: anonymous, whatever the state.
EMPLOYER_VIEW_BY_STATE = {
    VoordrachtStatus.VOORGEDRAGEN: EmployerView.PROFILE,
    VoordrachtStatus.UITGENODIGD: EmployerView.CONTACT,
    VoordrachtStatus.AANGENOMEN: EmployerView.CONTACT,
    VoordrachtStatus.AFGEWEZEN: EmployerView.NAME,
    VoordrachtStatus.INGETROKKEN: EmployerView.ANONYMOUS,
    VoordrachtStatus.VERLOPEN: EmployerView.ANONYMOUS,
    VoordrachtStatus.ELDERS_GEPLAATST: EmployerView.ANONYMOUS,
}
_VIEW_RANK = [EmployerView.ANONYMOUS, EmployerView.NAME, EmployerView.PROFILE, EmployerView.CONTACT]


def employer_view_of(*, status: str | None, consent: bool) -> str:
    """How much a werkgever sees (``EmployerView``) of a candidate whose voordracht has
    ``status`` (None: no voordracht, a fitting candidate) given the candidate's ``consent``."""
    if status is None or not consent:
        return EmployerView.ANONYMOUS
    return EMPLOYER_VIEW_BY_STATE[VoordrachtStatus(status)]


def candidate_for_employer(
    *, candidate: Candidate, voordracht: Voordracht | None = None
) -> CandidateForEmployer:
    """What a werkgever may see of ``candidate`` through ``voordracht`` (None: a fitting
    candidate nobody proposed): decided by the voordracht's state and the candidate's consent
    alone (``employer_view_of``). Uses ``candidate.postcode`` and ``candidate.organisation``
    (select them). The one place that decides it: every employer page renders this object.
    Never, in any view: the BSN, the birth date and place, the experience per werkproces."""
    view = employer_view_of(
        status=voordracht.status if voordracht else None,
        consent=candidate.consent_given_at is not None,
    )
    woonplaats = candidate.postcode.woonplaats or candidate.postcode.pc4
    rank = _VIEW_RANK.index(EmployerView(view))
    seen = CandidateForEmployer(
        view=view,
        label=_("Kandidaat uit %(plaats)s") % {"plaats": woonplaats},
        woonplaats=woonplaats,
    )
    if rank >= 1:
        seen = dataclasses.replace(
            seen,
            label=str(candidate),
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            organisation_name=candidate.organisation.name,
        )
    if rank >= 2:
        seen = dataclasses.replace(
            seen,
            route_label=str(Route(candidate.route).label),
            hours_per_week=candidate.hours_per_week,
            earliest_start_date=candidate.earliest_start_date,
            work_experience=candidate.work_experience,
            earlier_education=candidate.earlier_education,
        )
    if rank >= 3:
        seen = dataclasses.replace(seen, email=candidate.email, phone=candidate.phone)
    return seen


def voordracht_label_for(*, user: PortalUser, voordracht: Voordracht) -> str:
    """``voordracht`` as a page names it for ``user``: for a werkgever the candidate only as
    ``candidate_for_employer`` allows ("Kandidaat uit Houten × Leerbaan"), for anyone else the
    name. (``str(voordracht)`` names the candidate, also when the werkgever may not see it.)"""
    organisation = organisation_of(user)
    if organisation is not None and organisation.kind == OrganisationKind.WERKGEVER:
        seen = candidate_for_employer(candidate=voordracht.candidate, voordracht=voordracht)
        return f"{seen.label} × {voordracht.leerbaan}"
    return str(voordracht)


# A candidate is not proposed again for a leerbaan where a voordracht of it is open, was
# accepted or was declined (after a withdrawal or an expiry it may be).
BLOCKING_VOORDRACHT_STATUSES = (
    *OPEN_VOORDRACHT_STATUSES,
    VoordrachtStatus.AANGENOMEN,
    VoordrachtStatus.AFGEWEZEN,
)


def voordrachten_blocking(
    *, candidate: Candidate | None = None, leerbaan: Leerbaan | None = None
) -> QuerySet[Voordracht]:
    """The voordrachten that keep a candidate from being proposed again for their leerbaan
    (``BLOCKING_VOORDRACHT_STATUSES``), of ``candidate`` and/or for ``leerbaan``."""
    queryset = Voordracht.objects.filter(status__in=BLOCKING_VOORDRACHT_STATUSES)
    if candidate is not None:
        queryset = queryset.filter(candidate=candidate)
    if leerbaan is not None:
        queryset = queryset.filter(leerbaan=leerbaan)
    return queryset


# --- praktijkopleiders: how many candidates each supervises now ------------------------------

# A candidate counts for the praktijkopleider of the leerbaan it was accepted for while it is
# placed there or in opleiding; afgerond or uitgevallen frees the place.
SUPERVISED_STATUSES = (CandidateStatus.GEPLAATST, CandidateStatus.IN_OPLEIDING)


def _supervised() -> QuerySet[Voordracht]:
    return Voordracht.objects.filter(
        status=VoordrachtStatus.AANGENOMEN, candidate__status__in=SUPERVISED_STATUSES
    )


def praktijkopleider_load(
    *, praktijkopleider: Praktijkopleider, excluding: Voordracht | None = None
) -> int:
    """How many candidates ``praktijkopleider`` supervises now: the voordrachten aangenomen on
    leerbanen that name them, whose candidate is still geplaatst or in opleiding (leaving out
    voordracht ``excluding``, the one being accepted). One query; compared with
    ``Praktijkopleider.capacity`` at placement."""
    queryset = _supervised().filter(leerbaan__praktijkopleider=praktijkopleider)
    if excluding is not None:
        queryset = queryset.exclude(pk=excluding.pk)
    return queryset.count()


def praktijkopleider_loads(*, praktijkopleiders: Iterable[Praktijkopleider]) -> dict[int, int]:
    """``praktijkopleider_load`` for each of ``praktijkopleiders`` in one query: praktijkopleider
    id → number of candidates (0 for one without)."""
    ids = [p.pk for p in praktijkopleiders]
    counts = dict(
        _supervised()
        .filter(leerbaan__praktijkopleider__in=ids)
        .order_by()  # no default ordering in the GROUP BY
        .values("leerbaan__praktijkopleider")
        .annotate(n=Count("pk"))
        .values_list("leerbaan__praktijkopleider", "n")
    )
    return {pk: counts.get(pk, 0) for pk in ids}


def praktijkopleider_capacity_refusal(
    *, leerbaan: Leerbaan, placing: Voordracht | None = None
) -> str:
    """Why no candidate can be placed on ``leerbaan`` for its praktijkopleider now (a Dutch
    sentence), or "" when one can: the praktijkopleider is no longer active, or already
    supervises ``capacity`` candidates (besides ``placing``, the voordracht being accepted). A
    leerbaan without a praktijkopleider (made before they existed) is not limited. The
    placement calls it with the praktijkopleider's row locked
    (``candidates.services.voordracht_accept``); a page may call it to warn ahead."""
    praktijkopleider = leerbaan.praktijkopleider
    if praktijkopleider is None:
        return ""
    if not praktijkopleider.is_active:
        return _(
            "Praktijkopleider %(naam)s is niet meer actief: kies eerst een andere "
            "praktijkopleider voor deze leerbaan."
        ) % {"naam": praktijkopleider.naam}
    load = praktijkopleider_load(praktijkopleider=praktijkopleider, excluding=placing)
    if load >= praktijkopleider.capacity:
        return _(
            "Praktijkopleider %(naam)s begeleidt al %(load)d van %(capacity)d kandidaten: kies "
            "eerst een andere praktijkopleider voor deze leerbaan of verhoog de capaciteit."
        ) % {"naam": praktijkopleider.naam, "load": load, "capacity": praktijkopleider.capacity}
    return ""


# --- the candidate's experience per werkproces ----------------------------------------------


@dataclasses.dataclass(frozen=True)
class KerntaakWerkprocessen:
    """A kerntaak with its werkprocessen, in the source's order (code, else position)."""

    kerntaak: Kerntaak
    werkprocessen: list[Werkproces]


@dataclasses.dataclass(frozen=True)
class KwalificatieWerkprocessen:
    """A kwalificatie the candidate wishes (or that lies in a dossier it wishes) with its
    ``kerntaken``, each with its werkprocessen. ``shared_with``: the kwalificatie listed
    earlier whose dossier's basisdeel kerntaken this one shares, and which are therefore not
    repeated here (None: nothing left out). ``known`` is False when no werkprocessen of the
    kwalificatie are known at all (the portal then says so instead of guessing)."""

    kwalificatie: Kwalificatie
    kerntaken: list[KerntaakWerkprocessen]
    shared_with: Kwalificatie | None = None

    @property
    def known(self) -> bool:
        return bool(self.kerntaken) or self.shared_with is not None


def candidate_experience_kwalificaties(*, candidate: Candidate) -> list[Kwalificatie]:
    """The kwalificaties whose werkprocessen a candidate's experience is recorded against: the
    wished kwalificaties and the current kwalificaties of the wished dossiers, by name, niveau
    and crebo. One query."""
    wished_dossiers = candidate.wished_dossiers.values("pk")
    return list(
        Kwalificatie.objects.filter(
            Q(pk__in=candidate.wished_kwalificaties.values("pk"))
            | Q(dossier__in=wished_dossiers, is_current=True)
        )
        .distinct()
        .order_by("naam", "niveau", "crebo")
    )


def _kerntaak_key(kerntaak: Kerntaak) -> tuple:
    return (kerntaak.code, kerntaak.position, kerntaak.pk)


def _werkproces_key(werkproces: Werkproces) -> tuple:
    return (werkproces.code, werkproces.position, werkproces.pk)


def candidate_experience_groups(*, candidate: Candidate) -> list[KwalificatieWerkprocessen]:
    """The werkprocessen a consultant may tick as mastered by ``candidate``, grouped per
    kwalificatie (``candidate_experience_kwalificaties``) → kerntaak → werkproces
    (``opleidingen.selectors.werkprocessen_of``). A basisdeel kerntaak belongs to every
    kwalificatie of its dossier: it is listed once, under the first of them, and the later
    ones name that one in ``shared_with``. One query, plus one per kwalificatie."""
    groups = []
    listed: dict[int, Kwalificatie] = {}  # kerntaak id → the kwalificatie it is listed under
    for kwalificatie in candidate_experience_kwalificaties(candidate=candidate):
        per_kerntaak: dict[int, KerntaakWerkprocessen] = {}
        shared_with = None
        for werkproces in werkprocessen_of(kwalificatie=kwalificatie):
            kerntaak = werkproces.kerntaak
            if kerntaak.pk in listed and listed[kerntaak.pk] != kwalificatie:
                shared_with = listed[kerntaak.pk]
                continue
            listed[kerntaak.pk] = kwalificatie
            group = per_kerntaak.setdefault(kerntaak.pk, KerntaakWerkprocessen(kerntaak, []))
            group.werkprocessen.append(werkproces)
        kerntaken = sorted(per_kerntaak.values(), key=lambda g: _kerntaak_key(g.kerntaak))
        for group in kerntaken:
            group.werkprocessen.sort(key=_werkproces_key)
        groups.append(KwalificatieWerkprocessen(kwalificatie, kerntaken, shared_with))
    return groups
