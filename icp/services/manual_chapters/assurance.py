"""The chapters that keep the programme working: 6 education and training, 7 compliance audits,
8 recordkeeping, 9 maintaining this manual."""

from django.utils.translation import gettext_lazy as _

from icp.services.manual_content import (
    CONCISE,
    Bullets,
    L,
    Para,
    Section,
    Subheading,
    Table,
    bilingual,
    quote,
)

from .common import choice_label


def training_chapter(data, edition, owner):
    blocks = [
        Para(
            L(
                _(
                    "Every new employee is trained on the compliance policy within their first "
                    "month. Employees in sales, engineering, logistics, compliance and "
                    "management take the courses of their function and refresh them at the "
                    "interval each course sets; a course with a pass mark ends with a test. "
                    "Attendance is recorded."
                )
            ),
            "lead",
        )
    ]
    if edition != CONCISE:
        if data.courses:
            blocks.append(
                Table(
                    [L(_("Course")), L(_("Who must take it")), L(_("Refresher"))],
                    [
                        [
                            bilingual(course, "topic"),
                            ("audience", course),
                            (
                                L(_("every {months} months"), months=course.refresher_months)
                                if course.refresher_months
                                else L(_("once"))
                            ),
                        ]
                        for course in data.courses
                    ],
                    [50, 30, 20],
                )
            )
        else:
            blocks.append(Para(L(_("No course in use yet.")), "note"))
    return Section("E6", "6", L(_("Education and training")), blocks)


def _audit_frequency(data):
    recurrences = [entry for entry in data.audit_plan if entry.recurrence]
    if recurrences:
        entry = recurrences[0]
        label = dict(type(entry)._meta.get_field("recurrence").flatchoices).get(entry.recurrence)
        return L(label)
    return L(_("at least once a year"))


def audits_chapter(data, edition, owner):
    blocks = [
        Para(
            L(
                _(
                    "The compliance programme is audited {frequency} by auditors independent "
                    "of the work they audit. Each audit follows the checklist (Appendix B), "
                    "samples real transactions and ends with findings whose corrective actions "
                    "are followed until an auditor verifies them. The result is reported to "
                    "management."
                )
                if edition != CONCISE
                else _(
                    "The compliance programme is audited {frequency} by auditors independent "
                    "of the work they audit. Each audit follows the company's audit checklist, "
                    "samples real transactions and ends with findings whose corrective actions "
                    "are followed until an auditor verifies them. The result is reported to "
                    "management."
                ),
                frequency=_audit_frequency(data),
            ),
            "lead",
        )
    ]
    if edition != CONCISE and data.audit_plan:
        blocks.append(Subheading(L(_("Audit programme")), "E7-programme"))
        blocks.append(
            Table(
                [L(_("Planned audit")), L(_("Type")), L(_("Recurrence"))],
                [
                    [
                        bilingual(entry, "title"),
                        L(choice_label(entry, "audit_type")),
                        L(choice_label(entry, "recurrence")),
                    ]
                    for entry in data.audit_plan
                ],
                [50, 25, 25],
            )
        )
    return Section("E7", "7", L(_("Compliance audits")), blocks)


def records_chapter(data, edition, owner, legal_minimum_years):
    blocks = [
        Para(
            L(
                _(
                    "The company keeps every record of an export: contracts, end-user "
                    "certificates, invoices, classification records, screening results, "
                    "review decisions, correspondence and training records."
                )
            ),
            "lead",
        ),
        quote(("REGS", 27)),
        Bullets(
            [
                L(
                    _(
                        "Records are kept for at least {years} years, and longer where the "
                        "schedule below says so."
                    ),
                    years=legal_minimum_years,
                ),
                L(
                    _(
                        "Every file is kept in the compliance records system with its "
                        "fingerprint; nothing is kept only on a personal computer or in e-mail."
                    )
                ),
                L(
                    _(
                        "A record under legal hold (an investigation or a MOFCOM verification) "
                        "is kept whatever the schedule says; after the period ends, records "
                        "are destroyed only with management's approval, which is recorded."
                    )
                ),
            ]
        ),
    ]
    if edition != CONCISE and data.retention:
        blocks.append(Subheading(L(_("Retention schedule")), "E8-schedule"))
        blocks.append(
            Table(
                [L(_("Record type")), L(_("Counted from")), L(_("Years kept"))],
                [
                    [
                        L(row.record_type),
                        L(row.counted_from) if row.counted_from else "—",
                        str(row.years),
                    ]
                    for row in data.retention
                ],
                [50, 35, 15],
            )
        )
    return Section("E8", "8", L(_("Recordkeeping")), blocks)


def manual_control_chapter(data, edition, owner):
    blocks = [
        Para(
            L(
                _(
                    "This manual is a controlled document. {owner} prepares it, the compliance "
                    "manager reviews it and management approves it; it takes effect on the "
                    "approval date shown on the issue page."
                ),
                owner=owner,
            ),
            "lead",
        ),
        Bullets(
            [
                L(
                    _(
                        "The manual is revised when MOFCOM publishes a new law, regulation, "
                        "control list or announcement that concerns the company; when the "
                        "organisation, the products or the markets change; after an audit "
                        "finding or an incident that shows a gap; and at least once a year."
                    )
                ),
                L(
                    _(
                        "Each revision has a new revision number; the revision history lists "
                        "every revision. Superseded copies are withdrawn and kept for audits."
                    )
                ),
                L(
                    _(
                        "Only copies printed from the current approved revision are valid; the "
                        "document number and revision number are in the header of every page."
                    )
                ),
            ]
        ),
    ]
    return Section("E9", "9", L(_("Maintaining this manual")), blocks)
