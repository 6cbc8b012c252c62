"""The applicant's answers to the disqualifying situations of a general licence
(《两用物项出口管制条例》第二十条第一款): recorded with who answered and when. Each save is a
change of a regulated record, so the event log holds every answer with its author."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.permissions import require_role
from icp.models import Disqualifier, DisqualifierAnswer

NOTE_MAX = 2000


@transaction.atomic
def disqualifiers_answer(*, organisation, user, answers: dict) -> list[DisqualifierAnswer]:
    """Record the answers to all three questions at once: `answers` maps each question to
    (applies, note). Answering again confirms or changes the answer (who and when are updated;
    the history keeps the earlier ones)."""
    require_role(organisation=organisation, user=user, roles=role_sets.MANUAL_REQUESTERS)
    errors = {}
    for question in Disqualifier.values:
        if question not in answers or answers[question][0] not in (True, False):
            errors[question] = _("Answer yes or no.")
        elif len(answers[question][1] or "") > NOTE_MAX:
            errors[question] = _("A note has at most 2,000 characters.")
    unknown = set(answers) - set(Disqualifier.values)
    if unknown:
        errors["__all__"] = _("Unknown question.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    existing = {
        row.question: row
        for row in DisqualifierAnswer.objects.for_organisation(organisation).select_for_update()
    }
    saved = []
    for question in Disqualifier.values:
        applies, note = answers[question]
        row = existing.get(question) or DisqualifierAnswer(
            organisation=organisation, question=question
        )
        row.applies = applies
        row.note = (note or "").strip()
        row.answered_by = user
        row.answered_at = now
        # simple_history reads who answered from this attribute (no model field, so no type).
        row._history_user = user  # type: ignore[union-attr]
        row.save()
        saved.append(row)
    return saved
