"""Consultants' and werkgevers' pages on candidates, voordrachten, the leerbaan with the
candidates who fit it and the leerbedrijf's profile with its praktijkopleiders' current
candidates (both composed here: they need leerbedrijven and candidates). HTTP and forms
only; every change goes through a service, every transition through ``TransitionView``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_post_parameters
from rules.contrib.views import permission_required

from candidates import selectors, services
from candidates.constants import EmployerView
from candidates.filters import CandidateFilter, VoordrachtInboxFilter
from candidates.forms import (
    CandidateExperienceForm,
    CandidateForm,
    ConsentForm,
    DeclineForm,
    InviteForm,
    RequestDeclineForm,
    VoordrachtMakeForm,
    VoordrachtRequestForm,
)
from candidates.models import Candidate, Voordracht, VoordrachtRequest
from leerbedrijven import services as leerbaan_services
from leerbedrijven.leerbaan_forms import ExtendForm
from leerbedrijven.models import Leerbaan
from leerbedrijven.selectors import (
    leerbanen_owned_by,
    leerbanen_visible_to,
    leerbanen_with_erkenning_end,
    leerbedrijven_owned_by,
    organisation_users,
)
from opleidingen.models import Werkproces
from praktijkleren.accounts.audit import Action, access_record
from praktijkleren.accounts.rules import is_werkgever
from praktijkleren.ui.http import redirect_back, safe_next_url
from praktijkleren.ui.transitions import ReasonForm, Step, TransitionView

PAGE_SIZE = 25
_VOORDRACHT_RELATED = (
    "candidate__postcode",
    "candidate__organisation",
    "leerbaan__leerbedrijf",
    "leerbaan__kwalificatie",
)


def _accessed(request, candidate: Candidate) -> None:
    """Record in the access log that the request's user looked at ``candidate``."""
    access_record(request, [candidate.pk])


