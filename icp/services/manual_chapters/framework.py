"""The framework chapters: general provisions with the definitions, 1 the policy statement,
2 the compliance organisation with the responsibilities matrix, 3 risk assessment."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icp.models.risk import DESTINATION_LEVEL_GUIDANCE
from icp.services.manual_content import (
    CONCISE,
    Chart,
    L,
    Para,
    Section,
    Subheading,
    Table,
    bilingual,
    split_bilingual,
)

from .common import choice_label, country_name

# Business nodes of the responsibilities matrix: node, owner, what the company requires, record.
MATRIX = (
    (
        _("Enquiry"),
        _("Sales"),
        _(
            "Identify the customer, the end user and the stated end use; screen every party; "
            "answer the red-flag questions; stop and refer any red flag to the compliance "
            "department before quoting."
        ),
        _("Screening record; red-flag answers"),
    ),
    (
        _("Technical exchange"),
        _("Engineering"),
        _(
            "Before technical data, drawings, samples or software are shared, or a visitor is "
            "shown controlled technology, check the classification and ask the compliance "
            "department whether a licence is needed."
        ),
        _("Technology transfer check"),
    ),
    (
        _("Contract"),
        _("Sales and the compliance department"),
        _(
            "Classify the items, obtain the end-user certificate, record the licence decision "
            "and have the transaction reviewed; no contract for controlled items is signed "
            "before the review is approved."
        ),
        _("Classification; end-user certificate; licence decision form"),
    ),
    (
        _("Production"),
        _("Production planning"),
        _(
            "Produce controlled items for export only against an approved transaction; report "
            "a change of specification that may change the classification."
        ),
        _("Approved transaction reference"),
    ),
    (
        _("Shipment"),
        _("Logistics and customs declaration"),
        _(
            "Screen the parties again, check that the items, quantities and consignee match "
            "the licence or export voucher, declare the licence document to customs, and do "
            "not release a shipment on hold."
        ),
        _("Shipping documents; licence drawdown"),
    ),
    (
        _("After-sales"),
        _("After-sales service and sales"),
        _(
            "Watch for signs of a changed end use or a re-export; report them at once to the "
            "compliance department; service and spare parts follow the same review."
        ),
        _("Incident report; visit notes"),
    ),
)


DEFINITIONS = (
    (
        pgettext_lazy("defined term", "Dual-use items"),
        _(
            "Goods, technologies and services that have both civil and military uses or that "
            "help raise military capability, in particular those that can be used to design, "
            "develop, produce or use weapons of mass destruction and their means of delivery "
            "(Export Control Law, Art. 2, para. 4)."
        ),
    ),
    (
        pgettext_lazy("defined term", "Export"),
        _(
            "The transfer of controlled items from the territory of the People's Republic of "
            "China to abroad, and their provision by a Chinese citizen, legal person or "
            "organisation to a foreign organisation or individual, including technical data "
            "(Export Control Law, Art. 2, paras. 2 and 3)."
        ),
    ),
    (
        pgettext_lazy("defined term", "Exporter"),
        _(
            "The company, when it exports controlled items in its own name; the company "
            "remains responsible when an agent handles the export for it."
        ),
    ),
    (
        pgettext_lazy("defined term", "End user"),
        _(
            "The party that finally receives and uses the items; not a distributor, freight "
            "forwarder or other intermediary."
        ),
    ),
    (
        pgettext_lazy("defined term", "Export control classification number"),
        _(
            "The code of an item on the Dual-Use Items Export Control List; an item that "
            "matches no entry is recorded as not listed."
        ),
    ),
    (
        pgettext_lazy("defined term", "Catch-all control"),
        _(
            "The licence requirement for items not on the control list, when the company knows "
            "or should know, or is notified by MOFCOM, that they may be used for the purposes "
            "named in Export Control Law, Art. 12, para. 3."
        ),
    ),
    (
        pgettext_lazy("defined term", "Export voucher"),
        _(
            "The document obtained by registering and filling in the required information with "
            "MOFCOM before each export of specified dual-use items (Dual-Use Items Export "
            "Control Regulations, Art. 15, para. 4)."
        ),
    ),
    (
        pgettext_lazy("defined term", "Red flag"),
        _(
            "A sign in an order, a party or a shipment that the items may be diverted or "
            "misused; it is resolved and recorded before the transaction continues."
        ),
    ),
)


def general_chapter(data, edition):
    blocks = [
        Para(
            L(
                _(
                    "This manual sets out the company's export control internal compliance "
                    "rules. It applies to every department, employee and agent of the company "
                    "that takes part in the export of goods, technology or services, and to "
                    "the company's branches and subsidiaries it controls."
                )
            ),
            "lead",
        ),
        Para(
            L(
                _(
                    "The company follows the Export Control Law, the Dual-Use Items Export "
                    "Control Regulations and MOFCOM's guidance on internal compliance "
                    "programmes. Where this manual and the law differ, the law prevails; where "
                    "a rule here is stricter than the law, the company follows this manual."
                )
            )
        ),
        Subheading(L(_("Definitions")), "definitions"),
        Table(
            [L(_("Term")), L(_("Meaning in this manual"))],
            [[L(term), L(meaning)] for term, meaning in DEFINITIONS],
            [24, 76],
        ),
    ]
    return Section("general", "", L(_("General provisions")), blocks)


def policy_chapter(data, edition):
    blocks = [
        Para(
            L(
                _(
                    "The principal person in charge signs the company's compliance policy "
                    "statement. It is given to every employee on joining and whenever it "
                    "changes, and each employee confirms in writing that they have read it."
                )
            ),
            "lead",
        ),
    ]
    if data.policy:
        policy = data.policy
        blocks.append(Subheading(bilingual(policy, "title")))
        blocks.append(("policy", policy))
        blocks.append(
            Para(
                L(
                    _("Version {number}, signed by {name} ({title}), effective {date}."),
                    number=policy.number,
                    name=policy.signatory_name,
                    title=split_bilingual(policy.signatory_title),
                    date=policy.effective_date.isoformat() if policy.effective_date else "—",
                ),
                "note",
            )
        )
    else:
        blocks.append(Para(L(_("No policy statement published yet.")), "note"))
    return Section("E1", "1", L(_("Compliance policy statement")), blocks)


def organisation_chapter(data, edition, owner):
    blocks = [
        Para(
            L(
                _(
                    "{owner} leads the company's export control compliance and reports to the "
                    "principal person in charge. The compliance department is independent of "
                    "sales: it may stop any export and may consult MOFCOM directly."
                ),
                owner=owner,
            ),
            "lead",
        ),
        Subheading(L(_("Responsibilities by business node")), "E2-matrix"),
        Table(
            [
                L(_("Business node")),
                L(_("Owner")),
                L(_("What the company requires")),
                L(_("Record")),
            ],
            [[L(a), L(b), L(c), L(d)] for a, b, c, d in MATRIX],
            [13, 18, 49, 20],
        ),
    ]
    if edition != CONCISE:
        blocks.append(Subheading(L(_("Organisation chart")), "E2-chart"))
        blocks.append(Chart(data.chart))
        blocks.append(Subheading(L(_("Position descriptions")), "E2-positions"))
        rows = []
        for position in data.positions:
            rows.append(
                [
                    bilingual(position, "title"),
                    bilingual(position.body, "name"),
                    position.holder_display or "—",
                    bilingual(position, "duties"),
                ]
            )
        if rows:
            blocks.append(
                Table(
                    [L(_("Position")), L(_("Body")), L(_("Holder")), L(_("Duties"))],
                    rows,
                    [20, 18, 14, 48],
                )
            )
        else:
            blocks.append(Para(L(_("No compliance position recorded yet.")), "note"))
    blocks.append(Subheading(L(_("Segregation of duties")), "E2-sod"))
    blocks.append(
        Para(
            L(
                _(
                    "Nobody reviews or approves a transaction they drafted, and nobody audits "
                    "work they took part in."
                )
            )
        )
    )
    if data.sod_rules:
        blocks.append(
            Table(
                [L(_("Rule")), L(_("Must not be combined"))],
                [
                    [
                        bilingual(rule, "name"),
                        (
                            L(
                                "{a} ≠ {b}",
                                a=bilingual(rule.position_a, "title"),
                                b=bilingual(rule.position_b, "title"),
                            )
                            if rule.kind == "positions"
                            else L(
                                "{a} ≠ {b}",
                                a=L(choice_label(rule, "duty_a")),
                                b=L(choice_label(rule, "duty_b")),
                            )
                        ),
                    ]
                    for rule in data.sod_rules
                ],
                [40, 60],
            )
        )
    return Section("E2", "2", L(_("Compliance organisation")), blocks)


def risk_chapter(data, edition, owner):
    blocks = [
        Para(
            L(
                _(
                    "{owner} assesses the company's export control risks once a year and "
                    "whenever the products, markets, customers or the law change materially. "
                    "Management approves the assessment; each risk has an owner and a "
                    "mitigation, and the mitigations are followed up until they are in place."
                ),
                owner=owner,
            ),
            "lead",
        ),
    ]
    if edition != CONCISE and data.assessment:
        blocks.append(Subheading(L(_("Risks and their mitigations")), "E3-register"))
        blocks.append(
            Table(
                [L(_("Risk")), L(_("Mitigation")), L(_("Owner"))],
                [
                    [
                        bilingual(risk, "title"),
                        bilingual(risk, "mitigation"),
                        str(risk.owner) if risk.owner else "—",
                    ]
                    for risk in data.risks
                ],
                [35, 47, 18],
            )
        )
    blocks.append(Subheading(L(_("Destinations that need care")), "E3-destinations"))
    blocks.append(
        Para(
            L(
                _(
                    "The company applies the measures of the MOFCOM and customs announcements "
                    "that implement UN Security Council resolutions and China's own export "
                    "measures. For each level of destination risk it requires:"
                )
            )
        )
    )
    blocks.append(
        Table(
            [L(_("Risk level")), L(_("What the company requires"))],
            [[L(level.label), L(rule)] for level, rule in DESTINATION_LEVEL_GUIDANCE.items()],
            [20, 80],
        )
    )
    # PRC legal restrictions only: a destination whose risk rests on foreign law goes to the
    # foreign-law risk annex, printed only when the company chooses it.
    prc = [row for row in data.destinations if not row.is_foreign_law_risk]
    if edition != CONCISE and prc:
        blocks.append(
            Table(
                [L(_("Country or region")), L(_("Risk level"))],
                [[L(country_name(row.country)), L(choice_label(row, "level"))] for row in prc],
                [60, 40],
            )
        )
    return Section("E3", "3", L(_("Risk assessment")), blocks)
