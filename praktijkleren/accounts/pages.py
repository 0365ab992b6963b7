"""Readable names of the pages that the access log records (``AccessLog.view``).

``access_record`` stores the page as its URL name (``"trajecten:candidate_detail"``, or
``"admin:candidates_candidate_change"`` in the admin) and only when a request has no URL match,
its path (at most 100 characters). ``page_label`` turns either into a Dutch name for the
organisation administrator's page; the URL names are strings here, so accounts imports no
domain app. ``tests/test_guards.py`` fails for a recorded page without a label.
"""

from django.apps import apps
from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# URL name -> label, for every page that records access to a candidate's data.
PAGE_LABELS: dict[str, Promise] = {
    "candidates:candidate_list": _("Kandidatenoverzicht"),
    "candidates:candidate_experience": _("Werkervaring en opleiding van een kandidaat"),
    "candidates:candidate_transition": _("Status van een kandidaat wijzigen"),
    "candidates:voordracht_make": _("Kandidaat voordragen"),
    "candidates:voordracht_list": _("Voordrachtenoverzicht"),
    "candidates:voordracht_detail": _("Voordracht"),
    "candidates:voordracht_transition": _("Status van een voordracht wijzigen"),
    "candidates:voordracht_request_list": _("Verzoeken om voordracht"),
    "candidates:voordracht_request_create": _("Verzoek om voordracht"),
    "candidates:voordracht_request_decline": _("Verzoek om voordracht afwijzen"),
    "candidates:leerbaan_detail": _("Leerbaan met voordrachten en passende kandidaten"),
    "trajecten:candidate_detail": _("Gegevens van een kandidaat"),
    "trajecten:enrolment_list": _("Inschrijvingenoverzicht"),
    "trajecten:enrolment_detail": _("Inschrijving"),
    "trajecten:enrolment_transition": _("Status van een inschrijving wijzigen"),
    "trajecten:agreement_edit": _("Praktijk- of onderwijsovereenkomst"),
    "trajecten:programme": _("Programma van een inschrijving"),
    "trajecten:progress": _("Voortgang van een inschrijving"),
    "trajecten:praktijkverklaring_issue": _("Praktijkverklaring uitgeven"),
    "trajecten:praktijkverklaring_pdf": _("Praktijkverklaring (pdf)"),
    "trajecten:voordracht_accept": _("Voordracht aannemen"),
    "trajecten:candidate_inzage_json": _("Inzage: alle gegevens van een kandidaat (json)"),
    "trajecten:candidate_inzage_pdf": _("Inzage: alle gegevens van een kandidaat (pdf)"),
    "trajecten:candidate_erase": _("Kandidaat wissen op verzoek"),
}

# The admin's URL names end in the page kind: "admin:<app>_<model>_<kind>". Longest first
# ("changelist" before "change").
_ADMIN_PAGES = [
    ("changelist", _("Beheer: %(models)s")),
    ("change", _("Beheer: %(model)s")),
    ("history", _("Beheer: geschiedenis van %(model)s")),
    ("delete", _("Beheer: %(model)s verwijderen")),
    ("add", _("Beheer: %(model)s toevoegen")),
]


def _admin_label(name: str) -> str | None:
    """``"Beheer: kandidaten"`` for ``"admin:candidates_candidate_changelist"`` and the like;
    None when ``name`` is no admin page of a model."""
    rest = name.removeprefix("admin:")
    if rest == name:
        return None
    for kind, text in _ADMIN_PAGES:
        if not rest.endswith(f"_{kind}"):
            continue
        model_key = rest.removesuffix(f"_{kind}")
        for model in apps.get_models():
            meta = model._meta
            if f"{meta.app_label}_{meta.model_name}" == model_key:
                return str(text) % {
                    "model": meta.verbose_name,
                    "models": meta.verbose_name_plural,
                }
        return None
    return None


def page_label(view: str) -> str:
    """A readable Dutch name for the stored page ``view`` (a URL name or a path): the label of
    ``PAGE_LABELS``, the admin's page of a model, or for a path the label of the URL name it
    resolves to; else ``view`` itself, so that nothing recorded is hidden."""
    if view.startswith("/"):
        try:
            name = resolve(view).view_name
        except Resolver404:
            return view
        return page_label(name) if name else view
    if view in PAGE_LABELS:
        return str(PAGE_LABELS[view])
    return _admin_label(view) or view


def page_label_known(view: str) -> bool:
    """Whether ``page_label(view)`` is a label rather than ``view`` itself."""
    return page_label(view) != view
