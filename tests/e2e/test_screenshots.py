"""Screenshots of the main pages with rich data (tests/e2e/world.py), on a phone (375×812) and
a desktop (1280×800), for people to look at: the whole page and its first screen. Run with
``E2E_SCREENSHOT_DIR=/tmp/e2e-shots``; skipped without it (the screenshots are not kept in the
repository, and nothing is asserted on the pictures)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e import world as rich

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def shot_dir() -> Path:
    directory = os.environ.get("E2E_SCREENSHOT_DIR")
    if not directory:
        pytest.skip("set E2E_SCREENSHOT_DIR to take the screenshots")
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_take_screenshots_of_the_main_pages(page, log_in, shot_dir):
    world = rich.build()
    shots = [
        ("candidate", world.consultant, world.candidate.get_absolute_url()),
        ("leerbaan-werkgever", world.werkgever, world.leerbaan.get_absolute_url()),
        ("voordracht-werkgever", world.werkgever, world.voordracht.get_absolute_url()),
        ("voordracht-consultant", world.consultant, world.voordracht.get_absolute_url()),
        ("enrolment-school", world.school_user, world.enrolment.get_absolute_url()),
        ("notifications-consultant", world.consultant, reverse("notifications:list")),
        ("preferences-consultant", world.consultant, reverse("notifications:preferences")),
        ("organisation-werkgever", world.werkgever, reverse("notifications:organisation_settings")),
        ("delivery-log-werkgever", world.werkgever, reverse("notifications:delivery_log")),
    ]
    for name, user, url in shots:
        log_in(user)
        for size, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            assert page.goto(url).status == 200
            page.screenshot(path=str(shot_dir / f"{name}-{size}.png"), full_page=True)
            page.screenshot(path=str(shot_dir / f"{name}-{size}-first-screen.png"))
