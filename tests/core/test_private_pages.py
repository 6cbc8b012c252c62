"""Pages for a signed-in person are never kept by a browser or proxy cache (issue #18)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_signed_in_pages_and_job_status_are_private_and_not_stored(world):
    client = world.client("manager")
    for url in ["/", reverse("core:job_status", args=[_job_id(world)])]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        directives = _cache_control(response)
        assert {"private", "no-store"} <= directives, (url, directives)
        assert "public" not in directives


def test_anonymous_responses_are_left_to_their_view(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from core.middleware import PrivateNoStoreMiddleware

    request = rf.get("/about/")
    request.user = AnonymousUser()
    response = PrivateNoStoreMiddleware(lambda request: HttpResponse("hello"))(request)
    assert "Cache-Control" not in response


def test_a_request_with_credentials_is_not_stored_even_when_refused(client):
    response = client.get("/healthz", HTTP_AUTHORIZATION="Token nonsense")
    assert {"private", "no-store"} <= _cache_control(response)


def _job_id(world):
    from core.jobs import job_enqueue

    return job_enqueue(kind="tests.echo", organisation=world.organisation).pk
