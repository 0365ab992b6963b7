"""Forms of the notification pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.models import Organisation
from praktijkleren.notifications import selectors, services, webhooks
from praktijkleren.notifications.constants import Channel, Mode, OutboxStatus
from praktijkleren.notifications.models import OutboxMessage, Preference, WebhookEndpoint
from praktijkleren.ui.forms import TextRulesMixin


class PreferencesForm(TextRulesMixin, forms.Form):
    """One choice per event type the user's role hears of: at once, daily digest, or not (not
    offered when the role must act on the event)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        role = selectors.role_of(user=user)
        current = dict(Preference.objects.filter(user=user).values_list("event_type", "mode"))
        for event in selectors.event_types_for(user=user):
            choices = [
                (m.value, m.label) for m in Mode if m != Mode.OFF or role not in event.must_act
            ]
            self.fields[event.code] = forms.ChoiceField(
                label=event.label,
                choices=choices,
                initial=current.get(event.name, Mode.IMMEDIATE),
                widget=forms.RadioSelect,
                help_text=_("U moet hierop actie ondernemen: uitzetten kan niet.")
                if role in event.must_act
                else "",
            )
        self.events = {e.code: e for e in selectors.event_types_for(user=user)}

    def save(self) -> None:
        """Store every choice (``services.preference_set``)."""
        for code, mode in self.cleaned_data.items():
            services.preference_set(
                user=self.user, event_type_name=self.events[code].name, mode=mode
            )


class WebhookForm(TextRulesMixin, forms.ModelForm):
    """The organisation's webhook address; the address is checked as the portal will call it
    (https, public addresses only)."""

    url = forms.URLField(
        label=_("Adres van de ontvanger (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Een https-adres van uw eigen systeem, bijvoorbeeld "
            "https://uw-organisatie.nl/praktijkleren/webhooks."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        error_messages={
            "max_length": _(
                "Het adres mag hoogstens %(limit_value)d tekens lang zijn (dit zijn er "
                "%(show_value)d)."
            )
        },
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser would cut a pasted address without a word.
        self.fields["url"].widget.attrs.pop("maxlength", None)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        webhooks.url_check(url)
        return url

    def save(self, commit: bool = True, *, organisation: Organisation | None = None) -> Any:
        endpoint = super().save(commit=False)
        if organisation is not None:
            endpoint.organisation = organisation
        if not endpoint.secret:
            endpoint.secret = webhooks.secret_generate()
        endpoint.save()
        return endpoint


class DeliveryLogFilter(django_filters.FilterSet):
    """The delivery log by channel and status."""

    # Portal notifications are not delivered, so they are not in the log.
    channel = django_filters.ChoiceFilter(
        label=_("Kanaal"),
        choices=[(c.value, c.label) for c in Channel if c != Channel.PORTAL],
        empty_label=_("Alle kanalen"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OutboxStatus.choices, empty_label=_("Alle statussen")
    )

    class Meta:
        model = OutboxMessage
        fields = ["channel", "status"]
