"""The client address django-axes counts failed log-ins against (``AXES_CLIENT_IP_CALLABLE``)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address: ``REMOTE_ADDR``, or behind ``settings.TRUSTED_PROXY_COUNT``
    reverse proxies the address that many places from the right in ``X-Forwarded-For`` (each
    proxy appends the address it received the request from, so entries further left can be
    forged by the client). ``None`` when the request carries no address (a test request)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
