"""Filters on the consultant's candidate list and the werkgever's inbox (django-filter)."""

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from candidates.constants import OPEN_VOORDRACHT_STATUSES, CandidateStatus
from candidates.models import Candidate, Voordracht
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


class VoordrachtInboxFilter(django_filters.FilterSet):
    """The werkgever's inbox: one of its leerbanen (``leerbanen``: (id, titel) pairs of its own
    leerbanen) and open voordrachten (the default) or all."""

    OPEN, ALL = "open", "alle"

    leerbaan = django_filters.ChoiceFilter(
        label=_("Leerbaan"), empty_label=_("Alle leerbanen"), method="by_leerbaan"
    )
    status = django_filters.ChoiceFilter(
        label=_("Voordrachten"),
        choices=[(OPEN, _("Open: nog te beslissen")), (ALL, _("Alle"))],
        empty_label=None,
        method="by_status",
    )

    class Meta:
        model = Voordracht
        fields = ["leerbaan", "status"]

    def __init__(self, data=None, *args, leerbanen=(), **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("status"):
            data["status"] = self.OPEN
        super().__init__(data, *args, **kwargs)
        self.filters["leerbaan"].extra["choices"] = [(str(pk), titel) for pk, titel in leerbanen]

    def by_leerbaan(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(leerbaan_id=value)

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == self.OPEN:
            return queryset.filter(status__in=OPEN_VOORDRACHT_STATUSES)
        return queryset
