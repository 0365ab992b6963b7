"""Template helpers of the leerbedrijf's pages."""

from django import template

from leerbedrijven.forms import phone_national as _phone_national

register = template.Library()


@register.filter
def phone_national(value: str) -> str:
    """A stored E.164 phone number as it is written in the Netherlands: ``030 123 4567``."""
    return _phone_national(value)
