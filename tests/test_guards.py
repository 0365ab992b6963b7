"""Cheap global guards that grow with the portal.

- Every URL pattern, taken from the resolver, is requested (GET and POST) as every role of the
  organisations that own the objects, as a user of each other organisation and anonymously:
  nothing answers 500, nothing foreign is shown or changed (403 or 404), and every page renders
  with exactly one ``<h1>``. A URL pattern this module cannot fill makes it fail.
- Every list page runs the same number of queries at 10 and at 200 rows.
- No lower app reaches a higher app's models through ``_meta``.
- No pending migrations. (Unknown template variables fail every test: ``pytest.ini``
  ``--fail-on-template-vars``.)
"""

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from candidates.models import Candidate, Voordracht, VoordrachtRequest
from leerbedrijven.models import ContactPerson, Erkenning, Leerbaan, Praktijkopleider
from opleidingen.models import Opleidingsaanbod, StartMoment
from praktijkleren.accounts.audit import CANDIDATE_PAGES, AccessLoggedAdminMixin
from praktijkleren.accounts.models import AccessLog, User
from praktijkleren.accounts.pages import PAGE_LABELS, page_label_known
from praktijkleren.notifications.models import Notification, OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.leerbedrijven.factories import (
    ContactPersonFactory,
    ErkenningFactory,
    LeerbedrijfFactory,
    PraktijkopleiderFactory,
)
from tests.notifications.factories import NotificationFactory, OutboxMessageFactory
from tests.opleidingen.factories import (
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
    WerkprocesFactory,
)
from tests.trajecten.factories import EnrolmentFactory
from tests.workflows.conftest import open_leerbaan
from trajecten.models import Enrolment, ProgrammeItem

pytestmark = pytest.mark.django_db


def _valid_bsns(first: int, n: int) -> tuple[str, ...]:
    """``n`` BSNs that pass the 11-proef, counting up from ``first``."""
    found: list[str] = []
    number = first
    while len(found) < n:
        if stdnum_bsn.is_valid(f"{number:09d}"):
            found.append(f"{number:09d}")
        number += 1
    return tuple(found)


# Organisation A's candidates' BSNs, one each (an organisation registers a BSN once).
BSNS = _valid_bsns(111222333, 8)
BSN = BSNS[0]
SECRET = "Geheimhouders"  # the last name of organisation A's candidates


def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@dataclasses.dataclass
class World:
    """Organisation A's objects in every place, the users of A per role, a user of another
    organisation per role (``*_b``), beheer and anonymous."""

    users: dict[str, User | None]
    candidate: Candidate
    aangemeld: Candidate
    voordracht: Voordracht
    leerbaan: Leerbaan
    enrolment: Enrolment
    notification: Notification
    failed_message: OutboxMessage
    voordracht_request: VoordrachtRequest

    def snapshot(self) -> dict[str, object]:
        """What a stranger must not change: the states and the history of A's objects, A's
        notification and delivery log."""
        objects = (self.candidate, self.aangemeld, self.voordracht, self.leerbaan, self.enrolment)
        return {
            f"{type(o).__name__}:{o.pk}": (
                type(o).objects.filter(pk=o.pk).values_list("status", flat=True).get(),
                o.transitions.count(),
            )
            for o in objects
        } | {
            "anonymised": list(
                Candidate.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
            ),
            "praktijkopleiders": list(
                Praktijkopleider.objects.order_by("pk").values_list(
                    "pk", "naam", "is_active", "capacity", "vestiging_id"
                )
            ),
            "contactpersonen": list(
                ContactPerson.objects.order_by("pk").values_list("pk", "naam", "telefoon")
            ),
            "leerbedrijf": Leerbaan.objects.filter(pk=self.leerbaan.pk)
            .values_list("leerbedrijf__naam", "leerbedrijf__kvk_nummer", "vestiging__naam")
            .get(),
            "voordrachten": Voordracht.objects.count(),
            "candidates": Candidate.objects.count(),
            "notification": Notification.objects.filter(pk=self.notification.pk)
            .values_list("read_at", flat=True)
            .get(),
            "failed_message": OutboxMessage.objects.filter(pk=self.failed_message.pk)
            .values_list("status", flat=True)
            .get(),
            "programme": list(
                ProgrammeItem.objects.order_by("pk").values_list("pk", "confirmed_on")
            ),
            "enrolment_agreements": Enrolment.objects.filter(pk=self.enrolment.pk)
            .values_list(
                "programme_agreed_by_school",
                "programme_agreed_by_leerbedrijf",
                "programme_agreed_by_candidate",
            )
            .get(),
            "voordracht_requests": list(
                VoordrachtRequest.objects.order_by("pk").values_list("pk", "answered_at")
            ),
        }


