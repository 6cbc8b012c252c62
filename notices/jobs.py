"""The delivery job: one message to one group robot, retried when the platform is unreachable
(DeliveryUnavailable is a ConnectionError, which core.run_job retries with back-off)."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.jobs import job_handler

from .models import WebhookChannel
from .services import DELIVER_JOB, TEST_MESSAGE, channel_deliver, page_link


def message_for(job, channel) -> str:
    """The text in the channel's language, with the link to the page to open."""
    params = job.params
    with translation.override(channel.language):
        if params.get("test"):
            return str(TEST_MESSAGE) % {"link": page_link(reverse("notices:settings"))}
        texts = params.get("text") or {}
        text = texts.get(channel.language) or next(iter(texts.values()), "")
        link = page_link(params.get("path", ""))
        return f"{text}\n{link}" if link else text


@job_handler(DELIVER_JOB, title=_("Send a message to a group robot"), roles=roles.PROGRAMME_EDITORS)
def deliver_job(job, progress):
    channel = WebhookChannel.objects.filter(
        pk=job.params["channel_id"], organisation_id=job.organisation_id
    ).first()
    result_url = reverse("notices:settings")
    if channel is None or not (channel.is_active or job.params.get("test")):
        return {"result": {"delivered": False}, "result_url": result_url}
    progress(10, _("Sending the message"))
    outcome = channel_deliver(channel=channel, content=message_for(job, channel))
    return {"result": {"delivered": outcome.ok}, "result_url": result_url}
