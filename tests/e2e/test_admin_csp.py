"""The Django admin under the Content-Security-Policy: the ``page`` fixture fails each test on
any violation the browser reports (tests/e2e/conftest.py)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py


@pytest.fixture
def superuser():
    """A beheer superuser."""
    return UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_page(page, superuser):
    """``page``, logged in as ``superuser`` through the admin's own log-in form."""
    page.goto(reverse("admin:login"))
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page


def test_admin_index_and_changelists(admin_page, superuser):
    admin_page.goto(reverse("admin:index"))
    assert admin_page.locator("#user-tools").is_visible()
    admin_page.goto(reverse("admin:accounts_user_changelist"))
    admin_page.fill("#searchbar", superuser.username)
    with admin_page.expect_navigation():
        admin_page.press("#searchbar", "Enter")
    admin_page.check("#result_list input.action-select")  # actions.js
    admin_page.goto(reverse("admin:notifications_outboxmessage_changelist"))  # date hierarchy
    admin_page.fill("#nav-filter", "Organ")  # the sidebar's filter (nav_sidebar.js)


def test_admin_change_forms(admin_page, superuser):
    admin_page.goto(reverse("admin:accounts_user_change", args=[superuser.pk]))
    admin_page.wait_for_selector("#id_user_permissions_from")  # SelectFilter2.js built it
    admin_page.click(".select2-selection")  # the organisation autocomplete (select2)
    admin_page.wait_for_selector(".select2-results__option")
    admin_page.click("#calendarlink0")  # DateTimeShortcuts.js's calendar
    assert admin_page.locator("#calendarbox0").is_visible()
    admin_page.goto(reverse("admin:accounts_organisation_add"))
    admin_page.wait_for_selector("#id_gemeente + .select2")
