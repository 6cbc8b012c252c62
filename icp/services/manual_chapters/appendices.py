"""The reference appendices (A red-flag questions, B audit checklist, C provisions quoted) and
the foreign-law risk annex (E), printed only when the company chooses it."""

from django.utils.translation import gettext_lazy as _

from icp.services.manual_content import L, Para, Section, Subheading, Table, bilingual, quote

from .common import choice_label, country_name


def appendix_flags(data):
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


def appendix_audit(data):
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


def appendix_law(data):
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


def appendix_foreign_law(data):
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
                        L(country_name(row.country)),
                        L(choice_label(row, "level")),
                        L(choice_label(row, "scope")),
                    ]
                    for row in rows
                ],
                [45, 25, 30],
            )
        )
    else:
        blocks.append(Para(L(_("No destination is on the foreign-law risk list.")), "note"))
    return Section("appendix-e", L(_("Appendix E")), L(_("Foreign-law risk annex")), blocks)
