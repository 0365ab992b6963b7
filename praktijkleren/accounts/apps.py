from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations and their users; a user's role is the kind of its organisation."""

    name = "praktijkleren.accounts"
    label = "accounts"
    verbose_name = _("Organisaties en gebruikers")

    def ready(self) -> None:
        # Registers the receiver that stores the log-in moment in the session,
        # and the deploy check of the second log-in step.
        from praktijkleren.accounts import checks, middleware  # noqa: F401
