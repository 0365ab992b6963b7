"""The erkenningen import: SBB's list of erkenningen, as a CSV file, into ``Erkenning``
(``manage.py import_erkenningen <file>`` and the admin's "Importeren uit CSV"; the columns and
the rules are documented in ``docs/import-erkenningen.md``).

It follows the reference importers (``praktijkleren.importing``): every row is validated and
each bad row is reported as ``<file>:<line>: <reason>``; one bad row refuses the whole file
unless ``skip_invalid``; everything is written in one transaction, matched on the natural key
(leerbedrijf, kwalificatie, leerweg, geldig_van), and a row equal to the stored one (its end
date and its set of werkprocessen) is not written, so a second run changes nothing.

The file is SBB's complete current list **for the leerbedrijven it names**: an erkenning of
such a leerbedrijf that is current today or starts later and is absent from the file has ended.
A current one gets ``geldig_tot`` = yesterday (kept, as history); one that has not started yet
(or starts today) is withdrawn (deleted). Leerbedrijven the file does not name are left alone,
and so are those with a bad row that was skipped.

Safety: when the run would end more than ``max_ending_share`` (a fraction; default
``settings.ERKENNINGEN_MAX_ENDING_SHARE``) of all erkenningen that are current today, it is
refused and nothing is written (``ErkenningenRefused``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from leerbedrijven.models import Erkenning, Leerbedrijf
from leerbedrijven.selectors import closing_today, erkenningen_current
from opleidingen.constants import Leerweg
from opleidingen.models import Kwalificatie
from opleidingen.selectors import werkproces_codes_of
from praktijkleren.importing import RowErrors, read_csv

REQUIRED = ("sbb_leerbedrijf_id", "crebo", "leerweg", "geldig_van", "geldig_tot")
OPTIONAL = ("kvk_nummer", "werkprocessen")
COLUMNS = (
    "sbb_leerbedrijf_id",
    "kvk_nummer",
    "crebo",
    "leerweg",
    "geldig_van",
    "geldig_tot",
    "werkprocessen",
)
SBB_ID = re.compile(r"^[0-9]{9}$")
KVK = re.compile(r"^[0-9]{8}$")
CREBO = re.compile(r"^[0-9]{5}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# How many changes the admin's preview lists (the counts are always complete).
PREVIEW_LIMIT = 200

Key = tuple[int, int, str, dt.date]


@dataclass(frozen=True)
class ErkenningRow:
    """One valid row: the leerbedrijf and kwalificatie it names, leerweg, period and the ids of
    the werkprocessen it covers (empty: not known)."""

    line: int
    leerbedrijf: Leerbedrijf
    kwalificatie: Kwalificatie
    leerweg: str
    geldig_van: dt.date
    geldig_tot: dt.date | None
    werkprocessen: frozenset[int]

    @property
    def key(self) -> Key:
        return (self.leerbedrijf.pk, self.kwalificatie.pk, self.leerweg, self.geldig_van)


@dataclass(frozen=True)
class Change:
    """One line of the preview: what happens (``kind``: nieuw, bijgewerkt, beëindigd,
    ingetrokken), to which leerbedrijf and kwalificatie, and how (Dutch text)."""

    kind: str
    leerbedrijf: str
    kwalificatie: str
    leerweg: str
    detail: str


@dataclass
class ErkenningenPlan:
    """What a run would do, computed without writing: the valid ``rows``, the bad rows
    (``errors``), which rows are new, changed or unchanged, which stored erkenningen end or are
    withdrawn, and the numbers for the safety threshold (``ending`` of ``current``)."""

    file: str
    today: dt.date
    errors: RowErrors = field(default_factory=RowErrors)
    rows: list[ErkenningRow] = field(default_factory=list)
    to_create: list[ErkenningRow] = field(default_factory=list)
    to_update: list[tuple[Erkenning, ErkenningRow]] = field(default_factory=list)
    unchanged: int = 0
    to_end: list[Erkenning] = field(default_factory=list)
    to_withdraw: list[Erkenning] = field(default_factory=list)
    # Current erkenningen (valid today) that are not valid today after the run.
    ending: int = 0
    # Every erkenning valid today, before the run.
    current: int = 0
    changes: list[Change] = field(default_factory=list)
    stored_werkprocessen: dict[int, frozenset[int]] = field(default_factory=dict)

    @property
    def ending_share(self) -> float:
        """``ending / current`` (0 when nothing is current)."""
        return self.ending / self.current if self.current else 0.0

    def refuses(self, max_ending_share: float) -> bool:
        """True when the run would end more than ``max_ending_share`` of the current ones."""
        return self.ending_share > max_ending_share

    def result(self, *, written: bool) -> ErkenningenResult:
        return ErkenningenResult(
            created=len(self.to_create),
            updated=len(self.to_update),
            unchanged=self.unchanged,
            skipped=len(self.errors),
            ended=len(self.to_end),
            withdrawn=len(self.to_withdraw),
            ending=self.ending,
            current=self.current,
            written=written,
            errors=list(self.errors),
        )


@dataclass
class ErkenningenResult:
    """The counts of one run: rows created, updated, unchanged and skipped (bad), stored
    erkenningen ended and withdrawn, and ``ending`` of ``current`` for the threshold;
    ``written`` is False for a dry run."""

    created: int
    updated: int
    unchanged: int
    skipped: int
    ended: int
    withdrawn: int
    ending: int
    current: int
    written: bool
    errors: list = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped; {self.ended} ended, {self.withdrawn} withdrawn "
            f"({self.ending} of {self.current} current erkenningen end)"
        )


class ErkenningenRefused(Exception):
    """The run was refused and nothing was written: bad rows (``errors``) without
    ``skip_invalid``, or more current erkenningen would end than allowed (``plan`` holds the
    numbers; ``threshold`` is True)."""

    def __init__(self, message: str, *, plan: ErkenningenPlan, threshold: bool = False):
        super().__init__(message)
        self.plan = plan
        self.threshold = threshold


_STRUCTURE = (
    (re.compile(r"^missing column\(s\): (.*)$"), "ontbrekende kolom(men): {0}"),
    (re.compile(r"^expected (\d+) fields, found (\d+)$"), "{0} velden verwacht, {1} gevonden"),
)


def _dutch(reason: str) -> str:
    """``read_csv``'s English reasons about the file's structure, in Dutch."""
    for pattern, text in _STRUCTURE:
        match = pattern.match(reason)
        if match:
            return text.format(*match.groups())
    return reason


def _date(value: str, column: str) -> dt.date:
    if not DATE.match(value):
        raise ValueError(f"{column} {value!r} is geen datum JJJJ-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} {value!r} bestaat niet") from None


@dataclass
class _Lookups:
    leerbedrijven: dict[str, list[Leerbedrijf]]
    kwalificaties: dict[str, Kwalificatie]
    werkprocessen: dict[int, dict[str, int]]


def _lookups(raw_rows: list[tuple[int, dict[str, str]]]) -> _Lookups:
    """The leerbedrijven, kwalificaties and werkprocessen the file names: three queries."""
    sbb_ids = {raw.get("sbb_leerbedrijf_id", "").strip() for _line, raw in raw_rows}
    crebos = {raw.get("crebo", "").strip() for _line, raw in raw_rows}
    leerbedrijven: dict[str, list[Leerbedrijf]] = defaultdict(list)
    for leerbedrijf in Leerbedrijf.objects.filter(sbb_leerbedrijf_id__in=sbb_ids - {""}):
        leerbedrijven[leerbedrijf.sbb_leerbedrijf_id].append(leerbedrijf)
    kwalificaties = {k.crebo: k for k in Kwalificatie.objects.filter(crebo__in=crebos)}
    return _Lookups(
        leerbedrijven=leerbedrijven,
        kwalificaties=kwalificaties,
        werkprocessen=werkproces_codes_of(kwalificaties=kwalificaties.values()),
    )


def _row(line: int, raw: dict[str, str], lookups: _Lookups) -> ErkenningRow:
    """One validated row; raises ``ValueError`` with the Dutch reason."""
    sbb_id = raw["sbb_leerbedrijf_id"].strip()
    if not SBB_ID.match(sbb_id):
        raise ValueError(f"sbb_leerbedrijf_id {sbb_id!r} is geen nummer van 9 cijfers")
    found = lookups.leerbedrijven.get(sbb_id, [])
    if not found:
        raise ValueError(f"geen leerbedrijf met sbb_leerbedrijf_id {sbb_id}")
    if len(found) > 1:
        raise ValueError(f"meer dan één leerbedrijf met sbb_leerbedrijf_id {sbb_id}")
    leerbedrijf = found[0]
    kvk = raw.get("kvk_nummer", "").strip()
    if kvk and not KVK.match(kvk):
        raise ValueError(f"kvk_nummer {kvk!r} is geen nummer van 8 cijfers")
    if kvk and kvk != leerbedrijf.kvk_nummer:
        raise ValueError(
            f"kvk_nummer {kvk} hoort niet bij leerbedrijf {sbb_id} (KvK {leerbedrijf.kvk_nummer})"
        )
    crebo = raw["crebo"].strip()
    if not CREBO.match(crebo):
        raise ValueError(f"crebo {crebo!r} is geen code van 5 cijfers")
    kwalificatie = lookups.kwalificaties.get(crebo)
    if kwalificatie is None:
        raise ValueError(f"onbekende kwalificatie (crebo {crebo})")
    leerweg = raw["leerweg"].strip().upper()
    if leerweg not in Leerweg.values:
        raise ValueError(f"leerweg {raw['leerweg'].strip()!r} is niet BBL of BOL")
    geldig_van = _date(raw["geldig_van"].strip(), "geldig_van")
    tot_text = raw["geldig_tot"].strip()
    geldig_tot = _date(tot_text, "geldig_tot") if tot_text else None
    if geldig_tot is not None and geldig_tot < geldig_van:
        raise ValueError(f"geldig_tot {geldig_tot} ligt vóór geldig_van {geldig_van}")
    codes = [c.strip() for c in raw.get("werkprocessen", "").split(";") if c.strip()]
    known = lookups.werkprocessen.get(kwalificatie.pk, {})
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"onbekend(e) werkproces(sen) voor crebo {crebo}: {', '.join(unknown)}")
    return ErkenningRow(
        line=line,
        leerbedrijf=leerbedrijf,
        kwalificatie=kwalificatie,
        leerweg=leerweg,
        geldig_van=geldig_van,
        geldig_tot=geldig_tot,
        werkprocessen=frozenset(known[c] for c in codes),
    )


def _period(van: dt.date, tot: dt.date | None) -> str:
    return f"{van:%d-%m-%Y} – {tot:%d-%m-%Y}" if tot else f"{van:%d-%m-%Y} – " + _("onbepaald")


def _valid_on(van: dt.date, tot: dt.date | None, day: dt.date) -> bool:
    return van <= day and (tot is None or tot >= day)


def erkenningen_plan(*, path: Path, today: dt.date | None = None) -> ErkenningenPlan:
    """Read and validate the CSV at ``path`` and work out what an import would change on
    ``today`` (default today in Europe/Amsterdam), writing nothing. Locks the stored
    erkenningen of the leerbedrijven in scope when called inside a transaction."""
    today = today or closing_today()
    plan = ErkenningenPlan(file=path.name, today=today)
    structure = RowErrors()
    try:
        raw_rows = list(read_csv(path, required=REQUIRED, errors=structure))
    except UnicodeDecodeError:
        plan.errors.add(path.name, 1, _("het bestand is geen UTF-8-tekst"))
        return plan
    for error in structure:
        plan.errors.add(error.file, error.line, _dutch(error.reason))
    lookups = _lookups(raw_rows)
    seen: dict[Key, int] = {}
    with_bad_rows: set[int] = set()
    for line, raw in raw_rows:
        try:
            row = _row(line, raw, lookups)
            if row.key in seen:
                raise ValueError(
                    f"dezelfde erkenning (leerbedrijf, crebo, leerweg, geldig_van) staat al "
                    f"op regel {seen[row.key]}"
                )
        except ValueError as exc:
            plan.errors.add(path.name, line, str(exc))
            for leerbedrijf in lookups.leerbedrijven.get(
                raw.get("sbb_leerbedrijf_id", "").strip(), []
            ):
                with_bad_rows.add(leerbedrijf.pk)
            continue
        seen[row.key] = line
        plan.rows.append(row)

    plan.current = erkenningen_current(today=today).count()
    scope = {row.leerbedrijf.pk for row in plan.rows}
    stored = list(
        Erkenning.objects.select_for_update()
        .filter(leerbedrijf_id__in=scope)
        .select_related("leerbedrijf", "kwalificatie")
        .order_by("pk")
    )
    werkprocessen: dict[int, set[int]] = defaultdict(set)
    through = Erkenning.werkprocessen.through
    for erkenning_id, werkproces_id in through.objects.filter(
        erkenning_id__in=[e.pk for e in stored]
    ).values_list("erkenning_id", "werkproces_id"):
        werkprocessen[erkenning_id].add(werkproces_id)
    plan.stored_werkprocessen = {e.pk: frozenset(werkprocessen[e.pk]) for e in stored}
    by_key = {(e.leerbedrijf_id, e.kwalificatie_id, e.leerweg, e.geldig_van): e for e in stored}

    for row in plan.rows:
        erkenning = by_key.pop(row.key, None)
        label = (row.leerbedrijf.naam, str(row.kwalificatie), row.leerweg)
        if erkenning is None:
            plan.to_create.append(row)
            plan.changes.append(Change(_("nieuw"), *label, _period(row.geldig_van, row.geldig_tot)))
            continue
        old_wp = plan.stored_werkprocessen[erkenning.pk]
        if erkenning.geldig_tot == row.geldig_tot and old_wp == row.werkprocessen:
            plan.unchanged += 1
            continue
        plan.to_update.append((erkenning, row))
        details = []
        if erkenning.geldig_tot != row.geldig_tot:
            details.append(
                _("geldig tot %(oud)s → %(nieuw)s")
                % {
                    "oud": f"{erkenning.geldig_tot:%d-%m-%Y}"
                    if erkenning.geldig_tot
                    else _("onbepaald"),
                    "nieuw": f"{row.geldig_tot:%d-%m-%Y}" if row.geldig_tot else _("onbepaald"),
                }
            )
            was = _valid_on(erkenning.geldig_van, erkenning.geldig_tot, today)
            if was and not _valid_on(row.geldig_van, row.geldig_tot, today):
                plan.ending += 1
        if old_wp != row.werkprocessen:
            details.append(
                _("werkprocessen: %(oud)d → %(nieuw)d")
                % {"oud": len(old_wp), "nieuw": len(row.werkprocessen)}
            )
        plan.changes.append(Change(_("bijgewerkt"), *label, "; ".join(details)))

    for erkenning in by_key.values():  # stored, in scope, absent from the file
        if erkenning.leerbedrijf_id in with_bad_rows:
            continue
        if erkenning.geldig_tot is not None and erkenning.geldig_tot < today:
            continue  # ended before: history
        label = (erkenning.leerbedrijf.naam, str(erkenning.kwalificatie), erkenning.leerweg)
        if _valid_on(erkenning.geldig_van, erkenning.geldig_tot, today):
            plan.ending += 1
        if erkenning.geldig_van < today:
            plan.to_end.append(erkenning)
            yesterday = today - dt.timedelta(days=1)
            plan.changes.append(
                Change(
                    _("beëindigd"),
                    *label,
                    _("niet meer in het bestand: geldig tot %(datum)s")
                    % {"datum": f"{yesterday:%d-%m-%Y}"},
                )
            )
        else:
            plan.to_withdraw.append(erkenning)
            plan.changes.append(
                Change(
                    _("ingetrokken"),
                    *label,
                    _("niet meer in het bestand; begon nog niet (%(periode)s)")
                    % {"periode": _period(erkenning.geldig_van, erkenning.geldig_tot)},
                )
            )
    return plan


def _write(plan: ErkenningenPlan) -> None:
    """Write ``plan``: create, update, end and withdraw (inside the caller's transaction)."""
    through = Erkenning.werkprocessen.through
    created = Erkenning.objects.bulk_create(
        [
            Erkenning(
                leerbedrijf=row.leerbedrijf,
                kwalificatie=row.kwalificatie,
                leerweg=row.leerweg,
                geldig_van=row.geldig_van,
                geldig_tot=row.geldig_tot,
            )
            for row in plan.to_create
        ]
    )
    links = [
        through(erkenning_id=erkenning.pk, werkproces_id=wp)
        for erkenning, row in zip(created, plan.to_create, strict=True)
        for wp in sorted(row.werkprocessen)
    ]
    changed_wp = [
        (erkenning, row)
        for erkenning, row in plan.to_update
        if plan.stored_werkprocessen[erkenning.pk] != row.werkprocessen
    ]
    through.objects.filter(erkenning_id__in=[e.pk for e, _row in changed_wp]).delete()
    links += [
        through(erkenning_id=erkenning.pk, werkproces_id=wp)
        for erkenning, row in changed_wp
        for wp in sorted(row.werkprocessen)
    ]
    through.objects.bulk_create(links)
    for erkenning, row in plan.to_update:
        erkenning.geldig_tot = row.geldig_tot
    yesterday = plan.today - dt.timedelta(days=1)
    for erkenning in plan.to_end:
        erkenning.geldig_tot = yesterday
    Erkenning.objects.bulk_update(
        [e for e, _row in plan.to_update] + plan.to_end, ["geldig_tot"], batch_size=1000
    )
    Erkenning.objects.filter(pk__in=[e.pk for e in plan.to_withdraw]).delete()


def _bad_rows_message(plan: ErkenningenPlan) -> str:
    return (
        _("%(n)d ongeldige regel(s); er is niets opgeslagen.") % {"n": len(plan.errors)}
        + "\n"
        + "\n".join(str(error) for error in plan.errors)
    )


def _threshold_message(plan: ErkenningenPlan, max_ending_share: float) -> str:
    return _(
        "Geweigerd: deze import zou %(ending)d van de %(current)d huidige erkenningen "
        "beëindigen (%(share).1f%%), meer dan de grens van %(max).1f%%. Er is niets opgeslagen."
    ) % {
        "ending": plan.ending,
        "current": plan.current,
        "share": plan.ending_share * 100,
        "max": max_ending_share * 100,
    }


def erkenningen_import(
    *,
    path: Path,
    skip_invalid: bool = False,
    max_ending_share: float | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> tuple[ErkenningenResult, ErkenningenPlan]:
    """Import the erkenningen CSV at ``path`` (columns: ``docs/import-erkenningen.md``) in one
    transaction, as of ``today`` (default today in Europe/Amsterdam).

    Raises ``ErkenningenRefused`` (nothing written) when a row is bad and ``skip_invalid`` is
    False, or when more than ``max_ending_share`` (a fraction 0–1; default
    ``settings.ERKENNINGEN_MAX_ENDING_SHARE``) of the erkenningen current today would end.
    With ``dry_run`` nothing is written either, and the plan tells what would change. Returns
    the counts and the plan (its ``changes`` list what changed, for a preview).
    """
    if max_ending_share is None:
        max_ending_share = settings.ERKENNINGEN_MAX_ENDING_SHARE
    with transaction.atomic():
        plan = erkenningen_plan(path=path, today=today)
        if plan.errors and not skip_invalid:
            raise ErkenningenRefused(_bad_rows_message(plan), plan=plan)
        if plan.refuses(max_ending_share):
            raise ErkenningenRefused(
                _threshold_message(plan, max_ending_share), plan=plan, threshold=True
            )
        if not dry_run:
            _write(plan)
    return plan.result(written=not dry_run), plan


def erkenningen_import_bytes(
    *, name: str, content: bytes, **options
) -> tuple[ErkenningenResult, ErkenningenPlan]:
    """``erkenningen_import`` for an uploaded file: ``content`` saved under its base ``name``
    in a temporary directory (so the rows are reported as ``<name>:<line>``)."""
    safe = Path(name).name or "erkenningen.csv"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / safe
        path.write_bytes(content)
        return erkenningen_import(path=path, **options)


def erkenningen_csv(*, queryset=None) -> str:
    """The erkenningen of ``queryset`` (default all) as CSV text in the import's format
    (``COLUMNS``; werkprocessen as codes separated by ``;``), ordered by SBB id, crebo,
    leerweg and start. Leerbedrijven without an SBB id are left out: the import cannot name
    them. Two queries."""
    queryset = Erkenning.objects.all() if queryset is None else queryset
    rows = (
        queryset.exclude(leerbedrijf__sbb_leerbedrijf_id="")
        .select_related("leerbedrijf", "kwalificatie")
        .prefetch_related("werkprocessen")
        .order_by("leerbedrijf__sbb_leerbedrijf_id", "kwalificatie__crebo", "leerweg", "geldig_van")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in rows:
        writer.writerow(
            [
                e.leerbedrijf.sbb_leerbedrijf_id,
                e.leerbedrijf.kvk_nummer,
                e.kwalificatie.crebo,
                e.leerweg,
                e.geldig_van.isoformat(),
                e.geldig_tot.isoformat() if e.geldig_tot else "",
                ";".join(sorted(w.code for w in e.werkprocessen.all())),
            ]
        )
    return out.getvalue()
