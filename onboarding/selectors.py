"""The getting-started steps and whether each is done, read from the organisation's own records
(the programme, the item master, the parties), so the list is right however a step was done."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from icp.models import ComplianceBody, Position, RiskAssessment
from icp.selectors.manual import manual_latest
from icp.selectors.policy import policy_current, policy_open_version
from screening.models import Party, ScreeningStatus
from trade.models import Item

from .models import SkippedStep, Step

DONE, SKIPPED, TO_DO = "done", "skipped", "to_do"


@dataclass
class StepStatus:
    code: str
    title: str | Promise  # lazy translated texts
    explanation: str | Promise
    url: str
    link_text: str | Promise
    state: str

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def skipped(self) -> bool:
        return self.state == SKIPPED


@dataclass
class Progress:
    steps: list[StepStatus]

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def settled(self) -> int:
        """Done or set aside: what no longer asks for attention."""
        return sum(step.state != TO_DO for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def next_step(self) -> StepStatus | None:
        return next((step for step in self.steps if step.state == TO_DO), None)


def _company_done(organisation) -> bool:
    return bool(organisation.unified_social_credit_code and organisation.address_zh)


def _organisation_done(organisation) -> bool:
    return (
        ComplianceBody.objects.for_organisation(organisation).filter(is_active=True).exists()
        and Position.objects.for_organisation(organisation).exists()
    )


def _policy_done(organisation) -> bool:
    return (
        policy_current(organisation=organisation) is not None
        or policy_open_version(organisation=organisation) is not None
    )


def _risk_done(organisation) -> bool:
    return RiskAssessment.objects.for_organisation(organisation).exists()


def _items_done(organisation) -> bool:
    return Item.objects.for_organisation(organisation).exists()


def _customers_done(organisation) -> bool:
    return (
        Party.objects.for_organisation(organisation)
        .exclude(screening_status=ScreeningStatus.NOT_SCREENED)
        .exists()
    )


def _manual_done(organisation) -> bool:
    return manual_latest(organisation=organisation) is not None


_STEPS = (
    (
        Step.COMPANY,
        _("Enter the company's name, address and unified social credit code."),
        "accounts:organisation_profile",
        _("Open the company details"),
        _company_done,
    ),
    (
        Step.ORGANISATION,
        _("Set up the compliance body and name the people who hold its positions."),
        "icp:organisation_home",
        _("Open the compliance organisation"),
        _organisation_done,
    ),
    (
        Step.POLICY,
        _("Draft the policy statement from the template and send it for approval."),
        "icp:policy_home",
        _("Open the policy statement"),
        _policy_done,
    ),
    (
        Step.RISK,
        _(
            "Answer five questions about your products, destinations, technology, partners and "
            "controls; the answers start the risk register."
        ),
        "onboarding:risk_questions",
        _("Answer the questions"),
        _risk_done,
    ),
    (
        Step.ITEMS,
        _("Record the items you export, then classify them against the control list."),
        "transactions:item_list",
        _("Open the item master"),
        _items_done,
    ),
    (
        Step.CUSTOMERS,
        _("Import your customers and screen them against the restricted-party lists."),
        "parties:import",
        _("Import and screen customers"),
        _customers_done,
    ),
    (
        Step.MANUAL,
        _("Generate the first ICP manual from what the steps above recorded."),
        "icp:manual_home",
        _("Open the ICP manual"),
        _manual_done,
    ),
)


def onboarding_progress(*, organisation) -> Progress:
    skipped = set(SkippedStep.objects.for_organisation(organisation).values_list("step", flat=True))
    steps = []
    for code, explanation, url_name, link_text, is_done in _STEPS:
        if is_done(organisation):
            state = DONE
        elif code in skipped:
            state = SKIPPED
        else:
            state = TO_DO
        steps.append(
            StepStatus(
                code=code,
                title=Step(code).label,
                explanation=explanation,
                url=reverse(url_name),
                link_text=link_text,
                state=state,
            )
        )
    return Progress(steps=steps)
