"""Dutch explanations of delivery failures, for the delivery log and the "Stuur een test" button.

``OutboxMessage.last_error`` keeps the technical record (``module.Class: message``, without
e-mail addresses) for beheer; these functions turn it into a sentence an organisation's
administrator can act on.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_HTTP_STATUS = re.compile(r"HTTP (\d{3})")
_SMTP_CODE = re.compile(r"\b([245]\d{2})\b")


def error_explain(last_error: str) -> str:
    """A Dutch sentence for ``last_error`` (``"module.Class: message"``; "" gives "")."""
    if not last_error:
        return ""
    cls, _sep, detail = last_error.partition(": ")
    name = cls.rsplit(".", 1)[-1]
    status = _HTTP_STATUS.search(detail)
    if name == "WebhookOff":
        return _("De webhook stond uit of was verwijderd toen de melding aan de beurt was.")
    if name == "WebhookGone":
        return _("De ontvanger wil geen webhooks meer (HTTP 410); de webhook is uitgezet.")
    if name in ("WebhookRetry", "WebhookRejected") and status:
        return _webhook_status(int(status.group(1)))
    if name == "WebhookRetry":
        if "Timeout" in detail:
            return _("De ontvanger antwoordde niet op tijd.")
        return _("Geen verbinding met het adres van de ontvanger.")
    if name.startswith("SMTP"):
        return _smtp(name, detail)
    if name == "ValidationError":
        return detail
    if name == "SoftTimeLimitExceeded":
        return _("Het versturen duurde te lang.")
    return _("Technische fout bij het versturen; beheer kan de details zien.")


def exception_explain(exc: BaseException) -> str:
    """``error_explain`` for an exception: its class and message."""
    cls = type(exc)
    return error_explain(f"{cls.__module__}.{cls.__qualname__}: {exc}")


def _webhook_status(status: int) -> str:
    if status in (408, 425, 429) or status >= 500:
        return _("De ontvanger kon het bericht nu niet aannemen (HTTP %(status)d).") % {
            "status": status
        }
    return _("De ontvanger weigerde het bericht (HTTP %(status)d).") % {"status": status}


def _smtp(name: str, detail: str) -> str:
    code = _SMTP_CODE.search(detail)
    if name == "SMTPRecipientsRefused":
        return _("De mailserver weigerde het e-mailadres (SMTP %(code)s).") % {
            "code": code.group(1) if code else "?"
        }
    if name in ("SMTPServerDisconnected", "SMTPConnectError"):
        return _("Geen verbinding met de mailserver.")
    if code:
        return _("De mailserver gaf een fout (SMTP %(code)s).") % {"code": code.group(1)}
    return _("De mailserver gaf een fout.")
