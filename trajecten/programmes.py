"""The programme of an enrolment on each of the three routes (domain primer, 'The three
routes'), its agreement by school, leerbedrijf and candidate, and the vrijstellingen of a
shortened diploma route.

- praktijkverklaring: the school chooses werkprocessen from what the leerbaan can teach
  (``Leerbaan.werkprocessen``, possibly of several kwalificaties), or, where the leerbaan names
  none, from the kwalificatie's (``opleidingen.selectors.werkprocessen_of``); no exam.
- certificaat: the certificate's werkprocessen (its own plus those of its kerntaken), set from
  ``Enrolment.certificaat`` in one action; lessons and exams are ``Result`` rows.
- diploma: all werkprocessen of the kwalificatie, the generic parts for its niveau
  (``generic_parts_for``) and the keuzedelen the school adds by label ("K0123 ...").

Every write locks the enrolment (``enrolment_lock``), refuses with ``TransitionRefused`` (a
Dutch message; code ``"role"``, ``"state"`` or ``"rule"``) what the user's role, the
enrolment's status or the route does not allow, and logs without personal data. A change of
the programme clears the three agreements: the parties agree again.
"""

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opleidingen.constants import Route
from opleidingen.models import Werkproces
from opleidingen.selectors import werkprocessen_of
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.workflow import TransitionRefused, atomic_service
from trajecten.constants import (
    EnrolmentStatus,
    ProgrammeItemKind,
    VrijstellingGround,
    generic_parts_for,
)
from trajecten.models import Enrolment, ProgrammeItem, Vrijstelling, is_school_of
from trajecten.services import enrolment_lock

logger = logging.getLogger(__name__)

# The programme is put together and agreed once the school accepted, and followed while the
# opleiding runs; afterwards it is read-only.
PROGRAMME_STATUSES = (EnrolmentStatus.GEACCEPTEERD, EnrolmentStatus.GESTART)
# A keuzedeel is named by its code and, optionally, its title: "K0123 Ondernemend gedrag".
KEUZEDEEL_LABEL = re.compile(r"^K[0-9]{4}(\s+\S.*)?$")
AGREEMENT_PARTIES = ("school", "leerbedrijf", "candidate")


def is_werkgever_of_enrolment(enrolment: Enrolment, user: Any) -> bool:
    """``user`` acts for the werkgever organisation of the leerbedrijf of the enrolment's
    leerbaan (whose praktijkopleider guides the candidate)."""
    organisation = organisation_of(user)
    return (
        organisation is not None
        and enrolment.leerbaan is not None
        and enrolment.leerbaan.leerbedrijf.organisation_id == organisation.pk
    )


def programme_werkprocessen_available(*, enrolment: Enrolment) -> QuerySet[Werkproces]:
    """The werkprocessen the enrolment's route puts in (or lets the school choose for) its
    programme, by kerntaak and code: praktijkverklaring, those the leerbaan can teach, else the
    kwalificatie's; certificaat, those of the certificate and its kerntaken (none while no
    certificaat is chosen); diploma, all of the kwalificatie's. Empty where they are not known
    (the reference data lack them)."""
    if enrolment.route == Route.CERTIFICAAT:
        certificaat = enrolment.certificaat
        if certificaat is None:
            return Werkproces.objects.none()
        found = Werkproces.objects.filter(
            Q(certificaten=certificaat) | Q(kerntaak__certificaten=certificaat)
        ).distinct()
    elif enrolment.route == Route.PRAKTIJKVERKLARING and enrolment.leerbaan is not None:
        chosen = enrolment.leerbaan.werkprocessen.all()
        found = chosen if chosen.exists() else werkprocessen_of(kwalificatie=enrolment.kwalificatie)
    else:
        found = werkprocessen_of(kwalificatie=enrolment.kwalificatie)
    return (
        Werkproces.objects.filter(pk__in=found.values("pk"))
        .select_related("kerntaak__kwalificatie", "kerntaak__dossier")
        .order_by("kerntaak__code", "code", "position", "pk")
    )


