"""Pages of what follows a placement: the enrolments (for schools, consultants and werkgevers),
the werkgever's acceptance of a voordracht (which requests the enrolment) and the candidate's
page, which shows voordrachten and enrolments and so is composed here, in the higher app."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from candidates import selectors as candidate_selectors
from leerbedrijven.selectors import leerbanen_erkenning_flags_attach
from praktijkleren.accounts.audit import Action, access_record
from praktijkleren.accounts.rules import is_school, is_werkgever
from praktijkleren.ui.http import redirect_back
from praktijkleren.ui.transitions import ReasonForm, Step, TransitionView
from praktijkleren.workflow import TransitionRefused, transition_check
from trajecten import documents, routes, selectors, services
from trajecten.filters import EnrolmentFilter, enrolments_with_proposed_start
from trajecten.forms import (
    EnrolmentAcceptForm,
    InstellingChoiceForm,
    OnderwijsovereenkomstForm,
    PraktijkovereenkomstForm,
    PraktijkverklaringIssueForm,
    PraktijkverklaringVerifyForm,
)
from trajecten.models import Praktijkverklaring
from trajecten.progress_forms import OutcomeForm

PAGE_SIZE = 25
_ENROLMENT_RELATED = (
    "candidate__postcode",
    "candidate__organisation",
    "instelling",
    "kwalificatie",
    "leerbaan__leerbedrijf",
    "leerbaan__vestiging__postcode",
    "voordracht",
)


@login_required
@permission_required("candidates.view_candidate", raise_exception=True)
def candidate_detail(request, pk: int):
    """A candidate's page for its consultant's organisation: the profile, what the consultant
    may do with the candidate now, the leerbanen that fit (ranked, with reasons), its
    voordrachten and enrolments, and the history."""
    candidate = get_object_or_404(
        candidate_selectors.candidates_visible_to(user=request.user).select_related(
            "postcode__gemeente", "consultant", "organisation"
        ),
        pk=pk,
    )
    access_record(request, [candidate.pk])
    voordrachten = candidate.voordrachten.select_related(
        "leerbaan__leerbedrijf", "leerbaan__kwalificatie"
    ).order_by("-created_at", "-pk")
    suggestions = []
    if candidate.may_be_proposed():
        suggestions = candidate_selectors.leerbanen_matching(candidate=candidate, limit=25)
        leerbanen_erkenning_flags_attach(leerbanen=[s.leerbaan for s in suggestions])
    context = {
        "candidate": candidate,
        "bsn_shown": candidate_selectors.candidate_bsn_for(candidate=candidate, user=request.user),
        "suggestions": suggestions,
        "voordrachten": voordrachten,
        "proposed_ids": set(
            candidate_selectors.voordrachten_blocking(candidate=candidate).values_list(
                "leerbaan_id", flat=True
            )
        ),
        "enrolments": candidate.enrolments.select_related("instelling", "kwalificatie"),
    }
    return render(request, "trajecten/candidate_detail.html", context)


@login_required
@permission_required("trajecten.view_enrolment", raise_exception=True)
def enrolment_list(request):
    """Enrolments the user's organisation is involved in (for a school: incoming ones, its
    inbox; for a consultant: also the requests still without an instelling, its to-dos),
    newest first, 25 a page: searchable by the candidate's name and filterable by status (with
    a count per status), kwalificatie and (proposed) start date (``EnrolmentFilter``)."""
    base = selectors.enrolments_visible_to(user=request.user)
    queryset = (
        enrolments_with_proposed_start(base)
        .select_related(*_ENROLMENT_RELATED, "startmoment")
        .order_by("-created_at", "-pk")
    )
    enrolment_filter = EnrolmentFilter(request.GET or None, queryset=queryset, base=base)
    page = Paginator(enrolment_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    searched = any(value for key, value in request.GET.items() if key != "page")
    access_record(
        request,
        [e.candidate_id for e in page.object_list],
        Action.SEARCH if searched else Action.LIST,
    )
    context = {"filter": enrolment_filter, "page": page, "is_school": is_school(request.user)}
    return render(request, "trajecten/enrolment_list.html", context)


@login_required
@permission_required("trajecten.view_enrolment", raise_exception=True)
def enrolment_detail(request, pk: int):
    """One enrolment: the candidate as far as the viewer may see it, the leerbaan, the
    instelling (or the to-do), what the viewer may do now and the history."""
    enrolment = get_object_or_404(
        selectors.enrolments_visible_to(user=request.user)
        .select_related(*_ENROLMENT_RELATED, "leerbaan__praktijkopleider", "startmoment__aanbod")
        .prefetch_related("startmoment__aanbod__locaties"),
        pk=pk,
    )
    seen = None
    if is_werkgever(request.user):
        seen = candidate_selectors.candidate_for_employer(
            candidate=enrolment.candidate, voordracht=enrolment.voordracht
        )
    access_record(request, [enrolment.candidate_id])
    school = is_school(request.user)
    context = {
        "enrolment": enrolment,
        "seen": seen,
        "is_school": school,
        "readiness": selectors.enrolment_readiness(enrolment=enrolment)
        if enrolment.status in services.AGREEMENT_STATUSES and enrolment.instelling_id
        else None,
        "may_edit_agreements": school and enrolment.status in services.AGREEMENT_STATUSES,
        "recorded": {
            kind: hasattr(enrolment, related) for kind, (related, *_) in AGREEMENTS.items()
        },
        "praktijkverklaring": documents.praktijkverklaring_panel(
            enrolment=enrolment, user=request.user
        ),
        "route_proposal": None if seen else routes.enrolment_route_proposal(enrolment=enrolment),
    }
    return render(request, "trajecten/enrolment_detail.html", context)


AGREEMENTS = {
    "pok": (
        "praktijkovereenkomst",
        PraktijkovereenkomstForm,
        _("Praktijkovereenkomst vastleggen"),
    ),
    "ook": (
        "onderwijsovereenkomst",
        OnderwijsovereenkomstForm,
        _("Onderwijsovereenkomst vastleggen"),
    ),
}


@login_required
@permission_required("trajecten.change_enrolment", raise_exception=True)
def agreement_edit(request, pk: int, kind: str):
    """The school records or edits the praktijkovereenkomst (``kind`` "pok") or the
    onderwijsovereenkomst ("ook") of one of its enrolments, before the start. Anyone but a user
    of the enrolment's school: 404."""
    if kind not in AGREEMENTS or not is_school(request.user):
        raise Http404
    enrolment = get_object_or_404(
        selectors.enrolments_visible_to(user=request.user).select_related(*_ENROLMENT_RELATED),
        pk=pk,
    )
    related, form_class, title = AGREEMENTS[kind]
    existing = getattr(enrolment, related, None)
    if enrolment.status not in services.AGREEMENT_STATUSES:
        messages.error(
            request,
            _("Met de status ‘%(status)s’ wijzigt u de overeenkomsten niet meer.")
            % {"status": enrolment.get_status_display()},
        )
        return redirect(enrolment)
    form = form_class(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_save(enrolment=enrolment, by=request.user, form=form)
        except TransitionRefused as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, _("De overeenkomst is opgeslagen."))
        return redirect(enrolment)
    access_record(request, [enrolment.candidate_id])
    context = {
        "form": form,
        "enrolment": enrolment,
        "title": title,
        "breadcrumbs": [
            (_("Inschrijvingen"), reverse("trajecten:enrolment_list")),
            (str(enrolment.candidate), enrolment.get_absolute_url()),
            (title, ""),
        ],
    }
    return render(request, "trajecten/agreement_form.html", context)


