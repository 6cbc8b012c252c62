"""The chapters of the ICP manual, in the company's own voice (see icp/services/manual_content.py).

Each chapter states the rule, who owns it, how often it is done and what record it leaves. The
figures that change every day (coverage, findings, scores) are not here. The full edition adds
the organisation's registers (positions, courses, plans, retention schedule) and the reference
appendices; the concise edition keeps the rules, the responsibilities matrix and the forms.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icp.models.risk import DESTINATION_LEVEL_GUIDANCE
from icp.services.manual_content import (
    CONCISE,
    Bullets,
    Chart,
    Checks,
    Facts,
    FormFields,
    L,
    Para,
    Section,
    Signatures,
    Subheading,
    Table,
    bilingual,
    quote,
    split_bilingual,
)

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


def _owner(data):
    """The position that leads day-to-day compliance: the head who may stop exports, else the
    first head of a compliance body, else 'the compliance department'."""
    heads = [p for p in data.positions if p.is_head]
    chosen = next((p for p in data.positions if p.may_stop_exports), None) or (
        heads[0] if heads else None
    )
    return bilingual(chosen, "title") if chosen else L(_("the compliance department"))


def _audit_frequency(data):
    recurrences = [entry for entry in data.audit_plan if entry.recurrence]
    if recurrences:
        entry = recurrences[0]
        label = dict(type(entry)._meta.get_field("recurrence").flatchoices).get(entry.recurrence)
        return L(label)
    return L(_("at least once a year"))


def _general(data, edition):
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


def _policy(data, edition):
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


def _organisation(data, edition, owner):
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
                                a=L(_choice_label(rule, "duty_a")),
                                b=L(_choice_label(rule, "duty_b")),
                            )
                        ),
                    ]
                    for rule in data.sod_rules
                ],
                [40, 60],
            )
        )
    return Section("E2", "2", L(_("Compliance organisation")), blocks)


# A country's name in the language the manual is printed in (django-countries translates on
# access, so the lookup waits until the renderer chooses the language).
_country_name = lazy(lambda country: str(country.name), str)


def _choice_label(obj, name):
    value = getattr(obj, name)
    return dict(type(obj)._meta.get_field(name).flatchoices).get(value, value)


def _risk(data, edition, owner):
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
                [[L(_country_name(row.country)), L(_choice_label(row, "level"))] for row in prc],
                [60, 40],
            )
        )
    return Section("E3", "3", L(_("Risk assessment")), blocks)


def _appendix_foreign_law(data):
    """The foreign-law risk annex: destinations named in foreign guidance, which PRC law does not
    restrict. Their reasons and sources stay in the web library (they cite foreign sources)."""
    rows = [row for row in data.destinations if row.is_foreign_law_risk]
    blocks = [
        Para(
            L(
                _(
                    "This annex is not part of the company's rules under PRC law. It lists "
                    "destinations where foreign laws or foreign guidance see a risk of "
                    "diversion; they matter only where the items contain foreign-origin "
                    "content or technology. For them the company verifies the end user, the "
                    "end use and the onward destination more closely."
                )
            )
        ),
        Para(
            L(
                _(
                    "The company does not implement or assist in implementing a foreign "
                    "state's discriminatory restrictive measures against Chinese citizens and "
                    "organisations (Anti-Foreign Sanctions Law, Art. 12), and reports to MOFCOM "
                    "where a foreign law or measure prohibits or restricts its normal trade "
                    "(Rules on Counteracting Unjustified Extra-territorial Application of "
                    "Foreign Legislation and Other Measures, MOFCOM Order 2021 No. 1)."
                )
            ),
            "note",
        ),
    ]
    if rows:
        blocks.append(
            Table(
                [L(_("Country or region")), L(_("Risk level")), L(_("Scope"))],
                [
                    [
                        L(_country_name(row.country)),
                        L(_choice_label(row, "level")),
                        L(_choice_label(row, "scope")),
                    ]
                    for row in rows
                ],
                [45, 25, 30],
            )
        )
    else:
        blocks.append(Para(L(_("No destination is on the foreign-law risk list.")), "note"))
    return Section("appendix-e", L(_("Appendix E")), L(_("Foreign-law risk annex")), blocks)


def _transactions(data, edition, owner):
    threshold = f"{data.screening_threshold:.2f}"
    blocks = [
        Para(
            L(
                _(
                    "Every export order, shipment and technology transfer is reviewed before it "
                    "is accepted and again before it ships. It is approved only when every step "
                    "below is complete; until then it stays in review or on hold."
                )
            ),
            "lead",
        ),
        Subheading(L(_("Classification")), "E4-classification"),
        Bullets(
            [
                L(
                    _(
                        "Engineering classifies each item against the Dual-Use Items Export "
                        "Control List on the parameter sheet (Form D.4), giving the export "
                        'control classification number or "not listed"; the compliance '
                        "department checks the classification."
                    )
                ),
                L(
                    _(
                        "An item that is not listed is still checked for catch-all control: "
                        "if the company knows or should know that it may be used for a purpose "
                        "named in Export Control Law, Art. 12, para. 3, or MOFCOM has notified "
                        "the company, a licence is applied for."
                    )
                ),
                L(
                    _(
                        "Where it is uncertain whether an item is controlled, the company asks "
                        "MOFCOM (Export Control Law, Art. 12, para. 4) and ships nothing until the "
                        "answer is on file."
                    )
                ),
                L(
                    _(
                        "A classification is reviewed when the item's specification or the "
                        "control list changes."
                    )
                ),
            ]
        ),
        Subheading(L(_("End-user due diligence")), "E4-due-diligence"),
        Bullets(
            [
                L(
                    _(
                        "Every new customer and end user completes the due-diligence "
                        "questionnaire (Form D.5) before the first order; it is renewed every "
                        "two years or when their business changes."
                    )
                ),
                L(
                    _(
                        "The customer, end user, consignee, intermediaries and forwarders are "
                        "screened against the lists in use; names scoring at or above {threshold} "
                        "(0 to 1) are decided by the compliance department, with reasons. "
                        "Parties are screened again whenever a list changes."
                    ),
                    threshold=threshold,
                ),
                L(
                    _(
                        "Sales answer the red-flag questions (Appendix A) for every "
                        "transaction; a red flag is resolved and its resolution recorded before "
                        "approval."
                    )
                    if edition != CONCISE
                    # The concise edition has no appendix of questions: the full one has them.
                    else _(
                        "Sales answer the red-flag questions for every transaction; a red flag "
                        "is resolved and its resolution recorded before approval."
                    )
                ),
                L(
                    _(
                        "For controlled items, the end-user and end-use certificate (Form D.1) "
                        "signed by the end user is on file before the licence application; "
                        "where MOFCOM asks for it, a certificate issued or authenticated by the "
                        "government of the end user's country is added."
                    )
                ),
            ]
        ),
    ]
    if edition != CONCISE and data.screening_lists:
        blocks.append(
            Table(
                [L(_("List")), L(_("Effect of a match"))],
                [
                    [bilingual(lst, "name"), L(_choice_label(lst, "severity"))]
                    for lst in data.screening_lists
                ],
                [65, 35],
            )
        )
    blocks += [
        Subheading(L(_("Licensing")), "E4-licensing"),
        Bullets(
            [
                L(
                    _(
                        "The compliance department records a licence decision for every "
                        "transaction on Form D.2: not controlled; controlled and covered by a "
                        "single licence, a general licence or an export voucher; not listed but "
                        "subject to catch-all control; or export prohibited."
                    )
                ),
                L(
                    _(
                        "Single licence: one export of the specified items to a single end user, "
                        "within the scope, conditions and validity (at most one year) of the "
                        "licence (Dual-Use Items Export Control Regulations, Art. 15, para. 2)."
                    )
                ),
                L(
                    _(
                        "General licence: several exports to one or more end users within the "
                        "scope, conditions and validity (at most three years) of the licence; "
                        "applied for only while the internal compliance programme runs well and "
                        "the company has an export record and relatively stable channels and end "
                        "users (Dual-Use Items Export Control Regulations, Art. 15, para. 3; "
                        "Art. 16, para. 2)."
                    )
                ),
                L(
                    _(
                        "Exports to a prohibited destination, organisation or individual, or of "
                        "a prohibited item, are refused."
                    )
                ),
                L(
                    _(
                        "Each export draws down the licence; the compliance department "
                        "reconciles the drawdowns with the shipments, returns or renews a "
                        "licence before it expires, and never lends or transfers a licence."
                    )
                ),
                L(
                    _(
                        "Export voucher: where MOFCOM allows specified items to be exported by "
                        "registration, the company registers before each export and exports "
                        "with the voucher; when the export's elements change it registers again "
                        "or applies for a licence."
                    )
                ),
            ]
        ),
        Subheading(L(_("Technology and technical data")), "E4-technology"),
        Bullets(
            [
                L(
                    _(
                        "Sending controlled technology abroad by any means (e-mail, cloud "
                        "share, visit, training, technical support) is an export and follows "
                        "the same review."
                    )
                ),
                L(
                    _(
                        "Providing controlled technology in China to a foreign organisation or "
                        "individual is also an export; visitors and foreign employees are "
                        "checked before access."
                    )
                ),
                L(
                    _(
                        "Engineering marks documents that contain controlled technology; they "
                        "are shared only with the compliance department's approval."
                    )
                ),
            ]
        ),
        Subheading(L(_("Customs")), "E4-customs"),
        Bullets(
            [
                L(
                    _(
                        "The licence document or export voucher is presented to customs with "
                        "the declaration; the declared description, code and quantity match it "
                        "(Dual-Use Items Export Control Regulations, Art. 21)."
                    )
                ),
                L(
                    _(
                        "When customs questions whether goods are controlled, logistics informs "
                        "the compliance department the same day, and the company provides the "
                        "contract, performance parameters and main uses; the goods are not "
                        "released while the question or an identification by MOFCOM is pending "
                        "(Dual-Use Items Export Control Regulations, Art. 22)."
                    )
                ),
            ]
        ),
        Subheading(L(_("After shipment")), "E4-after-shipment"),
        Bullets(
            [
                L(
                    _(
                        "The company exports within the scope, conditions and validity of the "
                        "licence and reports the actual transport, arrival, installation and use "
                        "of the items (Dual-Use Items Export Control Regulations, Art. 18, "
                        "para. 1); it cooperates with MOFCOM's end-use checks and asks the end "
                        "user to allow them."
                    )
                ),
                L(
                    _(
                        "If the company learns that the end user or end use has changed or may "
                        "change, or that a certificate is forged, altered or no longer valid, it "
                        "stops further exports, reports to MOFCOM at once and cooperates with "
                        "the verification (Dual-Use Items Export Control Regulations, Art. 25)."
                    )
                ),
                L(
                    _(
                        "Re-exports and transfers requested by a customer are approved only "
                        "with MOFCOM's permission."
                    )
                ),
            ]
        ),
    ]
    return Section("E4", "4", L(_("Transaction review")), blocks)


def _emergency(data, edition, owner):
    blocks = [
        Para(
            L(
                _(
                    "When a violation is suspected, the shipment is stopped first and the facts "
                    "established afterwards. {owner} decides on stopping, corrective measures "
                    "and reports to MOFCOM."
                ),
                owner=owner,
            ),
            "lead",
        ),
        Subheading(L(_("Reporting concerns and protection against retaliation")), "E5-whistle"),
        Bullets(
            [
                L(
                    _(
                        "Any employee may report a suspected violation to the compliance "
                        "department, in person, in writing (Form D.3) or in the workbench, and "
                        "may do so without giving their name."
                    )
                ),
                L(
                    _(
                        "Every report is recorded, answered and investigated by someone not "
                        "involved in the matter."
                    )
                ),
                L(
                    _(
                        "Nobody who reports in good faith is dismissed, demoted, disadvantaged "
                        "or otherwise retaliated against; retaliation is itself a breach of "
                        "this manual. Anyone may also report to the authorities (Export Control "
                        "Law, Art. 31)."
                    )
                ),
            ]
        ),
        Subheading(L(_("Inspections by MOFCOM and customs")), "E5-inspections"),
        Bullets(
            [
                L(
                    _(
                        "Reception informs {owner} at once; the compliance department "
                        "accompanies the inspectors and keeps a list of the documents shown "
                        "and copied."
                    ),
                    owner=owner,
                ),
                L(
                    _(
                        "The company cooperates and does not refuse or obstruct the inspection "
                        "(Export Control Law, Art. 29, para. 2); it provides true and complete "
                        "records, and nobody hides, destroys or alters a document."
                    )
                ),
                L(
                    _(
                        "Records that an inspection concerns are placed on legal hold until it "
                        "is closed."
                    )
                ),
            ]
        ),
    ]
    if edition != CONCISE:
        blocks.append(Subheading(L(_("Response plans")), "E5-plans"))
        if data.plans:
            blocks.append(
                Table(
                    [L(_("Response plan")), L(_("Scenario")), L(_("Plan owner"))],
                    [
                        [
                            bilingual(plan, "title"),
                            L(_choice_label(plan, "scenario")),
                            str(plan.owner) if plan.owner else "—",
                        ]
                        for plan in data.plans
                    ],
                    [45, 35, 20],
                )
            )
            for plan in data.plans:
                blocks.append(Subheading(bilingual(plan, "title")))
                blocks.append(("steps", plan))
        else:
            blocks.append(Para(L(_("No response plan recorded yet.")), "note"))
    return Section("E5", "5", L(_("Emergency measures")), blocks)


def _training(data, edition, owner):
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


def _audits(data, edition, owner):
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
                        L(_choice_label(entry, "audit_type")),
                        L(_choice_label(entry, "recurrence")),
                    ]
                    for entry in data.audit_plan
                ],
                [50, 25, 25],
            )
        )
    return Section("E7", "7", L(_("Compliance audits")), blocks)


def _records(data, edition, owner, legal_minimum_years):
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


def _manual_control(data, edition, owner):
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


def _appendix_flags(data):
    rows = [[str(index), bilingual(flag, "text")] for index, flag in enumerate(data.red_flags, 1)]
    return Section(
        "appendix-a",
        L(_("Appendix A")),
        L(_("Red-flag questions")),
        [
            Para(
                L(
                    _(
                        "Answered for every export transaction. A red flag is explained and "
                        "resolved before the transaction is approved; one that cannot be "
                        "resolved stops it."
                    )
                )
            ),
            Table([L(_("No.")), L(_("Question"))], rows, [8, 92])
            if rows
            else Para(L(_("The reference library is not loaded.")), "note"),
        ],
    )


def _appendix_audit(data):
    blocks = [
        Para(
            L(
                _(
                    "The questions every compliance audit answers, chapter by chapter. Record "
                    "for each: yes, partly, no or not applicable, with the evidence seen."
                )
            )
        )
    ]
    for chapter, group in enumerate(data.audit_questions, 1):
        blocks.append(
            Subheading(
                L(
                    "{n} {name}",
                    n=str(group.element.order or chapter),
                    name=bilingual(group.element, "name"),
                )
            )
        )
        blocks.append(
            Table(
                [L(_("No.")), L(_("Question")), L(_("Result"))],
                [
                    [
                        f"{group.element.order or chapter}.{index}",
                        bilingual(question, "text"),
                        ("answer", None),
                    ]
                    for index, question in enumerate(group.questions, 1)
                ],
                [9, 69, 22],
            )
        )
    return Section("appendix-b", L(_("Appendix B")), L(_("Audit checklist")), blocks)


def _appendix_law(data):
    return Section(
        "appendix-c",
        L(_("Appendix C")),
        L(_("Provisions quoted")),
        [
            Para(
                L(
                    _(
                        "The provisions this manual quotes, in the official Chinese text "
                        "published with the law. Other provisions are cited by article."
                    )
                )
            ),
            quote(("ECL", 15)),
            quote(("ECL", 16)),
            quote(("REGS", 24)),
            quote(("REGS", 27)),
        ],
    )


def _forms(data):
    org = bilingual(data.organisation, "name")
    euc = Section(
        "form-euc",
        "D.1",
        L(_("End-user and end-use certificate")),
        [
            Para(
                L(
                    _(
                        "Issued by the end user on its letterhead, signed and stamped, for "
                        "each export contract of controlled items. Where MOFCOM requires it, a "
                        "certificate issued or authenticated by a government body of the end "
                        "user's country or region is submitted as well."
                    )
                ),
                "note",
            ),
            quote(("REGS", 24)),
            FormFields(
                [
                    (L(_("Exporter")), org, False),
                    (L(_("Contract number")), "", False),
                    (L(_("End user (full legal name, address, country)")), "", True),
                    (L(_("Contact person, phone, e-mail")), "", False),
                    (L(_("Importer (if not the end user)")), "", False),
                    (L(_("Intermediate consignees (name, address, country)")), "", True),
                    (
                        L(
                            _(
                                "Items (description, model, export control classification "
                                "number, quantity, value)"
                            )
                        ),
                        "",
                        True,
                    ),
                    (L(_("End use and place of use")), "", True),
                ]
            ),
            Para(L(_("The end user undertakes:")), "lead"),
            Bullets(
                [
                    L(
                        _(
                            "not to change the end use of the items stated above or transfer "
                            "them to any third party without the permission of China's export "
                            "control authority;"
                        )
                    ),
                    L(
                        _(
                            "not to use the items for the design, development, production or "
                            "use of weapons of mass destruction or their means of delivery;"
                        )
                    ),
                    L(
                        _(
                            "to cooperate with end-use and end-user verification by China's "
                            "export control authority and to provide the documents it asks for."
                        )
                    ),
                ],
                numbered=True,
            ),
            quote(("ECL", 16)),
            Checks(
                [
                    L(_("This certificate is issued by the end user.")),
                    L(
                        _(
                            "A certificate issued or authenticated by a government body of the "
                            "end user's country or region is attached."
                        )
                    ),
                ]
            ),
            Signatures(
                L(_("Authorised signature, name and title")), L(_("Company stamp and date"))
            ),
        ],
        level=2,
        form=True,
    )
    decision = Section(
        "form-decision",
        "D.2",
        L(_("Transaction review and licence decision form")),
        [
            FormFields(
                [
                    (L(_("Transaction reference")), "", False),
                    (L(_("Customer, end user, consignee, destination")), "", True),
                    (L(_("Items and export control classification numbers")), "", True),
                    (L(_("Screening of every party (date, result)")), "", False),
                    (L(_("Red flags raised and how they were resolved")), "", True),
                    (L(_("End-user certificate (issuer, date)")), "", False),
                ]
            ),
            Para(L(_("Licence decision")), "lead"),
            Checks(
                [
                    L(_("Not controlled: no licence needed")),
                    L(_("Controlled: single licence no. ____________")),
                    L(
                        _(
                            "Controlled: general licence no. ____________, export voucher no. "
                            "____________"
                        )
                    ),
                    L(_("Not listed but subject to catch-all control: licence to be applied for")),
                    L(_("Export prohibited: the transaction is refused")),
                ]
            ),
            Para(L(_("Decision")), "lead"),
            Checks([L(_("Approved")), L(_("On hold")), L(_("Rejected"))]),
            Signatures(
                L(_("Drafted by (sales), date")),
                L(_("Reviewed and decided by (compliance), date")),
            ),
        ],
        level=2,
        form=True,
    )
    incident = Section(
        "form-incident",
        "D.3",
        L(_("Incident report form")),
        [
            Para(
                L(
                    _(
                        "Anyone may report a concern, and may leave their name out. Hand the "
                        "form to the compliance department."
                    )
                ),
                "note",
            ),
            FormFields(
                [
                    (L(_("Date and time noticed")), "", False),
                    (L(_("Transaction, customer or shipment concerned")), "", False),
                    (L(_("What happened")), "", True),
                    (L(_("What has been done so far (e.g. shipment stopped)")), "", True),
                    (L(_("Reported by (optional)")), "", False),
                    (L(_("Received by, date, reference")), "", False),
                ]
            ),
            Checks([L(_("Report to MOFCOM required")), L(_("No report required, because:"))]),
        ],
        level=2,
        form=True,
    )
    parameters = Section(
        "form-parameters",
        "D.4",
        L(_("Classification parameter sheet")),
        [
            FormFields(
                [
                    (L(_("Item name, model and part number")), "", False),
                    (L(_("Customs commodity code")), "", False),
                    (L(_("Function and main uses")), "", True),
                    (L(_("Key technical parameters (with units and test conditions)")), "", True),
                    (L(_("Materials, components and embedded software")), "", True),
                    (L(_("Control list entries compared and result")), "", True),
                    (L(_("Export control classification number, or not listed")), "", False),
                    (L(_("Catch-all check (known or notified end use)")), "", False),
                ]
            ),
            Signatures(
                L(_("Classified by (engineering), date")),
                L(_("Checked by (compliance), date")),
            ),
        ],
        level=2,
        form=True,
    )
    questionnaire = Section(
        "form-questionnaire",
        "D.5",
        L(_("End-user due-diligence questionnaire")),
        [
            FormFields(
                [
                    (L(_("Full legal name, registration number, address")), "", False),
                    (L(_("Main business, products and customers")), "", True),
                    (L(_("Owners and parent company")), "", False),
                    (
                        L(
                            _(
                                "Is the company owned or controlled by a government, the "
                                "military or a listed party?"
                            )
                        ),
                        "",
                        False,
                    ),
                    (L(_("What will the items be used for, and where?")), "", True),
                    (
                        L(
                            _(
                                "Will the items be resold, re-exported or incorporated into "
                                "other products? For whom?"
                            )
                        ),
                        "",
                        True,
                    ),
                    (
                        L(
                            _(
                                "Does the company work for military, nuclear, missile, chemical "
                                "or biological programmes?"
                            )
                        ),
                        "",
                        False,
                    ),
                    (L(_("Banks and payment arrangements")), "", False),
                ]
            ),
            Signatures(
                L(_("Completed by (name, title, date)")),
                L(_("Reviewed by (compliance), date")),
            ),
        ],
        level=2,
        form=True,
    )
    return [
        Section(
            "appendix-d",
            L(_("Appendix D")),
            L(_("Forms")),
            [
                Para(
                    L(
                        _(
                            "Forms to print or copy onto the company's letterhead; the signed "
                            "copies are kept with the transaction."
                        )
                    )
                )
            ],
        ),
        euc,
        decision,
        incident,
        parameters,
        questionnaire,
    ]


def manual_sections(
    *, data, edition: str, legal_minimum_years: int, foreign_law_annex: bool = False
) -> list[Section]:
    """The manual's chapters and appendices for the edition (full or concise), with the
    foreign-law risk annex at the end only when the company chose to include it."""
    annex = [_appendix_foreign_law(data)] if foreign_law_annex else []
    owner = _owner(data)
    sections = [
        _general(data, edition),
        _policy(data, edition),
        _organisation(data, edition, owner),
        _risk(data, edition, owner),
        _transactions(data, edition, owner),
        _emergency(data, edition, owner),
        _training(data, edition, owner),
        _audits(data, edition, owner),
        _records(data, edition, owner, legal_minimum_years),
        _manual_control(data, edition, owner),
    ]
    if edition == CONCISE:
        # Every form the rules refer to (D.1 to D.5), without the reference appendices.
        return [*sections, *_forms(data), *annex]
    return [
        *sections,
        _appendix_flags(data),
        _appendix_audit(data),
        _appendix_law(data),
        *_forms(data),
        *annex,
    ]


__all__ = ["Facts", "manual_sections"]