def programme_of(*, enrolment: Enrolment) -> QuerySet[ProgrammeItem]:
    """The enrolment's programme items with their werkproces and kerntaak, in the model's
    order (kind, kerntaak, code)."""
    return enrolment.programme.select_related(
        "werkproces__kerntaak__kwalificatie", "werkproces__kerntaak__dossier", "confirmed_by"
    )


def agreements_missing(enrolment: Enrolment) -> list[str]:
    """The parties (Dutch) that have not agreed to the programme yet."""
    parties = [
        (enrolment.programme_agreed_by_school, _("de school")),
        (enrolment.programme_agreed_by_leerbedrijf, _("het leerbedrijf")),
        (enrolment.programme_agreed_by_candidate, _("de kandidaat")),
    ]
    return [str(name) for agreed, name in parties if agreed is None]


def _refuse_unless_open(enrolment: Enrolment) -> None:
    if enrolment.status not in PROGRAMME_STATUSES:
        raise TransitionRefused(
            _("Met de status ‘%(status)s’ wijzigt u het programma niet.")
            % {"status": enrolment.get_status_display()},
            code="state",
        )


def _refuse_unless_school(enrolment: Enrolment, by: Any) -> None:
    if not is_school_of(enrolment, by):
        raise TransitionRefused(
            _("Alleen de mbo-instelling van deze inschrijving stelt het programma samen."),
            code="role",
        )


def _agreements_clear(enrolment: Enrolment) -> bool:
    """Clear the three agreements after a change of the programme; True when one was set."""
    names = [f"programme_agreed_by_{party}" for party in AGREEMENT_PARTIES]
    if all(getattr(enrolment, name) is None for name in names):
        return False
    for name in names:
        setattr(enrolment, name, None)
    enrolment.save(update_fields=[*names, "updated_at"])
    return True


def _changed(enrolment: Enrolment, what: str) -> None:
    cleared = _agreements_clear(enrolment)
    logger.info(
        "Enrolment %s: programme %s%s", enrolment.pk, what, " (agreements cleared)" * cleared
    )


