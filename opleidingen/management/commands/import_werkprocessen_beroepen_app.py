"""``manage.py import_werkprocessen_beroepen_app [data_dir] [--skip-invalid]``.

Reads ``<data_dir>/kerntaken_werkprocessen_beroepen-app_2024.json`` (shared/data/SOURCES.md §3):
a JSON array of objects ``{id, dossier, profiel, kerntaken: [{name, werkprocessen: [titel,
...]}], niveau?}`` with SBB's kerntaak and werkproces titles but no crebo and no codes. Run
``import_kwalificaties`` and ``import_kwalificatiedossiers`` first.

Each object is matched by name to a current kwalificatie (``is_current``): the ``profiel``,
whitespace-normalised and case-insensitive, must equal the name of exactly one current
kwalificatie, at the object's ``niveau`` where it gives one. Nothing is guessed: an object that
matches none or more than one, has no ``profiel``, an invalid ``niveau`` or no werkprocessen at
all (the source's test entries, e.g. ids 42, 63, 64, 65) is reported with the reason and
skipped. So is an object whose kwalificatie has no kwalificatiedossier, already has werkprocessen
from SBB's XML (coded data is never overwritten or mixed with codeless titles), or was matched by
an earlier object. Skips are reported, not refused: the file is known to contain such objects.

A matched object becomes profiel ``Kerntaak`` rows of that kwalificatie (its dossier, ``code``
empty, ``position`` 1, 2, ... in the file's order, ``bron`` = beroepen-app) with their
``Werkproces`` rows (``code`` empty, ``position`` 1, 2, ...). Titles are whitespace-normalised.
Rows are upserted by (kwalificatie, bron, position) and (kerntaak, position): a second run
changes nothing; rows no longer in the file are left alone. A file that is not a JSON array, or
an object whose fields have the wrong type, is a bad row (``<file>:<n>: ...``, ``n`` = the
object's 1-based position in the array) and refuses the run unless ``--skip-invalid``.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from opleidingen.constants import KerntaakDeel, WerkprocesBron
from opleidingen.models import Kerntaak, Kwalificatie, Werkproces
from praktijkleren.importing import (
    ReferenceImportCommand,
    RowErrors,
    UpsertResult,
    normalise_space,
    upsert,
)

FILE_NAME = "kerntaken_werkprocessen_beroepen-app_2024.json"
MAX_TITLE = 300
INVALID_NIVEAU = 0


@dataclass
class _Kerntaak:
    titel: str
    werkprocessen: list[str] = field(default_factory=list)


@dataclass
class _Profiel:
    """One valid object of the file: where it is (``n``, ``id``) and what it says."""

    n: int
    id: object
    profiel: str
    niveau: int | None
    kerntaken: list[_Kerntaak]

    def label(self) -> str:
        return f"{FILE_NAME}:{self.n}: id {self.id} ({self.profiel!r})"


def _name_key(value: str) -> str:
    """A name as compared: whitespace collapsed, case folded."""
    return normalise_space(value).casefold()


def _title(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"a title is not a string: {value!r}")
    titel = normalise_space(value)
    if len(titel) > MAX_TITLE:
        raise ValueError(f"title longer than {MAX_TITLE} characters: {titel[:40]!r}...")
    return titel


def _parse(n: int, obj: object) -> _Profiel:
    """An object of the file as a ``_Profiel``; ``ValueError`` when its shape is wrong."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    profiel = obj.get("profiel", "")
    if not isinstance(profiel, str):
        raise ValueError(f"profiel is not a string: {profiel!r}")
    kerntaken = obj.get("kerntaken", [])
    if not isinstance(kerntaken, list):
        raise ValueError("kerntaken is not a list")
    parsed = []
    for kerntaak in kerntaken:
        if not isinstance(kerntaak, dict) or not isinstance(kerntaak.get("werkprocessen"), list):
            raise ValueError("a kerntaak is not {name, werkprocessen: [...]}")
        titles = [_title(w) for w in kerntaak["werkprocessen"]]
        name = _title(kerntaak.get("name"))
        if not name:
            raise ValueError("a kerntaak has no name")
        parsed.append(_Kerntaak(name, [t for t in titles if t]))
    return _Profiel(
        n=n,
        id=obj.get("id"),
        profiel=normalise_space(profiel),
        niveau=_niveau(obj.get("niveau")),
        kerntaken=parsed,
    )


