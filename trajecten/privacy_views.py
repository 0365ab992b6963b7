"""A candidate's inzage (JSON and PDF) and erasure on request, for the consultants of the
organisation that registered the candidate (``trajecten.privacy``; issue 9, 'Inzage and
erasure'). Anyone else gets a 404 (a werkgever or school: 403 from the permission); every
export and erasure is recorded in the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from candidates import selectors as candidate_selectors
from candidates.models import Candidate
from praktijkleren.accounts.audit import Action, access_record
from trajecten import privacy
from trajecten.forms import CandidateEraseForm


def _candidate(request, pk: int) -> Candidate:
    """The candidate ``pk`` if the user's organisation registered it, else 404."""
    return get_object_or_404(candidate_selectors.candidates_visible_to(user=request.user), pk=pk)


def _filename(candidate: Candidate, extension: str) -> str:
    # No name in the file name: it ends up in download folders and proxy logs.
    return f"inzage-kandidaat-{candidate.pk}-{timezone.localdate():%Y%m%d}.{extension}"


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("candidates.view_candidate", raise_exception=True)
@require_GET
def candidate_inzage_json(request, pk: int):
    """Everything held about the candidate (``privacy.candidate_inzage``) as a JSON download
    (``Cache-Control: no-store``); the export is recorded first, so it lists itself."""
    candidate = _candidate(request, pk)
    access_record(request, [candidate.pk], Action.EXPORT)
    inzage = privacy.candidate_inzage(candidate=candidate)
    response = JsonResponse(
        inzage, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return _download(response, _filename(candidate, "json"))


@login_required
@permission_required("candidates.view_candidate", raise_exception=True)
@require_GET
def candidate_inzage_pdf(request, pk: int):
    """The same inzage as a readable PDF (``privacy.candidate_inzage_pdf``), recorded like the
    JSON."""
    candidate = _candidate(request, pk)
    access_record(request, [candidate.pk], Action.EXPORT)
    pdf = privacy.candidate_inzage_pdf(inzage=privacy.candidate_inzage(candidate=candidate))
    return _download(HttpResponse(pdf, "application/pdf"), _filename(candidate, "pdf"))


@login_required
@permission_required("candidates.change_candidate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def candidate_erase(request, pk: int):
    """Erase the candidate's personal data on request: GET shows the confirmation page (why
    it cannot be done now, if so: ``privacy.erasure_refusal``), POST with a reason and the
    confirmation anonymises the candidate now (``privacy.candidate_erase``) and records it in
    the access log (action ``delete``), in one transaction. Back to the candidate's page."""
    candidate = _candidate(request, pk)
    refusal = privacy.erasure_refusal(candidate=candidate)
    form = CandidateEraseForm(
        request.POST if request.method == "POST" else None, candidate=candidate
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            with transaction.atomic():
                privacy.candidate_erase(
                    candidate=candidate, by=request.user, note=form.cleaned_data["note"]
                )
                access_record(request, [candidate.pk], Action.DELETE)
        except privacy.ErasureRefused as refused:
            refusal = refused.messages[0]
        else:
            messages.success(request, _("De persoonsgegevens van de kandidaat zijn verwijderd."))
            return redirect(candidate.get_absolute_url())
    access_record(request, [candidate.pk])
    title = _("Gegevens verwijderen op verzoek")
    context = {
        "candidate": candidate,
        "form": form,
        "refusal": refusal,
        "title": title,
        "breadcrumbs": [
            (_("Kandidaten"), reverse("candidates:candidate_list")),
            (str(candidate), candidate.get_absolute_url()),
            (title, ""),
        ],
    }
    return render(request, "trajecten/candidate_erase.html", context)
