"""The werkprocessen and certificaten selectors of ``opleidingen.selectors``."""

import pytest

from opleidingen.constants import KerntaakDeel, WerkprocesBron
from opleidingen.selectors import (
    certificaten_for,
    werkproces_codes_of,
    werkprocessen_known,
    werkprocessen_of,
)
from tests.opleidingen.factories import (
    CertificaatFactory,
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    WerkprocesFactory,
)

pytestmark = pytest.mark.django_db


def profiel_kerntaak(kwalificatie, **kwargs):
    return KerntaakFactory(
        dossier=kwalificatie.dossier, kwalificatie=kwalificatie, deel=KerntaakDeel.PROFIEL, **kwargs
    )


def codeless(kwalificatie, titles: list[list[str]]):
    """Beroepen-app kerntaken of ``kwalificatie`` with werkprocessen ``titles``, in order;
    created in reverse so that order cannot come from the primary keys."""
    for k_pos, werkprocessen in reversed(list(enumerate(titles, start=1))):
        kerntaak = profiel_kerntaak(
            kwalificatie, code="", position=k_pos, bron=WerkprocesBron.BEROEPEN_APP
        )
        for w_pos, titel in reversed(list(enumerate(werkprocessen, start=1))):
            WerkprocesFactory(kerntaak=kerntaak, code="", position=w_pos, titel=titel)


def test_werkprocessen_of_gives_basis_and_own_profiel_by_code():
    dossier = KwalificatiedossierFactory()
    own, other = KwalificatieFactory(dossier=dossier), KwalificatieFactory(dossier=dossier)
    p1 = profiel_kerntaak(own, code="P1-K1")
    WerkprocesFactory(kerntaak=p1, code="P1-K1-W2")
    WerkprocesFactory(kerntaak=p1, code="P1-K1-W1")
    WerkprocesFactory(kerntaak=KerntaakFactory(dossier=dossier, code="B1-K1"), code="B1-K1-W1")
    WerkprocesFactory(kerntaak=profiel_kerntaak(other, code="P2-K1"), code="P2-K1-W1")
    WerkprocesFactory(kerntaak=KerntaakFactory(code="B1-K1"), code="B1-K1-W1")  # other dossier

    codes = [w.code for w in werkprocessen_of(kwalificatie=own)]

    assert codes == ["B1-K1-W1", "P1-K1-W1", "P1-K1-W2"]


def test_werkprocessen_of_keeps_the_beroepen_apps_order():
    kwalificatie = KwalificatieFactory()
    codeless(kwalificatie, [["Maakt gereed", "Ontvangt"], ["Rekent af"]])

    titles = [w.titel for w in werkprocessen_of(kwalificatie=kwalificatie)]

    assert titles == ["Maakt gereed", "Ontvangt", "Rekent af"]


def test_werkprocessen_known_per_source():
    coded, titles, none = KwalificatieFactory(), KwalificatieFactory(), KwalificatieFactory()
    WerkprocesFactory(kerntaak=profiel_kerntaak(coded, code="P1-K1"), code="P1-K1-W1")
    codeless(titles, [["Maakt gereed"]])
    profiel_kerntaak(none, code="P1-K1")  # a kerntaak without werkprocessen
    no_dossier = KwalificatieFactory(dossier=None)

    assert werkprocessen_known(kwalificatie=coded)
    assert werkprocessen_known(kwalificatie=titles)
    assert not werkprocessen_known(kwalificatie=none)
    assert not werkprocessen_known(kwalificatie=no_dossier)


def test_werkproces_codes_of_leaves_codeless_werkprocessen_out():
    kwalificatie = KwalificatieFactory()
    codeless(kwalificatie, [["Maakt gereed"]])
    werkproces = WerkprocesFactory(
        kerntaak=profiel_kerntaak(kwalificatie, code="P1-K1"), code="P1-K1-W1"
    )

    assert werkproces_codes_of(kwalificaties=[kwalificatie]) == {
        kwalificatie.pk: {"P1-K1-W1": werkproces.pk}
    }


def test_certificaten_for_gives_the_kwalificaties_certificates_by_name(
    django_assert_num_queries,
):
    kwalificatie, other = KwalificatieFactory(), KwalificatieFactory()
    kerntaak = profiel_kerntaak(kwalificatie, code="P1-K1")
    werkproces = WerkprocesFactory(kerntaak=kerntaak, code="P1-K1-W1")
    b = CertificaatFactory(
        naam="B",
        kwalificaties=[kwalificatie, other],
        kerntaken=[kerntaak],
        werkprocessen=[werkproces],
    )
    a = CertificaatFactory(naam="A (demo)", kwalificaties=[kwalificatie], demo=True)
    CertificaatFactory(naam="C", kwalificaties=[other])

    in_kerntaak = list(kerntaak.werkprocessen.all())
    with django_assert_num_queries(4):
        found = list(certificaten_for(kwalificatie=kwalificatie))
        assert [list(c.werkprocessen.all()) for c in found] == [[], [werkproces]]
        assert [list(c.kerntaken.all()) for c in found] == [[], [kerntaak]]
        assert [w.kerntaak.code for w in found[1].werkprocessen.all()] == [kerntaak.code]
        assert list(found[1].kerntaken.all()[0].werkprocessen.all()) == in_kerntaak

    assert found == [a, b]
    assert list(certificaten_for(kwalificatie=KwalificatieFactory())) == []
