"""Security headers that Django and django-csp do not set themselves (issue 9, "Headers").

Django's ``SecurityMiddleware`` sets HSTS (production), ``X-Content-Type-Options: nosniff``,
``Referrer-Policy`` and ``Cross-Origin-Opener-Policy``; django-csp sets the
Content-Security-Policy. This module adds the two that remain:

- ``PermissionsPolicyMiddleware``: a ``Permissions-Policy`` header that denies the browser
  features the portal never uses (camera, microphone, geolocation, payment, USB, ...) on every
  response, from ``settings.PERMISSIONS_POLICY``.
- ``NoStoreMiddleware``: ``Cache-Control: no-store`` on every response a view produced (pages,
  error pages, redirects, CSV exports, the praktijkverklaring PDF) unless the view set its own
  ``Cache-Control``: the portal's pages show personal data, and neither a shared proxy nor the
  browser's cache or back button may keep them. It sits after WhiteNoise, which answers static
  files (long-cacheable, no personal data) before the request gets here.
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """The ``Permissions-Policy`` header value of ``policy``: feature name → allowlist.

    An empty allowlist denies the feature everywhere (``camera=()``); ``"self"`` and ``"*"``
    are written as the header's keywords, any other entry is an origin and is quoted
    (``geolocation=(self "https://kaart.example")``). Structured-header syntax, RFC 8941.
    """

    def item(origin: str) -> str:
        return origin if origin in ("self", "*") else f'"{origin}"'

    return ", ".join(
        f"{feature}=({' '.join(item(origin) for origin in allowlist)})"
        for feature, allowlist in policy.items()
    )


class PermissionsPolicyMiddleware:
    """Set ``Permissions-Policy`` (from ``settings.PERMISSIONS_POLICY``) on every response that
    has none yet. The header is computed once, at start-up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response without a ``Cache-Control`` of its own
    (a view's ``never_cache`` or explicit header stays as the view set it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
