import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A background job as a database row: the page polls it, the worker reports to it.

    It works the same whether Celery runs eagerly, on the embedded filesystem broker or on Redis.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        # Its worker stopped reporting (killed, machine lost): queued again once by the watchdog.
        STALLED = "stalled", _("Stalled, trying again")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        """Why a job stopped, stored as a code and shown in the reader's language."""

        ERROR = "error", _("The job failed.")
        ENQUEUE = (
            "enqueue",
            _(
                "The job could not be handed to the background workers: the queue is not reachable "
                "right now. Nothing was done; try again in a moment."
            ),
        )
        STALLED = (
            "stalled",
            _(
                "The worker running this job stopped responding twice. Nothing was saved; try "
                "again or ask your administrator to check the workers."
            ),
        )
        TIME_LIMIT = (
            "time_limit",
            _("The job ran longer than its time limit and was stopped. Nothing was saved."),
        )
        ATTEMPTS = "attempts", _("The job failed after several attempts.")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        help_text=_("Empty for installation-wide jobs."),
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    error = models.TextField(_("error"), blank=True)
    failure = models.CharField(_("reason"), max_length=16, choices=Failure.choices, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_sha256 = models.CharField(_("result SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "kind", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_le_100"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def step_display(self) -> str:
        """The current step in the reader's language (steps are stored as English msgids, with
        their parameters as JSON when they have numbers: core.jobs.StepText)."""
        if self.step.startswith('{"msgid":'):
            import json

            from django.utils.translation import ngettext

            try:
                coded = json.loads(self.step)
                params = coded.get("params") or {}
                if coded.get("plural"):
                    return (
                        ngettext(coded["msgid"], coded["plural"], params.get("count", 0)) % params
                    )
                return gettext(coded["msgid"]) % params
            except (ValueError, KeyError, TypeError):
                return self.step
        return gettext(self.step) if self.step else ""

    @property
    def error_display(self) -> str:
        """Why the job failed, in the reader's language, with the detail of an unexpected error."""
        if self.status != self.Status.FAILED:
            return ""
        if not self.failure:
            return self.error
        reason = self.get_failure_display()
        if self.failure == self.Failure.ERROR and self.error:
            return f"{reason} {self.error}"
        if self.failure == self.Failure.TIME_LIMIT and self.step:
            return f"{reason} " + gettext("It had reached: %(step)s") % {"step": self.step_display}
        return reason


class Comment(models.Model):
    """A remark on any registered record (see core.registry). Comments are never edited."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"
