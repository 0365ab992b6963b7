"""Portal-wide pages: log-in, log-out, the home redirect per role and the error pages."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.urls import reverse

from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.ui.navigation import _NAV_BY_ROLE
from tests.accounts.factories import OrganisationFactory, UserFactory

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.django_db
def test_login_page_has_one_h1_and_labelled_fields(client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert h1_count(html) == 1
    assert '<label class="utrecht-form-label" for="id_username">Gebruikersnaam</label>' in html
    assert '<label class="utrecht-form-label" for="id_password">Wachtwoord</label>' in html
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert 'href="#main"' in html
    assert 'id="main"' in html


@pytest.mark.django_db
def test_failed_login_shows_summary_linked_to_the_form(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": "fout"})

    html = response.content.decode()
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'role="alert"' in html
    assert "Er ging iets mis" in html
    # The wrong-combination error is a non-field error; the summary links it to the first field.
    assert re.search(r'<a class="utrecht-link[^"]*" href="#id_username">[^<]*gebruikersnaam', html)
    assert h1_count(html) == 1


@pytest.mark.django_db
def test_empty_login_links_each_error_to_its_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    html = response.content.decode()
    assert 'href="#id_username">Gebruikersnaam: ' in html
    assert 'href="#id_password">Wachtwoord: ' in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_username"', html)
    assert re.search(r'<input[^>]*aria-describedby="id_password_error"[^>]*id="id_password"', html)
    assert 'id="id_password_error"' in html


@pytest.mark.django_db
def test_login_lists_demo_accounts_only_in_demo_mode(client, settings):
    UserFactory(username="demo-consulent", is_demo=True)
    UserFactory(username="echte-gebruiker")

    settings.DEMO_USERS_ALLOWED = True
    demo_html = client.get(reverse("login")).content.decode()
    settings.DEMO_USERS_ALLOWED = False
    real_html = client.get(reverse("login")).content.decode()

    assert "demo-consulent" in demo_html
    assert "echte-gebruiker" not in demo_html
    assert "Demo-omgeving" in demo_html
    assert "demo-consulent" not in real_html
    assert "Demo-accounts" not in real_html
    assert "Demo-omgeving" not in real_html


@pytest.mark.django_db
def test_login_with_valid_credentials_goes_home(client):
    user = UserFactory(organisation=OrganisationFactory(beheer=True))

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("organisation_traits", "url_name"),
    [
        ({}, "candidates:candidate_list"),
        ({"uwv": True}, "candidates:candidate_list"),
        ({"werkgever": True}, "leerbedrijven:leerbaan_list"),
        ({"school": True}, "trajecten:enrolment_list"),
        ({"beheer": True}, "admin:index"),
    ],
)
def test_home_redirects_per_role(client, organisation_traits, url_name):
    user = UserFactory(organisation=OrganisationFactory(**organisation_traits))
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(url_name)


@pytest.mark.django_db
def test_home_refuses_a_user_without_role(client):
    client.force_login(UserFactory(organisation=None, is_staff=False))

    response = client.get(reverse("home"))

    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert h1_count(response.content.decode()) == 1


@pytest.mark.django_db
def test_home_sends_staff_without_organisation_to_admin(client):
    client.force_login(UserFactory(organisation=None, is_staff=True))

    response = client.get(reverse("home"))

    assert response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_logout_by_post_ends_the_session(client):
    client.force_login(UserFactory(organisation=OrganisationFactory(beheer=True)))

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_logout_by_get_is_refused(client):
    client.force_login(UserFactory(organisation=OrganisationFactory(beheer=True)))

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert SESSION_KEY in client.session


@pytest.mark.django_db
def test_header_shows_organisation_logout_form_and_role_nav(client, settings):
    settings.DEBUG = False
    organisation = OrganisationFactory(beheer=True, name="Beheerorganisatie Test")
    client.force_login(UserFactory(organisation=organisation))

    html = client.get("/deze-pagina-bestaat-niet/").content.decode()

    assert "Beheerorganisatie Test" in html
    assert re.search(r'<form method="post" action="/uitloggen/"', html)
    assert f'href="{reverse("admin:index")}"' in html
    assert reverse("candidates:candidate_list") not in html
    assert "Pagina niet gevonden" in html
    assert h1_count(html) == 1


@pytest.mark.django_db
def test_messages_render_as_utrecht_alerts(rf):
    request = rf.get("/")
    request.session = SessionStore()
    request.user = UserFactory(organisation=None)
    request._messages = FallbackStorage(request)
    messages.success(request, "Opgeslagen.")
    messages.error(request, "Mislukt.")

    html = render_to_string("404.html", request=request)

    assert re.search(r'utrecht-alert--ok[^>]*role="status"', html)
    assert re.search(r'utrecht-alert--error[^>]*role="alert"', html)
    assert "Opgeslagen." in html
    assert "Mislukt." in html


def test_500_page_renders_without_request_context():
    html = render_to_string("500.html")

    assert h1_count(html) == 1
    assert "Er ging iets mis" in html
    assert '<html lang="nl">' in html


def test_every_organisation_kind_has_a_start_page():
    for kind in OrganisationKind:
        assert _NAV_BY_ROLE[kind], kind
