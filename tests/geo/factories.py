import factory

from praktijkleren.geo.constants import CoordinateSource
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode


class ArbeidsmarktregioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arbeidsmarktregio
        django_get_or_create = ("code",)

    code = "AM19"
    naam = "Midden-Utrecht"


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    naam = factory.Faker("city", locale="nl_NL")
    provincie_code = "PV26"
    provincie_naam = "Utrecht"
    arbeidsmarktregio = factory.SubFactory(ArbeidsmarktregioFactory)
    lat = 52.09
    lon = 5.12


class PostcodeFactory(factory.django.DjangoModelFactory):
    """A PC4 near Utrecht; pass ``lat``/``lon`` to place it elsewhere."""

    class Meta:
        model = Postcode
        django_get_or_create = ("pc4",)

    pc4 = factory.Sequence(lambda n: f"{3500 + n % 4500}")
    woonplaats = "Utrecht"
    gemeente = factory.SubFactory(GemeenteFactory)
    lat = 52.09
    lon = 5.12
    coordinate_source = CoordinateSource.PC4
