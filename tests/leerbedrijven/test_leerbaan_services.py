"""Posting, editing and extending a leerbaan (``leerbedrijven.services``): the erkenning on the
start date (not just today), the other rules of a new leerbaan, what may change once
voordrachten exist, extend, and the admin's form that asks the same rules."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.leerbaan_forms import LeerbaanAdminForm
from leerbedrijven.models import Leerbaan
from leerbedrijven.services import (
    leerbaan_close,
    leerbaan_create,
    leerbaan_extend,
    leerbaan_update,
)
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import VoordrachtFactory
from tests.leerbedrijven.factories import ErkenningFactory, VestigingFactory
from tests.leerbedrijven.posting import posting_make
from tests.opleidingen.factories import KerntaakFactory, KwalificatieFactory, WerkprocesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return posting_make()


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# --- posting ---------------------------------------------------------------------------------


def test_a_werkgever_posts_a_concept_with_its_werkprocessen_and_history(p):
    leerbaan = leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields())
    assert leerbaan.status == LeerbaanStatus.CONCEPT
    assert list(leerbaan.werkprocessen.all()) == p.werkprocessen[:1]
    assert leerbaan.praktijkopleider == p.opleider
    log = list(leerbaan.transitions.values_list("transition", "from_state", "to_state", "by"))
    assert log == [("create", "", "concept", p.user.pk)]


def test_posting_and_publishing_at_once(p):
    leerbaan = leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, publish=True, **p.fields())
    assert leerbaan.status == LeerbaanStatus.GEPUBLICEERD
    assert leerbaan.is_open()


def test_erkend_today_but_not_on_the_start_date_is_refused(p):
    """The erkenning ends before the start date: refused, saying until when it runs."""
    p.erkenning.geldig_tot = _days(40)
    p.erkenning.save()
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields(start_date=_days(60)))
    (message,) = _errors(refused)["kwalificatie"]
    assert "niet erkend voor" in message
    assert "de erkenning loopt tot" in message
    assert str(_days(40).year) in message
    assert not Leerbaan.objects.filter(leerbedrijf=p.leerbedrijf).exists()
    # On a start date within the erkenning it is fine.
    leerbaan_create(
        leerbedrijf=p.leerbedrijf,
        by=p.user,
        **p.fields(start_date=_days(40), closing_date=_days(20)),
    )


def test_an_erkenning_that_starts_later_counts_when_it_covers_the_start_date(p):
    """Not erkend today, erkend from a later date on: a leerbaan starting after that is fine,
    one starting before it is refused with the date the erkenning starts."""
    p.erkenning.delete()
    ErkenningFactory(
        leerbedrijf=p.leerbedrijf,
        kwalificatie=p.kwalificatie,
        geldig_van=_days(45),
        geldig_tot=None,
    )
    leerbaan = leerbaan_create(
        leerbedrijf=p.leerbedrijf, by=p.user, publish=True, **p.fields(start_date=_days(60))
    )
    assert leerbaan.status == LeerbaanStatus.GEPUBLICEERD
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields(start_date=_days(44)))
    assert "de erkenning gaat in op" in _errors(refused)["kwalificatie"][0]


def test_a_kwalificatie_without_any_erkenning_is_refused(p):
    other = KwalificatieFactory()
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(
            leerbedrijf=p.leerbedrijf, by=p.user, **p.fields(kwalificatie=other, werkprocessen=[])
        )
    assert "niet erkend voor" in _errors(refused)["kwalificatie"][0]


def test_the_other_rules_of_a_new_leerbaan(p):
    stranger = VestigingFactory()
    other_kwalificatie = KwalificatieFactory()
    foreign_wp = WerkprocesFactory(kerntaak=KerntaakFactory(dossier=other_kwalificatie.dossier))
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(
            leerbedrijf=p.leerbedrijf,
            by=p.user,
            **p.fields(
                vestiging=stranger,
                werkprocessen=[foreign_wp],
                supports_praktijkverklaring=False,
                hours_per_week=41,
                places=0,
                closing_date=_days(61),
                praktijkopleider=None,
            ),
        )
    errors = _errors(refused)
    assert set(errors) == {
        "vestiging",
        "werkprocessen",
        "routes",
        "hours_per_week",
        "places",
        "closing_date",
        "praktijkopleider",
    }
    assert "praktijkopleider toe op de pagina van uw leerbedrijf" in errors["praktijkopleider"][0]


def test_the_praktijkopleider_must_supervise_the_kwalificatie_and_be_active(p):
    p.opleider.kwalificaties.clear()
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields())
    assert "begeleidt geen kandidaten" in _errors(refused)["praktijkopleider"][0]
    p.opleider.kwalificaties.add(p.kwalificatie)
    p.opleider.is_active = False
    p.opleider.save()
    with pytest.raises(ValidationError):
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields())


def test_publishing_needs_a_closing_date_ahead_a_concept_does_not(p):
    past = p.fields(closing_date=_days(-1))
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, publish=True, **past)
    assert "closing_date" in _errors(refused)
    assert leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **past).status == "concept"


def test_an_external_reference_is_unique_within_the_leerbedrijf(p):
    leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields(external_ref="A-1"))
    with pytest.raises(ValidationError) as refused:
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields(external_ref="A-1"))
    assert "external_ref" in _errors(refused)


def test_a_user_of_another_organisation_may_not_post_or_edit(p):
    stranger = UserFactory(organisation=OrganisationFactory(werkgever=True))
    with pytest.raises(PermissionDenied):
        leerbaan_create(leerbedrijf=p.leerbedrijf, by=stranger, **p.fields())
    leerbaan = leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, **p.fields())
    with pytest.raises(PermissionDenied):
        leerbaan_update(leerbaan=leerbaan, by=stranger, titel="Overgenomen")
    assert Leerbaan.objects.get(pk=leerbaan.pk).titel != "Overgenomen"


# --- editing ---------------------------------------------------------------------------------


@pytest.fixture
def published(p):
    return leerbaan_create(
        leerbedrijf=p.leerbedrijf,
        by=p.user,
        publish=True,
        **p.fields(werkprocessen=p.werkprocessen[:2], hours_per_week=24),
    )


def test_without_voordrachten_everything_may_change(p, published):
    kwalificatie = KwalificatieFactory()
    ErkenningFactory(leerbedrijf=p.leerbedrijf, kwalificatie=kwalificatie, geldig_tot=None)
    p.opleider.kwalificaties.add(kwalificatie)
    leerbaan = leerbaan_update(
        leerbaan=published,
        by=p.user,
        kwalificatie=kwalificatie,
        werkprocessen=[],
        hours_per_week=16,
        supports_praktijkverklaring=False,
        supports_diploma=True,
    )
    assert leerbaan.kwalificatie == kwalificatie
    assert leerbaan.hours_per_week == 16


def test_once_voordrachten_exist_the_edit_rules_hold(p, published):
    VoordrachtFactory(leerbaan=published)
    other_kwalificatie = KwalificatieFactory()
    ErkenningFactory(leerbedrijf=p.leerbedrijf, kwalificatie=other_kwalificatie, geldig_tot=None)
    refused_changes = {
        "kwalificatie": {"kwalificatie": other_kwalificatie},
        "vestiging": {"vestiging": VestigingFactory(leerbedrijf=p.leerbedrijf)},
        "routes": {"supports_praktijkverklaring": False, "supports_diploma": True},
        "hours_per_week": {"hours_per_week": 20},
        "werkprocessen": {"werkprocessen": p.werkprocessen[:1]},
        "closing_date": {"closing_date": published.closing_date - dt.timedelta(days=1)},
        "start_date": {"start_date": published.start_date + dt.timedelta(days=15)},
    }
    for field, changes in refused_changes.items():
        with pytest.raises(ValidationError) as refused:
            leerbaan_update(leerbaan=published, by=p.user, **changes)
        messages = _errors(refused)[field]
        assert any("voorgedragen" in m for m in messages), (field, messages)
    unchanged = Leerbaan.objects.get(pk=published.pk)
    assert unchanged.kwalificatie_id == published.kwalificatie_id
    assert unchanged.hours_per_week == 24
    # What may change: text, adding routes and werkprocessen, more hours, a later closing date,
    # a start date moved a little.
    leerbaan = leerbaan_update(
        leerbaan=published,
        by=p.user,
        titel="Nieuwe titel",
        supports_diploma=True,
        werkprocessen=p.werkprocessen,
        hours_per_week=32,
        closing_date=published.closing_date + dt.timedelta(days=5),
        start_date=published.start_date + dt.timedelta(days=14),
    )
    assert leerbaan.titel == "Nieuwe titel"
    assert leerbaan.routes() == ["praktijkverklaring", "diploma"]
    assert leerbaan.werkprocessen.count() == 3


def test_places_never_drop_below_the_places_taken(p, published):
    Leerbaan.objects.filter(pk=published.pk).update(places_taken=2)
    with pytest.raises(ValidationError) as refused:
        leerbaan_update(leerbaan=published, by=p.user, places=1)
    assert "al 2 plaatsen bezet" in _errors(refused)["places"][0]


def test_a_closed_leerbaan_cannot_be_edited(p, published):
    leerbaan_close(leerbaan=published, by=p.user)
    with pytest.raises(ValidationError, match="Gesloten"):
        leerbaan_update(leerbaan=published, by=p.user, titel="Nog eens")


def test_an_edit_is_audit_logged(p, published):
    leerbaan_update(leerbaan=published, by=p.user, titel="Anders")
    entry = LogEntry.objects.get_for_object(published).order_by("-pk").first()
    assert entry is not None
    assert entry.changes_dict["titel"][1] == "Anders"


# --- extending -------------------------------------------------------------------------------


def test_extending_moves_the_closing_date_later_and_logs_it(p, published):
    new = published.closing_date + dt.timedelta(days=10)
    leerbaan = leerbaan_extend(leerbaan=published, by=p.user, closing_date=new)
    assert leerbaan.closing_date == new
    assert leerbaan.status == LeerbaanStatus.GEPUBLICEERD
    log = leerbaan.transitions.order_by("-pk").first()
    assert (log.transition, log.by) == ("extend", p.user)
    assert "Sluitingsdatum van" in log.reason


@pytest.mark.parametrize("offset", [0, -1])
def test_extending_needs_a_later_date(p, published, offset):
    with pytest.raises(ValidationError) as refused:
        leerbaan_extend(
            leerbaan=published,
            by=p.user,
            closing_date=published.closing_date + dt.timedelta(days=offset),
        )
    assert "closing_date" in _errors(refused)


def test_extending_stops_at_the_start_date(p, published):
    with pytest.raises(ValidationError):
        leerbaan_extend(
            leerbaan=published,
            by=p.user,
            closing_date=published.start_date + dt.timedelta(days=1),
        )


def test_extending_an_expired_leerbaan_opens_it_again(p, published):
    Leerbaan.objects.filter(pk=published.pk).update(
        status=LeerbaanStatus.VERLOPEN, closing_date=_days(-2)
    )
    leerbaan = leerbaan_extend(leerbaan=published, by=p.user, closing_date=_days(10))
    assert leerbaan.status == LeerbaanStatus.GEPUBLICEERD
    assert leerbaan.is_open()


def test_a_full_or_closed_leerbaan_is_not_extended(p, published):
    Leerbaan.objects.filter(pk=published.pk).update(places_taken=2)
    with pytest.raises(TransitionRefused, match="Alle plaatsen"):
        leerbaan_extend(leerbaan=published, by=p.user, closing_date=_days(40))
    Leerbaan.objects.filter(pk=published.pk).update(places_taken=0)
    leerbaan_close(leerbaan=published, by=p.user)
    with pytest.raises(TransitionRefused):
        leerbaan_extend(leerbaan=published, by=p.user, closing_date=_days(40))


def test_only_the_werkgever_extends(p, published):
    stranger = UserFactory(organisation=OrganisationFactory(werkgever=True))
    with pytest.raises(TransitionRefused):
        leerbaan_extend(leerbaan=published, by=stranger, closing_date=_days(40))


# --- the admin asks the same rules -----------------------------------------------------------


def _admin_data(p, **changes):
    fields = p.fields(**changes)
    data = {
        name: getattr(value, "pk", value)
        for name, value in fields.items()
        if name not in ("werkprocessen",)
    }
    data.update(
        leerbedrijf=p.leerbedrijf.pk,
        werkprocessen=[w.pk for w in fields["werkprocessen"]],
        praktijkopleider=p.opleider.pk,
    )
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_the_admin_refuses_a_kwalificatie_not_erkend_on_the_start_date(p):
    p.erkenning.geldig_tot = _days(40)
    p.erkenning.save()
    form = LeerbaanAdminForm(data=_admin_data(p))
    assert not form.is_valid()
    assert "niet erkend voor" in form.errors["kwalificatie"][0]


def test_the_admin_refuses_a_vestiging_of_another_leerbedrijf(p):
    form = LeerbaanAdminForm(data=_admin_data(p, vestiging=VestigingFactory()))
    assert not form.is_valid()
    assert "vestiging" in form.errors


def test_the_admin_accepts_a_valid_leerbaan(p):
    form = LeerbaanAdminForm(data=_admin_data(p))
    assert form.is_valid(), form.errors
