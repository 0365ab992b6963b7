"""Map today's rows to the workflows' states, losing nothing.

Voordrachten (the former matches), old status → new status:

- voorgesteld → ingetrokken: a suggestion nobody acted on is not a voordracht; the row (score,
  reasons, dates) is kept, its log row says it was only suggested;
- voorgedragen, uitgenodigd, ingetrokken → the same;
- geplaatst → aangenomen; when a candidate was placed more than once (possible before the
  workflow), the earliest placement stays aangenomen and the later ones become elders geplaatst,
  with a log row that names the kept placement;
- afgewezen → afgewezen with reason code ``niet_vastgelegd``.

Candidates get the state their voordrachten and enrolments imply: afgerond (an enrolment
afgerond), uitgevallen (an enrolment uitgevallen; reason ``niet_vastgelegd``), geplaatst (an
accepted voordracht or a running enrolment), voorgedragen (an open voordracht and consent),
actief (consent), else aangemeld. Leerbanen get ``places_taken`` = their accepted voordrachten.

Every object gets one log row (transition ``migrate``, by nobody) that records the old status.
"""

from django.db import migrations
from django.db.models import Count

VOORDRACHT_MAP = {
    "voorgesteld": "ingetrokken",
    "voorgedragen": "voorgedragen",
    "uitgenodigd": "uitgenodigd",
    "geplaatst": "aangenomen",
    "afgewezen": "afgewezen",
    "ingetrokken": "ingetrokken",
}
OPEN = ("voorgedragen", "uitgenodigd")
BEFORE = "Overgenomen bij de invoering van de workflow (oude status: {old})."
ONLY_SUGGESTED = " Alleen voorgesteld door het portaal, nooit voorgedragen."
DOUBLE = " Dubbele plaatsing: de kandidaat was eerder geplaatst (voordracht {kept})."


def _voordrachten(apps) -> dict[int, list[str]]:
    """Map every voordracht; returns the new statuses per candidate id."""
    Voordracht = apps.get_model("candidates", "Voordracht")
    Log = apps.get_model("candidates", "VoordrachtTransition")
    kept_placement: dict[int, int] = {}
    statuses: dict[int, list[str]] = {}
    logs = []
    rows = Voordracht.objects.order_by("updated_at", "pk").values_list(
        "pk", "candidate_id", "status", "updated_at"
    )
    for pk, candidate_id, old, updated_at in rows:
        new, reason = VOORDRACHT_MAP[old], BEFORE.format(old=old)
        if old == "voorgesteld":
            reason += ONLY_SUGGESTED
        if new == "aangenomen":
            if candidate_id in kept_placement:
                new = "elders_geplaatst"
                reason += DOUBLE.format(kept=kept_placement[candidate_id])
            else:
                kept_placement[candidate_id] = pk
        fields = {"status": new}
        if new == "afgewezen":
            fields["decline_reason"] = "niet_vastgelegd"
        Voordracht.objects.filter(pk=pk).update(**fields)
        statuses.setdefault(candidate_id, []).append(new)
        logs.append(
            Log(
                voordracht_id=pk,
                transition="migrate",
                from_state="",
                to_state=new,
                reason=reason,
                reason_code=fields.get("decline_reason", ""),
                at=updated_at,
            )
        )
    Log.objects.bulk_create(logs, batch_size=1000)
    return statuses


def _candidate_state(voordrachten: list[str], enrolments: list[str], consent: bool) -> str:
    if "afgerond" in enrolments:
        return "afgerond"
    if "uitgevallen" in enrolments:
        return "uitgevallen"
    if "aangenomen" in voordrachten or {"aangevraagd", "geaccepteerd"} & set(enrolments):
        return "geplaatst"
    if consent and any(s in OPEN for s in voordrachten):
        return "voorgedragen"
    return "actief" if consent else "aangemeld"


def _candidates(apps, voordrachten: dict[int, list[str]]) -> None:
    Candidate = apps.get_model("candidates", "Candidate")
    Log = apps.get_model("candidates", "CandidateTransition")
    Enrolment = apps.get_model("trajecten", "Enrolment")
    enrolments: dict[int, list[str]] = {}
    for candidate_id, status in Enrolment.objects.values_list("candidate_id", "status"):
        enrolments.setdefault(candidate_id, []).append(status)
    logs, by_state = [], {}
    rows = Candidate.objects.values_list("pk", "consent_given_at", "created_at")
    for pk, consent_at, created_at in rows:
        state = _candidate_state(
            voordrachten.get(pk, []), enrolments.get(pk, []), consent_at is not None
        )
        by_state.setdefault(state, []).append(pk)
        logs.append(
            Log(
                candidate_id=pk,
                transition="migrate",
                from_state="",
                to_state=state,
                reason_code="niet_vastgelegd" if state == "uitgevallen" else "",
                reason="Afgeleid uit de voordrachten en inschrijvingen van vóór de workflow.",
                at=created_at,
            )
        )
    for state, ids in by_state.items():
        fields = {"status": state}
        if state == "uitgevallen":
            fields["end_reason"] = "niet_vastgelegd"
        Candidate.objects.filter(pk__in=ids).update(**fields)
    Log.objects.bulk_create(logs, batch_size=1000)


def _places_taken(apps) -> None:
    Leerbaan = apps.get_model("leerbedrijven", "Leerbaan")
    Voordracht = apps.get_model("candidates", "Voordracht")
    taken = (
        Voordracht.objects.filter(status="aangenomen")
        .values("leerbaan_id")
        .annotate(n=Count("pk"))
        .values_list("leerbaan_id", "n")
    )
    for leerbaan_id, n in taken:
        Leerbaan.objects.filter(pk=leerbaan_id).update(places_taken=n)


def forwards(apps, schema_editor):
    statuses = _voordrachten(apps)
    _candidates(apps, statuses)
    _places_taken(apps)


def backwards(apps, schema_editor):
    """Back to the old statuses (what the old model could express)."""
    Voordracht = apps.get_model("candidates", "Voordracht")
    reverse = {"aangenomen": "geplaatst", "verlopen": "ingetrokken", "elders_geplaatst": "geplaatst"}
    for new, old in reverse.items():
        Voordracht.objects.filter(status=new).update(status=old)
    apps.get_model("candidates", "VoordrachtTransition").objects.all().delete()
    apps.get_model("candidates", "CandidateTransition").objects.all().delete()
    apps.get_model("leerbedrijven", "Leerbaan").objects.update(places_taken=0)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0002_voordracht_workflow"),
        ("leerbedrijven", "0003_leerbaan_workflow"),
        ("trajecten", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
