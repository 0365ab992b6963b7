"""Pages of an enrolment's programme and progress: the school puts the programme together and
records progress; the consultant and the leerbedrijf's werkgever see it; the werkgever agrees
to the programme and confirms werkprocessen (as praktijkopleider); the consultant records
check-ins. Each page is one GET and a POST per form, named by the form's ``action`` field;
a refused write goes back with the service's reason."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.views import permission_required

from candidates import selectors as candidate_selectors
from opleidingen.constants import Route
from praktijkleren.accounts.audit import access_record
from praktijkleren.accounts.rules import is_werkgever
from praktijkleren.workflow import TransitionRefused
from trajecten import programmes, progress, selectors
from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment, is_consultant_of_enrolment, is_school_of
from trajecten.progress_forms import (
    CandidateAgreementForm,
    CheckInForm,
    ConfirmForm,
    KeuzedeelForm,
    ResultForm,
    VrijstellingForm,
    WerkprocessenForm,
)

_RELATED = (
    "candidate__organisation",
    "instelling",
    "kwalificatie",
    "certificaat",
    "leerbaan__leerbedrijf",
    "voordracht",
)


def _enrolment(request: Any, pk: int) -> Enrolment:
    enrolment = get_object_or_404(
        selectors.enrolments_visible_to(user=request.user).select_related(*_RELATED), pk=pk
    )
    access_record(request, [enrolment.candidate_id])
    return enrolment


def _candidate_label(request: Any, enrolment: Enrolment) -> str:
    """The candidate as the viewer may name it: a werkgever reads ``candidate_for_employer``."""
    if is_werkgever(request.user):
        return candidate_selectors.candidate_for_employer(
            candidate=enrolment.candidate, voordracht=enrolment.voordracht
        ).label
    return str(enrolment.candidate)


def _breadcrumbs(request: Any, enrolment: Enrolment, title: Any) -> list:
    return [
        (_("Inschrijvingen"), reverse("trajecten:enrolment_list")),
        (_candidate_label(request, enrolment), enrolment.get_absolute_url()),
        (title, ""),
    ]


def _run(request: Any, write: Callable[[], Any], done: Any) -> None:
    try:
        write()
    except TransitionRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, done)


@login_required
@permission_required("trajecten.view_enrolment", raise_exception=True)
def programme(request, pk: int) -> HttpResponse:
    """The programme of one enrolment (``trajecten.programmes``): the school edits it while the
    enrolment is geaccepteerd or gestart; the consultant reads it; the werkgever reads it and
    gives the leerbedrijf's agreement. Read-only afterwards."""
    enrolment = _enrolment(request, pk)
    user = request.user
    school = is_school_of(enrolment, user)
    werkgever = programmes.is_werkgever_of_enrolment(enrolment, user)
    is_open = enrolment.status in programmes.PROGRAMME_STATUSES
    may_edit = school and is_open
    forms: dict[str, Any] = {}
    if may_edit:
        forms = {
            "werkprocessen": WerkprocessenForm(enrolment=enrolment)
            if enrolment.route == Route.PRAKTIJKVERKLARING
            else None,
            "keuzedeel": KeuzedeelForm() if enrolment.route == Route.DIPLOMA else None,
            "vrijstelling": VrijstellingForm(enrolment=enrolment)
            if enrolment.route == Route.DIPLOMA
            else None,
            "candidate": CandidateAgreementForm(),
        }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "agree_leerbedrijf" and werkgever and is_open:
            _run(
                request,
                lambda: programmes.programme_agree(
                    enrolment=enrolment, by=user, party="leerbedrijf"
                ),
                _("Het akkoord van het leerbedrijf is vastgelegd."),
            )
            return redirect("trajecten:programme", pk=enrolment.pk)
        if not may_edit:
            messages.error(request, _("U wijzigt dit programma niet."))
            return redirect("trajecten:programme", pk=enrolment.pk)
        response = _programme_post(request, enrolment, action, forms)
        if response is not None:
            return response
    items = list(programmes.programme_of(enrolment=enrolment))
    context = {
        "enrolment": enrolment,
        "candidate_label": _candidate_label(request, enrolment),
        "items": items,
        "werkproces_items": [i for i in items if i.werkproces_id],
        "other_items": [i for i in items if not i.werkproces_id],
        "werkprocessen_known": programmes.programme_werkprocessen_available(
            enrolment=enrolment
        ).exists(),
        "vrijstellingen": enrolment.vrijstellingen.select_related("werkproces"),
        "agreements_missing": programmes.agreements_missing(enrolment),
        "is_open": is_open,
        "may_edit": may_edit,
        "may_agree_leerbedrijf": werkgever and is_open and bool(items),
        "forms": forms,
        "title": _("Programma"),
        "breadcrumbs": _breadcrumbs(request, enrolment, _("Programma")),
    }
    return render(request, "trajecten/programme.html", context)


