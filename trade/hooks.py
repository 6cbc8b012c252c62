"""Hooks the trade app offers the apps above it, filled in their `AppConfig.ready()`.

An approver rule says why a user may not approve a transaction: it is called with the
organisation, the user and the duty codes the user holds on the transaction (the codes of
`reference.choices.Duty`), and returns the reasons as translated sentences (empty: no objection).
The programme's segregation of duties (E2, icp/receivers.py) is one; trade does not import it.

The destination risk reader gives transaction review the destination risk register (E3, kept by
the programme: icp/selectors/risk.py): the risk in force for each country of the route, and the
countries under a ban on military users and uses. Trade reads it only through this hook.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

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


@dataclass(frozen=True)
class DestinationRiskFact:
    """One destination risk in force for the organisation, as review needs it."""

    country: str  # ISO 3166 alpha-2
    level: str  # a `reference.choices.DestinationRiskLevel` value


@dataclass(frozen=True)
class DestinationRisks:
    # Country code -> the risk in force there, for each country asked about that has one.
    by_country: dict[str, DestinationRiskFact] = field(default_factory=dict)
    # Country code -> its ban on military users and uses, for every country that has one.
    military_bans: dict[str, DestinationRiskFact] = field(default_factory=dict)


class DestinationRiskReader(Protocol):
    def __call__(self, *, organisation, countries: Iterable[str]) -> DestinationRisks: ...


_DESTINATION_RISK_READERS: list[DestinationRiskReader] = []


def destination_risk_reader_register(reader: DestinationRiskReader) -> DestinationRiskReader:
    """Set the reader (one: registering it again, as a reloaded `ready()` does, changes nothing)."""
    _DESTINATION_RISK_READERS[:] = [reader]
    return reader


def destination_risks_read(*, organisation, countries: Iterable[str]) -> DestinationRisks:
    """The destination risks of `countries` and every ban on military users and uses. A review
    that silently skipped the register would pass a sanctioned destination, so with no reader
    it fails."""
    if not _DESTINATION_RISK_READERS:
        raise ImproperlyConfigured("No destination risk reader is registered (trade.hooks).")
    return _DESTINATION_RISK_READERS[0](organisation=organisation, countries=countries)
