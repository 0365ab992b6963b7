"""The delivery log's Dutch explanation of a failure, from the technical ``last_error``."""

import smtplib

import pytest

from praktijkleren.notifications import webhooks
from praktijkleren.notifications.errors import error_explain, exception_explain

W = "praktijkleren.notifications.webhooks."


@pytest.mark.parametrize(
    ("last_error", "explained"),
    [
        ("", ""),
        (W + "WebhookRetry: ConnectError", "Geen verbinding met het adres van de ontvanger."),
        (W + "WebhookRetry: ReadTimeout", "De ontvanger antwoordde niet op tijd."),
        (W + "WebhookRetry: HTTP 503", "De ontvanger kon het bericht nu niet aannemen (HTTP 503)."),
        (W + "WebhookRejected: HTTP 400", "De ontvanger weigerde het bericht (HTTP 400)."),
        (W + "WebhookGone: 410 Gone", "De ontvanger wil geen webhooks meer (HTTP 410)"),
        (W + "WebhookOff: the endpoint was removed", "De webhook stond uit of was verwijderd"),
        (
            "smtplib.SMTPRecipientsRefused: recipients refused with SMTP codes [550]",
            "De mailserver weigerde het e-mailadres (SMTP 550).",
        ),
        ("smtplib.SMTPServerDisconnected: gone", "Geen verbinding met de mailserver."),
        ("smtplib.SMTPDataError: 451 try later", "De mailserver gaf een fout (SMTP 451)."),
        (
            "django.core.exceptions.ValidationError: De naam x.nl is niet te vinden.",
            "De naam x.nl is niet te vinden.",
        ),
        ("builtins.ValueError: header contains a newline", "Technische fout bij het versturen"),
    ],
)
def test_each_failure_is_explained_in_dutch(last_error, explained):
    assert error_explain(last_error).startswith(explained)


def test_an_exception_is_explained_like_its_record():
    assert exception_explain(webhooks.WebhookRejected("HTTP 404")) == (
        "De ontvanger weigerde het bericht (HTTP 404)."
    )
    assert exception_explain(smtplib.SMTPServerDisconnected("x")) == (
        "Geen verbinding met de mailserver."
    )
