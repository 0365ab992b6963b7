"""A school in a real browser, from its inbox to a started enrolment on the praktijkverklaring
route and on to the downloaded praktijkverklaring: it finds the request with the inbox's
filter, accepts it on a start moment with the route confirmed, records the POK and the OOK,
reports the start, puts the programme together and agrees, confirms a werkproces, issues the
praktijkverklaring and downloads the PDF, whose text names the werkprocessen and the document
number. The ``page`` fixture fails the test on any Content-Security-Policy violation."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from candidates.constants import CandidateStatus
from opleidingen.constants import Route
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import PraktijkopleiderFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
    WerkprocesFactory,
)
from tests.trajecten.factories import EnrolmentFactory
from tests.workflows.conftest import open_leerbaan
from trajecten.constants import EnrolmentStatus
from trajecten.models import Praktijkverklaring

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school_world():
    """A school with a start moment today for a kwalificatie whose leerbaan teaches two
    werkprocessen, and an enrolment request there on the praktijkverklaring route."""
    today = timezone.localdate()
    school_user = UserFactory(username="school", organisation=OrganisationFactory(school=True))
    werkgever = UserFactory(username="werkgever", organisation=OrganisationFactory(werkgever=True))
    leerbaan = open_leerbaan(werkgever, titel="Leerling-kok restaurant De Haven")
    leerbaan.praktijkopleider = PraktijkopleiderFactory(
        leerbedrijf=leerbaan.leerbedrijf, vestiging=leerbaan.vestiging, naam="Piet Opleider"
    )
    leerbaan.save(update_fields=["praktijkopleider"])
    leerbaan.leerbedrijf.sbb_leerbedrijf_id = "100234567"
    leerbaan.leerbedrijf.save(update_fields=["sbb_leerbedrijf_id"])
    kerntaak = KerntaakFactory(dossier=leerbaan.kwalificatie.dossier, code="B1-K1")
    werkprocessen = [
        WerkprocesFactory(kerntaak=kerntaak, code="B1-K1-W1", titel="Bereidt gerechten voor"),
        WerkprocesFactory(kerntaak=kerntaak, code="B1-K1-W2", titel="Bereidt gerechten"),
    ]
    leerbaan.werkprocessen.set(werkprocessen)
    instelling = MboInstellingFactory(organisation=school_user.organisation, naam="ROC Midden")
    locatie = MboLocatieFactory(instelling=instelling, lat=52.1, lon=5.12)
    aanbod = OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)
    aanbod.locaties.set([locatie])
    moment = aanbod.startmomenten.create(start_date=today, capacity=10)
    candidate = CandidateFactory(
        first_name="Sanne",
        last_name="de Vries",
        bsn="111222333",
        birth_date=dt.date(1990, 3, 14),
        birth_place="Breda",
        postcode=PostcodeFactory(lat=52.09, lon=5.12),
        status=CandidateStatus.GEPLAATST,
    )
    enrolment = EnrolmentFactory(
        candidate=candidate,
        leerbaan=leerbaan,
        instelling=instelling,
        kwalificatie=leerbaan.kwalificatie,
        route=Route.PRAKTIJKVERKLARING,
        startmoment=moment,
    )
    EnrolmentFactory(instelling=instelling)  # another request, which the filter hides
    return {"school": school_user, "enrolment": enrolment, "werkprocessen": werkprocessen}


def submit(page, name: str) -> None:
    """Click the button (or link) ``name`` and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def follow(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_a_school_goes_from_its_inbox_to_a_downloaded_praktijkverklaring(
    page, log_in, school_world
):
    enrolment, werkprocessen = school_world["enrolment"], school_world["werkprocessen"]
    today = timezone.localdate().isoformat()
    log_in(school_world["school"])

    # The inbox, filtered on the candidate's name, shows the request.
    page.goto(reverse("trajecten:enrolment_list"))
    page.get_by_label("Zoek op naam van de kandidaat").fill("Vries")
    submit(page, "Zoeken")
    assert page.locator("table tbody tr").count() == 1
    follow(page, "Sanne de Vries")
    assert page.url.endswith(enrolment.get_absolute_url())
    assert "Piet Opleider" in page.content()  # the praktijkopleider is on the page
    assert "111222333" not in page.content()

    # Accept on the start moment (proposed, so already chosen) with the route confirmed.
    follow(page, "Accepteren")
    page.get_by_label("Praktijkverklaring").check()
    submit(page, "Accepteren")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.GEACCEPTEERD
    assert enrolment.route_confirmed_at is not None

    # The readiness checklist: record the POK and the OOK.
    follow(page, "Praktijkovereenkomst vastleggen")
    for label, value in [
        ("Begindatum", today),
        ("Einddatum", (timezone.localdate() + dt.timedelta(days=365)).isoformat()),
        ("Uren per week", "24"),
        ("Spreiding van de uren", "Maandag tot en met woensdag."),
        ("Begeleiding", "Elke week een gesprek met de praktijkopleider."),
        ("Te behalen deel van de kwalificatie", "Twee werkprocessen van B1-K1."),
        ("Beoordeling", "In de praktijk, door de praktijkopleider."),
        ("Getekend door de school op", today),
        ("Getekend door de kandidaat op", today),
        ("Getekend door het leerbedrijf op", today),
    ]:
        page.get_by_label(label).fill(value)
    submit(page, "Opslaan")
    follow(page, "Onderwijsovereenkomst vastleggen")
    page.get_by_label("Getekend op").fill(today)
    submit(page, "Opslaan")

    # Start: the checklist holds, so the start is reported.
    submit(page, "Start melden")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.GESTART

    # The programme: the werkprocessen the leerbaan teaches, agreed by the school.
    follow(page, "Programma")
    for werkproces in werkprocessen:
        page.get_by_label(str(werkproces)).check()
    submit(page, "Werkprocessen opslaan")
    submit(page, "Akkoord namens de school")
    assert enrolment.programme.count() == 2

    # Progress: the school confirms both werkprocessen today.
    page.goto(reverse("trajecten:progress", kwargs={"pk": enrolment.pk}))
    for programme_item in enrolment.programme.all():
        item = page.locator(f"#wp-{programme_item.pk}")
        item.get_by_label("Beheerst sinds").fill(today)
        with page.expect_navigation():
            item.get_by_role("button", name="Bevestigen").click()
    assert enrolment.programme.filter(confirmed_on__isnull=False).count() == 2

    # Issue the praktijkverklaring and download it.
    page.goto(enrolment.get_absolute_url())
    follow(page, "Praktijkverklaring uitgeven")
    page.get_by_label("Naam van de examencommissie").fill("Examencommissie Horeca")
    page.get_by_label("Ondertekenaar 1").fill("A. de Voorzitter")
    submit(page, "Praktijkverklaring uitgeven")
    verklaring = Praktijkverklaring.objects.get(enrolment=enrolment)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Praktijkverklaring downloaden (pdf)").click()
    pdf = download_info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert verklaring.number in text
    for werkproces in werkprocessen:
        assert werkproces.code in text
        assert werkproces.titel in text
    assert "111222333" not in text
