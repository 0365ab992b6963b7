"""The portal's proposal for a route (praktijkverklaring, certificaat or diploma), worked out at
the level of werkprocessen: what the kwalificatie asks, what the leerbaan can teach and what the
candidate already masters (domain primer, 'The three routes'). A proposal only: the school
confirms or changes the route.

``route_proposal`` applies these rules, in this order, and says in ``reasons`` (Dutch
sentences) which one decided and why:

1. **Not known, never guess.** When no werkprocessen of the kwalificatie are known (SBB's
   dossier was not imported for it), the portal cannot compare anything at werkproces level: it
   proposes the route the candidate wishes and says so plainly (``known`` False).
2. **Diploma** when the candidate wishes the diploma and the leerbaan's werkprocessen together
   with the candidate's mastered ones cover every werkproces of the kwalificatie. The mastered
   ones among them may ground vrijstellingen for a shortened diploma route
   (``vrijstelling_candidates``; the examencommissie decides).
3. **Certificaat** otherwise, when an mbo-certificaat of the kwalificatie is fully covered: each
   of its werkprocessen (its own plus those of its kerntaken) is taught by the leerbaan or
   mastered by the candidate. With several, the one with the most werkprocessen (then by name).
   A certificate without werkprocessen (a keuzedeel) is never covered this way.
4. **Praktijkverklaring** otherwise, of the werkprocessen the leerbaan can teach (possibly of
   other kwalificaties too), saying what is missing for the diploma and for the certificate
   nearest to being covered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opleidingen.constants import Route
from opleidingen.models import Certificaat, Werkproces
from opleidingen.selectors import certificaten_for, werkprocessen_of

if TYPE_CHECKING:
    from candidates.models import Candidate
    from leerbedrijven.models import Leerbaan
    from opleidingen.models import Kwalificatie
    from trajecten.models import Enrolment

# At most this many werkprocessen are named in one reason; the table shows them all.
NAMED_IN_REASON = 8


@dataclasses.dataclass(frozen=True)
class CertificaatCoverage:
    """One mbo-certificaat of the kwalificatie: its ``werkprocessen`` (its own plus those of
    its kerntaken), which of them the leerbaan or the candidate's experience ``covered``, and
    which are ``missing``."""

    certificaat: Certificaat
    werkprocessen: list[Werkproces]
    covered: list[Werkproces]
    missing: list[Werkproces]

    @property
    def complete(self) -> bool:
        """Every werkproces covered (and there is at least one)."""
        return bool(self.werkprocessen) and not self.missing


@dataclasses.dataclass(frozen=True)
class WerkprocesRow:
    """One werkproces of the kwalificatie in the proposal's table."""

    werkproces: Werkproces
    by_leerbaan: bool
    by_experience: bool


@dataclasses.dataclass(frozen=True)
class RouteProposal:
    """The proposed ``route`` (``opleidingen.constants.Route`` value) with its ``reasons``
    (Dutch sentences), worked out per werkproces (module docstring). ``known``: the
    kwalificatie's werkprocessen are known. Lists of ``Werkproces`` in the kwalificatie's order
    (code, then position), except ``leerbaan_covers`` (all the leerbaan can teach, possibly of
    other kwalificaties too)."""

    route: str
    reasons: list[str]
    known: bool
    kwalificatie_werkprocessen: list[Werkproces]
    leerbaan_covers: list[Werkproces]
    experience_covers: list[Werkproces]
    missing_for_diploma: list[Werkproces]
    certificaten: list[CertificaatCoverage]
    vrijstelling_candidates: list[Werkproces]
    certificaat: Certificaat | None = None

    @property
    def route_label(self) -> str:
        return str(Route(self.route).label)

    @property
    def taught_elsewhere(self) -> list[Werkproces]:
        """What the leerbaan teaches outside this kwalificatie (for a praktijkverklaring)."""
        own = {w.pk for w in self.kwalificatie_werkprocessen}
        return [w for w in self.leerbaan_covers if w.pk not in own]

    @property
    def rows(self) -> list[WerkprocesRow]:
        """The kwalificatie's werkprocessen with who covers each, for the table."""
        taught = {w.pk for w in self.leerbaan_covers}
        mastered = {w.pk for w in self.experience_covers}
        return [
            WerkprocesRow(w, w.pk in taught, w.pk in mastered)
            for w in self.kwalificatie_werkprocessen
        ]


def _order(werkproces: Werkproces) -> tuple:
    return (werkproces.kerntaak.code, werkproces.kerntaak.position, *_own_order(werkproces))


def _own_order(werkproces: Werkproces) -> tuple:
    return (werkproces.code, werkproces.position, werkproces.pk)


