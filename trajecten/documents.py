"""The praktijkverklaring (part of the mbo-verklaring): issuing it, its frozen content, its PDF
and its public verification.

Domain primer, 'Documents and contracts': the examencommissie of the school issues the
mbo-verklaring; in its praktijkverklaring part the praktijkopleider of the erkend leerbedrijf
states which werkprocessen the candidate can carry out (WEB art. 7.4.6a; national model:
Regeling modellen mbo-diploma, mbo-certificaat en mbo-verklaring). The data printed is frozen in
``Praktijkverklaring.content`` at issue: the PDF and the verification page show exactly that,
and never the BSN, contact details or an address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import logging
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opleidingen.constants import Route
from opleidingen.models import Kwalificatie, Werkproces
from praktijkleren.workflow import TransitionRefused, atomic_service
from trajecten.constants import EnrolmentStatus, ProgrammeItemKind
from trajecten.models import (
    Enrolment,
    Praktijkverklaring,
    ProgrammeItem,
    is_consultant_of_enrolment,
    is_school_of,
)
from trajecten.notify import praktijkverklaring_notify
from trajecten.services import enrolment_lock

logger = logging.getLogger(__name__)

# The check code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
CHECK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_CODE_LENGTH = 8
MAX_SIGNATORIES = 3
ISSUABLE_STATUSES = (EnrolmentStatus.GESTART, EnrolmentStatus.AFGEROND)
NO_CODE = "—"
PDF_CSS = Path(__file__).resolve().parent / "pdf" / "praktijkverklaring.css"


def check_code_new() -> str:
    """A new check code: ``CHECK_CODE_LENGTH`` characters of ``CHECK_CODE_ALPHABET``, drawn
    with ``secrets`` (about 40 bits)."""
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH))


def _confirmed_werkprocessen(enrolment: Enrolment) -> QuerySet[ProgrammeItem]:
    return (
        ProgrammeItem.objects.filter(
            enrolment=enrolment,
            kind=ProgrammeItemKind.WERKPROCES,
            werkproces__isnull=False,
            confirmed_on__isnull=False,
        )
        .select_related("werkproces__kerntaak__kwalificatie", "werkproces__kerntaak__dossier")
        .order_by(
            "werkproces__kerntaak__code",
            "werkproces__kerntaak__position",
            "werkproces__code",
            "werkproces__position",
            "pk",
        )
    )


def praktijkverklaring_refusal(*, enrolment: Enrolment, by: Any) -> str | None:
    """Why ``by`` may not issue the praktijkverklaring of ``enrolment`` now (a Dutch sentence),
    or None when they may: only a user of the enrolment's school, for an enrolment on the
    praktijkverklaring route at a leerbedrijf that is gestart or afgerond, with at least one
    confirmed werkproces, and once per enrolment."""
    if not is_school_of(enrolment, by):
        return _("Alleen de mbo-instelling van deze inschrijving geeft de praktijkverklaring uit.")
    if enrolment.route != Route.PRAKTIJKVERKLARING:
        return _("Deze inschrijving volgt niet de route praktijkverklaring.")
    if enrolment.status not in ISSUABLE_STATUSES:
        return _(
            "Een praktijkverklaring geeft u uit voor een gestarte of afgeronde inschrijving; "
            "deze heeft de status ‘%(status)s’."
        ) % {"status": enrolment.get_status_display()}
    if enrolment.leerbaan_id is None:
        return _("Deze inschrijving heeft geen leerbaan bij een leerbedrijf.")
    issued = Praktijkverklaring.objects.filter(enrolment=enrolment).first()
    if issued is not None:
        return _("Voor deze inschrijving is al een praktijkverklaring uitgegeven (%(number)s).") % {
            "number": issued.number
        }
    if not _confirmed_werkprocessen(enrolment).exists():
        return _(
            "Er is nog geen werkproces bevestigd: de praktijkverklaring noemt alleen bevestigde "
            "werkprocessen."
        )
    return None


@dataclasses.dataclass(frozen=True)
class Panel:
    """The praktijkverklaring on the enrolment's page: the issued ``verklaring`` (or None),
    whether the viewer may issue it now (``may_issue``) or why not (``refusal``, for the
    school), and whether the viewer may download it (``may_download``)."""

    verklaring: Praktijkverklaring | None
    may_issue: bool
    refusal: str
    may_download: bool


def praktijkverklaring_panel(*, enrolment: Enrolment, user: Any) -> Panel | None:
    """What the enrolment's page shows of its praktijkverklaring to ``user``: for the school and
    the consultants of the candidate's organisation, when the enrolment is on the
    praktijkverklaring route or has one; None otherwise (the werkgever sees none)."""
    school = is_school_of(enrolment, user)
    if not (school or is_consultant_of_enrolment(enrolment, user)):
        return None
    verklaring = Praktijkverklaring.objects.filter(enrolment=enrolment).first()
    if verklaring is None and enrolment.route != Route.PRAKTIJKVERKLARING:
        return None
    refusal = praktijkverklaring_refusal(enrolment=enrolment, by=user) if school else None
    return Panel(
        verklaring=verklaring,
        may_issue=school and refusal is None,
        refusal=(refusal or "") if verklaring is None else "",
        may_download=verklaring is not None,
    )


@atomic_service
def praktijkverklaring_issue(
    *, enrolment: Enrolment, by: Any, examencommissie: str, signatories: list[str]
) -> Praktijkverklaring:
    """The school's user ``by`` issues the praktijkverklaring of ``enrolment`` on behalf of its
    ``examencommissie`` (name), signed by ``signatories`` (1–3 names).

    Locks the enrolment (``enrolment_lock``) and refuses (``TransitionRefused``, Dutch) what
    ``praktijkverklaring_refusal`` names, and empty or too many signatories. The document gets a
    unique number ``PV-<year>-<row id, at least 6 digits>`` (taken from the row's id inside this
    transaction, so concurrent issues never share one), a check code (``check_code_new``) and
    its content frozen (``praktijkverklaring_content``). The enrolment's ``outcome_date``
    becomes the issue date; the candidate's consultant and the school are told
    (``trajecten.notify.praktijkverklaring_notify``). Returns the new ``Praktijkverklaring``.
    """
    enrolment = enrolment_lock(enrolment=enrolment)
    refusal = praktijkverklaring_refusal(enrolment=enrolment, by=by)
    if refusal is not None:
        code = "role" if not is_school_of(enrolment, by) else "rule"
        raise TransitionRefused(refusal, code=code)
    examencommissie = examencommissie.strip()
    signatories = [name.strip() for name in signatories if name and name.strip()]
    if not examencommissie:
        raise TransitionRefused(_("Vul de naam van de examencommissie in."), code="rule")
    if not 1 <= len(signatories) <= MAX_SIGNATORIES:
        raise TransitionRefused(
            _("Noem één tot %(max)d ondertekenaars.") % {"max": MAX_SIGNATORIES}, code="rule"
        )
    today = timezone.localdate()
    verklaring = Praktijkverklaring.objects.create(
        enrolment=enrolment,
        number=f"PV-tmp-{secrets.token_hex(6)}",
        check_code=check_code_new(),
        issued_on=today,
        issued_by=by,
        content={},
    )
    verklaring.number = f"PV-{today.year}-{verklaring.pk:06d}"
    verklaring.content = praktijkverklaring_content(
        enrolment=enrolment,
        number=verklaring.number,
        issued_on=today,
        examencommissie=examencommissie,
        signatories=signatories,
    )
    verklaring.save(update_fields=["number", "content"])
    enrolment.outcome_date = today
    enrolment.save(update_fields=["outcome_date", "updated_at"])
    praktijkverklaring_notify(enrolment=enrolment, verklaring=verklaring, by=by)
    logger.info(
        "Praktijkverklaring %s issued for enrolment %s (%d werkprocessen)",
        verklaring.pk,
        enrolment.pk,
        sum(len(k["werkprocessen"]) for k in verklaring.content["kwalificaties"]),
    )
    return verklaring


def _kwalificatie_of(werkproces: Werkproces, enrolment: Enrolment) -> Kwalificatie | None:
    """The kwalificatie a werkproces is printed under: its profiel kerntaak's kwalificatie; for a
    basisdeel werkproces the enrolment's kwalificatie when it shares the dossier, else the
    dossier's first current kwalificatie (by crebo)."""
    kerntaak = werkproces.kerntaak
    if kerntaak.kwalificatie_id is not None:
        return kerntaak.kwalificatie
    if enrolment.kwalificatie.dossier_id == kerntaak.dossier_id:
        return enrolment.kwalificatie
    return kerntaak.dossier.kwalificaties.order_by("-is_current", "crebo").first()


