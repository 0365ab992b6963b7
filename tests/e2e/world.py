"""A rich world for the browser tests: every page of the portal with long names, many rows and
long reasons, made through the services where a page shows their history.

One gemeente consultant, one werkgever and one school (each with a long organisation name and
a long personal name). The werkgever has a published leerbaan with a long title, a long
kwalificatie and many werkprocessen, a concept leerbaan and enough other leerbanen to page
through. The consultant's organisation has enough candidates to page through, all fitting the
leerbaan; the main candidate has voordrachten in several states and a long history. The school
has enough enrolments to page through. ``pages(world)`` lists every page and the role that
uses it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from candidates import services
from candidates.constants import CandidateEndReason, CandidateStatus, DeclineReason
from leerbedrijven.constants import LeerbaanStatus
from praktijkleren.notifications.constants import Channel, OutboxStatus
from praktijkleren.notifications.models import OutboxMessage, WebhookEndpoint
from praktijkleren.notifications.webhooks import secret_generate
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.geo.factories import GemeenteFactory, PostcodeFactory
from tests.leerbedrijven.factories import (
    ErkenningFactory,
    LeerbaanFactory,
    LeerbedrijfFactory,
    VestigingFactory,
)
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
    WerkprocesFactory,
)
from tests.workflows.conftest import interview
from trajecten import services as trajecten_services
from trajecten.models import Enrolment, EnrolmentTransition

# More rows than a list page shows (25), so the pagination appears.
MANY = 28

# Long words that cannot break at a hyphen or space: real Dutch compounds, an e-mail address.
LONG_WORD = "arbeidsmarktregiocoördinatiewerkzaamhedenondersteuningsmedewerker"
LONG_EMAIL = "anne-marie.wilhelmina.vandenberg-oosterhuizen@sociaal-domein.sudwest-fryslan.example"
LONG_REASON = (
    "Na het kennismakingsgesprek op de afdeling bleek dat de kandidaat de komende maanden "
    "mantelzorg verleent en daardoor niet de vereiste avond- en weekenddiensten kan draaien; "
    f"we hebben afgesproken opnieuw contact te hebben na de zomer. Trefwoord: {LONG_WORD}. "
) * 3


@dataclasses.dataclass
class World:
    consultant: Any
    werkgever: Any
    school_user: Any
    candidate: Any  # voorgedragen, many voordrachten and a long history
    new_candidate: Any  # aangemeld, without consent
    placed_candidate: Any  # geplaatst, with an enrolment at the school
    leerbaan: Any  # published, many voordrachten and fitting candidates
    concept_leerbaan: Any
    voordracht: Any  # voorgedragen (the main candidate for the leerbaan)
    invited: Any  # uitgenodigd
    enrolment: Any  # aangevraagd at the school
    enrolment_todo: Any  # aangevraagd without an instelling
    fitting: Any  # fits the leerbaan, nobody proposed it or asked for it
    voordracht_request: Any  # the werkgever asked the consultant to propose a candidate


def build() -> World:
    today = timezone.localdate()
    gemeente = GemeenteFactory(naam="Súdwest-Fryslân")
    home = PostcodeFactory(
        pc4="8701", woonplaats="Bolsward-Wytmarsum-Tjerkwerd", gemeente=gemeente, lat=53.06
    )
    work = PostcodeFactory(pc4="8702", woonplaats="Sneek-Ysbrechtum", gemeente=gemeente, lat=53.07)

    consultant = UserFactory(
        first_name="Maria-Christina Johanna",
        last_name="van Rijswijk-Hoogeveen-Oudshoorn",
        organisation=OrganisationFactory(
            name="Gemeente Súdwest-Fryslân, afdeling Werk, Inkomen en Maatschappelijke "
            "Ondersteuning",
            gemeente=gemeente,
        ),
    )
    werkgever = UserFactory(
        first_name="Hendrikus Bartholomeus",
        last_name="Dijkstra-Wijnaldum",
        organisation=OrganisationFactory(
            werkgever=True,
            name="Stichting Zorggroep Noordwest-Friesland voor Ouderenzorg, Thuiszorg en "
            "Revalidatie",
        ),
    )
    school_user = UserFactory(
        first_name="Johanna Wilhelmina",
        last_name="Terpstra-Kuipers",
        organisation=OrganisationFactory(
            school=True, name="ROC Friese Poort, Sector Zorg, Welzijn en Sport, locatie Sneek"
        ),
    )

    dossier = KwalificatiedossierFactory(
        naam="Maatschappelijke zorg, begeleiding en ondersteuning in de ouderenzorg"
    )
    kwalificatie = KwalificatieFactory(
        naam="Medewerker maatschappelijke zorg en begeleiding van mensen met een "
        "verstandelijke beperking (individuele zorgverlening)",
        dossier=dossier,
    )
    leerbedrijf = LeerbedrijfFactory(
        organisation=werkgever.organisation,
        naam="Zorggroep Noordwest-Friesland Woonzorgcentrum De Wielewaal-Hoekstra B.V.",
    )
    vestiging = VestigingFactory(
        leerbedrijf=leerbedrijf,
        naam="Woonzorgcentrum De Wielewaal, afdeling Psychogeriatrie en Revalidatie",
        postcode=work,
    )

    ErkenningFactory(leerbedrijf=leerbedrijf, kwalificatie=kwalificatie, geldig_tot=None)

    def leerbaan_of(titel: str, **fields: Any):
        return LeerbaanFactory(
            leerbedrijf=leerbedrijf,
            vestiging=vestiging,
            kwalificatie=kwalificatie,
            titel=titel,
            closing_date=today + dt.timedelta(days=30),
            start_date=today + dt.timedelta(days=60),
            erkend=False,  # the one erkenning above
            **fields,
        )

    leerbaan = leerbaan_of(
        "Leerling-begeleider maatschappelijke zorg op de afdeling psychogeriatrie en "
        "kleinschalig wonen (BBL, niveau 3, 32 uur)",
        places=MANY,
        omschrijving=f"{LONG_REASON}\n\n{LONG_REASON}",
    )
    kerntaak = KerntaakFactory(dossier=dossier, titel="Biedt begeleiding en ondersteuning")
    leerbaan.werkprocessen.set(
        WerkprocesFactory(
            kerntaak=kerntaak,
            titel=f"Ondersteunt de cliënt bij dagelijkse activiteiten en {LONG_WORD} {n}",
        )
        for n in range(12)
    )
    for n in range(MANY):
        leerbaan_of(f"Leerling-medewerker zorg en welzijn, woongroep {n + 1} Bolsward-Noord")
    concept_leerbaan = leerbaan_of(
        "Leerling-begeleider dagbesteding voor ouderen met dementie (concept, nog niet "
        "gepubliceerd)",
        status=LeerbaanStatus.CONCEPT,
    )

    def candidate_of(first: str, last: str, **fields: Any):
        return CandidateFactory(
            consultant=consultant,
            first_name=first,
            last_name=last,
            postcode=home,
            email=LONG_EMAIL,
            phone="+31 (0)515 123456",
            hours_per_week=32,
            earliest_start_date=today,
            work_experience=f"{LONG_REASON}\n{LONG_REASON}",
            earlier_education=f"VMBO-kader zorg en welzijn; {LONG_WORD}",
            wished_kwalificaties=[kwalificatie],
            **fields,
        )

    candidate = candidate_of("Anne-Marie Wilhelmina Josephina", "van den Berg-Oosterhuizen")
    others = [
        candidate_of(f"Gerrit-Jan Sjoerd {n}", f"Wijnaldum-Zwaagstra-Bloemhof {n:02d}")
        for n in range(MANY)
    ]
    new_candidate = candidate_of("Fatima-Zahra", "El Amrani-Bouzerda", aangemeld=True)
    placed_candidate = others[0]

    # The main candidate: voordrachten in several states, each with its history.
    voordracht = services.voordracht_make(
        candidate=candidate, leerbaan=leerbaan, by=consultant, motivation=LONG_REASON
    )
    leerbanen = list(leerbedrijf.leerbanen.exclude(pk__in=[leerbaan.pk, concept_leerbaan.pk]))
    for extra in leerbanen[:3]:
        declined = services.voordracht_make(candidate=candidate, leerbaan=extra, by=consultant)
        services.voordracht_decline(
            voordracht=declined,
            by=werkgever,
            reason_code=DeclineReason.OVERIG,
            reason=LONG_REASON,
        )
    withdrawn = services.voordracht_make(candidate=candidate, leerbaan=leerbanen[3], by=consultant)
    services.voordracht_withdraw(voordracht=withdrawn, by=consultant, reason=LONG_REASON)

    # Many voordrachten for the leerbaan, one invited, one accepted (its enrolment goes to the
    # school, the nearest instelling offering the kwalificatie).
    instelling = MboInstellingFactory(
        organisation=school_user.organisation,
        naam="ROC Friese Poort, vestiging Sneek, Sector Zorg, Welzijn en Sport",
    )
    MboLocatieFactory(instelling=instelling, lat=53.05, lon=5.12)
    OpleidingsaanbodFactory(instelling=instelling, kwalificatie=kwalificatie)
    for other in others[:10]:
        services.voordracht_make(candidate=other, leerbaan=leerbaan, by=consultant)
    placed_voordracht = placed_candidate.voordrachten.get()
    services.voordracht_invite(voordracht=placed_voordracht, by=werkgever, **interview())
    enrolment = trajecten_services.voordracht_accept(voordracht=placed_voordracht, by=werkgever)
    invited = others[1].voordrachten.get()
    services.voordracht_invite(voordracht=invited, by=werkgever, **interview())

    # The werkgever asks for two fitting candidates; the consultant declines one request.
    voordracht_request = services.voordracht_request(
        candidate=others[20], leerbaan=leerbaan, by=werkgever, message=LONG_REASON
    )
    declined_request = services.voordracht_request(
        candidate=others[21], leerbaan=leerbaan, by=werkgever, message=LONG_REASON
    )
    services.voordracht_request_decline(
        request=declined_request, by=consultant, answer=LONG_REASON[:400]
    )

    # A request without an instelling: the consultant's to-do.
    todo_candidate = candidate_of("Pieter-Willem", "Zandstra-Hoekstra", status="geplaatst")
    enrolment_todo = Enrolment.objects.create(
        candidate=todo_candidate,
        leerbaan=leerbaan,
        kwalificatie=kwalificatie,
        route=todo_candidate.route,
    )

    # Many enrolments at the school, in the list; and a long history on the main candidate.
    for n in range(MANY):
        extra = candidate_of(
            f"Klaas-Jan {n}", "Hoekstra-Terpstra-Van der Meulen", status="geplaatst"
        )
        made = Enrolment.objects.create(
            candidate=extra,
            leerbaan=leerbaan,
            instelling=instelling,
            kwalificatie=kwalificatie,
            route=extra.route,
            distance_km=12.4,
        )
        EnrolmentTransition.objects.create(
            enrolment=made, transition="request", to_state="aangevraagd"
        )
    for _ in range(6):
        candidate.transitions.create(
            transition="deregister",
            from_state=CandidateStatus.ACTIEF,
            to_state=CandidateStatus.AFGEMELD,
            by=consultant,
            organisation=consultant.organisation,
            reason_code=CandidateEndReason.OVERIG,
            reason=LONG_REASON,
        )
    notifications_build(werkgever)
    return World(
        consultant=consultant,
        werkgever=werkgever,
        school_user=school_user,
        candidate=candidate,
        new_candidate=new_candidate,
        placed_candidate=placed_candidate,
        leerbaan=leerbaan,
        concept_leerbaan=concept_leerbaan,
        voordracht=voordracht,
        invited=invited,
        enrolment=enrolment,
        enrolment_todo=enrolment_todo,
        fitting=others[22],
        voordracht_request=voordracht_request,
    )


def notifications_build(werkgever) -> None:
    """The werkgever administers its organisation: a webhook that a 410 turned off, and a
    delivery log longer than a page, with failures with long errors to resend. (The services
    above already gave every user notifications.)"""
    werkgever.is_organisation_admin = True
    werkgever.save(update_fields=["is_organisation_admin"])
    organisation = werkgever.organisation
    WebhookEndpoint.objects.create(
        organisation=organisation,
        url=f"https://{LONG_WORD}.example/praktijkleren/webhooks/ontvanger",
        secret=secret_generate(),
        is_active=False,
        disabled_reason="De ontvanger antwoordde HTTP 410 Gone; de webhook is uitgezet.",
    )
    for n in range(MANY + 30):
        failed = n % 3 == 0
        OutboxMessage.objects.create(
            organisation=organisation,
            user=werkgever if n % 2 else None,
            channel=Channel.EMAIL,
            kind="voordracht.made",
            idempotency_key=f"world:{n}",
            to_email=LONG_EMAIL if n % 2 else organisation.email,
            subject=f"Nieuwe voordracht voor {LONG_WORD}",
            status=OutboxStatus.FAILED if failed else OutboxStatus.SENT,
            attempts=8 if failed else 1,
            sent_at=None if failed else timezone.now(),
            last_error=f"SMTPRecipientsRefused: {LONG_WORD} " * 5 if failed else "",
        )


@dataclasses.dataclass(frozen=True)
class Page:
    """A page of the portal: who opens it (``role``: a ``World`` attribute, or None for a
    visitor who is not logged in), its ``url`` and a short ``name`` for reports.
    ``submit_empty``: the page has a form with required fields; submitting it empty shows the
    error summary (and changes nothing). ``status``: the answer expected (the error pages)."""

    name: str
    role: str | None
    url: str
    submit_empty: bool = False
    status: int = 200


def pages(world: World) -> list[Page]:
    """Every page of the portal, as the role that uses it."""

    def transition(name: str, role: str, obj: Any, step: str, *, required: bool = False) -> Page:
        url_name = {
            "candidate": "candidates:candidate_transition",
            "voordracht": "candidates:voordracht_transition",
            "leerbaan": "candidates:leerbaan_transition",
            "enrolment": "trajecten:enrolment_transition",
            "placement": "trajecten:voordracht_accept",
        }[name]
        return Page(f"{name} {step}", role, reverse(url_name, args=[obj.pk, step]), required)

    w = world
    return [
        Page("log-in", None, reverse("login"), submit_empty=True),
        Page("candidate list", "consultant", reverse("candidates:candidate_list")),
        Page(
            "candidate list, page 2", "consultant", reverse("candidates:candidate_list") + "?page=2"
        ),
        Page(
            "candidate registration",
            "consultant",
            reverse("candidates:candidate_create"),
            submit_empty=True,
        ),
        Page("candidate", "consultant", w.candidate.get_absolute_url()),
        Page("candidate, placed", "consultant", w.placed_candidate.get_absolute_url()),
        Page("candidate, aangemeld", "consultant", w.new_candidate.get_absolute_url()),
        transition("candidate", "consultant", w.new_candidate, "activate", required=True),
        transition("candidate", "consultant", w.candidate, "deregister", required=True),
        Page("open leerbanen", "consultant", reverse("leerbedrijven:leerbaan_list")),
        Page("leerbaan, consultant", "consultant", w.leerbaan.get_absolute_url()),
        Page("voordracht, consultant", "consultant", w.voordracht.get_absolute_url()),
        transition("voordracht", "consultant", w.voordracht, "withdraw"),
        Page("enrolments, consultant", "consultant", reverse("trajecten:enrolment_list")),
        Page("enrolment, consultant", "consultant", w.enrolment.get_absolute_url()),
        Page("enrolment to-do, consultant", "consultant", w.enrolment_todo.get_absolute_url()),
        transition("enrolment", "consultant", w.enrolment_todo, "stop", required=True),
        Page("our leerbanen", "werkgever", reverse("leerbedrijven:leerbaan_list")),
        Page("leerbaan, werkgever", "werkgever", w.leerbaan.get_absolute_url()),
        Page("concept leerbaan", "werkgever", w.concept_leerbaan.get_absolute_url()),
        transition("leerbaan", "werkgever", w.concept_leerbaan, "publish"),
        transition("leerbaan", "werkgever", w.leerbaan, "close"),
        Page("voordracht, werkgever", "werkgever", w.voordracht.get_absolute_url()),
        Page("voordracht invited, werkgever", "werkgever", w.invited.get_absolute_url()),
        transition("voordracht", "werkgever", w.voordracht, "invite", required=True),
        Page("voordrachten inbox", "werkgever", reverse("candidates:voordracht_list")),
        Page(
            "voordrachten inbox, all",
            "werkgever",
            reverse("candidates:voordracht_list") + f"?status=alle&leerbaan={w.leerbaan.pk}",
        ),
        Page("requests, werkgever", "werkgever", reverse("candidates:voordracht_request_list")),
        Page(
            "request a voordracht",
            "werkgever",
            reverse("candidates:voordracht_request_create", args=[w.leerbaan.pk, w.fitting.pk]),
        ),
        Page("requests, consultant", "consultant", reverse("candidates:voordracht_request_list")),
        Page(
            "decline a request",
            "consultant",
            reverse("candidates:voordracht_request_decline", args=[w.voordracht_request.pk]),
            submit_empty=True,
        ),
        Page(
            "propose with motivation",
            "consultant",
            reverse("candidates:voordracht_make", args=[w.fitting.pk, w.leerbaan.pk]),
        ),
        transition("voordracht", "werkgever", w.voordracht, "decline", required=True),
        transition("placement", "werkgever", w.invited, "accept"),
        Page("enrolments, werkgever", "werkgever", reverse("trajecten:enrolment_list")),
        Page("enrolment, werkgever", "werkgever", w.enrolment.get_absolute_url()),
        Page("enrolments, school", "school_user", reverse("trajecten:enrolment_list")),
        Page("enrolment, school", "school_user", w.enrolment.get_absolute_url()),
        transition("enrolment", "school_user", w.enrolment, "accept", required=True),
        transition("enrolment", "school_user", w.enrolment, "decline", required=True),
        transition("enrolment", "school_user", w.enrolment, "stop", required=True),
        Page("notifications", "consultant", reverse("notifications:list")),
        Page("notifications, page 2", "consultant", reverse("notifications:list") + "?page=2"),
        Page("notification preferences", "consultant", reverse("notifications:preferences")),
        Page(
            "notification preferences, school", "school_user", reverse("notifications:preferences")
        ),
        Page("notifications, werkgever", "werkgever", reverse("notifications:list")),
        Page(
            "organisation settings",
            "werkgever",
            reverse("notifications:organisation_settings"),
            submit_empty=True,
        ),
        Page("delivery log", "werkgever", reverse("notifications:delivery_log")),
        Page(
            "delivery log, failed",
            "werkgever",
            reverse("notifications:delivery_log") + "?status=failed",
        ),
        Page("not found", "consultant", "/bestaat-niet/", status=404),
        Page("forbidden", "school_user", reverse("candidates:candidate_list"), status=403),
    ]
