import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from candidates.selectors import leerbanen_matching
from tests.candidates.factories import CandidateFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import KwalificatieFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2027, 1, 10)


def _run(*args) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def candidate():
    kwalificatie = KwalificatieFactory(crebo="25491", naam="Verzorgende-IG")
    candidate = CandidateFactory(wished_kwalificaties=[kwalificatie])
    LeerbaanFactory(
        kwalificatie=kwalificatie,
        titel="Verzorgende bij Zorgwaard",
        leerbedrijf__naam="Zorgwaard",
        vestiging__postcode=PostcodeFactory(woonplaats="Houten", lat=52.03, lon=5.17),
    )
    LeerbaanFactory(kwalificatie=kwalificatie, titel="Verzorgende dichtbij", hours_per_week=30)
    return candidate


def test_prints_the_ranked_list_with_reasons(candidate):
    output = _run(str(candidate.pk), "--date", "2027-01-10")
    matches = leerbanen_matching(candidate=candidate, on_date=ON)
    lines = output.splitlines()
    ranked = [line for line in lines if not line.startswith(" " * 7)]
    assert len(ranked) == len(matches) == 2
    for rank, (line, match) in enumerate(zip(ranked, matches, strict=True), start=1):
        assert line.startswith(f"{rank:>3}. {match.score:5.1f}  {match.leerbaan.titel} | ")
    assert "Verzorgende bij Zorgwaard | Zorgwaard | Houten | 25491 Verzorgende-IG" in output
    for reason in matches[0].reasons:
        assert f"       {reason}" in lines
    assert lines[1] == f"       {matches[0].reasons[0]}"


def test_limit(candidate):
    output = _run(str(candidate.pk), "--date", "2027-01-10", "--limit", "1")
    assert "  2. " not in output
    assert "  1. " in output


def test_after_the_closing_date_nothing_fits(candidate):
    assert "Geen passende leerbanen." in _run(str(candidate.pk), "--date", "2027-01-16")


def test_unknown_candidate():
    with pytest.raises(CommandError, match="Kandidaat 999999 bestaat niet"):
        _run("999999")


def test_bad_date(candidate):
    with pytest.raises(CommandError, match="Geen geldige datum"):
        _run(str(candidate.pk), "--date", "10-01-2027")
