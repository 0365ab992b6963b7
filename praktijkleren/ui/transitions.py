"""One view for every workflow transition a person makes (``praktijkleren.workflow``).

An app lists its transitions as ``Step`` objects (the service to call, and the form when the
transition asks for a reason or a date) and subclasses ``TransitionView`` with the objects the
user may see. GET shows the transition's page (its form, or a confirmation) when the user may
make the transition now, else goes back with the reason; POST runs it and goes back to the
object's page (or a safe ``next``) with a message saying what happened or why it was refused.
The URL pattern gives ``pk`` and ``transition`` (the transition's name).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from praktijkleren.accounts.audit import access_record
from praktijkleren.ui.forms import TextRulesMixin
from praktijkleren.ui.http import redirect_back, safe_next_url
from praktijkleren.workflow import Action, action_of, transition_check, transition_target

# Reason codes that only data migrations use; nobody picks them.
HIDDEN_REASON_CODES = {"niet_vastgelegd"}
OTHER_REASON_CODE = "overig"


class ReasonForm(TextRulesMixin, forms.Form):
    """The reason of a transition: a code from the transition's ``Action.reasons`` (radio
    buttons; when it has any) and free text (at most 1,000 characters; required for the code
    "overig", or when the transition needs a reason and has no codes)."""

    reason_code = forms.ChoiceField(label=gettext_lazy("Reden"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action.reasons is None:
            del self.fields["reason_code"]
            self.fields["reason"].required = action.reason_required
        else:
            self.fields["reason_code"].choices = [
                (value, label)
                for value, label in action.reasons.choices
                if value not in HIDDEN_REASON_CODES
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason_code") == OTHER_REASON_CODE and not cleaned.get("reason"):
            self.add_error("reason", _("Licht de andere reden toe."))
        return cleaned


@dataclasses.dataclass(frozen=True)
class Step:
    """A transition a person makes: ``run(obj, user, **cleaned_data)`` calls its service;
    ``form`` is the form class it asks (None: just a confirmation). A form class that takes an
    ``action`` keyword (``ReasonForm``) gets the transition's ``Action``. ``explanation``: what
    else the step does, said on its page before the user confirms."""

    run: Callable[..., Any]
    form: type[forms.Form] | None = None
    explanation: str | Promise = ""


class TransitionView(View):
    """GET: the page of one transition; POST: run it. Subclasses set ``steps`` (transition name
    → ``Step``), ``permission_required`` (the django-rules permission of the role that may open
    it: others get 403) and ``get_queryset(request)`` (the objects the user may see: another
    organisation's object is a 404). Anonymous visitors go to the log-in page."""

    steps: dict[str, Step] = {}
    permission_required = ""
    template_name = "components/transition_page.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        raise NotImplementedError

    def object_label(self, request: HttpRequest, obj: Model) -> str:
        """What the page calls ``obj`` (heading, title): ``str(obj)``. A view whose objects
        name a person that some users may not see by name overrides it."""
        return str(obj)

    def accessed_candidate_ids(self, obj: Model) -> list[int]:
        """The candidates whose data the page of ``obj`` shows, recorded in the access log
        (``praktijkleren.accounts.audit``) each time it is shown: none by default; a view whose
        objects belong to a candidate overrides it."""
        return []

    def _setup(self, request: HttpRequest, pk: int, transition: str) -> tuple[Model, Step, Action]:
        step = self.steps.get(transition)
        if step is None:
            raise Http404(_("Deze handeling bestaat niet."))
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        action = action_of(type(obj), transition)
        if action is None:
            raise Http404(_("Deze handeling bestaat niet."))
        return obj, step, action

    def _form(
        self, step: Step, action: Action, data: Any = None, *, obj: Model | None = None
    ) -> forms.Form | None:
        if step.form is None:
            return None
        if step.form is ReasonForm or issubclass(step.form, ReasonForm):
            return step.form(data, action=action)
        if getattr(step.form, "takes_object", False):  # its choices depend on the object
            return step.form(data, obj=obj)  # type: ignore[call-arg]
        return step.form(data)

    def get(self, request: HttpRequest, pk: int, transition: str) -> HttpResponse:
        obj, step, action = self._setup(request, pk, transition)
        try:
            transition_check(obj, transition, by=request.user, reason=None)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect_back(request, obj.get_absolute_url())  # type: ignore[attr-defined]
        return self._page(request, obj, step, action, self._form(step, action, obj=obj))

    def post(self, request: HttpRequest, pk: int, transition: str) -> HttpResponse:
        obj, step, action = self._setup(request, pk, transition)
        form = self._form(step, action, request.POST, obj=obj)
        if form is not None and not form.is_valid():
            return self._page(request, obj, step, action, form)
        try:
            step.run(obj, request.user, **(form.cleaned_data if form is not None else {}))
        except ValidationError as exc:
            now = self._reread(obj)
            refused_for_state = getattr(exc, "code", None) == "state"
            if refused_for_state and now.status == transition_target(type(obj), transition):
                # Refused because it was just made: the same form sent twice (a double click).
                messages.info(
                    request,
                    _("‘%(action)s’ was al gedaan: %(object)s heeft de status ‘%(status)s’.")
                    % self._message_values(action, now),
                )
            else:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("‘%(action)s’ is gelukt: %(object)s heeft nu de status ‘%(status)s’.")
                % self._message_values(action, self._reread(obj)),
            )
        return redirect_back(request, obj.get_absolute_url())  # type: ignore[attr-defined]

    @staticmethod
    def _reread(obj: Model) -> Any:
        """``obj`` as the database has it now: a new instance, not ``refresh_from_db``, whose
        django-fsm mixin switches the status field's protection off and on for the whole class,
        which two threads of a threaded server then trip over (AttributeError)."""
        return type(obj)._default_manager.get(pk=obj.pk)

    @staticmethod
    def _message_values(action: Action, obj: Any) -> dict[str, Any]:
        return {
            "action": action.label,
            "object": obj._meta.verbose_name,
            "status": obj.get_status_display(),
        }

    def _page(
        self, request: HttpRequest, obj: Model, step: Step, action: Action, form: forms.Form | None
    ) -> HttpResponse:
        context = {
            "explanation": step.explanation,
            "object": obj,
            "object_label": self.object_label(request, obj),
            "action": action,
            "form": form,
            "back_url": safe_next_url(request, obj.get_absolute_url()),  # type: ignore[attr-defined]
        }
        access_record(request, self.accessed_candidate_ids(obj))
        return render(request, self.template_name, context)
