"""The control chapters: 4 transaction review (classification, end-user due diligence,
licensing, technology, customs, after shipment), 5 emergency measures (reporting concerns,
inspections, the response plans)."""

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
)

from .common import choice_label


def transactions_chapter(data, edition, owner):
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
                    [bilingual(lst, "name"), L(choice_label(lst, "severity"))]
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


def emergency_chapter(data, edition, owner):
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
                            L(choice_label(plan, "scenario")),
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