def _named(werkprocessen: Iterable[Werkproces]) -> str:
    """``B1-K1-W1, B1-K1-W2 en 3 meer``: codes, or titles where a werkproces has no code."""
    items = list(werkprocessen)
    names = [w.code or w.titel for w in items[:NAMED_IN_REASON]]
    rest = len(items) - len(names)
    text = ", ".join(names)
    if rest:
        text += " " + ngettext("en %(n)d meer", "en %(n)d meer", rest) % {"n": rest}
    return text


def _coverage(certificaat: Certificaat, covered_ids: set[int]) -> CertificaatCoverage:
    found = {w.pk: w for w in certificaat.werkprocessen.all()}
    for kerntaak in certificaat.kerntaken.all():
        found.update({w.pk: w for w in kerntaak.werkprocessen.all()})
    werkprocessen = sorted(found.values(), key=_order)
    return CertificaatCoverage(
        certificaat=certificaat,
        werkprocessen=werkprocessen,
        covered=[w for w in werkprocessen if w.pk in covered_ids],
        missing=[w for w in werkprocessen if w.pk not in covered_ids],
    )


def route_proposal(
    *, candidate: Candidate, leerbaan: Leerbaan | None, kwalificatie: Kwalificatie
) -> RouteProposal:
    """The route the portal proposes for ``candidate`` learning ``kwalificatie`` on ``leerbaan``
    (None: no leerbaan, which then teaches nothing), by the rules in the module docstring.

    Reads the kwalificatie's werkprocessen (``opleidingen.selectors.werkprocessen_of``), the
    leerbaan's (``leerbaan.werkprocessen``; prefetch it to save the query), the candidate's
    mastered ones (``candidate.experienced_werkprocessen``, idem) and the kwalificatie's
    certificates: six queries at most, whatever their number. Raises nothing."""
    wished = Route(candidate.route)
    required = sorted(werkprocessen_of(kwalificatie=kwalificatie), key=_order)
    taught = sorted(leerbaan.werkprocessen.all(), key=_own_order) if leerbaan is not None else []
    mastered_all = list(candidate.experienced_werkprocessen.all())
    taught_ids = {w.pk for w in taught}
    mastered_ids = {w.pk for w in mastered_all}
    covered_ids = taught_ids | mastered_ids
    experience = [w for w in required if w.pk in mastered_ids]
    missing = [w for w in required if w.pk not in covered_ids]
    certificaten = [_coverage(c, covered_ids) for c in certificaten_for(kwalificatie=kwalificatie)]
    facts = RouteProposal(
        route=wished,
        reasons=[],
        known=bool(required),
        kwalificatie_werkprocessen=required,
        leerbaan_covers=taught,
        experience_covers=experience,
        missing_for_diploma=missing,
        certificaten=certificaten,
        vrijstelling_candidates=experience,
    )
    naam = kwalificatie.naam
    if not required:
        reasons = [
            _(
                "Van %(kwalificatie)s zijn de werkprocessen niet bekend: het portaal kan geen "
                "route voorstellen op het niveau van werkprocessen en gokt niet."
            )
            % {"kwalificatie": naam},
            _(
                "Daarom staat hier de route die de kandidaat wenst (%(route)s); de school "
                "beoordeelt of die haalbaar is."
            )
            % {"route": wished.label},
        ]
        return dataclasses.replace(facts, reasons=reasons)
    reasons = [_coverage_sentence(required, taught_ids, mastered_ids, naam)]
    if wished == Route.DIPLOMA and not missing:
        reasons.append(
            _(
                "De kandidaat wil een diploma, en de leerbaan en de ervaring van de kandidaat "
                "dekken samen alle werkprocessen van de kwalificatie: voorgesteld is het "
                "mbo-diploma."
            )
        )
        if experience:
            reasons.append(_vrijstelling_sentence(experience))
        return dataclasses.replace(facts, route=Route.DIPLOMA, reasons=reasons)
    if wished == Route.DIPLOMA:
        reasons.append(
            ngettext(
                "De kandidaat wil een diploma, maar voor het hele diploma ontbreekt nog "
                "%(n)d werkproces (%(namen)s): dat leert deze leerbaan niet en de kandidaat "
                "beheerst het nog niet.",
                "De kandidaat wil een diploma, maar voor het hele diploma ontbreken nog "
                "%(n)d werkprocessen (%(namen)s): die leert deze leerbaan niet en de kandidaat "
                "beheerst ze nog niet.",
                len(missing),
            )
            % {"n": len(missing), "namen": _named(missing)}
        )
    complete = [c for c in certificaten if c.complete]
    if complete:
        best = min(complete, key=lambda c: (-len(c.werkprocessen), c.certificaat.naam))
        reasons.append(
            ngettext(
                "Het enige werkproces van het mbo-certificaat %(certificaat)s leert de "
                "leerbaan of beheerst de kandidaat al: voorgesteld is dat certificaat (met "
                "lessen en een examen).",
                "Alle %(n)d werkprocessen van het mbo-certificaat %(certificaat)s leert de "
                "leerbaan of beheerst de kandidaat al: voorgesteld is dat certificaat (met "
                "lessen en een examen).",
                len(best.werkprocessen),
            )
            % {"n": len(best.werkprocessen), "certificaat": best.certificaat.naam}
        )
        if wished == Route.PRAKTIJKVERKLARING:
            reasons.append(
                _(
                    "De kandidaat wenste een praktijkverklaring, zonder examen: bespreek of het "
                    "certificaat haalbaar is, of houd het bij de praktijkverklaring."
                )
            )
        return dataclasses.replace(
            facts, route=Route.CERTIFICAAT, reasons=reasons, certificaat=best.certificaat
        )
    reasons += _praktijkverklaring_sentences(taught, missing, certificaten, wished)
    return dataclasses.replace(facts, route=Route.PRAKTIJKVERKLARING, reasons=reasons)