@pytest.fixture
def world() -> World:
    consultant = UserFactory(is_organisation_admin=True)
    werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    school = UserFactory(organisation=OrganisationFactory(school=True))
    leerbaan = open_leerbaan(werkgever)
    instelling = MboInstellingFactory(organisation=school.organisation)

    bsns = iter(BSNS)

    def candidate(**fields):
        return CandidateFactory(
            consultant=consultant,
            last_name=SECRET,
            bsn=next(bsns),
            wished_kwalificaties=[leerbaan.kwalificatie],
            **fields,
        )

    voordracht = VoordrachtFactory(
        candidate=candidate(status="voorgedragen"), leerbaan=leerbaan, status="uitgenodigd"
    )
    enrolment = EnrolmentFactory(
        candidate=candidate(status="geplaatst"), leerbaan=leerbaan, instelling=instelling
    )
    beheer = UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    users = {
        "consultant": consultant,
        "werkgever": werkgever,
        "school": school,
        "beheer": beheer,
        "anonymous": None,
        "consultant_b": UserFactory(),
        "werkgever_b": UserFactory(organisation=OrganisationFactory(werkgever=True)),
        "school_b": UserFactory(organisation=OrganisationFactory(school=True)),
    }
    open_leerbaan(users["werkgever_b"])  # B has its own objects, so its lists are not empty
    # A's leerbedrijf's people carry the secret name: a stranger's page must not show them.
    ContactPersonFactory(leerbedrijf=leerbaan.leerbedrijf, naam=f"Anna {SECRET}")
    PraktijkopleiderFactory(
        leerbedrijf=leerbaan.leerbedrijf,
        vestiging=leerbaan.vestiging,
        naam=f"Piet {SECRET}",
        kwalificaties=[leerbaan.kwalificatie],
    )
    for role in ("consultant_b", "werkgever_b", "school_b"):
        User.objects.filter(pk=users[role].pk).update(is_organisation_admin=True)
        users[role].refresh_from_db()
    fitting = candidate()
    return World(
        users=users,
        candidate=fitting,
        aangemeld=candidate(aangemeld=True),
        voordracht=voordracht,
        leerbaan=leerbaan,
        enrolment=enrolment,
        notification=NotificationFactory(user=consultant, title=f"Over {SECRET}"),
        failed_message=OutboxMessageFactory(
            organisation=consultant.organisation, failed=True, subject=f"Over {SECRET}"
        ),
        voordracht_request=VoordrachtRequest.objects.create(
            candidate=fitting, leerbaan=leerbaan, requested_by=werkgever, message=f"Over {SECRET}"
        ),
    )


@dataclasses.dataclass(frozen=True)
class Url:
    """How to fill one URL pattern: ``fill(world)`` gives its URL arguments (one dict per
    variant); ``owners`` are the roles of organisation A that use it; ``scoped``: it names an
    object of A, so users of other organisations get 403 or 404; ``page``: the owners' GET
    answers 200 with an HTML page."""

    fill: Callable[[World], list[dict]]
    owners: frozenset[str]
    scoped: bool = True
    page: bool = True


def _none(world):
    return [{}]


def _transitions(attribute: str, names: list[str]) -> Callable[[World], list[dict]]:
    def fill(world):
        pk = getattr(world, attribute).pk
        return [{"pk": pk, "transition": name} for name in [*names, "bestaat-niet"]]

    return fill


def _leerbedrijf(world):
    return [{"pk": world.leerbaan.leerbedrijf_id}]


def _contactperson(world):
    people = ContactPerson.objects.filter(leerbedrijf_id=world.leerbaan.leerbedrijf_id)
    return [{"pk": people.values_list("pk", flat=True).first() or 0}]


def _praktijkopleider(world):
    people = Praktijkopleider.objects.filter(leerbedrijf_id=world.leerbaan.leerbedrijf_id)
    return [{"pk": people.values_list("pk", flat=True).first() or 0}]


def _aanbod(world):
    """School A's BBL aanbod of the leerbaan's kwalificatie (made on first use)."""
    aanbod, _created = Opleidingsaanbod.objects.get_or_create(
        instelling=world.enrolment.instelling,
        kwalificatie=world.leerbaan.kwalificatie,
        leerweg="BBL",
    )
    return aanbod


def _startmoment(world):
    """A start moment of school A's aanbod (made again after an owner's POST deleted it)."""
    moment, _created = StartMoment.objects.get_or_create(
        aanbod=_aanbod(world), start_date=dt.date(2030, 9, 1), defaults={"capacity": 5}
    )
    return moment


