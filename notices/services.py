"""Group robot channels: who may configure them, which addresses are allowed, how a message is
signed and delivered.

Delivery (`channel_deliver`) runs only in a background job (notices/jobs.py), never in a
request. A network failure or a server error of the platform raises `DeliveryUnavailable` (a
ConnectionError, so the job is retried with back-off); a refusal by the platform (a wrong key or
signature) is final and recorded on the channel.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from accounts.permissions import require_role
from core.jobs import job_enqueue

from .models import Platform, WebhookChannel

# The platform's own host and the query parameter that carries the robot's key.
PLATFORM_HOSTS = {
    Platform.WECOM: ("qyapi.weixin.qq.com", "key"),
    Platform.DINGTALK: ("oapi.dingtalk.com", "access_token"),
}
DELIVER_JOB = "notices.deliver"
TIMEOUT_SECONDS = 10
MAX_CONTENT = 2000  # both platforms accept more; alerts are short


class DeliveryUnavailable(ConnectionError):
    """The platform could not be reached or answered with a server error: try again later."""


def _mask(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "•" * 6
    return f"{value[:3]}••••••{value[-3:]}"


def test_hosts() -> set:
    """Hosts allowed besides the platforms' own, over http too: only for a local test server."""
    return set(getattr(settings, "NOTICES_WEBHOOK_TEST_HOSTS", []))


def url_check(*, platform: str, url: str) -> str:
    """The robot address, or ValidationError: https to the platform's host with its key, or a
    configured test host."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError as error:
        raise ValidationError(
            {"url": _("Enter the robot's address as given by the platform.")}
        ) from error
    expected_host, key_name = PLATFORM_HOSTS[Platform(platform)]
    if host in test_hosts() and parts.scheme in ("http", "https"):
        return url.strip()
    if parts.scheme != "https" or host != expected_host or parts.port not in (None, 443):
        raise ValidationError(
            {
                "url": _("The robot's address must start with https://%(host)s/.")
                % {"host": expected_host}
            }
        )
    if parts.username or parts.password:
        raise ValidationError({"url": _("Enter the robot's address as given by the platform.")})
    if not urllib.parse.parse_qs(parts.query).get(key_name):
        raise ValidationError(
            {"url": _("The robot's address lacks its key; copy the whole address.")}
        )
    return url.strip()


def masked_url(url: str) -> str:
    """The address with every query value masked: the key is shown only by its ends."""
    parts = urllib.parse.urlsplit(url)
    query = [(name, _mask(value)) for name, value in urllib.parse.parse_qsl(parts.query)]
    masked_query = "&".join(f"{name}={value}" for name, value in query)
    masked = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return (f"{masked}?{masked_query}" if masked_query else masked)[:120]


def channel_save(*, organisation, actor, data: dict, channel=None) -> WebhookChannel:
    """Create or change a channel. An empty secret on a change keeps the stored one."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    platform = data["platform"]
    url = data.get("url") or ""
    if channel is not None and not url:
        if platform != channel.platform:
            raise ValidationError({"url": _("Enter the new platform's robot address.")})
        url = channel.url
    url = url_check(platform=platform, url=url)
    secret = (data.get("secret") or "").strip()
    if channel is not None and not secret and not data.get("clear_secret"):
        secret = channel.secret if platform == channel.platform else ""
    name = data["name"].strip()
    clash = WebhookChannel.objects.for_organisation(organisation).filter(name=name)
    if channel is not None:
        clash = clash.exclude(pk=channel.pk)
    if clash.exists():
        raise ValidationError({"name": _("Another group robot already has this name.")})
    channel = channel or WebhookChannel(organisation=organisation)
    channel.platform = platform
    channel.name = name
    channel.url = url
    channel.url_masked = masked_url(url)
    channel.secret = secret
    channel.secret_masked = _mask(secret)
    channel.language = data["language"]
    channel.is_active = bool(data.get("is_active"))
    channel._history_user = actor
    channel.full_clean(exclude=["url"])  # the address was checked above (http test hosts)
    channel.save()
    return channel


# --- messages ----------------------------------------------------------------------------------


def page_link(path: str) -> str:
    return settings.ICP_SITE_URL.rstrip("/") + path if path else ""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str  # the platform's own answer when it refused, for the compliance manager


def signed_url(*, url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk's signature: timestamp (ms) and the url-encoded base64 HMAC-SHA256, keyed by the
    secret, of "timestamp\\nsecret", added as the query parameters `timestamp` and `sign`."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a robot address never redirects: do not follow one anywhere else


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(4096)
    except urllib.error.HTTPError as error:
        return error.code, error.read(4096) if error.fp else b""
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryUnavailable(str(error)) from error


def channel_deliver(*, channel: WebhookChannel, content: str) -> Outcome:
    """POST one text message to the robot and record the outcome on the channel."""
    url = url_check(platform=channel.platform, url=channel.url)  # settings may have changed
    if channel.platform == Platform.DINGTALK and channel.secret:
        url = signed_url(url=url, secret=channel.secret)
    body = json.dumps(
        {"msgtype": "text", "text": {"content": content[:MAX_CONTENT]}}, ensure_ascii=False
    ).encode()
    try:
        status, answer = _post(url, body)
        if status >= 500 or status == 429:
            raise DeliveryUnavailable(f"HTTP {status}")
    except DeliveryUnavailable as error:
        _record(channel, Outcome(False, str(error)[:200]))
        raise
    if status != 200:
        outcome = Outcome(False, f"HTTP {status}")
    else:
        try:
            reply = json.loads(answer or b"{}")
        except ValueError:
            reply = {}
        errcode = reply.get("errcode", 0) if isinstance(reply, dict) else 0
        if errcode in (0, "0"):
            outcome = Outcome(True, "")
        else:
            outcome = Outcome(False, f"{errcode} {reply.get('errmsg', '')}".strip()[:200])
    _record(channel, outcome)
    return outcome


def _record(channel: WebhookChannel, outcome: Outcome) -> None:
    WebhookChannel.objects.filter(pk=channel.pk).update(
        last_sent_at=timezone.now(), last_ok=outcome.ok, last_detail=outcome.detail
    )


# --- enqueueing --------------------------------------------------------------------------------

TEST_MESSAGE = gettext_lazy(
    "Test message from the export control compliance workbench: this group will receive its "
    "alerts. %(link)s"
)


def channel_test(*, channel: WebhookChannel, actor):
    """Queue a test message to the channel; the job's page shows the outcome."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=channel.organisation, user=actor)
    return job_enqueue(
        kind=DELIVER_JOB,
        organisation=channel.organisation,
        created_by=actor,
        params={"channel_id": channel.pk, "test": True},
    )


def alert_enqueue(*, alert) -> int:
    """Queue the alert for every active channel of its organisation (after the commit). The
    text is rendered now in every language; the job sends the channel's."""
    channels = list(
        WebhookChannel.objects.filter(organisation_id=alert.organisation_id, is_active=True)
        .select_related("organisation")
        .filter(organisation__is_active=True)
    )
    texts = {language: alert.render(language) for language, _label in settings.LANGUAGES}
    for channel in channels:
        params = {"channel_id": channel.pk, "text": texts, "path": alert.path}
        transaction.on_commit(
            partial(job_enqueue, kind=DELIVER_JOB, organisation=channel.organisation, params=params)
        )
    return len(channels)
