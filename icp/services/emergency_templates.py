"""Response plan templates and letter templates for the incident types that involve customs or
MOFCOM (reference/data/emergency-templates.yaml): a plan created from a template, and the
Chinese letter or report of an incident filled from its record, with the mitigation record
(the corrective actions, done or due) that 《中华人民共和国行政处罚法》第三十二条 rewards."""

from dataclasses import dataclass
from functools import cache
from string import Template

import yaml
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from icp.models import Incident, ResponsePlan, Scenario
from icp.services.emergency import response_plan_save
from reference.services import REFERENCE_DIR

TEMPLATES_FILE = REFERENCE_DIR / "emergency-templates.yaml"


@dataclass(frozen=True)
class LibraryNote:
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class PlanTemplate:
    scenario: str
    title_zh: str
    title_en: str
    legal_basis: str
    steps_zh: str
    steps_en: str
    letter_zh: str
    letter_en: str
    library_notes: tuple  # LibraryNote, ...: what the reference library does not hold


@cache
def plan_templates() -> dict[str, PlanTemplate]:
    data = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    notes: dict[str, list[LibraryNote]] = {}
    for note in data.get("not_found", []):
        notes.setdefault(note["scenario"], []).append(LibraryNote(note["zh"], note["en"]))
    templates = {}
    for scenario, values in data["scenarios"].items():
        Scenario(scenario)  # a template for an unknown incident type is a data error
        templates[scenario] = PlanTemplate(
            scenario=scenario,
            library_notes=tuple(notes.get(scenario, ())),
            **values,
        )
    return templates


def response_plan_from_template(*, membership, scenario: str, owner=None) -> ResponsePlan:
    """A response plan of the member's organisation from the template of `scenario`: the
    compliance manager then adds contacts and escalation. Not idempotent on purpose: a second
    plan of the same kind is allowed (e.g. per site)."""
    template = plan_templates().get(scenario)
    if template is None:
        raise ValidationError(_("There is no template for this kind of incident."))
    plan = ResponsePlan(
        organisation=membership.organisation,
        scenario=scenario,
        title_zh=template.title_zh,
        title_en=template.title_en,
        steps_zh=template.steps_zh,
        steps_en=template.steps_en,
        legal_basis=template.legal_basis,
        owner=owner or membership.user,
    )
    return response_plan_save(membership=membership, plan=plan)


def _mitigation_record(incident: Incident, chinese: bool) -> str:
    lines = []
    for number, action in enumerate(incident.actions.select_related("owner"), start=1):
        if action.done_at:
            done = timezone.localtime(action.done_at).date().isoformat()
            status = f"已于{done}完成" if chinese else f"done on {done}"
            if action.done_note:
                status += f"（{action.done_note}）" if chinese else f" ({action.done_note})"
        else:
            due = action.due_on.isoformat()
            status = f"计划于{due}前完成" if chinese else f"due by {due}"
        lines.append(
            f"{number}. {action.description}：{status}"
            if chinese
            else f"{number}. {action.description}: {status}"
        )
    if not lines:
        return "（尚未记录措施）" if chinese else "(no measures recorded yet)"
    return "\n".join(lines)


def incident_letter(*, incident: Incident, chinese: bool = True) -> str:
    """The letter or report of the incident's type, filled from the incident: organisation,
    reference, title, description, linked transactions and the mitigation record. "" when the
    incident type has no template."""
    template = plan_templates().get(incident.scenario)
    if template is None:
        return ""
    organisation = incident.organisation
    transactions = [t.reference for t in incident.transactions.order_by("reference")]
    values = {
        "organisation": organisation.name_zh
        if chinese
        else (organisation.name_en or organisation.name_zh),
        "reference": incident.reference,
        "title": incident.title,
        "description": incident.description,
        "transactions": "、".join(transactions) if chinese else ", ".join(transactions),
        "actions": _mitigation_record(incident, chinese),
        "date": timezone.localdate().isoformat(),
        "mofcom_reference": incident.mofcom_reference,
    }
    if not values["transactions"]:
        values["transactions"] = "无" if chinese else "none"
    text = template.letter_zh if chinese else template.letter_en
    return Template(text).safe_substitute(values)
