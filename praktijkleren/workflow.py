"""Workflows: the states of everything that moves, declared once, and the one way to change them.

Four things move through states: the candidate, the voordracht, the leerbaan and the enrolment
(their tables are in ``docs/architecture.md``). Each is a ``WorkflowModel``: a protected
``FSMField`` named ``status`` (django-fsm-2) and one ``@transition`` method per transition. The
decorator declares everything about the transition in one place:

- ``source`` and ``target``: the states it leaves and reaches;
- ``conditions``: ``Rule`` objects, each a test on the instance with the Dutch sentence shown
  when it fails (the leerbaan is open, the candidate gave consent, ...);
- ``permission``: who may make it, a predicate ``(instance, user) -> bool``. ``by_system`` is
  for the scheduled jobs (no user); ``as_follow_up`` marks a transition that only another
  transition makes (a candidate becomes *geplaatst* when a voordracht is accepted);
- ``custom={"action": Action(...)}``: the button's label, who may press it (for the refusal
  message), the view that runs it and whether it asks for a reason or other input.

Services never assign ``status``: they lock the row, then call ``transition_apply``, which
refuses with a Dutch message what the state, a rule or the user's role does not allow, runs the
transition, saves the row and writes one row to the model's transition log (from, to, by,
organisation, reason, time). Templates list the transitions a user may make with
``actions_for`` (the ``workflow_actions`` template tag) and show the log with ``history_for``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import FSMModelMixin, Transition

from praktijkleren.accounts.selectors import organisation_of

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

logger = logging.getLogger(__name__)


class TransitionRefused(ValidationError):
    """A transition that the current state, one of its rules or the acting user's role does not
    allow. ``messages`` holds one Dutch sentence that says why; ``code`` is ``"state"``,
    ``"rule"``, ``"role"`` or ``"reason"`` (a required reason is missing)."""


@dataclasses.dataclass(frozen=True)
class Rule:
    """A condition of a transition: ``test(instance) -> bool`` and the Dutch ``message`` shown
    when it does not hold. django-fsm-2 calls it like a plain condition function."""

    test: Any
    message: _StrOrPromise

    def __call__(self, instance: Any) -> bool:
        return bool(self.test(instance))


@dataclasses.dataclass(frozen=True)
class Action:
    """How a transition is offered to people.

    ``label``: the button (Dutch, e.g. "Uitnodigen"); ``who``: who may make it, finishing the
    sentence "'Uitnodigen' mag alleen ..." ("de werkgever van deze leerbaan"); ``url_name``: the
    view that runs it (``pk`` and ``transition`` as URL arguments), empty for transitions that
    nobody makes by hand; ``reasons``: the ``TextChoices`` of reason codes to pick from, if any;
    ``reason_required``: refuse without a reason; ``asks_input``: the view shows a form first
    (a reason, a date) instead of a single button; ``primary``: the page's main action.
    """

    label: _StrOrPromise
    who: _StrOrPromise = ""
    url_name: str = ""
    reasons: type[models.TextChoices] | None = None
    reason_required: bool = False
    asks_input: bool = False
    primary: bool = False


def by_system(instance: Any, user: Any) -> bool:
    """Permission of transitions that only the scheduled jobs make (``by`` is None)."""
    return user is None


def as_follow_up(instance: Any, user: Any) -> bool:
    """Permission of transitions that only another transition makes: nobody by hand.
    ``transition_apply(..., follow_up=True)`` runs them for the user of the first transition."""
    return False


class WorkflowModel(FSMModelMixin, models.Model):
    """Base of every model that moves through states.

    Subclasses declare ``status = FSMField(..., protected=True)`` with their transitions and a
    transition log model with a foreign key ``related_name="transitions"`` to them.
    ``creation_label`` names the first log row ("Aangemeld", "Voorgedragen").
    """

    creation_label: ClassVar[_StrOrPromise] = gettext_lazy("Aangemaakt")

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        """Validate every field but ``status``: the workflow guards it, and Django's cleaning
        would assign it again, which the protected field refuses."""
        super().clean_fields(exclude={*(exclude or ()), "status"})


class TransitionLogBase(models.Model):
    """One transition of one object: ``from_state`` → ``to_state`` (state values; ``from_state``
    is empty for the row that records the object's creation), made with ``transition`` (the
    method name) at ``at`` by user ``by`` acting for ``organisation``.

    ``by`` and ``organisation`` are None for the scheduled jobs (the system). Both are PROTECT:
    deleting a user or an organisation never removes the history it made. ``reason_code`` is one
    of the transition's reason codes (``Action.reasons``), ``reason`` free text. Subclasses add
    the foreign key to their object (PROTECT, ``related_name="transitions"``).
    """

    transition = models.CharField(gettext_lazy("overgang"), max_length=40)
    from_state = models.CharField(gettext_lazy("van"), max_length=30, blank=True)
    to_state = models.CharField(gettext_lazy("naar"), max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("door"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("organisatie"),
    )
    reason_code = models.CharField(gettext_lazy("reden"), max_length=40, blank=True)
    reason = models.TextField(gettext_lazy("toelichting"), max_length=1000, blank=True)
    at = models.DateTimeField(gettext_lazy("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


def _status_field(model: type[WorkflowModel]) -> Any:
    """The model's ``status`` FSM field (typed loosely: the base class declares none)."""
    name: str = "status"
    return model._meta.get_field(name)


