"""Group robots: address rules, masked secrets in the event log, DingTalk's signature and the
real POST received by a local HTTP server, the retrying job, and the alerts that reach it."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.jobs import job_run
from core.models import Job
from notices import services
from notices.models import WebhookChannel
from records.models import EventLogEntry

SECRET = "SEC0123456789abcdef0123456789abcdef"
DING_URL = "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789"
WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0"


class _Robot(BaseHTTPRequestHandler):
    """Answers like the platforms: {"errcode": 0} unless told otherwise; keeps what it got."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append(
            {
                "path": self.path,
                "content_type": self.headers.get("Content-Type"),
                "body": json.loads(self.rfile.read(length)),
            }
        )
        status, reply = self.server.reply
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def robot(settings):
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    server.received = []
    server.reply = (200, {"errcode": 0, "errmsg": "ok"})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTICES_WEBHOOK_TEST_HOSTS = ["127.0.0.1"]
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def _data(**overrides):
    data = {
        "platform": "dingtalk",
        "name": "合规群",
        "url": DING_URL,
        "secret": SECRET,
        "language": "zh-hans",
        "is_active": True,
    }
    return {**data, **overrides}


def _save(world, **overrides):
    return services.channel_save(
        organisation=world.organisation, actor=world.users["manager"], data=_data(**overrides)
    )


# --- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=abc"),  # not https
        ("dingtalk", "https://oapi.dingtalk.com.evil.example/robot/send?access_token=abc"),
        ("dingtalk", "https://evil.example/?x=https://oapi.dingtalk.com/&access_token=abc"),
        ("dingtalk", "https://oapi.dingtalk.com/robot/send"),  # no key
        ("dingtalk", WECOM_URL),  # the other platform's host
        ("wecom", "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"),
        ("wecom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=abc"),
        ("wecom", "http://127.0.0.1:8000/?key=abc"),  # a local server without the setting
        ("wecom", "file:///etc/passwd"),
    ],
)
def test_only_the_platforms_own_https_addresses_are_accepted(platform, url):
    with pytest.raises(ValidationError) as error:
        services.url_check(platform=platform, url=url)
    assert "url" in error.value.message_dict


def test_platform_addresses_and_a_configured_test_host_are_accepted(settings):
    assert services.url_check(platform="dingtalk", url=DING_URL) == DING_URL
    assert services.url_check(platform="wecom", url=WECOM_URL) == WECOM_URL
    settings.NOTICES_WEBHOOK_TEST_HOSTS = ["127.0.0.1"]
    assert services.url_check(platform="wecom", url="http://127.0.0.1:9/x")


# --- configuration -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_secrets_are_masked_kept_on_change_and_never_logged(world):
    channel = _save(world)
    assert channel.secret == SECRET
    assert channel.secret_masked == "SEC••••••def"
    assert "abcdef0123456789" not in channel.url_masked
    assert channel.url_masked.startswith("https://oapi.dingtalk.com/robot/send?access_token=")

    # A change with the address and the secret left empty keeps both.
    services.channel_save(
        organisation=world.organisation,
        actor=world.users["manager"],
        data=_data(url="", secret="", name="合规与物流群"),
        channel=channel,
    )
    channel.refresh_from_db()
    assert (channel.url, channel.secret, channel.name) == (DING_URL, SECRET, "合规与物流群")

    entries = EventLogEntry.objects.filter(
        organisation=world.organisation, record_type="notices.webhookchannel"
    )
    assert entries.count() == 2
    logged = json.dumps([entry.details for entry in entries], ensure_ascii=False)
    logged += "".join(entry.object_repr for entry in entries)
    assert SECRET not in logged and "abcdef0123456789" not in logged
    history = channel.history.all()
    assert history.count() == 2
    assert not hasattr(history.first(), "secret")


@pytest.mark.django_db
def test_only_compliance_managers_configure_and_names_are_unique(world):
    for persona in ("auditor", "executive", "staff", "outsider"):
        with pytest.raises(PermissionDenied):
            services.channel_save(
                organisation=world.organisation, actor=world.users[persona], data=_data()
            )
    _save(world)
    with pytest.raises(ValidationError) as error:
        _save(world, url=WECOM_URL, platform="wecom")
    assert "name" in error.value.message_dict
    assert WebhookChannel.objects.count() == 1


# --- signing and delivery ----------------------------------------------------------------------


def test_dingtalk_signature_follows_the_platform_rule():
    url = services.signed_url(url=DING_URL, secret="SECabc", timestamp_ms=1700000000000)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    assert query["timestamp"] == ["1700000000000"]
    assert query["sign"] == [base64.b64encode(digest).decode()]  # parse_qs decoded it once
    assert "%2B" in url or "%2F" in url or "%3D" in url  # the base64 is url-encoded