def _completion_date(enrolment: Enrolment) -> dt.date | None:
    log = enrolment.transitions.filter(transition="complete").order_by("-at", "-pk").first()
    return timezone.localdate(log.at) if log is not None else None


def praktijkverklaring_content(
    *,
    enrolment: Enrolment,
    number: str,
    issued_on: dt.date,
    examencommissie: str,
    signatories: list[str],
) -> dict[str, Any]:
    """The document's data, as JSON (dates as ISO strings), frozen at issue:

    ``number``, ``issued_on``; ``candidate`` (``name``, ``birth_date``, ``birth_place``);
    ``leerbedrijf`` (``name``, ``sbb_id``, ``place`` of the leerbaan's vestiging);
    ``praktijkopleider`` (name or ""); ``period`` (``start``: the start date; ``end``: the
    completion date of an afgerond enrolment, else the latest confirmation);
    ``kwalificaties``: per kwalificatie (``crebo``, ``name``, ``niveau``) its confirmed
    ``werkprocessen`` (``code``, "—" when the source has none; ``title``; ``confirmed_on``);
    ``school`` (``name``, ``brin``); ``examencommissie``; ``signatories`` (names).
    Never the BSN, contact details or an address.
    """
    candidate = enrolment.candidate
    leerbaan = enrolment.leerbaan
    assert leerbaan is not None
    assert enrolment.instelling is not None
    vestiging = leerbaan.vestiging
    groups: dict[str, dict[str, Any]] = {}
    confirmed: list[dt.date] = []
    for item in _confirmed_werkprocessen(enrolment):
        werkproces = item.werkproces
        assert werkproces is not None
        assert item.confirmed_on is not None
        kwalificatie = _kwalificatie_of(werkproces, enrolment)
        key = kwalificatie.crebo if kwalificatie else ""
        group = groups.setdefault(
            key,
            {
                "crebo": kwalificatie.crebo if kwalificatie else "",
                "name": kwalificatie.naam if kwalificatie else werkproces.kerntaak.dossier.naam,
                "niveau": kwalificatie.niveau if kwalificatie else None,
                "werkprocessen": [],
            },
        )
        group["werkprocessen"].append(
            {
                "code": werkproces.code or NO_CODE,
                "title": werkproces.titel,
                "confirmed_on": item.confirmed_on.isoformat(),
            }
        )
        confirmed.append(item.confirmed_on)
    completed = (
        _completion_date(enrolment) if enrolment.status == EnrolmentStatus.AFGEROND else None
    )
    end = completed or max(confirmed)
    praktijkopleider = leerbaan.praktijkopleider
    return {
        "number": number,
        "issued_on": issued_on.isoformat(),
        "candidate": {
            "name": str(candidate),
            "birth_date": candidate.birth_date.isoformat() if candidate.birth_date else "",
            "birth_place": candidate.birth_place,
        },
        "leerbedrijf": {
            "name": leerbaan.leerbedrijf.naam,
            "sbb_id": leerbaan.leerbedrijf.sbb_leerbedrijf_id,
            "place": vestiging.plaats or vestiging.postcode.woonplaats,
        },
        "praktijkopleider": praktijkopleider.naam if praktijkopleider else "",
        "period": {
            "start": enrolment.start_date.isoformat() if enrolment.start_date else "",
            "end": end.isoformat(),
        },
        "kwalificaties": sorted(groups.values(), key=lambda g: g["crebo"]),
        "school": {"name": enrolment.instelling.naam, "brin": enrolment.instelling.brin},
        "examencommissie": examencommissie,
        "signatories": signatories,
    }


