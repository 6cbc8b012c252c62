"""Codes that the programme (icp) defines and the apps below it name: kept here, at the bottom of
the layers, so that trade compares and words them without importing icp.

The values are stored in icp's tables (positions' and segregation rules' duties, destination
risks' levels); moving the classes here changed no column and no row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Duty(models.TextChoices):
    """What a person does in the life of one export transaction (or of the programme), E2."""

    SALES_APPROVAL = "sales_approval", _("Approve the sale (commercial approval)")
    COMPLIANCE_REVIEW = "compliance_review", _("Export-control compliance review")
    SCREENING_DECISION = "screening_decision", _("Decide on a screening match")
    ITEM_CLASSIFICATION = "item_classification", _("Classify items")
    LICENCE_APPLICATION = "licence_application", _("Apply for an export licence")
    SHIPMENT_RELEASE = "shipment_release", _("Release the shipment")
    PROGRAMME_AUDIT = "programme_audit", _("Audit the compliance programme")


class DestinationRiskLevel(models.TextChoices):
    """How severe a destination's risk is (E3's destination risk register)."""

    EMBARGO = "embargo", _("Embargo")
    HIGH = "high", _("High")
    ELEVATED = "elevated", _("Elevated")
