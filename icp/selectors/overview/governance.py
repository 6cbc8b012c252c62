"""The programme's governance elements: the policy (E1), the compliance organisation (E2) and
the manual (E9)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from icp.models import ComplianceBody
from icp.selectors.manual import manual_is_stale, manual_latest
from icp.selectors.policy import policy_acknowledgement_stats, policy_current

from .common import ACKNOWLEDGEMENT_TARGET, ATTENTION, MISSING, OK, ElementStatus


def _policy(organisation, owner) -> ElementStatus:
    url = reverse("icp:policy_home")
    policy = policy_current(organisation=organisation)
    if policy is None:
        return ElementStatus("E1", MISSING, _("No published policy statement."), url, owner=owner)
    stats = policy_acknowledgement_stats(organisation=organisation, version=policy)
    overdue = policy.review_due_date is not None and policy.review_due_date < timezone.localdate()
    state = OK if stats.percent >= ACKNOWLEDGEMENT_TARGET and not overdue else ATTENTION
    return ElementStatus(
        "E1",
        state,
        _("Version %(number)s published, acknowledged by %(percent)s%% of staff.")
        % {"number": policy.number, "percent": stats.percent},
        url,
        facts=[
            ngettext(
                "%(count)d person has not acknowledged it yet.",
                "%(count)d people have not acknowledged it yet.",
                stats.outstanding,
            )
            % {"count": stats.outstanding}
        ]
        if stats.outstanding
        else [],
        owner=owner,
        next_due=policy.review_due_date,
    )


def _organisation(organisation, owner) -> ElementStatus:
    url = reverse("icp:organisation_home")
    # One query: the bodies joined to their positions (every position belongs to a body).
    held = Q(positions__holder__isnull=False) | Q(positions__holder_name__gt="")
    positions = ComplianceBody.objects.for_organisation(organisation).aggregate(
        bodies=Count("pk", distinct=True, filter=Q(is_active=True)),
        total=Count("positions"),
        vacant=Count(
            "positions", filter=Q(positions__holder__isnull=True, positions__holder_name="")
        ),
        stop=Count("positions", filter=Q(positions__may_stop_exports=True) & held),
    )
    bodies = positions["bodies"]
    if not bodies and not positions["total"]:
        return ElementStatus(
            "E2", MISSING, _("No compliance organisation recorded."), url, owner=owner
        )
    facts: list[str | Promise] = []
    if positions["vacant"]:
        facts.append(
            ngettext(
                "%(count)d position without a holder.",
                "%(count)d positions without a holder.",
                positions["vacant"],
            )
            % {"count": positions["vacant"]}
        )
    if not positions["stop"]:
        facts.append(_("Nobody is authorised to stop an export."))
    return ElementStatus(
        "E2",
        ATTENTION if facts else OK,
        _("%(bodies)d compliance bodies, %(positions)d positions.")
        % {"bodies": bodies, "positions": positions["total"]},
        url,
        facts=facts,
        owner=owner,
    )


def _manual(organisation, owner) -> ElementStatus:
    url = reverse("icp:manual_home")
    latest = manual_latest(organisation=organisation)
    if latest is None:
        return ElementStatus("E9", MISSING, _("No ICP manual generated."), url, owner=owner)
    stale = manual_is_stale(organisation=organisation, manual=latest)
    return ElementStatus(
        "E9",
        ATTENTION if stale else OK,
        _("Version %(number)s of %(date)s.")
        % {"number": latest.number, "date": timezone.localdate(latest.created_at).isoformat()},
        url,
        facts=[_("The programme changed since: generate a new version.")] if stale else [],
        owner=owner,
    )
