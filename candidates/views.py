"""Consultants' and schools' pages: candidates, their matches, enrolments."""

from auditlog.signals import accessed
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from candidates import selectors, services
from candidates.filters import CandidateFilter
from candidates.forms import CandidateForm
from leerbedrijven.models import Leerbaan
from leerbedrijven.selectors import leerbaan_places_left, leerbanen_visible_to
from praktijkleren.accounts.rules import is_werkgever

PAGE_SIZE = 25


def _back(request, default: str):
    """Redirect to the form's ``next`` when it is a local URL, else to ``default``."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _leerbanen_for_detail(user):
    """Leerbanen whose page ``user`` may open: those it may see (``leerbanen_visible_to``) plus,
    for a consultant, those its candidates have a match with (also once closed)."""
    matched = selectors.matches_visible_to(user=user).values("leerbaan_id")
    return Leerbaan.objects.filter(
        Q(pk__in=leerbanen_visible_to(user=user).values("pk")) | Q(pk__in=matched)
    ).select_related("leerbedrijf", "kwalificatie", "vestiging__postcode")


def _visible_candidate(request, pk: int):
    candidate = get_object_or_404(selectors.candidates_visible_to(user=request.user), pk=pk)
    accessed.send(sender=candidate.__class__, instance=candidate)
    return candidate


@login_required
@permission_required("candidates.view_candidate", raise_exception=True)
def candidate_list(request):
    """The organisation's candidates, searchable, 25 a page."""
    queryset = (
        selectors.candidates_visible_to(user=request.user)
        .select_related("postcode", "consultant")
        .annotate(match_count=Count("matches"))
        .order_by("last_name", "first_name", "pk")
    )
    candidate_filter = CandidateFilter(request.GET, queryset=queryset)
    page = Paginator(candidate_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "candidates/candidate_list.html", {"filter": candidate_filter, "page": page}
    )


@login_required
@permission_required("candidates.view_candidate", raise_exception=True)
def candidate_detail(request, pk: int):
    """A candidate's profile, the leerbanen that fit (ranked, with reasons) and its matches."""
    candidate = _visible_candidate(request, pk)
    matches = candidate.matches.select_related("leerbaan__leerbedrijf", "leerbaan__kwalificatie")
    proposed_ids = {m.leerbaan_id for m in matches}
    context = {
        "candidate": candidate,
        "suggestions": selectors.leerbanen_matching(candidate=candidate, limit=25),
        "matches": matches,
        "proposed_ids": proposed_ids,
        "enrolments": candidate.enrolments.select_related("instelling", "kwalificatie"),
    }
    return render(request, "candidates/candidate_detail.html", context)


@login_required
@permission_required("candidates.add_candidate", raise_exception=True)
def candidate_create(request):
    """The aanmelding: a consultant registers a candidate for its own organisation."""
    form = CandidateForm(request.POST or None)
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
@require_POST
@permission_required("candidates.propose_match", raise_exception=True)
def match_propose(request, pk: int, leerbaan_pk: int):
    """The voordracht: the consultant proposes its candidate for a leerbaan."""
    candidate = _visible_candidate(request, pk)
    leerbaan = get_object_or_404(leerbanen_visible_to(user=request.user), pk=leerbaan_pk)
    try:
        services.match_propose(candidate=candidate, leerbaan=leerbaan, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(naam)s is voorgedragen voor %(leerbaan)s.")
            % {"naam": candidate, "leerbaan": leerbaan},
        )
    return _back(request, candidate.get_absolute_url())


@login_required
@require_POST
@permission_required("candidates.change_match_status", raise_exception=True)
def match_status(request, pk: int):
    """A status change of a match by the employer (uitnodigen, plaatsen, afwijzen) or the
    consultant (intrekken)."""
    match = get_object_or_404(selectors.matches_visible_to(user=request.user), pk=pk)
    try:
        match = services.match_status_change(
            match=match, status=request.POST.get("status", ""), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("U mag deze wijziging niet doen."))
    else:
        messages.success(
            request, _("De status is nu: %(status)s.") % {"status": match.get_status_display()}
        )
    return _back(request, "home")


@login_required
@permission_required("candidates.view_enrolment", raise_exception=True)
def enrolment_list(request):
    """Enrolments the user's organisation is involved in (for a school: incoming ones)."""
    queryset = selectors.enrolments_visible_to(user=request.user).select_related(
        "candidate", "instelling", "kwalificatie", "leerbaan__leerbedrijf"
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "candidates/enrolment_list.html", {"page": page})


@login_required
@permission_required("leerbedrijven.view_leerbaan", raise_exception=True)
def leerbaan_detail(request, pk: int):
    """A leerbaan with the candidates who fit it.

    The werkgever sees proposed candidates (voordrachten) with what a proposal needs, and the
    other fitting candidates without contact details or BSN; a consultant sees its own
    organisation's candidates who fit, to propose them.
    """
    leerbaan = get_object_or_404(_leerbanen_for_detail(request.user), pk=pk)
    werkgever = is_werkgever(request.user)
    pool = None if werkgever else selectors.candidates_visible_to(user=request.user)
    fitting = selectors.candidates_matching(leerbaan=leerbaan, candidates=pool, limit=50)
    matches = list(
        selectors.matches_visible_to(user=request.user)
        .filter(leerbaan=leerbaan)
        .select_related("candidate__postcode", "candidate__organisation")
        .order_by("-score", "pk")
    )
    for match in matches:
        accessed.send(sender=match.candidate.__class__, instance=match.candidate)
    matched_ids = {m.candidate_id for m in matches}
    context = {
        "leerbaan": leerbaan,
        "is_werkgever": werkgever,
        "fitting": [f for f in fitting if f.candidate.pk not in matched_ids],
        "matches": matches,
        "places_left": leerbaan_places_left(leerbaan=leerbaan),
        "werkprocessen": leerbaan.werkprocessen.select_related("kerntaak"),
    }
    return render(request, "candidates/leerbaan_detail.html", context)
