"""The legal category of a screening list and the severity it may carry.

China's control list, watch list, Unreliable Entity List and countermeasure lists are PRC law,
and so are the UN lists as MOFCOM implements them. A foreign state's unilateral list (US, EU,
UK ...) is a foreign-law risk: a hit calls for enhanced review, and complying with the foreign
measure may itself be restricted by the Anti-Foreign Sanctions Law (Art. 12) and the Blocking
Rules (MOFCOM Order 2021 No. 1). Such a list is therefore never "prohibited" by default; a
compliance manager may choose so, and the reason is recorded on the list (and in its history).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from screening.models import ScreeningList

Category = ScreeningList.LegalCategory
Severity = ScreeningList.Severity


def default_severity(legal_category: str) -> str:
    """The severity a new list gets when nobody chose one: a warning for a foreign list."""
    if legal_category == Category.FOREIGN_UNILATERAL:
        return Severity.RED_FLAG
    return Severity.BLOCK


def list_severity_check(*, legal_category: str, severity: str, reason: str) -> None:
    """A foreign unilateral list is treated as prohibited only with a recorded reason."""
    if (
        legal_category == Category.FOREIGN_UNILATERAL
        and severity == Severity.BLOCK
        and len((reason or "").strip()) < 10
    ):
        raise ValidationError(
            {
                "severity_reason": _(
                    "A foreign unilateral list is a foreign-law risk, not a prohibition under PRC "
                    "law. To treat its hits as prohibited, record who decided and why."
                )
            }
        )


@transaction.atomic
def list_severity_set(
    *, screening_list: ScreeningList, severity: str, reason: str, user, membership=None
) -> ScreeningList:
    """Change how hits on a list are treated. Public lists: superusers; an organisation's list:
    its compliance managers. Idempotent: the same values again change nothing."""
    from screening.services.lists import list_can_manage

    if not list_can_manage(user=user, membership=membership, screening_list=screening_list):
        raise PermissionDenied
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    list_severity_check(
        legal_category=screening_list.legal_category, severity=severity, reason=reason
    )
    reason = (reason or "").strip()
    if (screening_list.severity, screening_list.severity_reason) == (severity, reason):
        return screening_list
    screening_list.severity, screening_list.severity_reason = severity, reason
    screening_list.save(update_fields=["severity", "severity_reason"])
    return screening_list
