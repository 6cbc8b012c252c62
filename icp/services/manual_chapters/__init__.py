"""The chapters of the ICP manual, in the company's own voice (see icp/services/manual_content.py).

Each chapter states the rule, who owns it, how often it is done and what record it leaves. The
figures that change every day (coverage, findings, scores) are not here. The full edition adds
the organisation's registers (positions, courses, plans, retention schedule) and the reference
appendices; the concise edition keeps the rules, the responsibilities matrix and the forms.

One module per group of chapters: framework (general provisions, 1-3), controls (4-5),
assurance (6-9), appendices (A-C and the foreign-law risk annex) and forms (Appendix D).
"""

from django.utils.translation import gettext_lazy as _

from icp.services.manual_content import CONCISE, L, Section, bilingual

from .appendices import appendix_audit, appendix_flags, appendix_foreign_law, appendix_law
from .assurance import audits_chapter, manual_control_chapter, records_chapter, training_chapter
from .controls import emergency_chapter, transactions_chapter
from .forms import appendix_forms
from .framework import general_chapter, organisation_chapter, policy_chapter, risk_chapter


def _owner(data):
    """The position that leads day-to-day compliance: the head who may stop exports, else the
    first head of a compliance body, else 'the compliance department'."""
    heads = [p for p in data.positions if p.is_head]
    chosen = next((p for p in data.positions if p.may_stop_exports), None) or (
        heads[0] if heads else None
    )
    return bilingual(chosen, "title") if chosen else L(_("the compliance department"))


def manual_sections(
    *, data, edition: str, legal_minimum_years: int, foreign_law_annex: bool = False
) -> list[Section]:
    """The manual's chapters and appendices for the edition (full or concise), with the
    foreign-law risk annex at the end only when the company chose to include it."""
    annex = [appendix_foreign_law(data)] if foreign_law_annex else []
    owner = _owner(data)
    sections = [
        general_chapter(data, edition),
        policy_chapter(data, edition),
        organisation_chapter(data, edition, owner),
        risk_chapter(data, edition, owner),
        transactions_chapter(data, edition, owner),
        emergency_chapter(data, edition, owner),
        training_chapter(data, edition, owner),
        audits_chapter(data, edition, owner),
        records_chapter(data, edition, owner, legal_minimum_years),
        manual_control_chapter(data, edition, owner),
    ]
    if edition == CONCISE:
        # Every form the rules refer to (D.1 to D.5), without the reference appendices.
        return [*sections, *appendix_forms(data), *annex]
    return [
        *sections,
        appendix_flags(data),
        appendix_audit(data),
        appendix_law(data),
        *appendix_forms(data),
        *annex,
    ]


__all__ = ["manual_sections"]
