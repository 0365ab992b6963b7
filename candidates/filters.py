"""Filters on the consultant's candidate list (django-filter)."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from candidates.constants import CandidateStatus
from candidates.models import Candidate
from opleidingen.constants import Route


class CandidateFilter(django_filters.FilterSet):
    """Search by name or postcode, and filter by route and status."""

    q = django_filters.CharFilter(label=_("Zoek op naam of postcode"), method="search")
    route = django_filters.ChoiceFilter(
        label=_("Route"), choices=Route.choices, empty_label=_("Alle routes")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CandidateStatus.choices, empty_label=_("Alle statussen")
    )

    class Meta:
        model = Candidate
        fields = ["q", "route", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(postcode__pc4__startswith=value)
        )
