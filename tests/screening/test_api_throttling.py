"""API rate limits: per token, a clear 429 in the caller's language with Retry-After."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.api_throttling import ApiTokenRateThrottle
from accounts.tokens import api_token_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/screen"
BODY = {"parties": [{"name": "Acme"}]}


@pytest.fixture(autouse=True)
def _two_calls_a_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(ApiTokenRateThrottle, "THROTTLE_RATES", {"api_token": "2/minute"})
    yield
    cache.clear()


def _client(world, persona="manager", **headers):
    _token, raw = api_token_create(
        organisation=world.organisation, user=world.users[persona], name=f"{persona} ERP"
    )
    client = APIClient(**headers)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_the_limit_is_per_token_with_a_clear_429(world, public_list):
    first, second = _client(world), _client(world)
    assert [first.post(URL, BODY, format="json").status_code for _ in range(2)] == [200, 200]
    refused = first.post(URL, BODY, format="json")
    assert refused.status_code == 429
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 60
    assert refused.json() == {
        "detail": "Too many requests for this API token. "
        + f"Try again in {seconds} second{'s' if seconds != 1 else ''}.",
        "retry_after": seconds,
    }
    # Another token (another integration, even of the same user) has its own budget.
    assert second.post(URL, BODY, format="json").status_code == 200


def test_the_limit_covers_every_api_endpoint(world, public_list):
    client = _client(world)
    for _ in range(2):
        client.post(URL, BODY, format="json")
    # The transactions API shares the token's budget.
    response = client.get(reverse("api:transaction_decision", args=["NO-SUCH-REF"]))
    assert response.status_code == 429


def test_the_429_speaks_the_callers_language(world, public_list):
    client = _client(world, HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(2):
        client.post(URL, BODY, format="json")
    refused = client.post(URL, BODY, format="json")
    assert refused.status_code == 429
    assert refused["Content-Language"] == "zh-hans"
    assert "API 令牌" in refused.json()["detail"]
    assert "秒" in refused.json()["detail"]
