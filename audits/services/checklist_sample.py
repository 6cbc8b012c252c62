"""The audit's sample of transactions: every held or rejected one, every one with a true
screening hit, every one with a red flag answered yes, plus a random draw with the audit's stored
seed (checklist generation gives each sampled transaction its checks: checklist.py)."""

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trade.models import (
    Transaction,
    TransactionEvent,
    TransactionState,
)

from ..models import Audit


@dataclass
class Sample:
    reasons: dict[int, list[str]] = field(default_factory=dict)

    def add(self, pk: int, reason: str) -> None:
        self.reasons.setdefault(pk, [])
        if reason not in self.reasons[pk]:
            self.reasons[pk].append(reason)

    @property
    def ids(self) -> list[int]:
        return sorted(self.reasons)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sample_population(audit: Audit):
    """The transactions of the audit's period that went through review (drafts excluded).
    A range on the indexed `created_at`, not a date cast, so large histories stay fast."""
    return (
        Transaction.objects.for_organisation(audit.organisation)
        .filter(
            created_at__gte=_day_start(audit.period_start),
            created_at__lt=_day_start(audit.period_end + datetime.timedelta(days=1)),
        )
        .exclude(state=TransactionState.DRAFT)
    )


def transaction_sample(*, audit: Audit) -> Sample:
    """The audit's sample: every held or rejected transaction, every one with a true screening
    hit, every one with a red flag answered yes, plus `sample_size` others drawn at random with
    the audit's stored seed. Four queries, whatever the size of the history."""
    population = sample_population(audit)
    sample = Sample()
    held = TransactionEvent.objects.filter(
        transaction=OuterRef("pk"), kind=TransactionEvent.Kind.HELD
    )
    for pk in population.filter(
        Q(state__in=[TransactionState.ON_HOLD, TransactionState.REJECTED]) | Exists(held)
    ).values_list("pk", flat=True):
        sample.add(pk, "held_or_rejected")
    for pk in (
        population.filter(parties__party__screenings__hits__adjudication__outcome="true_match")
        .values_list("pk", flat=True)
        .distinct()
    ):
        sample.add(pk, "true_hit")
    for pk in (
        population.filter(red_flag_answers__answer="yes").values_list("pk", flat=True).distinct()
    ):
        sample.add(pk, "red_flag_yes")
    risk_based = set(sample.reasons)
    rest = sorted(pk for pk in population.values_list("pk", flat=True) if pk not in risk_based)
    rng = random.Random(audit.sample_seed)
    for pk in rng.sample(rest, min(audit.sample_size, len(rest))):
        sample.add(pk, "random")
    return sample


def sample_reason_label(code: str) -> str:
    return {
        "held_or_rejected": _("held or rejected"),
        "true_hit": _("true screening hit"),
        "red_flag_yes": _("red flag answered yes"),
        "random": _("random sample"),
    }.get(code, code)