def _niveau(value: object) -> int | None:
    """The object's niveau: None when absent, ``INVALID_NIVEAU`` when not 1–4 (the source's
    test entries have such values: a reason to skip the object, not a bad row)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    return INVALID_NIVEAU


class _Matcher:
    """Current kwalificaties by normalised name, and which of them have SBB XML werkprocessen."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Kwalificatie]] = defaultdict(list)
        for k in Kwalificatie.objects.filter(is_current=True).order_by("crebo"):
            self.by_name[_name_key(k.naam)].append(k)
        xml = Kerntaak.objects.filter(bron=WerkprocesBron.SBB_XML, werkprocessen__isnull=False)
        self.xml_kwalificaties = set(
            xml.filter(deel=KerntaakDeel.PROFIEL).values_list("kwalificatie_id", flat=True)
        )
        self.xml_dossiers = set(
            xml.filter(deel=KerntaakDeel.BASIS).values_list("dossier_id", flat=True)
        )

    def skip_reason(self, p: _Profiel) -> str | None:
        """Why ``p`` cannot be imported, or None."""
        if not p.profiel:
            return "no profiel name"
        if p.niveau == INVALID_NIVEAU:
            return "niveau is not 1–4"
        if not any(k.werkprocessen for k in p.kerntaken):
            return "no werkprocessen"
        return None

    def match(self, p: _Profiel) -> tuple[Kwalificatie | None, str]:
        """The one current kwalificatie ``p`` names, or None and why not."""
        named = self.by_name.get(_name_key(p.profiel), [])
        found = [k for k in named if p.niveau is None or k.niveau == p.niveau]
        if len(found) == 1:
            return found[0], ""
        if not named:
            return None, "no current kwalificatie has this name"
        crebos = ", ".join(f"{k.crebo} (niveau {k.niveau or '–'})" for k in named)
        if not found:
            return None, f"no current kwalificatie with this name at niveau {p.niveau}: {crebos}"
        return None, f"ambiguous, {len(found)} current kwalificaties have this name: {crebos}"

    def has_xml(self, kwalificatie: Kwalificatie) -> bool:
        return (
            kwalificatie.pk in self.xml_kwalificaties
            or kwalificatie.dossier_id in self.xml_dossiers
        )


class Command(ReferenceImportCommand):
    help = "Load codeless kerntaken and werkprocessen (SBB titles) from the beroepen-app file."

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        path = data_dir / FILE_NAME
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            errors.add(FILE_NAME, exc.lineno, f"invalid JSON: {exc.msg}")
            return {}
        if not isinstance(data, list):
            errors.add(FILE_NAME, 1, "not a JSON array of objects")
            return {}
        matcher = _Matcher()
        matched: dict[int, tuple[Kwalificatie, _Profiel]] = {}
        skipped: list[str] = []
        for n, obj in enumerate(data, start=1):
            try:
                p = _parse(n, obj)
            except ValueError as exc:
                errors.add(FILE_NAME, n, f"object {n}: {exc}")
                continue
            reason = matcher.skip_reason(p)
            kwalificatie = None
            if reason is None:
                kwalificatie, reason = matcher.match(p)
            if kwalificatie is not None:
                if kwalificatie.dossier_id is None:
                    reason = f"kwalificatie {kwalificatie.crebo} has no kwalificatiedossier"
                elif matcher.has_xml(kwalificatie):
                    reason = f"kwalificatie {kwalificatie.crebo} has SBB XML werkprocessen"
                elif kwalificatie.pk in matched:
                    earlier = matched[kwalificatie.pk][1]
                    reason = f"kwalificatie {kwalificatie.crebo} already matched by id {earlier.id}"
                else:
                    matched[kwalificatie.pk] = (kwalificatie, p)
                    self.stdout.write(f"{p.label()}: matched {kwalificatie.crebo}")
                    continue
            skipped.append(f"{p.label()}: not matched, skipped: {reason}")
        for line in skipped:
            self.stdout.write(line)
        self.stdout.write(f"Beroepen-app: {len(matched)} matched, {len(skipped)} skipped")
        kerntaken, werkprocessen = self._rows(matched.values())
        kerntaak_result = upsert(
            model=Kerntaak, key=("kwalificatie_id", "bron", "position"), rows=kerntaken
        )
        kerntaak_result.skipped = len(skipped) + len(errors)
        ids = {
            (kwalificatie_id, position): pk
            for pk, kwalificatie_id, position in Kerntaak.objects.filter(
                bron=WerkprocesBron.BEROEPEN_APP, kwalificatie_id__in=list(matched)
            ).values_list("pk", "kwalificatie_id", "position")
        }
        for row in werkprocessen:
            row["kerntaak_id"] = ids[row.pop("kerntaak")]
        werkproces_result = upsert(
            model=Werkproces, key=("kerntaak_id", "position"), rows=werkprocessen
        )
        return {"Kerntaak": kerntaak_result, "Werkproces": werkproces_result}

    @staticmethod
    def _rows(
        matched: Any,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Kerntaak and werkproces rows (upsert dicts) of the matched objects; a werkproces row
        names its kerntaak as ``(kwalificatie id, position)``."""
        kerntaken: list[dict[str, Any]] = []
        werkprocessen: list[dict[str, Any]] = []
        for kwalificatie, p in matched:
            for position, kerntaak in enumerate(p.kerntaken, start=1):
                kerntaken.append(
                    {
                        "kwalificatie_id": kwalificatie.pk,
                        "bron": WerkprocesBron.BEROEPEN_APP.value,
                        "position": position,
                        "dossier_id": kwalificatie.dossier_id,
                        "deel": KerntaakDeel.PROFIEL.value,
                        "code": "",
                        "titel": kerntaak.titel,
                    }
                )
                werkprocessen += [
                    {
                        "kerntaak": (kwalificatie.pk, position),
                        "position": wp_position,
                        "code": "",
                        "titel": titel,
                    }
                    for wp_position, titel in enumerate(kerntaak.werkprocessen, start=1)
                ]
        return kerntaken, werkprocessen