CONSULTANT, WERKGEVER, SCHOOL = (
    frozenset({"consultant"}),
    frozenset({"werkgever"}),
    frozenset({"school"}),
)
LOGGED_IN = frozenset({"consultant", "werkgever", "school", "beheer"})
# Every named URL pattern outside the admin. Add a pattern and this table must learn it.
URLS: dict[str, Url] = {
    "home": Url(_none, LOGGED_IN, scoped=False, page=False),
    "login": Url(_none, frozenset({"anonymous"}), scoped=False),
    "logout": Url(_none, LOGGED_IN, scoped=False, page=False),
    "session_keep_alive": Url(_none, LOGGED_IN, scoped=False, page=False),
    "health": Url(_none, frozenset({"anonymous"}), scoped=False, page=False),
    "readiness": Url(_none, frozenset({"anonymous"}), scoped=False, page=False),
    "favicon": Url(_none, frozenset({"anonymous"}), scoped=False, page=False),
    "candidates:candidate_list": Url(_none, CONSULTANT, scoped=False),
    "candidates:candidate_create": Url(_none, CONSULTANT, scoped=False),
    "candidates:voordracht_make": Url(
        lambda w: [{"pk": w.candidate.pk, "leerbaan_pk": w.leerbaan.pk}], CONSULTANT
    ),
    "candidates:voordracht_list": Url(_none, WERKGEVER, scoped=False),
    "candidates:voordracht_request_list": Url(_none, CONSULTANT | WERKGEVER, scoped=False),
    "candidates:voordracht_request_create": Url(
        lambda w: [{"pk": w.leerbaan.pk, "candidate_pk": w.candidate.pk}], WERKGEVER
    ),
    "candidates:voordracht_request_decline": Url(
        lambda w: [{"pk": w.voordracht_request.pk}], CONSULTANT
    ),
    "candidates:candidate_experience": Url(lambda w: [{"pk": w.candidate.pk}], CONSULTANT),
    "candidates:candidate_transition": Url(
        _transitions("aangemeld", ["activate", "deregister"]), CONSULTANT, page=False
    ),
    "candidates:voordracht_detail": Url(
        lambda w: [{"pk": w.voordracht.pk}], CONSULTANT | WERKGEVER
    ),
    "candidates:voordracht_transition": Url(
        _transitions("voordracht", ["invite", "decline", "withdraw"]),
        CONSULTANT | WERKGEVER,
        page=False,
    ),
    "candidates:leerbaan_detail": Url(lambda w: [{"pk": w.leerbaan.pk}], CONSULTANT | WERKGEVER),
    "candidates:leerbaan_transition": Url(
        _transitions("leerbaan", ["publish", "close", "extend"]), WERKGEVER, page=False
    ),
    "leerbedrijven:leerbaan_list": Url(_none, CONSULTANT | WERKGEVER, scoped=False),
    "leerbedrijven:erkenning_list": Url(_none, WERKGEVER, scoped=False),
    "leerbedrijven:leerbaan_create": Url(_none, WERKGEVER, scoped=False),
    "leerbedrijven:leerbaan_upload": Url(_none, WERKGEVER, scoped=False),
    "leerbedrijven:leerbaan_edit": Url(lambda w: [{"pk": w.leerbaan.pk}], WERKGEVER),
    "trajecten:candidate_detail": Url(lambda w: [{"pk": w.candidate.pk}], CONSULTANT),
    # Inzage (downloads) and erasure on request: the registering organisation's consultants.
    "trajecten:candidate_inzage_json": Url(
        lambda w: [{"pk": w.candidate.pk}], CONSULTANT, page=False
    ),
    "trajecten:candidate_inzage_pdf": Url(
        lambda w: [{"pk": w.candidate.pk}], CONSULTANT, page=False
    ),
    "trajecten:candidate_erase": Url(lambda w: [{"pk": w.candidate.pk}], CONSULTANT),
    "trajecten:enrolment_list": Url(_none, CONSULTANT | WERKGEVER | SCHOOL, scoped=False),
    "trajecten:enrolment_detail": Url(
        lambda w: [{"pk": w.enrolment.pk}], CONSULTANT | WERKGEVER | SCHOOL
    ),
    "trajecten:enrolment_transition": Url(
        _transitions("enrolment", ["accept", "decline", "start", "complete", "stop"]),
        CONSULTANT | SCHOOL,
        page=False,
    ),
    "trajecten:agreement_edit": Url(
        lambda w: [{"pk": w.enrolment.pk, "kind": kind} for kind in ("pok", "ook")], SCHOOL
    ),
    # The school issues a praktijkverklaring (A's enrolment may not have one yet: back to the
    # enrolment) and, with the consultant, downloads it (none issued: 404).
    "trajecten:praktijkverklaring_issue": Url(
        lambda w: [{"pk": w.enrolment.pk}], SCHOOL, page=False
    ),
    "trajecten:praktijkverklaring_pdf": Url(
        lambda w: [{"pk": w.enrolment.pk}], CONSULTANT | SCHOOL, page=False
    ),
    # Public: anyone verifies a praktijkverklaring by its number and check code.
    "trajecten:verify": Url(_none, frozenset({"anonymous"}), scoped=False),
    "trajecten:programme": Url(lambda w: [{"pk": w.enrolment.pk}], CONSULTANT | WERKGEVER | SCHOOL),
    "trajecten:progress": Url(lambda w: [{"pk": w.enrolment.pk}], CONSULTANT | WERKGEVER | SCHOOL),
    "trajecten:voordracht_accept": Url(
        _transitions("voordracht", ["accept"]), WERKGEVER, page=False
    ),
    "leerbedrijven:leerbedrijf_list": Url(_none, WERKGEVER, scoped=False, page=False),
    "candidates:leerbedrijf_detail": Url(_leerbedrijf, WERKGEVER),
    "leerbedrijven:leerbedrijf_edit": Url(_leerbedrijf, WERKGEVER),
    "leerbedrijven:vestiging_create": Url(_leerbedrijf, WERKGEVER),
    "leerbedrijven:vestiging_edit": Url(lambda w: [{"pk": w.leerbaan.vestiging_id}], WERKGEVER),
    "leerbedrijven:contactperson_create": Url(_leerbedrijf, WERKGEVER),
    "leerbedrijven:contactperson_edit": Url(_contactperson, WERKGEVER),
    "leerbedrijven:contactperson_delete": Url(_contactperson, WERKGEVER),
    "leerbedrijven:praktijkopleider_create": Url(_leerbedrijf, WERKGEVER),
    "leerbedrijven:praktijkopleider_edit": Url(_praktijkopleider, WERKGEVER),
    "leerbedrijven:praktijkopleider_deactivate": Url(_praktijkopleider, WERKGEVER, page=False),
    "leerbedrijven:praktijkopleider_activate": Url(_praktijkopleider, WERKGEVER, page=False),
    "notifications:list": Url(_none, LOGGED_IN, scoped=False),
    "opleidingen:aanbod_search": Url(_none, CONSULTANT, scoped=False),
    "opleidingen:aanbod_list": Url(_none, SCHOOL, scoped=False),
    "opleidingen:aanbod_create": Url(_none, SCHOOL, scoped=False),
    "opleidingen:aanbod_edit": Url(lambda w: [{"pk": _aanbod(w).pk}], SCHOOL),
    "opleidingen:startmoment_create": Url(lambda w: [{"pk": _aanbod(w).pk}], SCHOOL),
    "opleidingen:startmoment_edit": Url(lambda w: [{"pk": _startmoment(w).pk}], SCHOOL),
    "opleidingen:startmoment_delete": Url(lambda w: [{"pk": _startmoment(w).pk}], SCHOOL),
    "notifications:preferences": Url(_none, LOGGED_IN, scoped=False),
    "notifications:mark_all_read": Url(_none, LOGGED_IN, scoped=False, page=False),
    "notifications:open": Url(lambda w: [{"pk": w.notification.pk}], CONSULTANT, page=False),
    "notifications:mark_read": Url(lambda w: [{"pk": w.notification.pk}], CONSULTANT, page=False),
    # An organisation administrator's pages show its own organisation: a stranger sees theirs.
    "notifications:organisation_settings": Url(_none, CONSULTANT, scoped=False),
    "notifications:webhook_test": Url(_none, CONSULTANT, scoped=False, page=False),
    "notifications:webhook_secret": Url(_none, CONSULTANT, scoped=False, page=False),
    "notifications:webhook_enable": Url(_none, CONSULTANT, scoped=False, page=False),
    "notifications:webhook_disable": Url(_none, CONSULTANT, scoped=False, page=False),
    "notifications:delivery_log": Url(_none, CONSULTANT, scoped=False),
    "notifications:delivery_resend": Url(
        lambda w: [{"pk": w.failed_message.pk}], CONSULTANT, page=False
    ),
    "accounts:access_log": Url(_none, CONSULTANT, scoped=False),
    # The second log-in step: the user's own app and codes. The setup page is a page for every
    # logged-in user without an app (the guard's users have none); the code page then sends
    # them to it, and the recovery codes page (nothing new to show) and the QR code are no page.
    "accounts:two_factor_setup": Url(_none, LOGGED_IN, scoped=False),
    "accounts:two_factor_verify": Url(_none, LOGGED_IN, scoped=False, page=False),
    "accounts:two_factor_qr": Url(_none, LOGGED_IN, scoped=False, page=False),
    "accounts:two_factor_recovery_codes": Url(_none, LOGGED_IN, scoped=False, page=False),
}
# Admin pages that answer anyone (they show no data): log-in, log-out, the JS catalogue.
ADMIN_PUBLIC = {"admin:login", "admin:logout", "admin:jsi18n"}
# Consultants also see open leerbanen of every werkgever: not the other organisations' data.
SHARED_WITH_CONSULTANTS = {"candidates:leerbaan_detail"}


