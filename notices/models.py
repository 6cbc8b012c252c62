"""A group robot of WeCom (企业微信) or DingTalk (钉钉) that receives an organisation's alerts.

The robot's address carries its key and DingTalk's signing secret is a secret too: neither is
kept in the history (so neither reaches the event log); their masked forms are, so every change
of the address or the secret is logged without showing it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel


class Platform(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class NoticeLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class WebhookChannel(OrganisationScopedModel):
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("robot address"), max_length=500)
    url_masked = models.CharField(_("robot address (masked)"), max_length=120, editable=False)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    secret_masked = models.CharField(
        _("signing secret (masked)"), max_length=40, blank=True, editable=False
    )
    language = models.CharField(
        _("language of the messages"),
        max_length=10,
        choices=NoticeLanguage.choices,
        default=NoticeLanguage.ZH_HANS,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last delivery's outcome: operational, not part of the configuration's history.
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True, blank=True)
    last_detail = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords(
        excluded_fields=["url", "secret", "last_sent_at", "last_ok", "last_detail"]
    )

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["platform", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="notices_channel_unique_name"
            )
        ]

    def __str__(self):
        return self.name
