"""The access log: which user of which organisation saw which candidate's personal data, on
which page, from where and when (``AccessLog``). Reads only: changes and deletions are
django-auditlog's ``LogEntry``. Both tables are append-only in PostgreSQL."""

import ipaddress
from collections.abc import Iterable
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.http import HttpRequest

from praktijkleren.accounts.models import AccessLog

Action = AccessLog.Action


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
    request: HttpRequest, candidate_ids: Iterable[int | None], action: str = Action.VIEW
) -> int:
    """Record that ``request.user`` was shown the personal data of the candidates with
    ``candidate_ids`` (pks; duplicates and None are dropped) by ``action`` (``AccessLog.Action``)
    on the request's page: one bulk insert, one row per candidate. Anonymous requests and an
    empty list record nothing. Returns the number of rows written."""
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
            origin=origin,
        )
        for pk in ids
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)


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
