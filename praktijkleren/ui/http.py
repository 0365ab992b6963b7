"""HTTP helpers every app's views share."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` of the request (POST, else GET) when it is a path on this site, else
    ``default`` (a URL). Never raises and never leaves the site: the target must start with
    one ``/`` (not ``//`` or ``/\\``), pass ``url_has_allowed_host_and_scheme`` for this host,
    and hold no control characters."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


def redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to ``safe_next_url(request, default)``."""
    return HttpResponseRedirect(safe_next_url(request, default))
