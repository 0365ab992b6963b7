"""The demo leerbedrijven's people: full vestiging addresses, contact persons, praktijkopleiders
with capacity and kwalificaties from the erkenningen, and a fitting praktijkopleider on every
leerbaan; none over capacity, so the services can still place."""

import phonenumbers
import pytest
from stdnum.nl import postcode as stdnum_postcode

from candidates.selectors import praktijkopleider_loads
from leerbedrijven.models import ContactPerson, Leerbaan, Leerbedrijf, Praktijkopleider, Vestiging
from tests.demo.test_seed_demo import demo_password, reference, seed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_every_demo_leerbedrijf_has_its_people(reference, demo_password):  # noqa: F811
    seed()
    leerbedrijven = Leerbedrijf.objects.filter(is_demo=True)
    assert leerbedrijven.exists()
    for leerbedrijf in leerbedrijven:
        assert 1 <= leerbedrijf.contactpersonen.count() <= 2
        opleiders = list(leerbedrijf.praktijkopleiders.prefetch_related("kwalificaties"))
        assert 1 <= len(opleiders) <= 3
        erkend = set(leerbedrijf.erkenningen.values_list("kwalificatie_id", flat=True))
        supervised = {k.pk for o in opleiders for k in o.kwalificaties.all()}
        assert supervised == erkend  # each of the erkenningen, nothing else
        assert all(o.vestiging.leerbedrijf_id == leerbedrijf.pk for o in opleiders)
    for vestiging in Vestiging.objects.filter(leerbedrijf__is_demo=True):
        full = f"{vestiging.postcode_id} {vestiging.postcode_letters}"
        assert stdnum_postcode.is_valid(full), full
        assert vestiging.straat
        assert vestiging.plaats
    for phone in ContactPerson.objects.values_list("telefoon", flat=True):
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone


def test_every_demo_leerbaan_names_a_fitting_praktijkopleider(reference, demo_password):  # noqa: F811
    seed()
    leerbanen = Leerbaan.objects.filter(is_demo=True).select_related("praktijkopleider")
    assert leerbanen.exists()
    for leerbaan in leerbanen:
        opleider = leerbaan.praktijkopleider
        assert opleider is not None
        assert opleider.leerbedrijf_id == leerbaan.leerbedrijf_id
        assert opleider.kwalificaties.filter(pk=leerbaan.kwalificatie_id).exists()
    opleiders = list(Praktijkopleider.objects.filter(leerbedrijf__is_demo=True))
    loads = praktijkopleider_loads(praktijkopleiders=opleiders)
    assert all(loads[o.pk] < o.capacity for o in opleiders)


def test_a_second_run_keeps_the_people_and_reset_rebuilds_them(reference, demo_password):  # noqa: F811
    seed()
    first = sorted(Praktijkopleider.objects.values_list("naam", "capacity", "vestiging__naam"))
    opleider = Praktijkopleider.objects.first()
    Praktijkopleider.objects.filter(pk=opleider.pk).update(capacity=9)
    seed()
    assert Praktijkopleider.objects.get(pk=opleider.pk).capacity == 9
    seed("--reset")
    assert sorted(Praktijkopleider.objects.values_list("naam", "capacity", "vestiging__naam")) == (
        first
    )