def _programme_post(
    request: Any, enrolment: Enrolment, action: str, forms: dict[str, Any]
) -> HttpResponse | None:
    """Run the school's programme ``action``; None re-renders the page with a form's errors."""
    user, data = request.user, request.POST
    done = _("Het programma is bijgewerkt.")
    if len(programmes.agreements_missing(enrolment)) < len(programmes.AGREEMENT_PARTIES):
        done = _(
            "Het programma is bijgewerkt. De akkoorden zijn daarmee vervallen: school, "
            "leerbedrijf en kandidaat gaan opnieuw akkoord."
        )
    if action == "set":
        form = WerkprocessenForm(data, enrolment=enrolment)
        if enrolment.route == Route.PRAKTIJKVERKLARING:
            forms["werkprocessen"] = form
            if not form.is_valid():
                return None
            chosen = form.cleaned_data["werkprocessen"]
        else:
            chosen = None
        _run(
            request,
            lambda: programmes.programme_set(enrolment=enrolment, by=user, werkprocessen=chosen),
            done,
        )
    elif action == "keuzedeel" and forms.get("keuzedeel") is not None:
        form = forms["keuzedeel"] = KeuzedeelForm(data)
        if not form.is_valid():
            return None
        label = form.cleaned_data["label"]
        _run(
            request,
            lambda: programmes.programme_keuzedeel_add(enrolment=enrolment, by=user, label=label),
            done,
        )
    elif action == "remove":
        item = enrolment.programme.filter(pk=_int(data.get("item"))).first()
        if item is None:
            raise Http404
        _run(
            request,
            lambda: programmes.programme_item_remove(enrolment=enrolment, by=user, item=item),
            done,
        )
    elif action == "agree_school":
        _run(
            request,
            lambda: programmes.programme_agree(enrolment=enrolment, by=user, party="school"),
            _("Het akkoord van de school is vastgelegd."),
        )
    elif action == "agree_candidate":
        form = forms["candidate"] = CandidateAgreementForm(data)
        if not form.is_valid():
            return None
        on = form.cleaned_data["on"]
        _run(
            request,
            lambda: programmes.programme_agree(
                enrolment=enrolment, by=user, party="candidate", on=on
            ),
            _("Het akkoord van de kandidaat is vastgelegd."),
        )
    elif action == "vrijstelling" and forms.get("vrijstelling") is not None:
        form = forms["vrijstelling"] = VrijstellingForm(data, enrolment=enrolment)
        if not form.is_valid():
            return None
        cleaned = form.cleaned_data
        _run(
            request,
            lambda: programmes.vrijstelling_add(enrolment=enrolment, by=user, **cleaned),
            _("De vrijstelling is vastgelegd."),
        )
    else:
        messages.error(request, _("Deze handeling bestaat niet."))
    return redirect("trajecten:programme", pk=enrolment.pk)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@permission_required("trajecten.view_enrolment", raise_exception=True)
