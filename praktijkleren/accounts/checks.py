"""System checks of the log-in settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def two_factor_required_check(app_configs, **kwargs) -> list[Error]:
    """``accounts.E001`` when a deployment (``DEBUG`` off) runs without the second log-in step:
    every professional user must log in with TOTP (issue 9). Production settings force
    ``TWO_FACTOR_REQUIRED`` on; this catches a deployment on other settings."""
    if settings.DEBUG or settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        Error(
            "TWO_FACTOR_REQUIRED is off: users log in with a password only.",
            hint="Unset TWO_FACTOR_REQUIRED or set it to true; only a local demo may run without.",
            id="accounts.E001",
        )
    ]
