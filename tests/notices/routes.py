"""Permission-table rows for the group robots: compliance managers, auditors and management
read the list (masked); compliance managers add, change and test."""

from tests.routes import EDITORS, READERS, Route, own_record


def _channel(world):
    from notices.models import WebhookChannel

    channel = WebhookChannel.objects.create(
        organisation=world.organisation,
        platform="wecom",
        name="合规群",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc123456789",
        url_masked="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc••••••789",
    )
    return [channel.pk]


def _channel_data(world):
    return {
        "platform": "wecom",
        "name": "物流群",
        "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=def123456789",
        "language": "zh-hans",
        "is_active": "on",
    }


ROUTES = [
    Route("notices:settings", READERS),
    Route(
        "notices:settings",
        {**EDITORS, "manager": 302, "outsider": 302},  # the outsider adds to its own
        method="post",
        data=_channel_data,
    ),
    Route("notices:channel_edit", own_record(EDITORS), args=_channel),
    Route(
        "notices:channel_edit",
        own_record({**EDITORS, "manager": 302}),
        args=_channel,
        method="post",
        data=_channel_data,
    ),
    Route(
        "notices:channel_test",
        own_record({**EDITORS, "manager": 302}),
        args=_channel,
        method="post",
    ),
]
