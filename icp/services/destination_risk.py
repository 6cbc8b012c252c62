"""Destination risk data: the reference list from the framework file, and each organisation's own
additions and overrides kept by its compliance manager."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from icp.models import DestinationRisk

REFERENCE_FIELDS = ("level", "scope", "reason_zh", "reason_en", "source", "confidence", "as_of")
ORGANISATION_FIELDS = ("country", *REFERENCE_FIELDS)


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


@transaction.atomic
def destination_risk_reference_load(*, entries: list[dict]) -> dict[str, int]:
    """Bring the reference rows in line with a framework file's `destination_risk` list.

    Idempotent: a row is written only when something changed, so loading the same file again
    adds no history. A country the file no longer lists is kept but marked not in force, so
    anything that referred to it still finds it."""
    counts = {"created": 0, "updated": 0, "retired": 0}
    existing = {row.country.code: row for row in DestinationRisk.objects.reference()}
    seen = set()
    for entry in entries:
        code = str(entry["country"]).upper()
        seen.add(code)
        values = {
            "level": entry["level"],
            "scope": entry["scope"],
            "reason_zh": (entry.get("reason_zh") or "").strip(),
            "reason_en": _text(entry.get("reason_en")),
            "source": _text(entry.get("source")),
            "confidence": entry.get("confidence") or "uncertain",
            "as_of": _as_date(entry["as_of"]),
            "is_active": True,
        }
        row = existing.get(code)
        if row is None:
            row = DestinationRisk(organisation=None, country=code, **values)
            row.full_clean(validate_constraints=False)
            row.save()
            counts["created"] += 1
            continue
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.full_clean(validate_constraints=False)
            row.save()
            counts["updated"] += 1
    for code, row in existing.items():
        if code not in seen and row.is_active:
            row.is_active = False
            row.save(update_fields=["is_active", "updated_at"])
            counts["retired"] += 1
    return counts


@transaction.atomic
def destination_risk_save(
    *, organisation, user, instance: DestinationRisk | None = None, **values
) -> DestinationRisk:
    """Create or change one of the organisation's own destination rows. Reference rows cannot be
    changed here: override them with an organisation row for the same country instead."""
    if instance is not None and instance.organisation_id != organisation.pk:
        raise ValidationError(_("Reference rows cannot be changed; add an override instead."))
    row = instance or DestinationRisk(organisation=organisation)
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(row, name, values[name])
    row.is_active = True
    duplicate = (
        DestinationRisk.objects.for_organisation(organisation)
        .filter(country=row.country)
        .exclude(pk=row.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"country": _("This organisation already has its own entry for this destination.")}
        )
    row.full_clean(validate_constraints=False)
    row.save()
    return row


@transaction.atomic
def destination_risk_delete(*, organisation, row: DestinationRisk, user) -> None:
    """Remove an organisation's own row; for a country on the reference list, the reference row
    applies again. The change history keeps the removed row."""
    if row.organisation_id != organisation.pk:
        raise ValidationError(_("Reference rows cannot be removed."))
    row.delete()