@login_required
@permission_required("candidates.view_candidate", raise_exception=True)
def candidate_list(request):
    """The organisation's candidates, searchable by name or postcode and filterable by route
    and status, 25 a page."""
    queryset = (
        selectors.candidates_visible_to(user=request.user)
        .select_related("postcode", "consultant")
        .annotate(voordracht_count=Count("voordrachten"))
        .order_by("last_name", "first_name", "pk")
    )
    candidate_filter = CandidateFilter(request.GET, queryset=queryset)
    page = Paginator(candidate_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    searched = any(value for key, value in request.GET.items() if key != "page")
    access_record(
        request, [c.pk for c in page.object_list], Action.SEARCH if searched else Action.LIST
    )
    return render(
        request, "candidates/candidate_list.html", {"filter": candidate_filter, "page": page}
    )


@sensitive_post_parameters("bsn")
@login_required
@permission_required("candidates.add_candidate", raise_exception=True)
def candidate_create(request):
    """The aanmelding: a consultant registers a candidate for its own organisation. Its BSN
    stays out of error reports (``sensitive_post_parameters``)."""
    form = CandidateForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        candidate = services.candidate_register(
            organisation=request.user.organisation,
            consultant=request.user,
            data=form.cleaned_data,
        )
        messages.success(request, _("Kandidaat %(naam)s is aangemeld.") % {"naam": candidate})
        return redirect(candidate)
    return render(request, "candidates/candidate_form.html", {"form": form})


@login_required
@permission_required("candidates.change_candidate", raise_exception=True)
def candidate_experience(request, pk: int):
    """The consultant ticks the werkprocessen its candidate already masters, grouped per
    kwalificatie it wishes → kerntaak → werkproces (``services.candidate_experience_save``).
    Werkprocessen ticked earlier of kwalificaties the candidate no longer wishes are kept."""
    candidate = get_object_or_404(selectors.candidates_visible_to(user=request.user), pk=pk)
    groups = selectors.candidate_experience_groups(candidate=candidate)
    offered = {w.pk for g in groups for kt in g.kerntaken for w in kt.werkprocessen}
    mastered = set(candidate.experienced_werkprocessen.values_list("pk", flat=True))
    form = CandidateExperienceForm(
        request.POST if request.method == "POST" else None, offered=offered
    )
    if request.method == "POST" and form.is_valid():
        kept = Werkproces.objects.filter(pk__in=mastered - offered)
        try:
            services.candidate_experience_save(
                candidate=candidate,
                by=request.user,
                werkprocessen=[*form.cleaned_data["werkprocessen"], *kept],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("De ervaring van %(naam)s is opgeslagen.") % {"naam": candidate}
            )
        return redirect(candidate)
    _accessed(request, candidate)
    context = {
        "candidate": candidate,
        "groups": groups,
        "form": form,
        "checked": form.checked(mastered),
        "kept_count": len(mastered - offered),
        "back_url": candidate.get_absolute_url(),
        "breadcrumbs": [
            (_("Kandidaten"), reverse("candidates:candidate_list")),
            (str(candidate), candidate.get_absolute_url()),
            (_("Ervaring per werkproces"), ""),
        ],
    }
    return render(request, "candidates/candidate_experience.html", context)


class CandidateTransitionView(TransitionView):
    """Activate (with the toestemming) or deregister (with a reason) a candidate."""

    permission_required = "candidates.change_candidate"
    steps = {
        "activate": Step(
            lambda c, user, consent: services.candidate_activate(
                candidate=c, by=user, consent=consent
            ),
            ConsentForm,
        ),
        "deregister": Step(
            lambda c, user, reason_code, reason: services.candidate_deregister(
                candidate=c, by=user, reason_code=reason_code, reason=reason
            ),
            ReasonForm,
        ),
    }

    def accessed_candidate_ids(self, obj):
        return [obj.pk]

    def get_queryset(self, request):
        return selectors.candidates_visible_to(user=request.user)


@login_required
@permission_required("candidates.add_voordracht", raise_exception=True)
def voordracht_make(request, pk: int, leerbaan_pk: int):
    """The voordracht: the consultant proposes its candidate for an open leerbaan, with an
    optional motivation for the werkgever. GET shows why the pair fits and the werkgever's
    open request for it, if any; POST makes it (``services.voordracht_make``)."""
    candidate = get_object_or_404(
        selectors.candidates_visible_to(user=request.user).select_related("postcode"), pk=pk
    )
    leerbaan = get_object_or_404(
        leerbanen_visible_to(user=request.user).select_related("leerbedrijf"), pk=leerbaan_pk
    )
    back = candidate.get_absolute_url()
    form = VoordrachtMakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.voordracht_make(
                candidate=candidate,
                leerbaan=leerbaan,
                by=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(naam)s is voorgedragen voor %(leerbaan)s.")
                % {"naam": candidate, "leerbaan": leerbaan},
            )
        return redirect_back(request, back)
    try:
        match = selectors.match_evaluate(candidate=candidate, leerbaan=leerbaan)
    except ValidationError as exc:
        match, failures = None, exc.messages
    else:
        failures = []
    _accessed(request, candidate)
    context = {
        "candidate": candidate,
        "leerbaan": leerbaan,
        "form": form,
        "match": match,
        "failures": failures,
        "requests": VoordrachtRequest.objects.filter(
            candidate=candidate, leerbaan=leerbaan, answered_at__isnull=True
        ),
        "back_url": safe_next_url(request, back),
    }
    return render(request, "candidates/voordracht_make.html", context)


@login_required
@permission_required("candidates.decide_voordracht", raise_exception=True)
def voordracht_list(request):
    """The werkgever's inbox: the voordrachten for its leerbanen (open ones by default; a
    leerbaan to choose), each candidate as ``candidate_for_employer`` allows, with the
    consultant's motivation, why the candidate fits, the state and what the werkgever may do
    now. 25 a page."""
    leerbanen = leerbanen_owned_by(user=request.user).order_by("titel", "pk")
    inbox_filter = VoordrachtInboxFilter(
        request.GET,
        queryset=selectors.voordrachten_for_employer_inbox(user=request.user),
        leerbanen=leerbanen.values_list("pk", "titel"),
    )
    page = Paginator(inbox_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (v, selectors.candidate_for_employer(candidate=v.candidate, voordracht=v))
        for v in page.object_list
    ]
    access_record(request, [v.candidate_id for v in page.object_list], Action.LIST)
    context = {"filter": inbox_filter, "page": page, "rows": rows}
    return render(request, "candidates/voordracht_list.html", context)


def _seen_by(user, voordracht: Voordracht):
    """What ``user`` sees of the voordracht's candidate: for a werkgever what
    ``candidate_for_employer`` allows, for the consultant's organisation the candidate."""
    if is_werkgever(user):
        return selectors.candidate_for_employer(
            candidate=voordracht.candidate, voordracht=voordracht
        )
    return voordracht.candidate


@login_required
@permission_required("candidates.view_voordracht", raise_exception=True)
def voordracht_detail(request, pk: int):
    """One voordracht: the candidate as far as the viewer may see it, the leerbaan, why it fits,
    what the viewer may do now and the history."""
    voordracht = get_object_or_404(
        selectors.voordrachten_visible_to(user=request.user).select_related(
            *_VOORDRACHT_RELATED, "leerbaan__vestiging__postcode"
        ),
        pk=pk,
    )
    _accessed(request, voordracht.candidate)
    context = {
        "voordracht": voordracht,
        "seen": _seen_by(request.user, voordracht),
        "is_werkgever": is_werkgever(request.user),
    }
    return render(request, "candidates/voordracht_detail.html", context)


class VoordrachtTransitionView(TransitionView):
    """The werkgever invites (date, time, place, message) or declines (reason code and
    message); the consultant withdraws."""

    permission_required = "candidates.change_voordracht"
    steps = {
        "invite": Step(
            lambda v, user, **data: services.voordracht_invite(
                voordracht=v,
                by=user,
                interview_at=data["interview_at"],
                interview_place=data["interview_place"],
                interview_message=data["interview_message"],
            ),
            InviteForm,
            explanation=_(
                "De consulent van de kandidaat krijgt de datum, de plaats en uw bericht en "
                "regelt het gesprek met de kandidaat. Na de uitnodiging ziet u de "
                "contactgegevens van de kandidaat."
            ),
        ),
        "decline": Step(
            lambda v, user, reason_code, reason: services.voordracht_decline(
                voordracht=v, by=user, reason_code=reason_code, reason=reason
            ),
            DeclineForm,
            explanation=_("De consulent krijgt de reden en uw bericht."),
        ),
        "withdraw": Step(
            lambda v, user, reason: services.voordracht_withdraw(
                voordracht=v, by=user, reason=reason
            ),
            ReasonForm,
        ),
    }

    def accessed_candidate_ids(self, obj):
        return [obj.candidate_id]

    def get_queryset(self, request):
        return selectors.voordrachten_visible_to(user=request.user).select_related(
            *_VOORDRACHT_RELATED
        )

    def object_label(self, request, obj):
        return selectors.voordracht_label_for(user=request.user, voordracht=obj)


def _leerbanen_for_detail(user):
    """Leerbanen whose page ``user`` may open: those it may see (``leerbanen_visible_to``) plus,
    for a consultant, those its candidates have a voordracht for (also once closed)."""
    proposed = selectors.voordrachten_visible_to(user=user).values("leerbaan_id")
    return leerbanen_with_erkenning_end(
        Leerbaan.objects.filter(
            Q(pk__in=leerbanen_visible_to(user=user).values("pk")) | Q(pk__in=proposed)
        )
    ).select_related("leerbedrijf", "kwalificatie", "vestiging__postcode")


@login_required
@permission_required("leerbedrijven.view_leerbaan", raise_exception=True)
def leerbaan_detail(request, pk: int):
    """A leerbaan with its voordrachten and the candidates who fit it.

    The werkgever sees each proposed candidate as ``candidate_for_employer`` allows, and the
    other fitting candidates anonymously, each with a request to its consultant to propose it
    (or the open request); a consultant sees its own organisation's voordrachten and candidates
    who fit, to propose them.
    """
    leerbaan = get_object_or_404(_leerbanen_for_detail(request.user), pk=pk)
    werkgever = is_werkgever(request.user)
    pool = None if werkgever else selectors.candidates_visible_to(user=request.user)
    fitting = selectors.candidates_matching(leerbaan=leerbaan, candidates=pool, limit=50)
    voordrachten = list(
        selectors.voordrachten_visible_to(user=request.user)
        .filter(leerbaan=leerbaan)
        .select_related(*_VOORDRACHT_RELATED)
        .order_by("-score", "pk")
    )
    blocked = set(
        selectors.voordrachten_blocking(leerbaan=leerbaan).values_list("candidate_id", flat=True)
    )
    rows = [(v, _seen_by(request.user, v)) for v in voordrachten]
    # A werkgever's table leaves out what it may not see at all: a voordracht that ended
    # without its decision (withdrawn, expired, placed elsewhere) would sit next to a newer one
    # of the same person and name it after all.
    shown = [(v, seen) for v, seen in rows if not werkgever or seen.view != EmployerView.ANONYMOUS]
    requested = set()
    if werkgever:
        requested = set(
            selectors.voordracht_requests_visible_to(user=request.user)
            .filter(leerbaan=leerbaan, answered_at__isnull=True)
            .values_list("candidate_id", flat=True)
        )
    fitting_rows = [
        (f, selectors.candidate_for_employer(candidate=f.candidate) if werkgever else None)
        for f in fitting
        if f.candidate.pk not in blocked
    ]
    access_record(
        request,
        [v.candidate_id for v, _seen in shown] + [f.candidate.pk for f, _seen in fitting_rows],
        Action.LIST,
    )
    context = {
        "leerbaan": leerbaan,
        "is_werkgever": werkgever,
        "requested": requested,
        "rows": shown,
        "hidden_count": len(rows) - len(shown),
        "fitting": fitting_rows,
        "werkprocessen": leerbaan.werkprocessen.select_related("kerntaak"),
        "edit_url": reverse("leerbedrijven:leerbaan_edit", args=[leerbaan.pk])
        if werkgever and leerbaan.status in leerbaan_services.EDITABLE_STATUSES
        else "",
    }
    return render(request, "candidates/leerbaan_detail.html", context)


class LeerbaanTransitionView(TransitionView):
    """The werkgever publishes a leerbaan, or closes it (its open voordrachten expire)."""

    permission_required = "leerbedrijven.change_leerbaan"
    steps = {
        "publish": Step(lambda lb, user: leerbaan_services.leerbaan_publish(leerbaan=lb, by=user)),
        "close": Step(
            lambda lb, user, reason: services.leerbaan_close_with_voordrachten(
                leerbaan=lb, by=user, reason=reason
            ),
            ReasonForm,
            explanation=_lazy(
                "Na het sluiten kan niemand meer worden voorgedragen of uitgenodigd; open "
                "voordrachten vervallen."
            ),
        ),
        "extend": Step(
            lambda lb, user, closing_date: leerbaan_services.leerbaan_extend(
                leerbaan=lb, by=user, closing_date=closing_date
            ),
            ExtendForm,
            explanation=_lazy(
                "Een verlopen leerbaan is na het verlengen weer open voor voordrachten. Wilt u "
                "hem niet verlengen, dan kunt u hem ook sluiten."
            ),
        ),
    }

    def get_queryset(self, request):
        return leerbanen_owned_by(user=request.user).select_related("leerbedrijf")


@login_required
@permission_required("leerbedrijven.view_leerbedrijf", raise_exception=True)
def leerbedrijf_detail(request, pk: int):
    """The werkgever's leerbedrijf: its data, vestigingen, contact persons, praktijkopleiders
    (with how many candidates each supervises now against their capacity: the reason this page
    is composed here) and the organisation's users. Only for the organisation that owns it."""
    leerbedrijf = get_object_or_404(leerbedrijven_owned_by(user=request.user), pk=pk)
    praktijkopleiders = list(
        leerbedrijf.praktijkopleiders.select_related("vestiging")
        .prefetch_related("kwalificaties")
        .order_by("-is_active", "naam", "pk")
    )
    loads = selectors.praktijkopleider_loads(praktijkopleiders=praktijkopleiders)
    context = {
        "leerbedrijf": leerbedrijf,
        "vestigingen": leerbedrijf.vestigingen.select_related("postcode").order_by("naam", "pk"),
        "contactpersonen": leerbedrijf.contactpersonen.order_by("naam", "pk"),
        "praktijkopleiders": [(p, loads[p.pk]) for p in praktijkopleiders],
        "users": organisation_users(leerbedrijf=leerbedrijf),
    }
    return render(request, "candidates/leerbedrijf_detail.html", context)


# --- the werkgever's request for a voordracht (the reverse match) -----------------------------


@login_required
@permission_required("candidates.add_voordrachtrequest", raise_exception=True)
def voordracht_request_create(request, pk: int, candidate_pk: int):
    """The werkgever asks the consultant to propose a candidate who fits its leerbaan ``pk``.
    The candidate is shown as a fitting candidate nobody proposed (anonymous); one who does not
    fit, does not search or gave no consent is a 404."""
    leerbaan = get_object_or_404(
        leerbanen_owned_by(user=request.user).select_related("leerbedrijf"), pk=pk
    )
    candidate = get_object_or_404(
        Candidate.objects.filter(consent_given_at__isnull=False).select_related(
            "postcode", "organisation"
        ),
        pk=candidate_pk,
    )
    back = leerbaan.get_absolute_url()
    fitting = selectors.candidates_matching(
        leerbaan=leerbaan, candidates=Candidate.objects.filter(pk=candidate.pk), limit=1
    )
    if not fitting:
        raise Http404
    form = VoordrachtRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.voordracht_request(
                candidate=candidate,
                leerbaan=leerbaan,
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Uw verzoek is naar de consulent gestuurd. U ziet het antwoord bij Verzoeken."),
            )
        return redirect_back(request, back)
    _accessed(request, candidate)
    context = {
        "leerbaan": leerbaan,
        "seen": selectors.candidate_for_employer(candidate=candidate),
        "match": fitting[0],
        "open_request": VoordrachtRequest.objects.filter(
            candidate=candidate, leerbaan=leerbaan, answered_at__isnull=True
        ).first(),
        "form": form,
        "back_url": safe_next_url(request, back),
    }
    return render(request, "candidates/voordracht_request_form.html", context)


@login_required
@permission_required("candidates.view_voordrachtrequest", raise_exception=True)
def voordracht_request_list(request):
    """Requests for a voordracht: for a consultant those for its candidates (open ones first,
    to propose or decline), for a werkgever its own with their state. 25 a page."""
    werkgever = is_werkgever(request.user)
    queryset = (
        selectors.voordracht_requests_visible_to(user=request.user)
        .select_related("candidate__postcode", "candidate__organisation", "leerbaan__leerbedrijf")
        .order_by(F("answered_at").desc(nulls_first=True), "-created_at", "-pk")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (r, selectors.candidate_for_employer(candidate=r.candidate) if werkgever else r.candidate)
        for r in page.object_list
    ]
    access_record(request, [r.candidate_id for r in page.object_list], Action.LIST)
    context = {"page": page, "rows": rows, "is_werkgever": werkgever}
    return render(request, "candidates/voordracht_request_list.html", context)


@login_required
@permission_required("candidates.change_voordrachtrequest", raise_exception=True)
def voordracht_request_decline(request, pk: int):
    """The consultant declines a werkgever's open request with a short answer."""
    voordracht_request = get_object_or_404(
        selectors.voordracht_requests_visible_to(user=request.user).select_related(
            "candidate", "leerbaan__leerbedrijf"
        ),
        pk=pk,
    )
    back = reverse("candidates:voordracht_request_list")
    if not voordracht_request.is_open():
        messages.info(request, _("Dit verzoek is al beantwoord."))
        return redirect(back)
    form = RequestDeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.voordracht_request_decline(
                request=voordracht_request, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Het verzoek is afgewezen; de werkgever krijgt uw antwoord.")
            )
        return redirect(back)
    _accessed(request, voordracht_request.candidate)
    context = {"voordracht_request": voordracht_request, "form": form, "back_url": back}
    return render(request, "candidates/voordracht_request_decline.html", context)
