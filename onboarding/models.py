"""Getting started: what is stored is only which steps the compliance manager chose to skip.
Whether a step is done is read from the programme's own records (see selectors.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationScopedModel


class Step(models.TextChoices):
    COMPANY = "company", _("Company details")
    ORGANISATION = "organisation", _("Compliance body and people")
    POLICY = "policy", _("Policy statement")
    RISK = "risk", _("First risk assessment")
    ITEMS = "items", _("Item master")
    CUSTOMERS = "customers", _("First screening of customers")
    MANUAL = "manual", _("First ICP manual")


class SkippedStep(OrganisationScopedModel):
    """A step set aside for later; resuming it deletes the row."""

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    skipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skipped by"),
    )
    skipped_at = models.DateTimeField(_("skipped"), auto_now_add=True)

    class Meta:
        verbose_name = _("skipped getting-started step")
        verbose_name_plural = _("skipped getting-started steps")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "step"], name="onboarding_skipped_step_unique"
            )
        ]

    def __str__(self):
        return self.get_step_display()
