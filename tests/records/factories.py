import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from records.models import LegalHold, RetentionRule
from records.services import document_attach

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(
    *,
    organisation,
    user,
    target,
    name="euc.pdf",
    content=None,
    document_type="end_user_certificate",
):
    """A real document through the service (type from bytes, SHA-256, index, event log)."""
    return document_attach(
        organisation=organisation,
        user=user,
        target=target,
        upload=SimpleUploadedFile(name, content or PDF_BYTES + name.encode()),
        document_type=document_type,
    )


class RetentionRuleFactory(DjangoModelFactory):
    class Meta:
        model = RetentionRule

    subject = RetentionRule.Subject.DOCUMENT
    record_type = ""
    document_type = "end_user_certificate"
    start_event = "ended"
    years = 10
    note = "客户要求保存十年 / customer contract requires ten years"


class LegalHoldFactory(DjangoModelFactory):
    class Meta:
        model = LegalHold

    kind = LegalHold.Kind.MOFCOM_INQUIRY
    reference = factory.Sequence(lambda n: f"商务部函〔2026〕{n}号")
    title = "MOFCOM inquiry"
    placed_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