def _patterns(patterns=None, prefix="", namespace="") -> Iterator[tuple[str, str, URLPattern]]:
    """(qualified name, route with its converters, pattern) of every URL pattern."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _patterns(entry.url_patterns, route, space)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield name, route, entry


def _path(route: str, kwargs: dict) -> str:
    """A concrete path from a route (``<int:pk>`` or regex groups) and ``kwargs``."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def _admin_kwargs(pattern: URLPattern, route: str) -> dict:
    """URL arguments of an admin pattern: an existing object of its ModelAdmin's model."""
    model_admin = getattr(pattern.callback, "model_admin", None)
    values = {
        "app_label": "candidates",
        "url": "bestaat-niet/",
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "id": User.objects.first().pk,
        "object_id": "0",
    }
    if model_admin is not None:
        first = model_admin.model.objects.order_by("pk").first()
        values["object_id"] = first.pk if first else "0"
    elif "content_type_id" in route:
        values["object_id"] = User.objects.first().pk
    names = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\?P<(\w+)>", route))
    unknown = names - values.keys()
    assert not unknown, f"The guard cannot fill {unknown} in admin URL {route!r}: teach it."
    return {name: values[name] for name in names}


def _requests(world: World) -> Iterator[tuple[str, str, Url | None]]:
    """(name, path, spec) for every URL pattern; spec None for the admin's."""
    for name, route, pattern in _patterns():
        if route.startswith(admin.site.name + "/") or route.startswith("beheer/"):
            yield name, _path(route, _admin_kwargs(pattern, route)), None
            continue
        assert name in URLS, f"URL pattern {name or route!r} is unknown to the guard: add it."
        spec = URLS[name]
        for kwargs in spec.fill(world):
            yield name, _path(route, kwargs), spec


