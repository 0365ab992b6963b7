"""Every form of the portal fuzzed (issue 9, "bad input"): for each URL the guard knows
(``tests.test_guards.URLS``) whose page shows a form to its owners, Hypothesis posts random
text into every field (control characters, very long strings, unicode, empty) and checks that
the portal never answers 5xx and that a refusal names its field: each error belongs to a field
of the form (or to the whole form) and the page shows it at the field (``id_<field>_error``,
the id the field's ``aria-describedby`` points to)."""

import pytest
from django.forms import BaseForm
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_guards import URLS, _client_for, _path, _patterns

pytestmark = pytest.mark.django_db

CONTROL = st.characters(codec="utf-8", categories=["Cc"])
VALUES = st.one_of(
    st.just(""),
    st.text(max_size=40),  # any unicode (no surrogates)
    st.text(alphabet=CONTROL, min_size=1, max_size=5),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=10), CONTROL, st.text(max_size=10)),
    st.builds(lambda c, n: c * n, st.characters(codec="utf-8"), st.integers(2_001, 12_000)),
    st.sampled_from(["0", "-1", "1.5", "99999999999999999999", "9999-12-31", "0001-01-01"]),
)
ROUTES = {name: route for name, route, _pattern in _patterns()}
# Pages that show no form to their owners: lists, details, confirmations (the programme and
# progress pages' forms are fuzzed in ``test_form_classes``).
NO_FORM = {
    "accounts:access_log",
    "candidates:candidate_list",
    "candidates:leerbaan_detail",
    "candidates:leerbedrijf_detail",
    "candidates:voordracht_detail",
    "candidates:voordracht_list",
    "candidates:voordracht_request_list",
    "leerbedrijven:contactperson_delete",
    "leerbedrijven:erkenning_list",
    "leerbedrijven:leerbaan_list",
    "notifications:delivery_log",
    "notifications:list",
    "opleidingen:aanbod_list",
    "opleidingen:startmoment_delete",
    "trajecten:candidate_detail",
    # The world's candidates take part, so erasure is refused and the page hides its form:
    # test_random_text_in_the_erasure_form_is_refused_at_its_field fuzzes it.
    "trajecten:candidate_erase",
    "trajecten:enrolment_detail",
    "trajecten:enrolment_list",
    "trajecten:programme",
    "trajecten:progress",
}
FORM_URLS = sorted(
    name
    for name, spec in URLS.items()
    if spec.page and spec.owners - {"beheer"} and name not in NO_FORM
)


def _forms(response) -> list[BaseForm]:
    """The forms in a response's template context (each once)."""
    if response.context is None:
        return []
    found: dict[int, BaseForm] = {}
    for layer in response.context:
        for scope in layer.dicts:
            for value in scope.values():
                if isinstance(value, BaseForm):
                    found.setdefault(id(value), value)
    return list(found.values())


def _assert_errors_at_fields(name: str, response) -> None:
    """Each error of a bound form in ``response`` belongs to one of its fields (or the whole
    form) and, where the page offers the field, is shown, at the field when it has an id."""
    html = response.content.decode()
    for form in _forms(response):
        if not form.is_bound:
            continue
        for field, errors in form.errors.items():
            if field == "__all__":
                continue
            assert field in form.fields, (name, field)
            bound = form[field]
            if f'name="{bound.html_name}"' not in html:
                continue  # the page no longer offers the field (e.g. a request is open)
            assert any(escape(str(e)) in html for e in errors), (name, field, errors)
            if not bound.is_hidden and f'id="{bound.auto_id}"' in html:
                assert f'id="{bound.auto_id}_error"' in html, (name, field, errors)


@pytest.mark.parametrize("name", FORM_URLS)
def test_random_text_in_every_field_is_refused_at_its_field(client, world, name):
    spec = URLS[name]
    role = sorted(spec.owners - {"beheer"})[0]
    path = _path(ROUTES[name], spec.fill(world)[0])
    client = _client_for(client, world.users[role])
    page = client.get(path)
    assert page.status_code == 200, (name, page.status_code)
    forms = _forms(page)
    assert forms, f"{name} shows no form: add it to NO_FORM"
    names = [form.add_prefix(field) for form in forms for field in form.fields]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=st.fixed_dictionaries(dict.fromkeys(names, VALUES)))
    def post(data):
        response = client.post(path, data)
        assert response.status_code < 500, (name, data)
        if response.status_code == 200:
            _assert_errors_at_fields(name, response)

    post()


# The transition pages that ask a reason or a date: (URL name, transition, world attribute,
# role). The world's enrolment waits for the school; its voordracht for the werkgever.
TRANSITIONS = [
    ("trajecten:enrolment_transition", "accept", "enrolment", "school"),
    ("trajecten:enrolment_transition", "decline", "enrolment", "school"),
    ("candidates:voordracht_transition", "decline", "voordracht", "werkgever"),
    ("candidates:leerbaan_transition", "extend", "leerbaan", "werkgever"),
]


@pytest.mark.parametrize(("name", "transition", "attribute", "role"), TRANSITIONS)
def test_random_text_in_a_transition_form_is_refused_at_its_field(
    client, world, name, transition, attribute, role
):
    kwargs = {"pk": getattr(world, attribute).pk, "transition": transition}
    path = _path(ROUTES[name], kwargs)
    client = _client_for(client, world.users[role])
    page = client.get(path)
    assert page.status_code == 200, (name, transition, page.status_code)
    forms = _forms(page)
    assert forms, (name, transition)
    names = [form.add_prefix(field) for form in forms for field in form.fields]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries(dict.fromkeys(names, VALUES)))
    def post(data):
        response = client.post(path, data)
        assert response.status_code < 500, (name, transition, data)
        if response.status_code == 200:
            _assert_errors_at_fields(name, response)

    post()


def test_random_text_in_the_erasure_form_is_refused_at_its_field(client, world):
    """The erasure form (``CandidateEraseForm``), on a candidate that may be erased."""
    from tests.candidates.privacy_world import OTHER_BSNS, candidate_with_history

    candidate = candidate_with_history(
        world.users["consultant"], status="afgemeld", bsn=OTHER_BSNS[0]
    )
    path = _path(ROUTES["trajecten:candidate_erase"], {"pk": candidate.pk})
    client = _client_for(client, world.users["consultant"])
    assert _forms(client.get(path))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries({"note": VALUES, "confirm": st.just("")}))
    def post(data):
        response = client.post(path, data)
        assert response.status_code < 500, data
        if response.status_code == 200:
            _assert_errors_at_fields("trajecten:candidate_erase", response)

    post()
