"""Screening records: what was asked, against which list versions, what was found, and the
decisions people took on each hit. Screenings and hits are written once and never changed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationQuerySet, OrganisationScopedModel
from core.i18n import labelled
from screening.engine import DEFAULT_THRESHOLD


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete a record the law says to keep as written."""


class ImmutableQuerySet(OrganisationQuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model.__name__} records are never changed.")

    def delete(self):
        raise ImmutableRecordError(f"{self.model.__name__} records are never deleted.")


class ImmutableModel(models.Model):
    """Written once: save() only inserts, delete() refuses, and so do bulk update/delete."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(f"{type(self).__name__} records are never changed.")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{type(self).__name__} records are never deleted.")


class HitDecision(models.TextChoices):
    CLEAR = "clear", _("No match")
    POTENTIAL_MATCH = "potential_match", _("Potential match")
    MATCH = "match", _("Match")


class Screening(ImmutableModel, OrganisationScopedModel):
    """One screening of one party (or a name typed on the screening page)."""

    class Source(models.TextChoices):
        PAGE = "page", _("Screening page")
        PARTY = "party", _("Party register")
        API = "api", _("API")
        BATCH = "batch", _("Batch re-screening")
        CUSTOMER_CHECK = "customer_check", _("Service provider's customer check")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    query_name = models.CharField(_("name"), max_length=500)
    query_names = models.JSONField(_("names screened"), default=list)
    query_country = models.CharField(_("country"), max_length=2, blank=True)
    query_address = models.CharField(_("address"), max_length=1000, blank=True)
    subject_key = models.CharField(
        _("subject"),
        max_length=64,
        db_index=True,
        help_text=_(
            "Identifies the party (or name and country) screened, for remembered decisions."
        ),
    )
    party = models.ForeignKey(
        "screening.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("party"),
    )
    threshold = models.FloatField(_("threshold"))
    decision = models.CharField(_("result"), max_length=16, choices=HitDecision.choices)
    list_versions = models.ManyToManyField(
        "screening.ListVersion", related_name="screenings", verbose_name=_("list versions used")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    api_token = models.ForeignKey(
        "accounts.ApiToken",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API token"),
    )
    job = models.ForeignKey(
        "core.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("batch job"),
    )
    created_at = models.DateTimeField(_("screened"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "subject_key", "-created_at"])]

    def __str__(self):
        return f"{self.query_name} · {self.get_decision_display()}"

    def get_absolute_url(self):
        return reverse("screening:screening_detail", args=[self.pk])


class ScreeningHit(ImmutableModel):
    """A listed entity found by a screening, with its score and the reasons as data."""

    screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, related_name="hits", verbose_name=_("screening")
    )
    entity = models.ForeignKey(
        "screening.ListedEntity",
        on_delete=models.PROTECT,
        related_name="hits",
        verbose_name=_("listed entity"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    list_code = models.CharField(_("list"), max_length=40)
    entity_key = models.CharField(_("entity id"), max_length=100)
    query_name = models.CharField(_("name screened"), max_length=500)
    matched_name = models.CharField(_("matched name"), max_length=500)
    score = models.FloatField(_("score"))
    decision = models.CharField(_("decision"), max_length=16, choices=HitDecision.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    remembered = models.ForeignKey(
        "screening.Adjudication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remembered false-positive decision"),
        help_text=_("An earlier decision on the same party and unchanged entity."),
    )

    class Meta:
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
        ordering = ["screening", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "rank"], name="screening_hit_rank_unique")
        ]

    def __str__(self):
        return f"{self.matched_name} ({self.list_code}) {self.score:.2f}"

    def get_absolute_url(self):
        return f"{self.screening.get_absolute_url()}#hit-{self.pk}"

    @property
    def is_alert(self) -> bool:
        return self.decision != HitDecision.CLEAR


class Adjudication(ImmutableModel, OrganisationScopedModel):
    """A compliance manager's decision on one hit. Written once, like the hit itself."""

    class Outcome(models.TextChoices):
        TRUE_MATCH = "true_match", _("True match")
        FALSE_POSITIVE = "false_positive", _("False positive")

    hit = models.OneToOneField(
        ScreeningHit, on_delete=models.PROTECT, related_name="adjudication", verbose_name=_("hit")
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("hit decision")
        verbose_name_plural = _("hit decisions")
        ordering = ["-decided_at"]

    def __str__(self):
        return labelled(self.get_outcome_display(), self.hit)


class ScreeningSettings(OrganisationScopedModel):
    """Per-organisation screening settings. Missing row = engine defaults."""

    threshold = models.FloatField(
        _("alert threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(0.5), MaxValueValidator(0.99)],
        help_text=_(
            "Hits scoring at or above this value need a decision. Lower finds more variants "
            "and raises more false alerts."
        ),
    )
    notify_compliance_managers = models.BooleanField(
        _("e-mail compliance managers about new hits"), default=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("screening settings")
        verbose_name_plural = _("screening settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="screening_settings_one_per_org")
        ]

    def __str__(self):
        return f"{self.organisation}: {self.threshold:.2f}"
