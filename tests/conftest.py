"""Shared fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _no_real_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
