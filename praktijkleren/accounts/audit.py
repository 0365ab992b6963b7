"""The access log: which user of which organisation saw which candidate's personal data, on
which page, from where and when (``AccessLog``). Reads only: changes and deletions are
django-auditlog's ``LogEntry``. Both tables are append-only in PostgreSQL."""

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponseBase

from praktijkleren.accounts.models import AccessLog

Action = AccessLog.Action
Result = AccessLog.Result


def _origin(request: HttpRequest) -> str | None:
    """The client's IP address as django-auditlog reads it (the first ``X-Forwarded-For``
    hop, else ``REMOTE_ADDR``); None when that is not an IP address."""
    address = AuditlogMiddleware._get_remote_addr(request)
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def request_origin(request: HttpRequest) -> str | None:
    """The client's IP address of ``request`` as the audit records it, or None."""
    return _origin(request)


def access_record(
    request: HttpRequest,
    candidate_ids: Iterable[int | None],
    action: str = Action.VIEW,
    result: str = Result.SHOWN,
) -> int:
    """Record that ``request.user`` was shown (``result`` ``SHOWN``) or refused (``REFUSED``)
    the personal data of the candidates with ``candidate_ids`` (pks; duplicates and None are
    dropped) by ``action`` (``AccessLog.Action``) on the request's page: one bulk insert, one
    row per candidate. Anonymous requests and an empty list record nothing. Returns the number
    of rows written."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    ids = list(dict.fromkeys(pk for pk in candidate_ids if pk is not None))
    if not ids:
        return 0
    match = getattr(request, "resolver_match", None)
    view = (match.view_name if match is not None else "") or request.path[:100]
    origin = _origin(request)
    rows = [
        AccessLog(
            user_id=user.pk,
            username=user.get_username(),
            organisation_id=user.organisation_id,
            action=action,
            view=view[:100],
            candidate_id=pk,
            result=result,
            origin=origin,
        )
        for pk in ids
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class CandidatePage:
    """How a URL name that shows a candidate's data names its candidate: ``candidate(kwargs)``
    gives the candidate's pk (an int) from the URL's keyword arguments, or None when the object
    the URL names does not exist; ``action`` is the ``AccessLog.Action`` a refusal records."""

    candidate: Callable[[dict], int | None]
    action: str = Action.VIEW


# URL name -> how its URL names a candidate. The domain apps fill it in their
# ``AppConfig.ready`` (``candidate_page_register``): accounts imports no domain app.
CANDIDATE_PAGES: dict[str, CandidatePage] = {}


def candidate_kwarg(name: str = "pk") -> Callable[[dict], int | None]:
    """A ``CandidatePage.candidate`` that reads the candidate's pk from the URL argument
    ``name`` (the candidate need not exist: the id is recorded anyway)."""

    def candidate(kwargs: dict) -> int | None:
        value = kwargs.get(name)
        return int(value) if isinstance(value, int) or str(value).isdigit() else None

    return candidate


def candidate_of(model: type[Model]) -> Callable[[dict], int | None]:
    """A ``CandidatePage.candidate`` for a URL whose ``pk`` names an object of ``model`` with a
    ``candidate`` (a voordracht, an enrolment): its ``candidate_id``, or None when the object
    does not exist. One query."""

    def candidate(kwargs: dict) -> int | None:
        pk = kwargs.get("pk")
        if not isinstance(pk, int):
            return None
        return model._default_manager.filter(pk=pk).values_list("candidate_id", flat=True).first()

    return candidate


def candidate_page_register(
    url_name: str, candidate: Callable[[dict], int | None], action: str = Action.VIEW
) -> None:
    """Declare that the page ``url_name`` (``"namespace:name"``) shows the data of the
    candidate that ``candidate(kwargs)`` names, so that a refused request is recorded
    (``RefusedAccessMiddleware``)."""
    CANDIDATE_PAGES[url_name] = CandidatePage(candidate=candidate, action=action)


REFUSED_STATUSES = frozenset({403, 404})


class RefusedAccessMiddleware:
    """Records a refused access: when a logged-in user's request to a page registered in
    ``CANDIDATE_PAGES`` answers 403 or 404, one ``AccessLog`` entry with result ``REFUSED``
    for the candidate the URL names (the id as given, whether or not the candidate exists;
    nothing when a voordracht or enrolment named by the URL does not exist). Shown pages record
    themselves through ``access_record``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES:
            self._record(request)
        return response

    def _record(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None:
            return
        page = CANDIDATE_PAGES.get(match.view_name)
        if page is None:
            return
        access_record(request, [page.candidate(match.kwargs)], page.action, Result.REFUSED)


class AccessLoggedAdminMixin:
    """A ``ModelAdmin`` mixin that records every admin page showing candidates: the change
    view (one candidate) and the changelist (the candidates on the page shown). Set
    ``access_candidate_field`` to the path of the candidate's pk on the model (``"pk"`` for
    ``Candidate`` itself, ``"candidate_id"`` for a model pointing at one)."""

    access_candidate_field = "pk"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        obj = getattr(response, "context_data", None) or {}
        original = obj.get("original")
        if original is not None and getattr(response, "status_code", 200) == 200:
            access_record(request, [self._candidate_pk(original)], Action.ADMIN)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            access_record(
                request,
                [self._candidate_pk(obj) for obj in changelist.result_list],
                Action.ADMIN,
            )
        return response

    def _candidate_pk(self, obj) -> int | None:
        return getattr(obj, self.access_candidate_field, None)


# --- django-auditlog's object_repr ---------------------------------------------------------------

# Model → the neutral word that replaces ``str(instance)`` in its ``LogEntry.object_repr``.
_NEUTRAL_REPR: dict[type, str] = {}


def _object_repr_neutralise(sender: type, instance: Any, **kwargs: Any) -> None:
    """``pre_save`` of ``LogEntry``: a new entry about a model registered with
    ``auditlog_neutral_repr`` gets ``"<word> <pk>"`` as its ``object_repr``."""
    if not instance._state.adding or instance.content_type_id is None:
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    word = _NEUTRAL_REPR.get(model) if model is not None else None
    if word is not None:
        instance.object_repr = f"{word} {instance.object_pk}"


def auditlog_neutral_repr(model: type, word: str) -> None:
    """Keep the name of a person out of django-auditlog's entries about ``model``: their
    ``object_repr`` becomes ``"<word> <pk>"`` (``"kandidaat 12"``) instead of
    ``str(instance)``, which for a candidate is the name. django-auditlog (3.4) computes the
    repr with ``smart_str(instance)`` and offers no hook for it, so a ``pre_save`` receiver on
    ``LogEntry`` rewrites it before the (append-only) row is written. Call it from an app's
    ``ready``; calling it again is harmless."""
    _NEUTRAL_REPR[model] = word
    pre_save.connect(_object_repr_neutralise, sender=LogEntry, dispatch_uid="auditlog_neutral_repr")
