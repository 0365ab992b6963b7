import ipaddress
import socket

import pytest

from praktijkleren.notifications import tasks
from tests.notifications.backends import FailingEmailBackend


@pytest.fixture
def queued(monkeypatch):
    """The message ids handed to ``deliver.apply_async``, recorded instead of sent to the
    broker."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **kwargs: ids.append(args[0]))
    return ids


@pytest.fixture
def failing_mail(settings):
    """Make every e-mail send raise the exception passed to the returned function."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingEmailBackend"

    def fail_with(error: BaseException | None) -> None:
        FailingEmailBackend.error = error

    yield fail_with
    FailingEmailBackend.error = None


@pytest.fixture
def dns(monkeypatch):
    """A resolver without the network: ``ontvanger.example`` is a public address, ``localhost``
    the loopback, an IP literal itself; any other name does not resolve."""
    table = {"ontvanger.example": "93.184.216.34", "localhost": "127.0.0.1"}

    def getaddrinfo(host, port, *args, **kwargs):
        address = table.get(host, host)
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "not known") from None
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def pytest_terminal_summary(terminalreporter):
    """The figures the fault tests measured (``test_faults.py``), after the results."""
    from tests.notifications.fault_parts import FIGURES

    if FIGURES:
        terminalreporter.section("notification fault tests: measured")
        for line in FIGURES:
            terminalreporter.write_line(line)
