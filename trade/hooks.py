"""Hooks the trade app offers the apps above it, filled in their `AppConfig.ready()`.

An approver rule says why a user may not approve a transaction: it is called with the
organisation, the user and the duty codes the user holds on the transaction (the codes of
`icp.models.Duty`), and returns the reasons as translated sentences (empty: no objection). The
programme's segregation of duties (E2, icp/receivers.py) is one; trade does not import it.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

ApproverRule = Callable[..., list[str]]

_APPROVER_RULES: list[ApproverRule] = []


def approver_rule_register(rule: ApproverRule) -> ApproverRule:
    if rule not in _APPROVER_RULES:
        _APPROVER_RULES.append(rule)
    return rule


def approver_rule_reasons(*, organisation, user, duty_codes: set[str]) -> list[str]:
    """Every registered rule's reasons, in registration order. Approving without the
    programme's segregation of duties would be a silent gap, so with no rule it fails."""
    if not _APPROVER_RULES:
        raise ImproperlyConfigured("No approver rule is registered (trade.hooks).")
    return [
        reason
        for rule in _APPROVER_RULES
        for reason in rule(organisation=organisation, user=user, duty_codes=duty_codes)
    ]