@atomic_service
def programme_set(
    *, enrolment: Enrolment, by: Any, werkprocessen: Iterable[Werkproces] | None = None
) -> Enrolment:
    """The school ``by`` sets the werkprocessen of the enrolment's programme, while the
    enrolment is geaccepteerd or gestart. praktijkverklaring: ``werkprocessen`` is the school's
    choice (at least one, each from ``programme_werkprocessen_available``); certificaat: the
    certificate's werkprocessen (``werkprocessen`` is ignored; refused without a certificaat or
    when its werkprocessen are not known); diploma: all of the kwalificatie's (where known) and
    the generic parts for its niveau (``werkprocessen`` ignored). Confirmed werkprocessen stay.
    A change clears the agreements. Raises ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    _refuse_unless_school(enrolment, by)
    _refuse_unless_open(enrolment)
    available = programme_werkprocessen_available(enrolment=enrolment)
    if enrolment.route == Route.PRAKTIJKVERKLARING:
        wanted = {w.pk for w in werkprocessen or ()}
        if not wanted:
            raise TransitionRefused(_("Kies ten minste één werkproces."), code="rule")
        if wanted - set(available.values_list("pk", flat=True)):
            raise TransitionRefused(
                _("Kies alleen werkprocessen die deze leerbaan kan leren."), code="rule"
            )
    elif enrolment.route == Route.CERTIFICAAT:
        if enrolment.certificaat is None:
            raise TransitionRefused(
                _("Er is nog geen mbo-certificaat gekozen voor deze inschrijving."), code="rule"
            )
        wanted = set(available.values_list("pk", flat=True))
        if not wanted:
            raise TransitionRefused(
                _("Van dit mbo-certificaat zijn de werkprocessen niet bekend."), code="rule"
            )
    else:
        wanted = set(available.values_list("pk", flat=True))
    items = enrolment.programme.filter(kind=ProgrammeItemKind.WERKPROCES)
    current = set(items.values_list("werkproces_id", flat=True))
    dropped = items.filter(werkproces_id__in=current - wanted)
    if dropped.filter(confirmed_on__isnull=False).exists():
        raise TransitionRefused(
            _("Een bevestigd werkproces blijft in het programma: laat het aangevinkt."),
            code="rule",
        )
    changes = dropped.count()
    dropped.delete()
    added = [
        ProgrammeItem(enrolment=enrolment, kind=ProgrammeItemKind.WERKPROCES, werkproces_id=pk)
        for pk in sorted(wanted - current)
    ]
    if enrolment.route == Route.DIPLOMA:
        have = set(
            enrolment.programme.exclude(generic_part="").values_list("generic_part", flat=True)
        )
        added += [
            ProgrammeItem(enrolment=enrolment, kind=ProgrammeItemKind.GENERIEK, generic_part=part)
            for part in generic_parts_for(enrolment.kwalificatie.niveau)
            if part not in have
        ]
    ProgrammeItem.objects.bulk_create(added)
    changes += len(added)
    if changes:
        _changed(enrolment, f"set ({changes} changes)")
    return enrolment


@atomic_service
def programme_keuzedeel_add(*, enrolment: Enrolment, by: Any, label: str) -> ProgrammeItem:
    """The school ``by`` adds a keuzedeel to the programme of a diploma route, named by
    ``label``: its code ``K`` + four digits, optionally followed by its title ("K0123
    Ondernemend gedrag"); a code once. Clears the agreements. Raises ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    _refuse_unless_school(enrolment, by)
    _refuse_unless_open(enrolment)
    if enrolment.route != Route.DIPLOMA:
        raise TransitionRefused(
            _("Keuzedelen horen alleen bij de route naar een diploma."), code="rule"
        )
    label = " ".join(label.split())
    if not KEUZEDEEL_LABEL.match(label):
        raise TransitionRefused(
            _("Begin met de code van het keuzedeel: K en vier cijfers, bijvoorbeeld K0123."),
            code="rule",
        )
    code = label[:5]
    if enrolment.programme.filter(
        kind=ProgrammeItemKind.KEUZEDEEL, label__startswith=code
    ).exists():
        raise TransitionRefused(
            _("Keuzedeel %(code)s staat al in het programma.") % {"code": code}, code="rule"
        )
    item = ProgrammeItem.objects.create(
        enrolment=enrolment, kind=ProgrammeItemKind.KEUZEDEEL, label=label
    )
    _changed(enrolment, "keuzedeel added")
    return item


@atomic_service
def programme_item_remove(*, enrolment: Enrolment, by: Any, item: ProgrammeItem) -> None:
    """The school ``by`` removes ``item`` (of this enrolment) from the programme: a chosen
    werkproces of a praktijkverklaring route or a keuzedeel, not yet confirmed. The route's
    fixed parts (a certificaat's or diploma's werkprocessen, the generic parts) stay: a diploma
    route records a vrijstelling instead. Clears the agreements. Raises
    ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    _refuse_unless_school(enrolment, by)
    _refuse_unless_open(enrolment)
    item = ProgrammeItem.objects.select_for_update().get(pk=item.pk, enrolment=enrolment)
    removable = item.kind == ProgrammeItemKind.KEUZEDEEL or (
        item.kind == ProgrammeItemKind.WERKPROCES and enrolment.route == Route.PRAKTIJKVERKLARING
    )
    if not removable:
        raise TransitionRefused(
            _(
                "Dit onderdeel hoort bij de route en blijft in het programma. Is de kandidaat "
                "ervan vrijgesteld, leg dan een vrijstelling vast."
            ),
            code="rule",
        )
    if item.confirmed_on is not None:
        raise TransitionRefused(_("Een bevestigd onderdeel blijft in het programma."), code="rule")
    item.delete()
    _changed(enrolment, "item removed")


@atomic_service
def programme_agree(
    *, enrolment: Enrolment, by: Any, party: str, on: dt.date | None = None
) -> Enrolment:
    """Record that ``party`` agrees to the programme on ``on`` (a date; default today, not in
    the future): "school" and "candidate" by a user of the school (which records the
    candidate's agreement), "leerbedrijf" by a werkgever user of the leerbaan's leerbedrijf.
    Only for a programme with at least one part, while the enrolment is geaccepteerd or
    gestart. Raises ``TransitionRefused``; ``ValueError`` for an unknown ``party``."""
    if party not in AGREEMENT_PARTIES:
        raise ValueError(party)
    enrolment = enrolment_lock(enrolment=enrolment)
    if party == "leerbedrijf":
        if not is_werkgever_of_enrolment(enrolment, by):
            raise TransitionRefused(
                _(
                    "Alleen het leerbedrijf van deze inschrijving geeft het akkoord van het "
                    "leerbedrijf."
                ),
                code="role",
            )
    elif not is_school_of(enrolment, by):
        raise TransitionRefused(
            _("Alleen de mbo-instelling legt het akkoord van de school en de kandidaat vast."),
            code="role",
        )
    _refuse_unless_open(enrolment)
    if not enrolment.programme.exists():
        raise TransitionRefused(_("Het programma is nog leeg: stel het eerst samen."), code="rule")
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise TransitionRefused(
            _("De datum van het akkoord ligt niet in de toekomst."), code="rule"
        )
    name = f"programme_agreed_by_{party}"
    setattr(enrolment, name, on)
    enrolment.save(update_fields=[name, "updated_at"])
    logger.info("Enrolment %s: programme agreed by %s", enrolment.pk, party)
    return enrolment


@atomic_service
def vrijstelling_add(
    *,
    enrolment: Enrolment,
    by: Any,
    ground: str,
    granted_on: dt.date,
    werkproces: Werkproces | None = None,
    onderdeel: str = "",
    explanation: str = "",
) -> Vrijstelling:
    """The school ``by`` records a vrijstelling on a diploma route (a shortened route): for
    ``werkproces`` (one of the programme's) or ``onderdeel`` (text: a generic part or
    keuzedeel), on ``ground`` (``VrijstellingGround``) with ``explanation``, granted on
    ``granted_on`` (a date, not in the future). Raises ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    _refuse_unless_school(enrolment, by)
    _refuse_unless_open(enrolment)
    if enrolment.route != Route.DIPLOMA:
        raise TransitionRefused(
            _("Vrijstellingen horen bij een (verkorte) route naar een diploma."), code="rule"
        )
    if ground not in VrijstellingGround.values:
        raise TransitionRefused(_("Kies een grond voor de vrijstelling."), code="rule")
    onderdeel = onderdeel.strip()
    if (werkproces is None) == (not onderdeel):
        raise TransitionRefused(
            _("Noem één onderdeel: een werkproces van het programma, of een ander onderdeel."),
            code="rule",
        )
    if werkproces is not None and not enrolment.programme.filter(werkproces=werkproces).exists():
        raise TransitionRefused(_("Dit werkproces staat niet in het programma."), code="rule")
    if granted_on > timezone.localdate():
        raise TransitionRefused(
            _("De datum van de vrijstelling ligt niet in de toekomst."), code="rule"
        )
    vrijstelling = Vrijstelling.objects.create(
        enrolment=enrolment,
        werkproces=werkproces,
        onderdeel=onderdeel,
        ground=ground,
        explanation=explanation.strip(),
        granted_on=granted_on,
        created_by=by,
    )
    logger.info(
        "Enrolment %s: vrijstelling %s recorded (%s)", enrolment.pk, vrijstelling.pk, ground
    )
    return vrijstelling
