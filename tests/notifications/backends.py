"""An e-mail backend for tests: raises ``FailingEmailBackend.error`` when set, else locmem."""

from django.core.mail.backends.locmem import EmailBackend


class FailingEmailBackend(EmailBackend):
    """Raises the class attribute ``error`` (an exception instance) on send, if set."""

    error: BaseException | None = None

    def send_messages(self, email_messages):
        if FailingEmailBackend.error is not None:
            raise FailingEmailBackend.error
        return super().send_messages(email_messages)