@pytest.mark.django_db
def test_a_signed_dingtalk_message_reaches_the_local_server(world, robot):
    channel = _save(world, url=f"{robot.base}/robot/send?access_token=tok")
    outcome = services.channel_deliver(channel=channel, content="新的筛查命中待裁定")
    assert outcome.ok
    [request] = robot.received
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert query["access_token"] == ["tok"]
    assert request["content_type"].startswith("application/json")
    assert request["body"] == {"msgtype": "text", "text": {"content": "新的筛查命中待裁定"}}
    channel.refresh_from_db()
    assert channel.last_ok is True


@pytest.mark.django_db
def test_a_refusal_is_recorded_and_a_server_error_is_retried(world, robot):
    channel = _save(world, platform="wecom", secret="", url=f"{robot.base}/send?key=k")
    robot.reply = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    outcome = services.channel_deliver(channel=channel, content="x")
    assert not outcome.ok
    channel.refresh_from_db()
    assert channel.last_ok is False and channel.last_detail == "93000 invalid webhook url"
    assert "sign=" not in robot.received[0]["path"]  # WeCom: the key is the credential

    robot.reply = (503, {})
    with pytest.raises(services.DeliveryUnavailable):
        services.channel_deliver(channel=channel, content="x")
    assert isinstance(services.DeliveryUnavailable(), ConnectionError)  # core.run_job retries


@pytest.mark.django_db
def test_the_test_button_queues_a_job_that_delivers_in_the_channels_language(
    world, robot, settings, django_capture_on_commit_callbacks
):
    channel = _save(world, platform="wecom", secret="", url=f"{robot.base}/send?key=k")
    channel.language = "en"
    channel.save()
    client = world.client("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:channel_test", args=[channel.pk]))
    job = Job.objects.get(kind=services.DELIVER_JOB)
    assert response.status_code == 302
    assert response.url == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"delivered": True}
    content = robot.received[0]["body"]["text"]["content"]
    assert content.startswith("Test message from the export control compliance workbench")
    assert content.endswith(reverse("notices:settings"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notices:settings")).content.decode()
    assert "delivered" in page and "not delivered" not in page


@pytest.mark.django_db
def test_new_reminders_reach_the_active_robots_once(
    world, robot, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils.translation import gettext_lazy as _

    from accounts import roles
    from records.services import reminders

    active = _save(world, platform="wecom", secret="", url=f"{robot.base}/send?key=k")
    _save(world, name="停用的群", url=f"{robot.base}/off?access_token=t", is_active=False)
    item = reminders.ReminderItem(
        kind="licence_expiry",
        key="licence_expiry:1:due",
        message=_("Licence %(number)s expires on %(date)s."),
        params={"number": "L-2026-01", "date": "2026-12-31"},
        url="/x/",
        roles=roles.PROGRAMME_READERS,
    )
    monkeypatch.setattr(reminders, "reminder_items", lambda **kwargs: [item])
    for _run in range(2):  # the second run creates nothing new: no second message
        with django_capture_on_commit_callbacks(execute=True):
            reminders.reminders_notify(organisation=world.organisation, today=datetime.date.today())
    assert len(robot.received) == 1
    assert robot.received[0]["path"] == "/send?key=k"
    content = robot.received[0]["body"]["text"]["content"]
    assert "L-2026-01" in content
    assert content.rstrip().endswith(reverse("records:notification_list"))
    assert Job.objects.filter(kind=services.DELIVER_JOB, organisation=active.organisation).count()


@pytest.mark.django_db
def test_a_job_for_another_organisations_channel_sends_nothing(world, robot):
    channel = _save(world, platform="wecom", secret="", url=f"{robot.base}/send?key=k")
    job = Job.objects.create(
        kind=services.DELIVER_JOB,
        organisation=world.other_organisation,
        params={"channel_id": channel.pk, "test": True},
    )
    job_run(job_id=job.pk)
    assert robot.received == []


@pytest.mark.django_db
def test_new_screening_hits_raise_an_alert_with_no_internal_identifiers(world, monkeypatch):
    from core.alerts import alert_raised
    from screening.services import screening

    monkeypatch.setattr(screening, "render_to_string", lambda *args, **kwargs: "")
    monkeypatch.setattr(screening, "mail_queue", lambda **kwargs: 1)
    raised = []

    def receiver(sender, alert, **kwargs):
        raised.append(alert)

    alert_raised.connect(receiver, dispatch_uid="test.notices.hits")
    try:
        screening.hits_notify(organisation=world.organisation, hits=[object(), object()])
    finally:
        alert_raised.disconnect(dispatch_uid="test.notices.hits")
    [alert] = raised
    assert alert.organisation_id == world.organisation.pk
    assert alert.path == reverse("screening:queue")
    assert alert.render("en") == "New screening hits need a compliance decision: 2."
