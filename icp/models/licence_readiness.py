"""The applicant's answers to the disqualifying situations of a general licence
(《两用物项出口管制条例》第二十条第一款): questions only the company can answer, recorded with who
answered and when. Each answer is one row per question, changed in place; its history (and so
the event log) keeps every earlier answer."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel


class Disqualifier(models.TextChoices):
    """REGS Art. 20, para. 1, items (1) to (3). Item (4), other situations MOFCOM specifies, is
    not a question the company can answer from its records."""

    CRIMINAL_PENALTY = "criminal_penalty", _("Criminal penalty")
    SERIOUS_ADMINISTRATIVE_PENALTY = (
        "serious_administrative_penalty",
        _("Serious administrative penalty within five years"),
    )
    CONTROL_LIST_ENTITY = (
        "control_list_entity",
        _("Entity of a party on the control list of importers and end users"),
    )


# The question as the applicant answers it, in the words of the Regulations.
DISQUALIFIER_QUESTIONS = {
    Disqualifier.CRIMINAL_PENALTY: _(
        "Has the company, or any of its persons directly in charge of or otherwise directly "
        "responsible for dual-use exports, received a criminal penalty for a violation of "
        "dual-use export control? (Regulations on dual-use items, Art. 20, para. 1, item 1)"
    ),
    Disqualifier.SERIOUS_ADMINISTRATIVE_PENALTY: _(
        "Has the company received an administrative penalty for a violation of dual-use export "
        "control within the last five years, where the circumstances were serious? "
        "(Regulations on dual-use items, Art. 20, para. 1, item 2)"
    ),
    Disqualifier.CONTROL_LIST_ENTITY: _(
        "Is the company a wholly-owned enterprise, representative office or branch set up in "
        "the People's Republic of China by a foreign organisation or individual on the control "
        "list of importers and end users (Art. 28 of the Regulations)? (Regulations on "
        "dual-use items, Art. 20, para. 1, item 3)"
    ),
}


class DisqualifierAnswer(OrganisationScopedModel):
    """The company's current answer to one disqualifying situation of REGS Art. 20."""

    question = models.CharField(_("question"), max_length=40, choices=Disqualifier.choices)
    applies = models.BooleanField(
        _("applies to the company"),
        help_text=_(
            "Yes: a general licence may not be applied for (Regulations on dual-use items, "
            "Art. 20)."
        ),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("general-licence disqualifier answer")
        verbose_name_plural = _("general-licence disqualifier answers")
        ordering = ["organisation", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "question"], name="disqualifier_answer_unique"
            ),
        ]

    def __str__(self):
        return str(self.get_question_display())

    def get_absolute_url(self):
        return reverse("icp:readiness")

    @property
    def question_text(self) -> str:
        return str(DISQUALIFIER_QUESTIONS[Disqualifier(self.question)])
