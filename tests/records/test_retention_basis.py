"""REGS Art. 27 is the basis only for the documents it names; other records are kept as long by
the company's own rule, following Art. 27; accounting archives are kept 30 years."""

import pytest
from django.urls import reverse
from django.utils import translation

from records.subjects import (
    ACCOUNTING_RECORDS_NOTE,
    COMPANY_RULE_ART_27,
    LEGAL_BASIS_ART_27,
    document_retention_basis,
    retention_basis,
    retention_subject,
)


def test_the_transaction_file_is_kept_under_art_27_itself():
    assert retention_subject("trade.transaction").legal_basis == LEGAL_BASIS_ART_27
    assert retention_basis(record_type="trade.transaction") == LEGAL_BASIS_ART_27


@pytest.mark.parametrize(
    "label",
    [
        "icp.policyversion",
        "icp.riskassessment",
        "icp.incident",
        "icp.trainingsession",
        "screening.screening",
        "trade.licence",
    ],
)
def test_records_art_27_does_not_name_are_kept_by_company_rule(label):
    assert retention_subject(label).legal_basis == COMPANY_RULE_ART_27


@pytest.mark.parametrize(
    ("document_type", "basis"),
    [
        ("contract", LEGAL_BASIS_ART_27),
        ("invoice", LEGAL_BASIS_ART_27),
        ("end_user_certificate", LEGAL_BASIS_ART_27),
        ("correspondence", LEGAL_BASIS_ART_27),
        ("training_material", COMPANY_RULE_ART_27),
        ("evidence", COMPANY_RULE_ART_27),
    ],
)
def test_document_types_follow_what_art_27_names(document_type, basis):
    assert document_retention_basis(document_type) == basis
    assert retention_basis(record_type="icp.incident", document_type=document_type) == basis


def test_the_records_overview_says_which_rule_is_law_and_notes_accounting_archives(world):
    client = world.client("manager")
    with translation.override("en"):
        html = client.get(reverse("records:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "by its own rule following Art. 27" in html
    assert "30 years" in html and "30 years" in str(ACCOUNTING_RECORDS_NOTE)