def _coverage_sentence(
    required: list[Werkproces], taught_ids: set[int], mastered_ids: set[int], naam: str
) -> str:
    taught = sum(1 for w in required if w.pk in taught_ids)
    mastered = sum(1 for w in required if w.pk in mastered_ids)
    return _(
        "%(kwalificatie)s heeft %(total)d werkprocessen: de leerbaan leert er %(taught)d, de "
        "kandidaat beheerst er al %(mastered)d."
    ) % {"kwalificatie": naam, "total": len(required), "taught": taught, "mastered": mastered}


def _vrijstelling_sentence(experience: list[Werkproces]) -> str:
    return ngettext(
        "De kandidaat beheerst al %(n)d werkproces (%(namen)s): mogelijk een grond voor een "
        "vrijstelling en een verkort traject; daarover beslist de examencommissie.",
        "De kandidaat beheerst al %(n)d werkprocessen (%(namen)s): mogelijk een grond voor "
        "vrijstellingen en een verkort traject; daarover beslist de examencommissie.",
        len(experience),
    ) % {"n": len(experience), "namen": _named(experience)}


def _praktijkverklaring_sentences(
    taught: list[Werkproces],
    missing: list[Werkproces],
    certificaten: list[CertificaatCoverage],
    wished: Route,
) -> list[str]:
    sentences = []
    if taught:
        sentences.append(
            ngettext(
                "Voorgesteld is een praktijkverklaring van het werkproces dat de leerbaan leert "
                "(%(namen)s).",
                "Voorgesteld is een praktijkverklaring van de %(n)d werkprocessen die de "
                "leerbaan leert (%(namen)s).",
                len(taught),
            )
            % {"n": len(taught), "namen": _named(taught)}
        )
    else:
        sentences.append(
            _(
                "Voorgesteld is een praktijkverklaring, maar de leerbaan noemt nog geen "
                "werkprocessen die hij leert: vraag het leerbedrijf welke, voordat de school de "
                "route bevestigt."
            )
        )
    if missing and wished != Route.DIPLOMA:
        sentences.append(
            ngettext(
                "Voor het hele diploma ontbreekt %(n)d werkproces (%(namen)s).",
                "Voor het hele diploma ontbreken %(n)d werkprocessen (%(namen)s).",
                len(missing),
            )
            % {"n": len(missing), "namen": _named(missing)}
        )
    within_reach = [c for c in certificaten if c.werkprocessen]
    if within_reach:
        nearest = min(
            within_reach, key=lambda c: (len(c.missing), -len(c.covered), c.certificaat.naam)
        )
        sentences.append(
            ngettext(
                "Voor het mbo-certificaat %(certificaat)s ontbreekt nog %(n)d van de "
                "%(total)d werkprocessen (%(namen)s).",
                "Voor het mbo-certificaat %(certificaat)s ontbreken nog %(n)d van de "
                "%(total)d werkprocessen (%(namen)s).",
                len(nearest.missing),
            )
            % {
                "certificaat": nearest.certificaat.naam,
                "n": len(nearest.missing),
                "total": len(nearest.werkprocessen),
                "namen": _named(nearest.missing),
            }
        )
    elif wished == Route.CERTIFICAAT:
        sentences.append(
            _(
                "De kandidaat wil een mbo-certificaat, maar van deze kwalificatie is geen "
                "certificaat met bekende werkprocessen."
            )
        )
    return sentences


def enrolment_route_proposal(*, enrolment: Enrolment) -> RouteProposal:
    """``route_proposal`` for ``enrolment``'s candidate, leerbaan and kwalificatie. For the
    school and the consultant only: never on a werkgever's page."""
    return route_proposal(
        candidate=enrolment.candidate,
        leerbaan=enrolment.leerbaan,
        kwalificatie=enrolment.kwalificatie,
    )