# --- reading the frozen content ----------------------------------------------------------------


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclasses.dataclass(frozen=True)
class Document:
    """The praktijkverklaring as the PDF and the verification page show it: ``content`` with
    its ISO dates read back as dates (``issued_on``, ``birth_date``, ``period_start``,
    ``period_end``, and each werkproces's ``confirmed_on``), plus ``check_code`` (the PDF only)
    and ``verify_url`` (the portal's verification page)."""

    number: str
    issued_on: dt.date | None
    candidate: dict[str, Any]
    birth_date: dt.date | None
    leerbedrijf: dict[str, Any]
    praktijkopleider: str
    period_start: dt.date | None
    period_end: dt.date | None
    kwalificaties: list[dict[str, Any]]
    school: dict[str, Any]
    examencommissie: str
    signatories: list[str]
    check_code: str
    verify_url: str


def verify_url() -> str:
    """The public verification page on the portal's public address (``settings.PORTAL_URL``)."""
    return settings.PORTAL_URL.rstrip("/") + reverse("trajecten:verify")


def praktijkverklaring_document(verklaring: Praktijkverklaring) -> Document:
    """``verklaring``'s frozen content as a ``Document`` (see there)."""
    content = verklaring.content
    kwalificaties = [
        {
            **group,
            "werkprocessen": [
                {**w, "confirmed_on": _date(w["confirmed_on"])} for w in group["werkprocessen"]
            ],
        }
        for group in content["kwalificaties"]
    ]
    return Document(
        number=content["number"],
        issued_on=_date(content["issued_on"]),
        candidate=content["candidate"],
        birth_date=_date(content["candidate"]["birth_date"]),
        leerbedrijf=content["leerbedrijf"],
        praktijkopleider=content["praktijkopleider"],
        period_start=_date(content["period"]["start"]),
        period_end=_date(content["period"]["end"]),
        kwalificaties=kwalificaties,
        school=content["school"],
        examencommissie=content["examencommissie"],
        signatories=content["signatories"],
        check_code=verklaring.check_code,
        verify_url=verify_url(),
    )


