"""The red-flag questionnaire: a person's answers, and a compliance manager's resolution of a
raised flag."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reference.models import RedFlag
from trade.models import Answer, RedFlagAnswer, Transaction, TransactionEvent
from trade.services.review import transaction_refresh
from trade.stored_text import stored

from .common import (
    _check_editable,
    _event,
    _require_drafter,
    _require_manager,
    _was_approved,
    transaction_reopen,
)


def red_flag_answer(
    *,
    transaction: Transaction,
    user,
    red_flag: RedFlag,
    answer: str,
    note: str = "",
    refresh: bool = True,
) -> RedFlagAnswer:
    """A person answers one red-flag question. Refused: answering 'no' where the data says
    'yes' (a list match cannot be answered away; a compliance manager resolves it instead)."""
    _require_drafter(transaction, user)
    _check_editable(transaction)
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Answer yes, no or unknown.")})
    record = RedFlagAnswer.objects.filter(transaction=transaction, red_flag=red_flag).first()
    if (
        record is not None
        and record.prefilled
        and record.answer == Answer.YES
        and answer != Answer.YES
    ):
        raise ValidationError(
            _(
                "%(flag)s: the data says yes (%(why)s). A compliance manager resolves it "
                "with a justification instead."
            )
            % {"flag": red_flag.ref_id, "why": record.note_text}
        )
    if record is None:
        record = RedFlagAnswer(
            organisation_id=transaction.organisation_id, transaction=transaction, red_flag=red_flag
        )
    note = (note or "").strip()
    if record.pk and not record.prefilled and record.answer == answer and record.note == note:
        return record
    if (
        record.pk
        and record.prefilled
        and record.answer == answer
        and note in ("", record.note, record.note_text)
    ):
        # The form sent back what the data answered: it stays the system's answer and keeps
        # following the data (a person's answer is a different answer or their own note).
        return record
    if record.answer != answer:
        record.resolution, record.resolved_by, record.resolved_at = "", None, None
    record.answer, record.note, record.prefilled = answer, note, False
    record.note_code, record.note_params = "", {}
    record.answered_by, record.answered_at = user, timezone.now()
    with db_transaction.atomic():
        record.save()
        if (
            _was_approved(transaction)
            and answer != Answer.NO
            and red_flag.severity == RedFlag.Severity.BLOCKING
        ):
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("red_flag_raised_after_approval", flag=red_flag.ref_id),
            )
        if refresh:
            transaction_refresh(transaction=transaction)
    return record


def red_flags_answer_many(*, transaction: Transaction, user, answers: dict) -> list[str]:
    """Save several answers at once ({red_flag: (answer, note)}); skips unchanged ones. Returns
    the error messages of refused answers (the others are saved)."""
    errors = []
    with db_transaction.atomic():
        for red_flag, (answer, note) in answers.items():
            if not answer:
                continue
            try:
                red_flag_answer(
                    transaction=transaction,
                    user=user,
                    red_flag=red_flag,
                    answer=answer,
                    note=note,
                    refresh=False,
                )
            except ValidationError as exc:
                errors += exc.messages
        transaction_refresh(transaction=transaction)
    return errors


def red_flag_resolve(*, answer: RedFlagAnswer, user, justification: str) -> RedFlagAnswer:
    """A compliance manager resolves a raised red flag with a justification (what was checked,
    why it does not stop the transaction)."""
    transaction = answer.transaction
    _require_manager(transaction, user)
    _check_editable(transaction)
    if not answer.is_raised:
        raise ValidationError(_("Only a flag answered yes or unknown needs a resolution."))
    justification = (justification or "").strip()
    if len(justification) < 10:
        raise ValidationError(
            {
                "justification": _(
                    "Explain what was checked and why the flag does not stop the transaction."
                )
            }
        )
    with db_transaction.atomic():
        answer.resolution = justification
        answer.resolved_by = user
        answer.resolved_at = timezone.now()
        answer.save()
        _event(
            transaction,
            TransactionEvent.Kind.FLAG_RESOLVED,
            user=user,
            reason=f"{answer.red_flag.ref_id}: {justification}",
        )
        transaction_refresh(transaction=transaction)
    return answer
