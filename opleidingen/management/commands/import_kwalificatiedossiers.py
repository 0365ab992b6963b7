"""``manage.py import_kwalificatiedossiers [data_dir] [--xml-dir DIR] [--skip-invalid]``.

Reads SBB's kwalificatiedossier XML export (``<data_dir>/sbb_kwalificatiedossiers_xml_2016/*.xml``
or every ``*.xml`` in ``--xml-dir``; format in shared/data/SOURCES.md §3) into ``Kerntaak`` and
``Werkproces``. Run ``import_kwalificaties`` first: dossiers and crebos are looked up, not made.

Codes follow SBB's numbering by the ``hoofdstuk`` attributes:

- basisdeel: kerntaak ``B1-K<k>``, werkproces ``B1-K<k>-W<w>``, linked to the dossier only;
- profiel ``<p>``: kerntaak ``P<p>-K<k>``, werkproces ``P<p>-K<k>-W<w>``, linked to the dossier
  and to the profiel's kwalificatie (its crebo in ``creboinformatie/crebo``).

The XML's ``dossiercrebo`` (e.g. 23183, the 2016 dossier) is matched to a ``Kwalificatiedossier``
with that code, or else to the dossier of the kwalificatie row with that crebo (the crebo list
maps 23183 to its current dossier 23285 "Pedagogisch werk", which is also the dossier of that
dossier's profiel crebos). A profiel crebo whose kwalificatie lies in another dossier is an error.
``omschrijving`` and ``resultaat`` hold the werkproces's general texts; the per-profiel additions
(``…perprofiel``) are not imported. Titles are stripped, not otherwise changed.
Errors name the XML file and the line of the offending element.
"""

import re
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from lxml import etree

from opleidingen.constants import KerntaakDeel
from opleidingen.models import Kerntaak, Kwalificatie, Kwalificatiedossier, Werkproces
from praktijkleren.importing import ReferenceImportCommand, RowErrors, UpsertResult, upsert

XML_SUBDIR = "sbb_kwalificatiedossiers_xml_2016"
CREBO = re.compile(r"^[0-9]{5}$")
# No DTDs, entities or network: the files are data, not documents to be expanded.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class _Dossier:
    """Turns one ``<dossier>`` element into kerntaak and werkproces rows; errors to ``errors``."""

    def __init__(
        self,
        *,
        file: str,
        errors: RowErrors,
        lookup: "_Lookup",
        seen: dict[tuple[int, str], str],
    ) -> None:
        self.file, self.errors, self.lookup, self.seen = file, errors, lookup, seen
        self.kerntaken: list[dict[str, Any]] = []
        self.werkprocessen: list[dict[str, Any]] = []

    def first(self, element: etree._Element, dossier_id: int, code: str) -> bool:
        """True if ``code`` is new in its dossier (over all files), else an error."""
        where = self.seen.setdefault((dossier_id, code), f"{self.file}:{element.sourceline}")
        if where != f"{self.file}:{element.sourceline}":
            self.error(element, f"duplicate code {code} in this dossier (first at {where})")
            return False
        return True

    def error(self, element: etree._Element, reason: str) -> None:
        self.errors.add(self.file, element.sourceline or 0, reason)

    def number(self, element: etree._Element) -> int | None:
        value = element.get("hoofdstuk", "")
        if not value.isdigit() or int(value) < 1:
            self.error(element, f"<{element.tag}> hoofdstuk {value!r} is not a positive number")
            return None
        return int(value)

    def title(self, element: etree._Element) -> str | None:
        titel = (element.get("titel") or "").strip()
        if not titel or len(titel) > 300:
            self.error(element, f"<{element.tag}> titel is empty or longer than 300 characters")
            return None
        return titel

    def add_kerntaak(
        self,
        element: etree._Element,
        *,
        prefix: str,
        dossier_id: int,
        kwalificatie_id: int | None,
        werkprocessen_path: str,
    ) -> None:
        number, titel = self.number(element), self.title(element)
        if number is None or titel is None:
            return
        code = f"{prefix}-K{number}"
        if not self.first(element, dossier_id, code):
            return
        deel = KerntaakDeel.BASIS if kwalificatie_id is None else KerntaakDeel.PROFIEL
        self.kerntaken.append(
            {
                "dossier_id": dossier_id,
                "code": code,
                "kwalificatie_id": kwalificatie_id,
                "deel": deel.value,
                "titel": titel,
            }
        )
        for werkproces in element.iterfind(f"{werkprocessen_path}/werkproces"):
            number, titel = self.number(werkproces), self.title(werkproces)
            if number is None or titel is None:
                continue
            wcode = f"{code}-W{number}"
            if not self.first(werkproces, dossier_id, wcode):
                continue
            self.werkprocessen.append(
                {
                    "kerntaak": (dossier_id, code),
                    "code": wcode,
                    "titel": titel,
                    "omschrijving": (werkproces.findtext("werkprocesomschrijving") or "").strip(),
                    "resultaat": (werkproces.findtext("werkprocesresultaat") or "").strip(),
                }
            )

    def read(self, dossier: etree._Element) -> None:
        crebo_el = dossier.find("dossiercrebos/dossiercrebo")
        if crebo_el is None:
            self.error(dossier, "<dossier> has no dossiercrebos/dossiercrebo")
            return
        dossier_id = self.lookup.dossier_id((crebo_el.text or "").strip())
        if dossier_id is None:
            self.error(crebo_el, f"unknown dossiercrebo {(crebo_el.text or '').strip()!r}")
            return
        for kerntaak in dossier.iterfind("basis/basistaken/basiskerntaken/kerntaak"):
            self.add_kerntaak(
                kerntaak,
                prefix="B1",
                dossier_id=dossier_id,
                kwalificatie_id=None,
                werkprocessen_path="basiswerkprocessen",
            )
        for profiel in dossier.iterfind("profielen/profiel"):
            number = self.number(profiel)
            crebo_el = profiel.find("creboinformatie/crebo")
            if number is None:
                continue
            if crebo_el is None:
                self.error(profiel, "<profiel> has no creboinformatie/crebo")
                continue
            crebo = (crebo_el.text or "").strip()
            kwalificatie = self.lookup.kwalificaties.get(crebo)
            if kwalificatie is None:
                self.error(crebo_el, f"unknown crebo {crebo!r}")
                continue
            if kwalificatie[1] != dossier_id:
                self.error(crebo_el, f"crebo {crebo} belongs to another kwalificatiedossier")
                continue
            for kerntaak in profiel.iterfind("profielkerntaken/kerntaak"):
                self.add_kerntaak(
                    kerntaak,
                    prefix=f"P{number}",
                    dossier_id=dossier_id,
                    kwalificatie_id=kwalificatie[0],
                    werkprocessen_path="profielwerkprocessen",
                )


