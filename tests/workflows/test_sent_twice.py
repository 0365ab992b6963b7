"""A transition sent twice (a double click, a form sent again): the second answer says that it
was done already, not that it failed, and nothing happens twice."""

import pytest
from django.urls import reverse

from candidates.constants import VoordrachtStatus
from candidates.models import Voordracht
from tests.workflows.conftest import voordracht_in

pytestmark = pytest.mark.django_db


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

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [(m.level_tag, str(m)) for m in second.context["messages"]] == [("info", done)]
    voordracht = Voordracht.objects.get(pk=voordracht.pk)
    assert voordracht.transitions.filter(transition=transition).count() == 1


def test_a_refusal_for_another_state_stays_an_error(client, candidate, leerbaan, werkgever):
    voordracht = voordracht_in(VoordrachtStatus.AFGEWEZEN, candidate, leerbaan)
    client.force_login(werkgever)

    response = client.post(
        reverse("candidates:voordracht_transition", args=[voordracht.pk, "invite"]), follow=True
    )

    [message] = response.context["messages"]
    assert message.level_tag == "error"
    assert "kan niet" in str(message)
