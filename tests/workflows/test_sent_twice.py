"""A transition sent twice (a double click, a form sent again): the second answer says that it
was done already, not that it failed, and nothing happens twice."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.constants import VoordrachtStatus
from candidates.models import Voordracht
from tests.workflows.conftest import voordracht_in

pytestmark = pytest.mark.django_db


def invite_form() -> dict:
    """The invitation form filled in: an interview a week from now."""
    return {
        "interview_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "interview_time": "10:30",
        "interview_place": "Kerkstraat 1, Utrecht",
        "interview_message": "",
    }


@pytest.mark.parametrize(
    ("status", "url_name", "transition", "done"),
    [
        (
            VoordrachtStatus.VOORGEDRAGEN,
            "candidates:voordracht_transition",
            "invite",
            "‘Uitnodigen’ was al gedaan: voordracht heeft de status ‘Uitgenodigd’.",
        ),
        (
            VoordrachtStatus.UITGENODIGD,
            "candidates:voordracht_transition",
            "decline",
            "‘Afwijzen’ was al gedaan: voordracht heeft de status ‘Afgewezen’.",
        ),
        (
            VoordrachtStatus.UITGENODIGD,
            "trajecten:voordracht_accept",
            "accept",
            "‘Aannemen’ was al gedaan: voordracht heeft de status ‘Aangenomen’.",
        ),
    ],
)
def test_the_second_post_says_it_was_done_already(
    client, candidate, leerbaan, werkgever, school, status, url_name, transition, done
):
    voordracht = voordracht_in(status, candidate, leerbaan)
    url = reverse(url_name, args=[voordracht.pk, transition])
    client.force_login(werkgever)

    data = {
        "invite": invite_form(),
        "decline": {"reason_code": "gesprek", "reason": ""},
    }.get(transition, {})
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)

    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [(m.level_tag, str(m)) for m in second.context["messages"]] == [("info", done)]
    voordracht = Voordracht.objects.get(pk=voordracht.pk)
    assert voordracht.transitions.filter(transition=transition).count() == 1


def test_a_refusal_for_another_state_stays_an_error(client, candidate, leerbaan, werkgever):
    voordracht = voordracht_in(VoordrachtStatus.AFGEWEZEN, candidate, leerbaan)
    client.force_login(werkgever)

    response = client.post(
        reverse("candidates:voordracht_transition", args=[voordracht.pk, "invite"]),
        invite_form(),
        follow=True,
    )

    [message] = response.context["messages"]
    assert message.level_tag == "error"
    assert "kan niet" in str(message)
