import factory

from opleidingen.constants import KerntaakDeel, Leerweg
from opleidingen.models import (
    Certificaat,
    Kerntaak,
    Kwalificatie,
    Kwalificatiedossier,
    MboInstelling,
    MboLocatie,
    Opleidingsaanbod,
    Werkproces,
)
from tests.accounts.factories import OrganisationFactory


class KwalificatiedossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kwalificatiedossier
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{23500 + n}")
    naam = factory.Sequence(lambda n: f"Dossier {n}")
    sectorkamer_code = "03"
    sectorkamer_naam = "Zorg, welzijn en sport"


class KwalificatieFactory(factory.django.DjangoModelFactory):
    """A current BBL/BOL kwalificatie at niveau 3 by default."""

    class Meta:
        model = Kwalificatie
        django_get_or_create = ("crebo",)

    crebo = factory.Sequence(lambda n: f"{25500 + n}")
    naam = factory.Sequence(lambda n: f"Kwalificatie {n}")
    niveau = 3
    niveau_naam = "vakopleiding"
    bbl = True
    bol = True
    dossier = factory.SubFactory(KwalificatiedossierFactory)
    is_current = True

    class Params:
        historic = factory.Trait(crebo=factory.Sequence(lambda n: f"{10500 + n}"), is_current=False)


class KerntaakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kerntaak

    dossier = factory.SubFactory(KwalificatiedossierFactory)
    deel = KerntaakDeel.BASIS
    code = factory.Sequence(lambda n: f"B1-K{n + 1}")
    titel = factory.Sequence(lambda n: f"Kerntaak {n}")


class WerkprocesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Werkproces

    kerntaak = factory.SubFactory(KerntaakFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.kerntaak.code}-W{n + 1}")
    titel = factory.Sequence(lambda n: f"Werkproces {n}")


class MboInstellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MboInstelling
        django_get_or_create = ("brin",)

    brin = factory.Sequence(lambda n: f"{10 + n % 90:02d}X{chr(65 + n % 26)}")
    naam = factory.Sequence(lambda n: f"ROC {n}")
    organisation = factory.SubFactory(OrganisationFactory, school=True)


class OpleidingsaanbodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opleidingsaanbod

    instelling = factory.SubFactory(MboInstellingFactory)
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    leerweg = Leerweg.BBL


class MboLocatieFactory(factory.django.DjangoModelFactory):
    """A location of an mbo-instelling near Utrecht; pass ``lat``/``lon`` to move it."""

    class Meta:
        model = MboLocatie

    instelling = factory.SubFactory(MboInstellingFactory)
    brinvest = factory.LazyAttributeSequence(lambda o, n: f"{o.instelling.brin}{n % 100:02d}")
    naam = "Hoofdlocatie"
    postcode = "3511 AB"
    plaats = "Utrecht"
    lat = 52.09
    lon = 5.12


class CertificaatFactory(factory.django.DjangoModelFactory):
    """A demo mbo-certificaat. Pass ``kwalificaties=[...]``, ``werkprocessen=[...]`` and
    ``kerntaken=[...]`` to set its parts."""

    class Meta:
        model = Certificaat
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"DEMO-{n:04d}")
    naam = factory.Sequence(lambda n: f"Certificaat {n}")
    is_demo = True

    @factory.post_generation
    def kwalificaties(self, create, extracted, **kwargs):
        if create and extracted:
            self.kwalificaties.set(extracted)

    @factory.post_generation
    def werkprocessen(self, create, extracted, **kwargs):
        if create and extracted:
            self.werkprocessen.set(extracted)

    @factory.post_generation
    def kerntaken(self, create, extracted, **kwargs):
        if create and extracted:
            self.kerntaken.set(extracted)
