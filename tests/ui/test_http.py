"""Redirect targets taken from a request never raise and never leave the site."""

from urllib.parse import urlsplit

from django.test import RequestFactory
from hypothesis import example, given
from hypothesis import strategies as st

from praktijkleren.ui.http import redirect_back, safe_next_url

DEFAULT = "/kandidaten/7/"


def _location(target: str, *, secure: bool = False) -> str:
    request = RequestFactory().post("/x/", {"next": target}, secure=secure)
    return redirect_back(request, DEFAULT)["Location"]


@given(st.text())
@example("foo")
@example("//evil.example/")
@example("/\\evil.example/")
@example("https://evil.example/")
@example("/\t/evil.example")
@example("javascript:alert(1)")
@example("/ok\r\nSet-Cookie: x=1")
def test_any_next_stays_on_the_site(target):
    location = _location(target)
    parts = urlsplit(location)
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert parts.scheme == ""
    assert parts.netloc == ""
    assert location.isprintable()


def test_a_local_path_is_kept_and_anything_else_is_the_default():
    assert _location("/leerbanen/3/?page=2") == "/leerbanen/3/?page=2"
    assert _location("https://testserver/leerbanen/3/", secure=True) == DEFAULT
    assert _location("") == DEFAULT
    request = RequestFactory().get("/x/", {"next": "/inschrijvingen/"})
    assert safe_next_url(request, DEFAULT) == "/inschrijvingen/"