def _action(transition: Transition) -> Action:
    return transition.custom.get("action") or Action(label=transition.name)


def _state_label(instance: WorkflowModel, state: str) -> str:
    choices = dict(_status_field(type(instance)).flatchoices)
    return str(choices.get(state, state))


def transition_check(
    instance: WorkflowModel,
    name: str,
    *,
    by: Any,
    reason: str | None = "",
    reason_code: str = "",
    follow_up: bool = False,
) -> Transition:
    """Refuse, with ``TransitionRefused``, transition ``name`` of ``instance`` for user ``by``
    when it may not run now; return the transition otherwise. Checks, in order: the current
    state allows ``name``; every ``Rule`` holds; ``by`` may make it (skipped with
    ``follow_up=True``); a required reason is given; a reason code is one of the transition's
    (both skipped with ``reason=None``: a page asks whether to offer the transition at all).
    Changes nothing (services call it before follow-ups that must not run for a refused one)."""
    method = getattr(instance, name)
    meta = method._django_fsm
    source = meta.field.get_state(instance)
    transition = meta.get_transition(source) if meta.has_transition(source) else None
    if transition is None:
        action = _action(next(iter(meta.transitions.values())))
        raise TransitionRefused(
            _("‘%(action)s’ kan niet: deze %(object)s heeft de status ‘%(status)s’.")
            % {
                "action": action.label,
                "object": instance._meta.verbose_name,
                "status": _state_label(instance, source),
            },
            code="state",
        )
    action = _action(transition)
    for rule in transition.conditions:
        if not rule(instance):
            raise TransitionRefused(str(getattr(rule, "message", action.label)), code="rule")
    if not follow_up and not transition.has_perm(instance, by):
        raise TransitionRefused(
            _("‘%(action)s’ mag alleen %(who)s.") % {"action": action.label, "who": action.who},
            code="role",
        )
    if reason is None:  # only asking whether the transition is open to ``by`` now
        return transition
    if action.reason_required and not (reason_code or reason.strip()):
        raise TransitionRefused(_("Geef een reden op."), code="reason")
    if reason_code and (action.reasons is None or reason_code not in action.reasons.values):
        raise TransitionRefused(_("Kies een van de genoemde redenen."), code="reason")
    return transition


def transition_apply(
    instance: WorkflowModel,
    name: str,
    *,
    by: Any,
    reason: str = "",
    reason_code: str = "",
    follow_up: bool = False,
    **arguments: Any,
) -> TransitionLogBase:
    """Run transition ``name`` on ``instance`` for user ``by`` (None: the system) and log it.

    The caller (a service) has locked ``instance``'s row in its transaction. ``transition_check``
    refuses first what may not run (``TransitionRefused``, with a Dutch message naming the action
    and, for a state, the current status; nothing is changed then). ``follow_up=True`` is for a
    transition another transition makes on behalf of the same user: no role check. Then calls
    the transition method with ``arguments`` (plus ``reason_code`` for a transition with reason
    codes: the method stores it on the object), saves the row and writes the log row, which it
    returns.
    """
    transition = transition_check(
        instance, name, by=by, reason=reason, reason_code=reason_code, follow_up=follow_up
    )
    source = _status_field(type(instance)).value_from_object(instance)
    if _action(transition).reasons is not None:
        arguments["reason_code"] = reason_code
    getattr(instance, name)(**arguments)
    instance.save()
    return log_write(
        instance, transition=name, from_state=source, by=by, reason=reason, reason_code=reason_code
    )