class EnrolmentTransitionView(TransitionView):
    """The school accepts (with a start date), declines (with a reason), starts and completes an
    enrolment; the school or the consultant stops it (with a reason)."""

    permission_required = "trajecten.change_enrolment"
    steps = {
        "choose_instelling": Step(
            lambda e, user, instelling: services.enrolment_instelling_choose(
                enrolment=e, by=user, instelling=instelling
            ),
            InstellingChoiceForm,
        ),
        "accept": Step(
            lambda e, user, **data: services.enrolment_accept(enrolment=e, by=user, **data),
            EnrolmentAcceptForm,
        ),
        "decline": Step(
            lambda e, user, reason_code, reason: services.enrolment_decline(
                enrolment=e, by=user, reason_code=reason_code, reason=reason
            ),
            ReasonForm,
        ),
        "start": Step(lambda e, user: services.enrolment_start(enrolment=e, by=user)),
        "complete": Step(
            lambda e, user, outcome_date=None: services.enrolment_complete(
                enrolment=e, by=user, outcome_date=outcome_date
            ),
            OutcomeForm,
        ),
        "stop": Step(
            lambda e, user, reason_code, reason: services.enrolment_stop(
                enrolment=e, by=user, reason_code=reason_code, reason=reason
            ),
            ReasonForm,
        ),
    }

    def accessed_candidate_ids(self, obj):
        return [obj.candidate_id]

    def get_queryset(self, request):
        return selectors.enrolments_visible_to(user=request.user).select_related(
            "instelling", "candidate__postcode", "kwalificatie", "startmoment"
        )

    def object_label(self, request, obj):
        # Not str(obj), which ends in the BRIN and the crebo: "Sanne de Vries – 10XA 25500".
        return f"{obj.candidate}, {obj.kwalificatie.naam}"


