"""Filters on the organisation administrator's access log (django-filter): by candidate
number, user, action, result and date from/to."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.models import AccessLog, Organisation, User
from praktijkleren.ui.forms import TextRulesMixin

# The largest candidate number PostgreSQL's bigint holds (AccessLog.candidate_id).
CANDIDATE_ID_MAX = 2**63 - 1


class AccessLogFilterForm(TextRulesMixin, forms.Form):
    """The access log's filter form: the portal's text rules on every field."""


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (``NumberFilter`` takes decimals)."""

    field_class = forms.IntegerField


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessLogFilter(django_filters.FilterSet):
    """The access log by candidate number (a whole number from 1), by user (the users of
    ``organisation``, by name), by action and result (``AccessLog`` choices) and by the day of
    access from and to (dates, in the portal's time zone, both included). An invalid value is
    refused at its field and not applied."""

    candidate = IntegerFilter(
        label=_("Kandidaatnummer"),
        field_name="candidate_id",
        min_value=1,
        max_value=CANDIDATE_ID_MAX,
    )
    user = django_filters.ChoiceFilter(
        label=_("Gebruiker"), field_name="user_id", empty_label=_("Alle gebruikers")
    )
    action = django_filters.ChoiceFilter(
        label=_("Handeling"), choices=AccessLog.Action.choices, empty_label=_("Alle handelingen")
    )
    result = django_filters.ChoiceFilter(
        label=_("Resultaat"), choices=AccessLog.Result.choices, empty_label=_("Alle resultaten")
    )
    date_from = django_filters.DateFilter(
        label=_("Vanaf"), field_name="at", lookup_expr="date__gte", widget=_date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("Tot en met"), field_name="at", lookup_expr="date__lte", widget=_date_input()
    )

    class Meta:
        model = AccessLog
        form = AccessLogFilterForm
        fields = ["candidate", "user", "action", "result", "date_from", "date_to"]

    def __init__(
        self, data: Any = None, *args: Any, organisation: Organisation, **kwargs: Any
    ) -> None:
        super().__init__(data, *args, **kwargs)
        users = User.objects.filter(organisation=organisation).order_by(
            "last_name", "first_name", "username"
        )
        self.filters["user"].extra["choices"] = [
            (str(pk), f"{(f'{first} {last}').strip() or username} ({username})")
            for pk, first, last, username in users.values_list(
                "pk", "first_name", "last_name", "username"
            )
        ]
