"""Filters on the enrolment list (django-filter): the school's inbox, and the consultant's
and werkgever's lists."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment


def enrolments_with_proposed_start(queryset: QuerySet) -> QuerySet:
    """``queryset`` with ``proposed_start`` (a date or None): the start date once accepted,
    else the date of the proposed start moment."""
    return queryset.annotate(proposed_start=Coalesce("start_date", "startmoment__start_date"))


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnrolmentFilter(django_filters.FilterSet):
    """Search by the candidate's name; filter by status (each choice with its count among
    ``base``, the enrolments the user sees), by kwalificatie (those among ``base``) and by the
    (proposed) start date from and to (dates). The queryset must carry ``proposed_start``
    (``enrolments_with_proposed_start``)."""

    q = django_filters.CharFilter(label=_("Zoek op naam van de kandidaat"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), empty_label=None, method="by_status")
    kwalificatie = django_filters.ChoiceFilter(
        label=_("Kwalificatie"), empty_label=_("Alle kwalificaties"), method="by_kwalificatie"
    )
    start_from = django_filters.DateFilter(
        label=_("Start vanaf"),
        field_name="proposed_start",
        lookup_expr="gte",
        widget=_date_input(),
    )
    start_to = django_filters.DateFilter(
        label=_("Start tot en met"),
        field_name="proposed_start",
        lookup_expr="lte",
        widget=_date_input(),
    )

    ALL = ""

    def __init__(self, data: Any = None, *args: Any, base: QuerySet, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        counts = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
        total = sum(counts.values())
        self.status_counts = [
            (value, label, counts.get(value, 0)) for value, label in EnrolmentStatus.choices
        ]
        self.total = total
        self.filters["status"].extra["choices"] = [
            (self.ALL, _("Alle statussen (%(n)d)") % {"n": total}),
            *((value, f"{label} ({n})") for value, label, n in self.status_counts),
        ]
        kwalificaties = (
            base.order_by("kwalificatie__naam", "kwalificatie__crebo")
            .values_list("kwalificatie_id", "kwalificatie__crebo", "kwalificatie__naam")
            .distinct()
        )
        self.filters["kwalificatie"].extra["choices"] = [
            (str(pk), f"{naam} ({crebo})") for pk, crebo, naam in kwalificaties
        ]

    class Meta:
        model = Enrolment
        fields = ["q", "status", "kwalificatie", "start_from", "start_to"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = Q()
        for word in value.split():
            query &= Q(candidate__first_name__icontains=word) | Q(
                candidate__last_name__icontains=word
            )
        return queryset.filter(query)

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=value) if value else queryset

    def by_kwalificatie(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(kwalificatie_id=value)
