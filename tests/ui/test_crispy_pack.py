"""The ``utrecht`` crispy-forms template pack: labels, descriptions, errors and the summary."""

import re

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template import Context, Template

KLEUREN = [("rood", "Rood"), ("groen", "Groen")]


class VoorbeeldForm(forms.Form):
    naam = forms.CharField(label="Naam", help_text="Zoals in het paspoort.")
    toelichting = forms.CharField(label="Toelichting", widget=forms.Textarea, required=False)
    startdatum = forms.DateField(label="Startdatum", widget=forms.DateInput(attrs={"type": "date"}))
    kleur = forms.ChoiceField(label="Kleur", choices=KLEUREN, widget=forms.RadioSelect)
    talen = forms.MultipleChoiceField(
        label="Talen", choices=[("nl", "Nederlands"), ("en", "Engels")], help_text="Eén of meer."
    )
    dagen = forms.MultipleChoiceField(
        label="Dagen",
        choices=[("ma", "Maandag"), ("di", "Dinsdag")],
        widget=forms.CheckboxSelectMultiple,
    )
    regio = forms.ChoiceField(label="Regio", choices=[("", "---"), ("a", "A")])
    akkoord = forms.BooleanField(label="Ik ga akkoord")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", "Opslaan"))

    def clean(self):
        raise forms.ValidationError("Deze combinatie kan niet.")


def render(template: str, form) -> str:
    return Template("{% load crispy_forms_tags %}" + template).render(Context({"form": form}))


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with ``element_id``."""
    match = re.search(rf'<(input|select|textarea)\b[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


@pytest.fixture
def invalid_form():
    form = VoorbeeldForm(data={"naam": "", "kleur": "paars", "talen": [], "startdatum": "gisteren"})
    assert not form.is_valid()
    return form


@pytest.mark.parametrize("template", ["{% crispy form %}", "{{ form|crispy }}"])
def test_every_field_has_a_label_for_its_input(template):
    html = render(template, VoorbeeldForm())

    for field_id in ("id_naam", "id_toelichting", "id_startdatum", "id_talen", "id_regio"):
        assert re.search(rf'<label [^>]*for="{field_id}"', html), field_id
        tag(html, field_id)
    assert re.search(r'<label [^>]*for="id_akkoord"[^>]*>Ik ga akkoord</label>', html)
    # Choice lists are a fieldset with a legend, each option labelled.
    assert re.search(r"<legend [^>]*>Kleur</legend>", html)
    assert re.search(r'<label [^>]*for="id_kleur_0">Rood</label>', html)
    assert re.search(r'<label [^>]*for="id_dagen_1">Dinsdag</label>', html)
    assert "(niet verplicht)" in html  # toelichting
    assert "Er ging iets mis" not in html
    assert "aria-invalid" not in html


def test_component_classes_per_widget():
    html = render("{% crispy form %}", VoorbeeldForm())

    assert "utrecht-textbox" in tag(html, "id_naam")
    assert 'type="date"' in tag(html, "id_startdatum")
    assert "utrecht-textarea" in tag(html, "id_toelichting")
    assert "utrecht-select" in tag(html, "id_regio")
    assert "multiple" in tag(html, "id_talen")
    assert "utrecht-checkbox" in tag(html, "id_akkoord")
    assert "utrecht-radio-button" in tag(html, "id_kleur_0")
    assert "utrecht-checkbox" in tag(html, "id_dagen_0")
    assert re.search(
        r'<button type="submit" name="opslaan"[^>]*utrecht-button--primary-action', html
    )
    assert "btn-primary" not in html


def test_help_text_has_an_id_the_input_points_at():
    html = render("{% crispy form %}", VoorbeeldForm())

    assert re.search(r'id="id_naam_helptext"[^>]*>Zoals in het paspoort.<', html)
    assert 'aria-describedby="id_naam_helptext"' in tag(html, "id_naam")


@pytest.mark.parametrize("template", ["{% crispy form %}", "{{ form|crispy }}"])
def test_errors_are_linked_to_their_inputs(template, invalid_form):
    html = render(template, invalid_form)

    naam = tag(html, "id_naam")
    assert 'aria-invalid="true"' in naam
    assert 'aria-describedby="id_naam_helptext id_naam_error"' in naam
    assert re.search(r'id="id_naam_error"[^>]*>\s*<p[^>]*>Dit veld is verplicht.</p>', html)
    assert 'aria-invalid="true"' in tag(html, "id_startdatum")
    assert 'aria-describedby="id_startdatum_error"' in tag(html, "id_startdatum")
    assert "utrecht-textbox--invalid" in tag(html, "id_startdatum")
    # Radio list: the fieldset points at the error, every option is marked invalid.
    assert re.search(r'<fieldset [^>]*aria-describedby="id_kleur_error"', html)
    assert 'aria-invalid="true"' in tag(html, "id_kleur_0")
    assert 'aria-invalid="true"' in tag(html, "id_kleur_1")
    # Valid optional field stays clean.
    assert "aria-invalid" not in tag(html, "id_toelichting")


@pytest.mark.parametrize("template", ["{% crispy form %}", "{{ form|crispy }}"])
def test_error_summary_links_every_error_to_its_field(template, invalid_form):
    html = render(template, invalid_form)

    summary = re.search(
        r'<div class="utrecht-alert utrecht-alert--error[^"]*" role="alert".*?</ul>', html, re.S
    )
    assert summary, "no error summary"
    summary_html = summary.group(0)
    assert "Er ging iets mis" in summary_html
    hrefs = re.findall(r'href="#([^"]+)"', summary_html)
    # Non-field error first (linked to the first field), then each invalid field in form order.
    assert hrefs == [
        "id_naam",
        "id_naam",
        "id_startdatum",
        "id_kleur_0",
        "id_talen",
        "id_dagen_0",
        "id_regio",
        "id_akkoord",
    ]
    assert "Deze combinatie kan niet." in summary_html
    assert html.index("Er ging iets mis") < html.index('id="id_naam"')
    for target in set(hrefs):
        assert f'id="{target}"' in html