def progress_page(request, pk: int) -> HttpResponse:
    """The progress of one enrolment (``trajecten.progress``): werkprocessen confirmed, lessons
    and exams, and the check-ins. While gestart, the school and the werkgever (praktijkopleider)
    confirm werkprocessen, the school records lessons and exams, the school and the consultant
    record check-ins."""
    enrolment = _enrolment(request, pk)
    user = request.user
    running = enrolment.status == EnrolmentStatus.GESTART
    school = is_school_of(enrolment, user)
    may_confirm = running and (school or programmes.is_werkgever_of_enrolment(enrolment, user))
    may_checkin = running and (school or is_consultant_of_enrolment(enrolment, user))
    items = [i for i in programmes.programme_of(enrolment=enrolment) if i.werkproces_id]
    checkins = list(enrolment.checkins.all())
    confirm_forms = {
        i.pk: ConfirmForm(enrolment=enrolment, prefix=f"wp{i.pk}")
        for i in items
        if may_confirm and i.confirmed_on is None
    }
    checkin_forms = {
        c.pk: CheckInForm(enrolment=enrolment, prefix=f"ci{c.pk}", initial=_checkin_initial(c))
        for c in checkins
        if may_checkin
    }
    result_form = ResultForm(enrolment=enrolment) if running and school else None
    if request.method == "POST":
        action, data = request.POST.get("action", ""), request.POST
        target = _int(data.get("target"))
        if action == "confirm" and target in confirm_forms:
            form = confirm_forms[target] = ConfirmForm(
                data, enrolment=enrolment, prefix=f"wp{target}"
            )
            if form.is_valid():
                item = next(i for i in items if i.pk == target)
                on = form.cleaned_data["on"]
                _run(
                    request,
                    lambda: progress.werkproces_confirm(
                        enrolment=enrolment, by=user, item=item, on=on
                    ),
                    _("Het werkproces is bevestigd."),
                )
                return redirect("trajecten:progress", pk=enrolment.pk)
        elif action == "result" and result_form is not None:
            result_form = ResultForm(data, enrolment=enrolment)
            if result_form.is_valid():
                cleaned = result_form.cleaned_data
                _run(
                    request,
                    lambda: progress.result_record(enrolment=enrolment, by=user, **cleaned),
                    _("De les of het examen is vastgelegd."),
                )
                return redirect("trajecten:progress", pk=enrolment.pk)
        elif action == "checkin" and target in checkin_forms:
            form = checkin_forms[target] = CheckInForm(
                data, enrolment=enrolment, prefix=f"ci{target}"
            )
            if form.is_valid():
                checkin = next(c for c in checkins if c.pk == target)
                cleaned = form.cleaned_data
                _run(
                    request,
                    lambda: progress.checkin_record(
                        enrolment=enrolment, by=user, checkin=checkin, **cleaned
                    ),
                    _("Het voortgangsgesprek is vastgelegd."),
                )
                return redirect("trajecten:progress", pk=enrolment.pk)
        else:
            messages.error(request, _("Dat kan hier nu niet."))
            return redirect("trajecten:progress", pk=enrolment.pk)
    context = {
        "enrolment": enrolment,
        "candidate_label": _candidate_label(request, enrolment),
        "summary": progress.progress_summary(enrolment=enrolment),
        "rows": [(i, confirm_forms.get(i.pk)) for i in items],
        "results": enrolment.results.all(),
        "checkins": [(c, checkin_forms.get(c.pk)) for c in checkins],
        "result_form": result_form,
        "running": running,
        "show_notes": not is_werkgever(user),
        "title": _("Voortgang"),
        "breadcrumbs": _breadcrumbs(request, enrolment, _("Voortgang")),
    }
    return render(request, "trajecten/progress.html", context)


def _checkin_initial(checkin: Any) -> dict[str, Any]:
    return {
        "held_on": checkin.held_on,
        "with_leerbedrijf": checkin.with_leerbedrijf,
        "with_candidate": checkin.with_candidate,
        "risk": checkin.risk,
        "note": checkin.note,
    }