class _Lookup:
    """Dossiers by code and kwalificaties by crebo (id, dossier id), as loaded so far."""

    def __init__(self) -> None:
        self.dossiers = dict(Kwalificatiedossier.objects.values_list("code", "id"))
        self.kwalificaties = {
            crebo: (pk, dossier_id)
            for crebo, pk, dossier_id in Kwalificatie.objects.values_list(
                "crebo", "id", "dossier_id"
            )
        }

    def dossier_id(self, crebo: str) -> int | None:
        if not CREBO.match(crebo):
            return None
        if crebo in self.dossiers:
            return self.dossiers[crebo]
        return self.kwalificaties.get(crebo, (None, None))[1]


class Command(ReferenceImportCommand):
    help = "Load kerntaken and werkprocessen from SBB kwalificatiedossier XML files."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--xml-dir",
            type=Path,
            help=f"Directory with the *.xml files (default: <data_dir>/{XML_SUBDIR}).",
        )

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        xml_dir = options.get("xml_dir") or data_dir / XML_SUBDIR
        files = sorted(Path(xml_dir).glob("*.xml"))
        if not files:
            raise CommandError(f"No *.xml files in {xml_dir}")
        lookup = _Lookup()
        kerntaken, werkprocessen, seen = [], [], {}
        for path in files:
            try:
                root = etree.parse(str(path), PARSER).getroot()
            except etree.XMLSyntaxError as exc:
                errors.add(path.name, exc.lineno or 0, f"invalid XML: {exc.msg}")
                continue
            for dossier in root.iterfind("dossiers/dossier"):
                reader = _Dossier(file=path.name, errors=errors, lookup=lookup, seen=seen)
                reader.read(dossier)
                kerntaken += reader.kerntaken
                werkprocessen += reader.werkprocessen
        kerntaak_result = upsert(model=Kerntaak, key=("dossier_id", "code"), rows=kerntaken)
        kerntaak_ids = {
            (dossier_id, code): pk
            for pk, dossier_id, code in Kerntaak.objects.values_list("id", "dossier_id", "code")
        }
        for row in werkprocessen:
            row["kerntaak_id"] = kerntaak_ids[row.pop("kerntaak")]
        werkproces_result = upsert(
            model=Werkproces, key=("kerntaak_id", "code"), rows=werkprocessen
        )
        werkproces_result.skipped = len(errors)
        return {"Kerntaak": kerntaak_result, "Werkproces": werkproces_result}
