"""The buttons a page shows (``workflow.actions_for``): in the order the model declares the
transitions, so that the main action comes first."""

import pytest

from candidates.constants import VoordrachtStatus
from candidates.models import Voordracht
from praktijkleren.workflow import actions_for
from tests.workflows.conftest import voordracht_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "names"),
    [
        (VoordrachtStatus.VOORGEDRAGEN, ["invite", "decline"]),
        (VoordrachtStatus.UITGENODIGD, ["accept", "decline"]),
    ],
)
def test_actions_come_in_declaration_order(candidate, leerbaan, werkgever, status, names):
    voordracht = Voordracht.objects.get(pk=voordracht_in(status, candidate, leerbaan).pk)

    assert [action.name for action in actions_for(voordracht, werkgever)] == names