def praktijkverklaring_pdf(verklaring: Praktijkverklaring) -> bytes:
    """The praktijkverklaring as an A4 PDF (WeasyPrint), laid out like the praktijkverklaring
    part of the national model of the mbo-verklaring, from its frozen content: template
    ``trajecten/praktijkverklaring_pdf.html`` with ``PDF_CSS``. Returns the PDF's bytes."""
    html = render_to_string(
        "trajecten/praktijkverklaring_pdf.html",
        {"document": praktijkverklaring_document(verklaring)},
    )
    return pdf_render(html, stylesheet=PDF_CSS)


def pdf_render(html: str, *, stylesheet: Path) -> bytes:
    """``html`` (a whole document) as a PDF with WeasyPrint and the CSS file ``stylesheet``
    (page size and margins in its ``@page``); returns the PDF's bytes. Used by the
    praktijkverklaring and the candidate's inzage (``trajecten.privacy``)."""
    import weasyprint  # type: ignore[import-untyped]  # heavy (Pango): loaded when needed

    css = weasyprint.CSS(filename=str(stylesheet))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css]
    )


def praktijkverklaring_verify(*, number: str, check_code: str) -> Praktijkverklaring | None:
    """The praktijkverklaring with document ``number`` whose check code is ``check_code``
    (compared in constant time, case-insensitive, spaces ignored), or None: an unknown number
    and a wrong code answer alike."""
    number = number.strip().upper()
    given = "".join(check_code.split()).upper()
    verklaring = Praktijkverklaring.objects.filter(number=number).first()
    # Compare even when the number is unknown, so both cases take the same time.
    expected = verklaring.check_code if verklaring is not None else "-" * CHECK_CODE_LENGTH
    matches = hmac.compare_digest(expected.encode(), given.encode())
    return verklaring if verklaring is not None and matches else None