def atomic_service(function: Any) -> Any:
    """Run the service ``function`` in a transaction, and run it again (at most three times in
    all) when PostgreSQL broke a deadlock by aborting it: services lock several rows, and two of
    them can meet crosswise (an acceptance that fills a leerbaan locks the other candidates of
    it; a voordracht for one of them locks the candidate first). Inside an outer transaction it
    just joins that one: the outermost service retries."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        if transaction.get_connection().in_atomic_block:
            return function(*args, **kwargs)
        for attempt in range(1, _DEADLOCK_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return function(*args, **kwargs)
            except OperationalError as exc:
                if attempt == _DEADLOCK_ATTEMPTS or not _is_deadlock(exc):
                    raise
                logger.warning("%s: deadlock broken, attempt %d again.", function.__name__, attempt)
        raise AssertionError("unreachable")

    return run


_DEADLOCK_ATTEMPTS = 3


def _is_deadlock(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "40P01"


def log_write(
    instance: WorkflowModel,
    *,
    transition: str,
    from_state: str,
    by: Any,
    reason: str = "",
    reason_code: str = "",
) -> TransitionLogBase:
    """Write one row to ``instance``'s transition log: ``from_state`` → its current state.

    ``transition_apply`` calls it; services call it directly only for the row that records an
    object's creation (``from_state=""``). ``by`` is a user or None (the system).
    """
    return instance.transitions.create(  # type: ignore[attr-defined]
        transition=transition,
        from_state=from_state,
        to_state=_status_field(type(instance)).value_from_object(instance),
        by=by if by is not None and by.pk else None,
        organisation=organisation_of(by),
        reason=reason,
        reason_code=reason_code,
    )


@dataclasses.dataclass(frozen=True)
class AvailableAction:
    """A transition ``user`` may make now: its ``name``, ``action`` and the ``url`` that runs it
    (a POST, or a GET to a form page when ``action.asks_input``)."""

    name: str
    action: Action
    url: str


def actions_for(instance: WorkflowModel, user: Any) -> list[AvailableAction]:
    """The transitions ``user`` may make on ``instance`` now (state, rules and role all allow
    it), in declaration order, leaving out those nobody makes by hand. (django-fsm lists them
    by method name: "Afwijzen" came before "Uitnodigen", the page's main action.)"""
    available = sorted(
        instance.get_available_user_status_transitions(user),  # type: ignore[attr-defined]
        key=_declared_at,
    )
    found = []
    for transition in available:
        action = _action(transition)
        if action.url_name:
            url = reverse(
                action.url_name, kwargs={"pk": instance.pk, "transition": transition.name}
            )
            found.append(AvailableAction(name=transition.name, action=action, url=url))
    return found


def transition_target(model: type[WorkflowModel], name: str) -> str | None:
    """The state ``model``'s transition ``name`` reaches, or None when there is no such one."""
    for transition in _all_transitions(model):
        if transition.name == name:
            return str(transition.target)
    return None


def _declared_at(transition: Transition) -> int:
    """The line of the model that declares ``transition``'s method: its place in the model."""
    return int(transition.method.__code__.co_firstlineno)


def action_of(model: type[WorkflowModel], name: str) -> Action | None:
    """The ``Action`` of ``model``'s transition ``name``, or None when there is no such one."""
    for transition in _all_transitions(model):
        if transition.name == name:
            return _action(transition)
    return None


def _all_transitions(model: type[WorkflowModel]) -> list[Transition]:
    return list(_status_field(model).get_all_transitions(model))


@dataclasses.dataclass(frozen=True)
class HistoryRow:
    """One log row as a page shows it: when, what (the action's label), from and to (state
    labels; ``from_label`` empty for the creation), who (a name for the viewer's own
    organisation, else the organisation; "Het portaal" for the system) and why."""

    at: dt.datetime
    label: str
    from_label: str
    to_label: str
    actor: str
    reason: str


def history_for(instance: WorkflowModel, viewer: Any) -> list[HistoryRow]:
    """``instance``'s transition log, oldest first, as ``HistoryRow`` objects for ``viewer``.
    One query."""
    model = type(instance)
    actions = {t.name: _action(t) for t in _all_transitions(model)}
    viewer_organisation = organisation_of(viewer)
    rows = []
    for log in instance.transitions.select_related("by", "organisation"):  # type: ignore[attr-defined]
        action = actions.get(log.transition)
        rows.append(
            HistoryRow(
                at=log.at,
                label=str(action.label if action else model.creation_label),
                from_label=_state_label(instance, log.from_state) if log.from_state else "",
                to_label=_state_label(instance, log.to_state),
                actor=_actor(log, viewer_organisation),
                reason=_reason(log, action),
            )
        )
    return rows


def _actor(log: TransitionLogBase, viewer_organisation: Any) -> str:
    if log.organisation_id is None:
        return str(log.by.get_full_name() or log.by.username) if log.by else _("Het portaal")
    if viewer_organisation is not None and log.organisation_id == viewer_organisation.pk and log.by:
        name = log.by.get_full_name() or log.by.username
        return f"{name}, {log.organisation}"
    return str(log.organisation)


def _reason(log: TransitionLogBase, action: Action | None) -> str:
    code = log.reason_code
    if code and action and action.reasons is not None and code in action.reasons.values:
        code = str(action.reasons(code).label)
    return ": ".join(part for part in (code, log.reason) if part)