def _client_for(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _leaks(world: World, html: str) -> bool:
    return SECRET in html or any(bsn in html for bsn in BSNS)


def test_the_guard_knows_every_url_pattern(world):
    names = {name for name, _path, spec in _requests(world) if spec is not None}
    assert names == set(URLS), set(URLS) - names


def test_no_user_of_another_organisation_sees_or_changes_anything(client, world):
    before = world.snapshot()
    for name, path, spec in _requests(world):
        for role in ("consultant_b", "werkgever_b", "school_b", "anonymous"):
            user = world.users[role]
            for method in ("get", "post"):
                response = getattr(_client_for(client, user), method)(path)
                status = response.status_code
                assert status != 500, (role, method, path)
                if spec is None:  # the admin: only for beheer
                    assert name in ADMIN_PUBLIC or status in (302, 403, 404), (role, method, path)
                    assert not _leaks(world, response.content.decode(errors="replace")), path
                    continue
                if user is None and spec.owners != {"anonymous"}:
                    assert status in (302, 405), (role, method, path)
                    if status == 302:
                        assert response["Location"].startswith(reverse("login")), path
                elif spec.scoped and not (
                    name in SHARED_WITH_CONSULTANTS and role == "consultant_b"
                ):
                    assert status in (403, 404, 405), (role, method, path, status)
                html = response.content.decode(errors="replace")
                assert not _leaks(world, html), (role, method, path)
    assert world.snapshot() == before


def test_every_page_answers_its_owners_with_one_h1(client, world):
    for _name, path, spec in _requests(world):
        owners = ("beheer",) if spec is None else sorted(spec.owners)
        for role in owners:
            response = _client_for(client, world.users[role]).get(path)
            assert response.status_code != 500, (role, path)
            is_page = spec is not None and spec.page
            if is_page:
                assert response.status_code == 200, (role, path, response.status_code)
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                h1s = re.findall(r"<h1[\s>]", response.content.decode())
                assert len(h1s) == 1, (role, path, len(h1s))


def test_posting_without_data_never_fails_for_the_owners(client, world):
    for _name, path, spec in _requests(world):
        owners = ("beheer",) if spec is None else sorted(spec.owners)
        for role in owners:
            response = _client_for(client, world.users[role]).post(path)
            assert response.status_code != 500, (role, path)


# --- list pages: a constant number of queries -------------------------------------------------


def _candidates(world, n):
    CandidateFactory.create_batch(n, consultant=world.users["consultant"])


def _leerbanen(world, n):
    ends = timezone.localdate() + dt.timedelta(days=30)
    for i in range(n):
        leerbaan = open_leerbaan(world.users["werkgever"])
        if i % 3 == 0:  # flagged: its erkenning ends within 90 days
            Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(geldig_tot=ends)


def _enrolments(world, n):
    instelling = world.enrolment.instelling
    for _ in range(n):
        EnrolmentFactory(
            candidate=CandidateFactory(consultant=world.users["consultant"], status="geplaatst"),
            leerbaan=world.leerbaan,
            instelling=instelling,
        )


def _erkenningen(world, n):
    """Erkenningen of the werkgever's leerbedrijf, each with two werkprocessen, a third of them
    ending within 90 days (flagged)."""
    leerbedrijf = world.leerbaan.leerbedrijf
    today = timezone.localdate()
    for i in range(n):
        erkenning = ErkenningFactory(
            leerbedrijf=leerbedrijf,
            geldig_tot=today + dt.timedelta(days=30) if i % 3 == 0 else None,
        )
        erkenning.werkprocessen.set(WerkprocesFactory.create_batch(2))


def _aanboden(world, n):
    """Aanbod of school A, each at its location with two start moments."""
    instelling = world.enrolment.instelling
    locatie = instelling.locaties.first() or MboLocatieFactory(instelling=instelling)
    for i in range(n):
        aanbod = OpleidingsaanbodFactory(instelling=instelling)
        aanbod.locaties.add(locatie)
        for month in (2, 9):
            StartMoment.objects.create(
                aanbod=aanbod, start_date=dt.date(2030, month, 1), capacity=5, places_taken=i % 3
            )


def _notifications(world, n):
    NotificationFactory.create_batch(n, user=world.users["consultant"])


def _messages(world, n):
    organisation = world.users["consultant"].organisation
    users = [world.users["consultant"], None]
    for i in range(n):
        OutboxMessageFactory(organisation=organisation, user=users[i % 2], failed=i % 3 == 0)


def _access_entries(world, n):
    consultant = world.users["consultant"]
    AccessLog.objects.bulk_create(
        AccessLog(
            user=consultant,
            username=consultant.username,
            organisation=consultant.organisation,
            action=AccessLog.Action.VIEW,
            view="trajecten:candidate_detail",
            candidate_id=world.candidate.pk,
        )
        for _ in range(n)
    )


def _leerbedrijven(world, n):
    LeerbedrijfFactory.create_batch(n, organisation=world.users["werkgever"].organisation)


def _voordrachten(world, n):
    statuses = ["voorgedragen", "uitgenodigd", "afgewezen", "aangenomen", "ingetrokken"]
    for i in range(n):
        status = statuses[i % len(statuses)]
        VoordrachtFactory(
            candidate=CandidateFactory(
                consultant=world.users["consultant"],
                status="geplaatst" if status == "aangenomen" else "voorgedragen",
            ),
            leerbaan=world.leerbaan,
            status=status,
            motivation="Past goed.",
        )


def _voordracht_requests(world, n):
    for i in range(n):
        VoordrachtRequest.objects.create(
            candidate=CandidateFactory(consultant=world.users["consultant"]),
            leerbaan=world.leerbaan,
            requested_by=world.users["werkgever"],
            answered_at=timezone.now() if i % 3 == 0 else None,
            answer="Liever niet." if i % 6 == 0 else "",
        )


LIST_PAGES = {
    "leerbedrijven:leerbedrijf_list": (_leerbedrijven, ["werkgever"]),
    "candidates:voordracht_list": (_voordrachten, ["werkgever"]),
    "candidates:voordracht_request_list": (_voordracht_requests, ["consultant", "werkgever"]),
    "notifications:list": (_notifications, ["consultant"]),
    "notifications:delivery_log": (_messages, ["consultant"]),
    "accounts:access_log": (_access_entries, ["consultant"]),
    "candidates:candidate_list": (_candidates, ["consultant"]),
    "leerbedrijven:leerbaan_list": (_leerbanen, ["werkgever", "consultant"]),
    "leerbedrijven:erkenning_list": (_erkenningen, ["werkgever"]),
    "trajecten:enrolment_list": (_enrolments, ["school", "consultant", "werkgever"]),
    "opleidingen:aanbod_list": (_aanboden, ["school"]),
}


def test_every_list_page_is_known():
    lists = {
        name
        for name, _route, _pattern in _patterns()
        if name.endswith(("_list", ":list", "_log")) and not name.startswith("admin:")
    }
    assert lists == set(LIST_PAGES)


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_a_list_page_runs_as_many_queries_for_10_as_for_200_rows(name, client, world):
    add_rows, roles = LIST_PAGES[name]
    url = reverse(name)
    counts: dict[str, list[int]] = {role: [] for role in roles}
    for total in (10, 200):
        add_rows(world, total - (10 if total == 200 else 0))
        for role in roles:
            _client_for(client, world.users[role])
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[role].append(len(queries))
    for role, (few, many) in counts.items():
        assert few == many, (name, role, few, many)


# --- app boundaries ---------------------------------------------------------------------------

LOWER_APPS = ("opleidingen", "leerbedrijven", "candidates")


def test_no_app_reaches_another_apps_models_through_meta():
    base = Path(settings.BASE_DIR)
    offenders = []
    for app in LOWER_APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if re.search(r"_meta\.get_field\([^)]*\)\.related_model|related_objects", text):
                offenders.append(str(path.relative_to(base)))
    assert not offenders


# --- the access log: every page with a candidate's data records who saw it --------------------

# Pages whose owners' GET shows no candidate's personal data (or that the world cannot show),
# each with its reason. Every other page that answers 200 must write an ``AccessLog`` entry.
_LEERBEDRIJF = "the werkgever's own leerbedrijf, its people and leerbanen: no candidate"
_AANBOD = "the school's opleidingsaanbod and start moments: no candidate"
_OWN = "the user's own settings or its organisation's: no candidate"
NOT_AUDITED: dict[str, str] = {
    "candidates:candidate_create": "an empty form: the candidate does not exist yet",
    "candidates:leerbaan_transition": "the leerbaan's publish/close/extend page: no candidate",
    "candidates:leerbedrijf_detail": "praktijkopleiders with a count of candidates, no names",
    "leerbedrijven:leerbaan_list": "leerbanen with counts of voordrachten, no candidate",
    "leerbedrijven:erkenning_list": _LEERBEDRIJF,
    "leerbedrijven:leerbedrijf_edit": _LEERBEDRIJF,
    "leerbedrijven:vestiging_create": _LEERBEDRIJF,
    "leerbedrijven:vestiging_edit": _LEERBEDRIJF,
    "leerbedrijven:contactperson_create": _LEERBEDRIJF,
    "leerbedrijven:contactperson_edit": _LEERBEDRIJF,
    "leerbedrijven:contactperson_delete": _LEERBEDRIJF,
    "leerbedrijven:praktijkopleider_create": _LEERBEDRIJF,
    "leerbedrijven:praktijkopleider_edit": _LEERBEDRIJF,
    "leerbedrijven:leerbaan_create": _LEERBEDRIJF,
    "leerbedrijven:leerbaan_upload": _LEERBEDRIJF,
    "leerbedrijven:leerbaan_edit": _LEERBEDRIJF,
    "opleidingen:aanbod_search": "the opleidingsaanbod of all schools: no candidate",
    "opleidingen:aanbod_list": _AANBOD,
    "opleidingen:aanbod_create": _AANBOD,
    "opleidingen:aanbod_edit": _AANBOD,
    "opleidingen:startmoment_create": _AANBOD,
    "opleidingen:startmoment_edit": _AANBOD,
    "opleidingen:startmoment_delete": _AANBOD,
    # A notification's title may name the case it is about (never a BSN); it is the user's own
    # message about its own work, and the page it opens records the access.
    "notifications:list": "the user's own notifications; the pages they open are recorded",
    "notifications:preferences": _OWN,
    "notifications:organisation_settings": _OWN,
    "notifications:delivery_log": "messages sent: event, channel and status; no candidate",
    "accounts:access_log": "the log itself: candidate numbers, never a candidate's data",
    "accounts:two_factor_setup": "the user's own authenticator app: no candidate",
    # Recorded, but the world has issued no praktijkverklaring (404): tests/trajecten/
    # test_praktijkverklaring.py asserts the export entry of each download.
    "trajecten:praktijkverklaring_pdf": "no praktijkverklaring in the world: see its own test",
}


def test_every_page_with_a_candidates_data_records_the_access(client, world):
    silent = []
    for name, path, spec in _requests(world):
        if spec is None or name in NOT_AUDITED or spec.owners == {"anonymous"}:
            continue
        for role in sorted(spec.owners):
            before = AccessLog.objects.count()
            response = _client_for(client, world.users[role]).get(path)
            if response.status_code == 200 and AccessLog.objects.count() == before:
                silent.append((name, role))
    assert not silent, f"pages that show a candidate without recording it: {silent}"
    # The administrator's access log names each recorded page in words (accounts/pages.py).
    unnamed = {
        v for v in AccessLog.objects.values_list("view", flat=True) if not page_label_known(v)
    }
    assert not unnamed, f"recorded pages without a label in PAGE_LABELS: {unnamed}"


def test_the_exceptions_are_still_url_patterns():
    assert set(NOT_AUDITED) <= set(URLS)


# --- refused access: a stranger's request for a candidate's page is recorded as refused ------

# Recorded pages of one object that name no single candidate.
NO_CANDIDATE_IN_URL = {
    "candidates:leerbaan_detail": "a leerbaan: its voordrachten and fitting candidates, many",
}


def test_every_scoped_page_of_a_candidate_names_its_candidate_for_a_refusal():
    scoped = {name for name in PAGE_LABELS if name in URLS and URLS[name].scoped}
    assert set(CANDIDATE_PAGES) == scoped - set(NO_CANDIDATE_IN_URL)


def test_a_refused_request_for_a_candidates_data_is_recorded(client, world):
    """For every page that shows a candidate's data, a user of another organisation (or a role
    the page is not for) gets 403/404, and an entry with result 'refused' appears, attributed to
    that user's organisation, for the candidate the URL names."""
    candidates = {
        world.candidate.pk,
        world.aangemeld.pk,
        world.voordracht.candidate_id,
        world.enrolment.candidate_id,
        world.voordracht_request.candidate_id,
    }
    unrecorded = []
    for name, path, _spec in _requests(world):
        if name not in CANDIDATE_PAGES:
            continue
        for role in ("consultant_b", "werkgever_b", "school_b"):
            user = world.users[role]
            for method in ("get", "post"):
                before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
                response = getattr(_client_for(client, user), method)(path)
                if response.status_code == 405:
                    continue
                assert response.status_code in (403, 404), (role, method, path)
                new = AccessLog.objects.filter(pk__gt=before or 0)
                refused = [e for e in new if e.result == AccessLog.Result.REFUSED]
                if not refused:
                    unrecorded.append((name, role, method))
                    continue
                assert not any(e.result == AccessLog.Result.SHOWN for e in new), path
                (entry,) = refused
                assert entry.organisation_id == user.organisation_id, path
                assert entry.user_id == user.pk, path
                assert entry.view == name
                assert entry.candidate_id in candidates, (path, entry.candidate_id)
    assert not unrecorded, f"refusals without an access entry: {unrecorded}"


def test_a_refusal_of_a_candidate_that_does_not_exist_records_its_id(client, world):
    _client_for(client, world.users["consultant_b"])
    missing = Candidate.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    assert client.get(reverse("trajecten:candidate_inzage_json", args=[missing])).status_code == 404
    entry = AccessLog.objects.get(candidate_id=missing)
    assert (entry.result, entry.action) == (AccessLog.Result.REFUSED, AccessLog.Action.EXPORT)
    assert entry.get_result_display() == "geweigerd"


def test_the_owners_access_is_still_recorded_as_shown(client, world):
    _client_for(client, world.users["consultant"])
    path = reverse("trajecten:candidate_detail", args=[world.candidate.pk])
    assert client.get(path).status_code == 200
    entry = AccessLog.objects.order_by("-pk").first()
    assert (entry.candidate_id, entry.result) == (world.candidate.pk, AccessLog.Result.SHOWN)
    assert not AccessLog.objects.filter(result=AccessLog.Result.REFUSED).exists()


# Admin pages that show candidates: their ModelAdmin records each page (the changelist's rows,
# the change page's object) through ``AccessLoggedAdminMixin``.
AUDITED_ADMIN_MODELS = {Candidate, Voordracht, Enrolment}


def test_every_admin_page_of_a_candidate_records_the_access(client, world):
    for model, model_admin in admin.site._registry.items():
        points_at_candidate = any(
            getattr(field, "related_model", None) is Candidate for field in model._meta.fields
        )
        if model is Candidate or points_at_candidate:
            assert model in AUDITED_ADMIN_MODELS, model
            assert isinstance(model_admin, AccessLoggedAdminMixin), model
    _client_for(client, world.users["beheer"])
    for model in AUDITED_ADMIN_MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        obj = model.objects.order_by("pk").first()
        for url in (
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
        ):
            before = AccessLog.objects.count()
            assert client.get(url).status_code == 200, url
            candidate_id = obj.pk if model is Candidate else obj.candidate_id
            new = AccessLog.objects.filter(action="admin").order_by("-pk")[
                : AccessLog.objects.count() - before
            ]
            assert candidate_id in {e.candidate_id for e in new}, url
