"""The second log-in step in a real browser: the QR code loads under the CSP, the pages have no
WCAG 2.1 A/AA violations, and a code computed from the device's key completes the set-up."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py


def test_set_up_the_app_at_the_first_log_in(page, assert_accessible, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = UserFactory()
    page.goto(reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-form [type=submit]")

    page.wait_for_selector("#two-factor-setup-form")
    assert reverse("accounts:two_factor_setup") in page.url
    qr = page.locator(".pl-qr img")
    qr.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=user)
    secret = page.inner_text("#two-factor-secret").replace(" ", "")
    assert secret in device.config_url
    page.fill("#id_token", "12345")  # five digits: refused at the field
    with page.expect_navigation():
        page.click("#two-factor-setup-form [type=submit]")
    page.wait_for_selector("#id_token_error")
    assert_accessible(page)

    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.click("#two-factor-setup-form [type=submit]")
    page.wait_for_selector(".pl-recovery-codes")
    assert page.locator(".pl-recovery-codes li").count() == 10
    assert_accessible(page)

    with page.expect_navigation():
        page.click("text=Ik heb de codes bewaard, ga verder")
    assert reverse("accounts:two_factor_setup") not in page.url
    assert "two_factor" not in page.url
