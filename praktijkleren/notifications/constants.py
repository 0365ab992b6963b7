from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a party hears of an event."""

    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("In het portaal")
    WEBHOOK = "webhook", _("Webhook")


class OutboxStatus(models.TextChoices):
    """Delivery state of an outbox row (e-mail or webhook).

    ``pending`` → ``sending`` (claimed by one worker) → ``sent``; a temporary failure puts the row
    back to ``pending`` with a later ``next_attempt_at``; a permanent one, or the last attempt,
    ends in ``failed``. ``held``: an e-mail that waits for the recipient's daily digest.
    """

    PENDING = "pending", _("Wacht op verzending")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
    HELD = "held", _("Wacht op de dagelijkse samenvatting")


class Mode(models.TextChoices):
    """A user's preference per event: told at once, in the daily digest, or not at all."""

    IMMEDIATE = "immediate", _("Direct")
    DIGEST = "digest", _("In de dagelijkse samenvatting")
    OFF = "off", _("Niet")


class Role(models.TextChoices):
    """The parties an event can concern (the notifications issue, 'The recipients'): the
    registering organisation (gemeente or UWV) with the candidate's consultant; the werkgever
    (the leerbedrijf's users and its contact mailbox); the school; the case team."""

    CONSULTANT = "consultant", _("de organisatie die de kandidaat aanmeldde")
    EMPLOYER = "employer", _("de werkgever (het leerbedrijf)")
    SCHOOL = "school", _("de mbo-instelling")
    CASE_TEAM = "case_team", _("het casusteam van de kandidaat")


# Delivery attempts before a row ends as failed. The retries wait NOTIFICATION_RETRY_BASE_SECONDS
# × 2^(attempt − 1), at most NOTIFICATION_RETRY_MAX_SECONDS, each drawn uniformly between half
# and the whole of that (jitter): about 30 s, 1, 2, 4, 8 and 10 minutes with the defaults.
MAX_ATTEMPTS = 8
# A claim (status ``sending``) older than this belongs to a worker that died: the dispatcher
# hands the row to another worker. It exceeds CELERY_TASK_TIME_LIMIT, so a live worker is never
# overtaken while it still sends.
CLAIM_TIMEOUT_SECONDS = 60
# The dispatcher (beat, and in the embedded portal a thread) runs this often, in seconds: a row
# stranded by a crash or a broker outage goes out within two minutes of the worker or broker
# being back.
DISPATCH_EVERY_SECONDS = 15
# Handing a row to the broker after the commit (``delivery.delivery_queue_on_commit``): the
# committing thread waits at most PUBLISH_WAIT_SECONDS for the publish (normally under a
# millisecond; a healthy broker's first connection takes tens); after a publish the broker
# refused or did not answer, the process leaves the broker alone for BROKER_PAUSE_SECONDS and its
# rows to the dispatcher.
PUBLISH_WAIT_SECONDS = 0.5
BROKER_PAUSE_SECONDS = 5.0
