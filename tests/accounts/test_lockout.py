"""Lock-outs (django-axes) and the password-reset rate limit, as an attacker would try them."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.security import client_ip
from tests.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def _fail(client, username, times, **extra):
    for _ in range(times):
        response = client.post(
            reverse(LOGIN), {"username": username, "password": "wrong-password"}, **extra
        )
        assert response.status_code in (200, 429)


def _log_in(client, username, **extra):
    return client.post(reverse(LOGIN), {"username": username, "password": TEST_PASSWORD}, **extra)


def test_other_letter_case_with_the_right_password_is_refused_after_a_lock(client, settings):
    UserFactory(email="a@x.example")
    _fail(client, "a@x.example", settings.AXES_FAILURE_LIMIT)
    response = _log_in(client, "A@X.EXAMPLE")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ... and did not clear the lock: the original spelling is still locked too.
    assert _log_in(client, "a@x.example").status_code == 429


def test_case_variants_share_one_count_of_guesses(client, settings):
    UserFactory(email="a@x.example")
    variants = ["a@x.example", "A@x.example", "a@X.example", " A@X.EXAMPLE ", "a@x.Example"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, variants[attempt % len(variants)], 1)
    assert _log_in(client, "a@x.example").status_code == 429
    assert _log_in(client, "A@X.example").status_code == 429


def test_lock_is_per_user_and_client_address(settings):
    """Guesses from one address do not lock the real user out from another address."""
    UserFactory(email="chen@example.com")
    attacker, colleague = Client(), Client()
    _fail(attacker, "chen@example.com", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.9")
    assert _log_in(attacker, "chen@example.com", REMOTE_ADDR="203.0.113.9").status_code == 429
    response = _log_in(colleague, "chen@example.com", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert "_auth_user_id" in colleague.session


def test_behind_a_proxy_lock_out_keys_on_the_forwarded_client_address(settings):
    """With one trusted proxy every request comes from the proxy: the lock must follow the
    client address the proxy forwards, so an attacker does not lock everyone out."""
    settings.ICP_TRUSTED_PROXY_COUNT = 1
    UserFactory(email="chen@example.com")
    proxy = "10.0.0.2"
    attacker, colleague = Client(), Client()
    _fail(
        attacker,
        "chen@example.com",
        settings.AXES_FAILURE_LIMIT,
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    locked = _log_in(
        attacker, "chen@example.com", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert locked.status_code == 429
    # A forged left-most entry does not get the attacker fresh guesses.
    forged = _log_in(
        attacker,
        "chen@example.com",
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
    )
    assert forged.status_code == 429
    response = _log_in(
        colleague, "chen@example.com", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.2", "203.0.113.9", "10.0.0.2"),  # no proxy: the header is ignored
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # forged entry on the left
        (2, "10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "10.0.0.3", "203.0.113.9", "10.0.0.3"),  # did not pass every proxy
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    rf, settings, count, remote, forwarded, expected
):
    settings.ICP_TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_successful_login_in_other_case_resets_only_after_a_real_success(client, settings):
    UserFactory(email="a@x.example")
    _fail(client, "A@X.example", settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client, "A@x.EXAMPLE").status_code == 302
    client.logout()
    # The success cleared the count: a new run of failures starts from zero.
    _fail(client, "a@x.example", settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client, "a@x.example").status_code == 302


def test_email_is_stored_lower_case_however_the_user_is_made():
    user = User(email="  Li.Na@Example.COM ")
    user.set_password(TEST_PASSWORD)
    user.save()
    assert User.objects.get(pk=user.pk).email == "li.na@example.com"


def test_two_accounts_differing_only_in_case_cannot_exist():
    """The database refuses it too (a unique index on the lower-cased address), for rows that
    bypass User.save()."""
    from django.db import IntegrityError

    UserFactory(email="chen@example.com")
    other = UserFactory(email="wang@example.com")
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=other.pk).update(email="Chen@Example.com")


def _reset(client, email, ip="198.51.100.7"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_is_limited_per_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ICP_PASSWORD_RESET_PER_ADDRESS = 3
    UserFactory(email="chen@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after the commit
        for _ in range(3):
            assert _reset(client, "chen@example.com").status_code == 302
        # Other letter case, other client address: still the same address asked for.
        response = _reset(client, "Chen@Example.com", ip="192.0.2.50")
    assert len(mail.outbox) == 3
    assert response.status_code == 429
    assert "already sent to this address several times" in response.content.decode()
    assert response.context["form"]["email"].value() == "Chen@Example.com"  # input kept
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_client_address(client, settings):
    settings.ICP_PASSWORD_RESET_PER_IP = 4
    for number in range(4):
        assert _reset(client, f"nobody{number}@example.com").status_code == 302
    response = _reset(client, "chen@example.com")
    assert response.status_code == 429
    assert "from your network" in response.content.decode()
    # Another client is not affected.
    assert _reset(client, "chen@example.com", ip="192.0.2.50").status_code == 302


def test_password_reset_limit_message_is_translated(client, settings):
    settings.ICP_PASSWORD_RESET_PER_ADDRESS = 1
    _reset(client, "chen@example.com")
    response = client.post(
        reverse("accounts:password_reset"),
        {"email": "chen@example.com"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 429
    assert "already sent" not in response.content.decode()
