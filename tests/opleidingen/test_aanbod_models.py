"""Opleidingsaanbod's locations belong to its instelling; a start moment's capacity and date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opleidingen.admin import OpleidingsaanbodForm
from opleidingen.constants import Leerweg
from opleidingen.models import StartMoment
from tests.opleidingen.factories import (
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)

pytestmark = pytest.mark.django_db


def test_a_location_of_another_instelling_is_refused():
    aanbod = OpleidingsaanbodFactory()
    own = MboLocatieFactory(instelling=aanbod.instelling)
    foreign = MboLocatieFactory(instelling=MboInstellingFactory())

    aanbod.check_locaties([own])
    with pytest.raises(ValidationError) as excinfo:
        aanbod.check_locaties([own, foreign])
    assert foreign.brinvest in str(excinfo.value.message_dict["locaties"])


def test_the_admin_form_refuses_a_foreign_location():
    aanbod = OpleidingsaanbodFactory()
    foreign = MboLocatieFactory(instelling=MboInstellingFactory())
    data = {
        "instelling": aanbod.instelling.pk,
        "kwalificatie": aanbod.kwalificatie.pk,
        "leerweg": Leerweg.BBL,
        "locaties": [foreign.pk],
    }

    form = OpleidingsaanbodForm(data=data, instance=aanbod)

    assert not form.is_valid()
    assert "locaties" in form.errors


def test_capacity_must_be_at_least_one():
    aanbod = OpleidingsaanbodFactory()
    moment = StartMoment(aanbod=aanbod, start_date=dt.date(2026, 9, 1), capacity=0)
    with pytest.raises(ValidationError):
        moment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        moment.save()


def test_one_start_moment_per_aanbod_and_date():
    aanbod = OpleidingsaanbodFactory()
    StartMoment.objects.create(aanbod=aanbod, start_date=dt.date(2026, 9, 1), capacity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StartMoment.objects.create(aanbod=aanbod, start_date=dt.date(2026, 9, 1), capacity=3)
    StartMoment.objects.create(
        aanbod=OpleidingsaanbodFactory(), start_date=dt.date(2026, 9, 1), capacity=3
    )
