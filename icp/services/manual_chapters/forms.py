"""Appendix D: the forms the rules refer to (end-user certificate, review and licence decision,
incident report, classification parameters, due-diligence questionnaire)."""

from django.utils.translation import gettext_lazy as _

from icp.services.manual_content import (
    Bullets,
    Checks,
    FormFields,
    L,
    Para,
    Section,
    Signatures,
    bilingual,
    quote,
)


def appendix_forms(data):
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