class VoordrachtAcceptView(TransitionView):
    """The werkgever accepts a voordracht: the placement, which requests the enrolment."""

    permission_required = "candidates.change_voordracht"
    steps = {
        "accept": Step(
            lambda v, user: services.voordracht_accept(voordracht=v, by=user),
            explanation=_(
                "Daarmee is de kandidaat bij u geplaatst. Het portaal vraagt de inschrijving aan "
                "bij de dichtstbijzijnde mbo-instelling die de kwalificatie in BBL aanbiedt, en "
                "beëindigt de andere voordrachten van de kandidaat. Is hiermee de laatste plaats "
                "bezet, dan is de leerbaan vervuld en eindigen ook de andere voordrachten voor "
                "deze leerbaan."
            ),
        )
    }

    def get(self, request, pk: int, transition: str):
        """As every transition page; besides, when the werkgever may accept now but the
        leerbaan's praktijkopleider has no room (or is no longer active), say so at once
        instead of after the confirmation. The acceptance checks it again under lock."""
        voordracht, _step, _action = self._setup(request, pk, transition)
        try:
            transition_check(voordracht, transition, by=request.user, reason=None)
        except ValidationError:
            return super().get(request, pk, transition)
        refusal = candidate_selectors.praktijkopleider_capacity_refusal(
            leerbaan=voordracht.leerbaan
        )
        if refusal:
            messages.error(request, refusal)
            return redirect_back(request, voordracht.get_absolute_url())
        return super().get(request, pk, transition)

    def accessed_candidate_ids(self, obj):
        return [obj.candidate_id]

    def get_queryset(self, request):
        return candidate_selectors.voordrachten_visible_to(user=request.user).select_related(
            "candidate__postcode",
            "candidate__organisation",
            "leerbaan__leerbedrijf",
            "leerbaan__praktijkopleider",
        )

    def object_label(self, request, obj):
        return candidate_selectors.voordracht_label_for(user=request.user, voordracht=obj)


# --- the praktijkverklaring ------------------------------------------------------------------


@login_required
@permission_required("trajecten.change_enrolment", raise_exception=True)
def praktijkverklaring_issue(request, pk: int):
    """The school issues the praktijkverklaring of one of its enrolments (on behalf of its
    examencommissie, with one to three signatories). When it may not (yet), it returns to the
    enrolment with the reason. Anyone but a user of the enrolment's school: 404."""
    if not is_school(request.user):
        raise Http404
    enrolment = get_object_or_404(
        selectors.enrolments_visible_to(user=request.user).select_related(*_ENROLMENT_RELATED),
        pk=pk,
    )
    refusal = documents.praktijkverklaring_refusal(enrolment=enrolment, by=request.user)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(enrolment)
    form = PraktijkverklaringIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verklaring = documents.praktijkverklaring_issue(
                enrolment=enrolment,
                by=request.user,
                examencommissie=form.cleaned_data["examencommissie"],
                signatories=form.signatories(),
            )
        except TransitionRefused as refused:
            messages.error(request, refused.messages[0])
        else:
            issued = _("De praktijkverklaring %(number)s is uitgegeven.")
            messages.success(request, issued % {"number": verklaring.number})
        return redirect(enrolment)
    title = _("Praktijkverklaring uitgeven")
    access_record(request, [enrolment.candidate_id])
    context = {
        "form": form,
        "enrolment": enrolment,
        "title": title,
        "werkprocessen": enrolment.werkprocessen_confirmed(),
        "breadcrumbs": [
            (_("Inschrijvingen"), reverse("trajecten:enrolment_list")),
            (str(enrolment.candidate), enrolment.get_absolute_url()),
            (title, ""),
        ],
    }
    return render(request, "trajecten/praktijkverklaring_issue.html", context)


@login_required
@permission_required("trajecten.view_enrolment", raise_exception=True)
def praktijkverklaring_pdf(request, pk: int):
    """The issued praktijkverklaring of an enrolment as a PDF download, for its school and the
    consultants of the candidate's organisation (the access is audited). Anyone else, or no
    praktijkverklaring yet: 404."""
    if is_werkgever(request.user):
        raise Http404
    enrolment = get_object_or_404(selectors.enrolments_visible_to(user=request.user), pk=pk)
    verklaring = get_object_or_404(
        Praktijkverklaring.objects.select_related("enrolment__candidate"), enrolment=enrolment
    )
    access_record(request, [verklaring.enrolment.candidate_id], Action.EXPORT)
    response = HttpResponse(documents.praktijkverklaring_pdf(verklaring), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{verklaring.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
def praktijkverklaring_verify(request):
    """The public verification of a praktijkverklaring (no log-in): with its document number
    and check code it shows the document's data, exactly as printed (``content``); an unknown
    number and a wrong code get the same neutral answer."""
    form = PraktijkverklaringVerifyForm(request.GET or None)
    document = None
    searched = form.is_bound and form.is_valid()
    if searched:
        verklaring = documents.praktijkverklaring_verify(
            number=form.cleaned_data["number"], check_code=form.cleaned_data["check_code"]
        )
        if verklaring is not None:
            document = documents.praktijkverklaring_document(verklaring)
    context = {"form": form, "document": document, "not_found": searched and document is None}
    return render(request, "trajecten/praktijkverklaring_verify.html", context)
