"""The rules of a service provider's customer check (REGS Art. 36): screen both parties when the
check is recorded; provide the service only when nothing suggests a violation; refuse, and report
to MOFCOM, when something does."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import require_role
from screening.models import Adjudication, Screening
from screening.services.screening import screening_run

from .models import CustomerCheck, ProviderProfile, SuspicionReport

CHECK_FIELDS = (
    "reference",
    "customer_name",
    "customer_country",
    "counterparty_name",
    "counterparty_country",
    "goods",
    "hs_code",
    "declared",
    "permit",
    "permit_number",
)


@transaction.atomic
def provider_profile_set(*, organisation, user, kind: str) -> ProviderProfile:
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=user)
    profile = ProviderProfile.objects.filter(organisation=organisation).first()
    profile = profile or ProviderProfile(organisation=organisation)
    if profile.pk and profile.kind == kind:
        return profile
    profile.kind = kind
    profile.full_clean()
    profile.save()
    return profile


def _screen(check: CustomerCheck, user, name: str, country) -> Screening:
    return screening_run(
        organisation=check.organisation,
        names=[name],
        country=str(country or ""),
        source=Screening.Source.CUSTOMER_CHECK,
        user=user,
    )


@transaction.atomic
def customer_check_create(*, organisation, user, **values) -> CustomerCheck:
    """Record a customer's request and screen the customer and the other party at once."""
    require_role(roles=roles.SCREENERS, organisation=organisation, user=user)
    if not ProviderProfile.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("Set your organisation's kind of service first."))
    check = CustomerCheck(organisation=organisation, created_by=user)
    for name in CHECK_FIELDS:
        if name in values:
            setattr(check, name, values[name])
    if check.permit == CustomerCheck.Permit.NONE:
        check.permit_number = ""
    elif not check.permit_number.strip():
        raise ValidationError({"permit_number": _("Give the number of the licence or voucher.")})
    check.full_clean()
    check.customer_screening = _screen(check, user, check.customer_name, check.customer_country)
    check.counterparty_screening = _screen(
        check, user, check.counterparty_name, check.counterparty_country
    )
    check.save()
    return check


def release_blockers(check: CustomerCheck) -> list[str]:
    """Why the service may not be provided yet; empty when it may."""
    blockers = []
    if check.declared == CustomerCheck.Declared.UNKNOWN:
        blockers.append(
            _(
                "Ask the customer whether the goods are on the control list or under a temporary "
                "control, and record the answer in a new check."
            )
        )
    if check.declared == CustomerCheck.Declared.LISTED and (
        check.permit == CustomerCheck.Permit.NONE
    ):
        blockers.append(
            _("Controlled goods need a licence or an export voucher: none was presented.")
        )
    alerts = [hit for screening in check.screenings for hit in screening.hits.all() if hit.is_alert]
    decided = {
        a.hit_id: a.outcome for a in Adjudication.objects.filter(hit__in=[hit.pk for hit in alerts])
    }
    if any(decided.get(hit.pk) == Adjudication.Outcome.TRUE_MATCH for hit in alerts):
        blockers.append(_("A party is a confirmed match on a screening list."))
    elif any(hit.pk not in decided and not hit.remembered for hit in alerts):
        blockers.append(_("Decide the screening hits first."))
    return blockers


@transaction.atomic
def customer_check_decide(*, check: CustomerCheck, user, outcome: str, note: str = ""):
    """Provide the service, hold it while information is requested, or refuse it."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=check.organisation, user=user)
    check = CustomerCheck.objects.select_for_update().get(pk=check.pk)
    if check.is_final:
        raise ValidationError(_("This check has already been decided."))
    if outcome not in {
        CustomerCheck.Outcome.RELEASED,
        CustomerCheck.Outcome.HELD,
        CustomerCheck.Outcome.REFUSED,
    }:
        raise ValidationError({"outcome": _("Choose a decision.")})
    if outcome == CustomerCheck.Outcome.RELEASED:
        blockers = release_blockers(check)
        if blockers:
            raise ValidationError({"outcome": blockers})
    elif not note.strip():
        raise ValidationError({"note": _("Say why.")})
    check.outcome = outcome
    check.decision_note = note.strip()
    check.decided_by = user
    check.decided_at = timezone.now()
    check.save()
    return check


@transaction.atomic
def suspicion_report_record(
    *, check: CustomerCheck, user, grounds: str, reported_on, channel: str, mofcom_reference=""
) -> SuspicionReport:
    """Record the report to MOFCOM; the service is refused with it."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=check.organisation, user=user)
    check = CustomerCheck.objects.select_for_update().get(pk=check.pk)
    if check.outcome in {CustomerCheck.Outcome.RELEASED, CustomerCheck.Outcome.REPORTED}:
        raise ValidationError(_("This check can no longer be reported."))
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date cannot be in the future.")})
    report = SuspicionReport(
        organisation=check.organisation,
        check_record=check,
        grounds=grounds.strip(),
        reported_on=reported_on,
        channel=channel.strip(),
        mofcom_reference=mofcom_reference.strip(),
        reported_by=user,
    )
    report.full_clean()
    report.save()
    check.outcome = CustomerCheck.Outcome.REPORTED
    check.decision_note = report.grounds
    check.decided_by = user
    check.decided_at = timezone.now()
    check.save()
    return report
