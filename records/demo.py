"""Demo content for E8 recordkeeping: retention rules, a MOFCOM inquiry hold on a 2025 order
with the inquiry letter and the reply, and the first notifications. Idempotent."""

import io

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from core.demo import DemoContext, demo_seeder
from records.models import Document, LegalHold, RetainedRecord, RetentionRule
from records.services import document_attach
from records.services.holds import hold_add_items, hold_place
from records.services.reminders import reminders_notify
from records.services.retention import retention_index, retention_refresh, retention_rule_save

# subject, record type, document type, counted from, years, reason (zh / en)
RULES = [
    (
        "document",
        "",
        "end_user_certificate",
        "ended",
        10,
        "最终用户证明按集团政策保存十年 / End-user certificates: ten years under group policy",
    ),
    (
        "document",
        "trade.transaction",
        "contract",
        "ended",
        8,
        "合同保存至诉讼时效届满后 / Contracts: until claims under them are time-barred",
    ),
    (
        "record",
        "icp.incident",
        "",
        "ended",
        10,
        "涉及商务部报告的事件保存十年 / Incidents reported to MOFCOM: ten years",
    ),
]

HOLD_REFERENCE = "商务部安全与管制局函〔2026〕17号"


def _pdf(text: str) -> bytes:
    """A small, valid one-page PDF with one line of text, so demo downloads open in a viewer."""
    safe = text.encode("ascii", "replace").decode("ascii").replace("(", "[").replace(")", "]")
    content = f"BT /F1 12 Tf 50 780 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _attach_once(ctx, *, organisation, user, target, name, text, document_type, description):
    existing = Document.objects.filter(
        organisation=organisation,
        object_id=str(target.pk),
        original_name=name,
    ).first()
    if existing is not None:
        return existing
    document = document_attach(
        organisation=organisation,
        user=user,
        target=target,
        upload=SimpleUploadedFile(name, _pdf(text), content_type="application/pdf"),
        document_type=document_type,
        description=description,
    )
    ctx.log(f"document {name}")
    return document


def _inquiry_subject(organisation):
    """The 2025 order the MOFCOM inquiry is about (an incident when trade is not seeded)."""
    try:
        Transaction = apps.get_model("trade", "Transaction")
    except LookupError:
        Transaction = None
    if Transaction is not None:
        order = (
            Transaction.objects.for_organisation(organisation)
            .filter(reference__startswith="SO-2025")
            .exclude(state="draft")
            .order_by("reference")
            .first()
        )
        if order is not None:
            return order
    Incident = apps.get_model("icp", "Incident")
    return Incident.objects.for_organisation(organisation).order_by("pk").first()


@demo_seeder(order=50)
def seed_records(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    manager = ctx.users["manager"]
    membership = manager.memberships.get(organisation=organisation)

    for subject, record_type, document_type, start_event, years, note in RULES:
        if RetentionRule.objects.filter(
            organisation=organisation,
            subject=subject,
            record_type=record_type,
            document_type=document_type,
        ).exists():
            continue
        retention_rule_save(
            membership=membership,
            rule=RetentionRule(
                subject=subject,
                record_type=record_type,
                document_type=document_type,
                start_event=start_event,
                years=years,
                note=note,
            ),
        )
        ctx.log(f"retention rule {subject} {record_type or '*'} {document_type or '*'}: {years}")

    subject = _inquiry_subject(organisation)
    hold = LegalHold.objects.filter(organisation=organisation, reference=HOLD_REFERENCE).first()
    if subject is not None:
        _attach_once(
            ctx,
            organisation=organisation,
            user=manager,
            target=subject,
            name="商务部问询函-MOFCOM-inquiry-letter.pdf",
            text=f"MOFCOM inquiry {HOLD_REFERENCE} about order {subject}",
            document_type="correspondence",
            description="商务部就该订单最终用途的问询函 / MOFCOM's letter on the order's end use",
        )
        _attach_once(
            ctx,
            organisation=organisation,
            user=manager,
            target=subject,
            name="答复函-reply-to-MOFCOM.pdf",
            text=f"Reply to MOFCOM inquiry about order {subject}, with end-user certificate",
            document_type="correspondence",
            description="公司对问询的书面答复 / The company's written reply",
        )
        retained = retention_index(subject)
        if hold is None:
            hold = hold_place(
                membership=membership,
                kind=LegalHold.Kind.MOFCOM_INQUIRY,
                reference=HOLD_REFERENCE,
                title=f"商务部关于订单 {subject} 最终用途的问询 / MOFCOM inquiry on order {subject}",
                description=(
                    "商务部要求说明该订单的最终用户和最终用途，并提供合同、最终用户证明和往来函件。"
                    "问询结束前，该订单及其全部文件不得销毁。\n"
                    "MOFCOM asks for the end user and end use of the order, with the contract, the "
                    "end-user certificate and the correspondence. Nothing of the order may be "
                    "destroyed until the inquiry is closed."
                ),
                items=[retained] if retained else [],
            )
            ctx.log(f"legal hold {HOLD_REFERENCE}")
        elif retained and not hold.items.filter(pk=retained.pk).exists():
            hold_add_items(membership=membership, hold=hold, items=[retained])
            ctx.log(f"legal hold {HOLD_REFERENCE}: {subject} added")

    before = RetainedRecord.objects.filter(organisation=organisation).count()
    retention_refresh(organisation=organisation)
    added = RetainedRecord.objects.filter(organisation=organisation).count() - before
    if added:
        ctx.log(f"retention index: {added} records")

    created = reminders_notify(organisation=organisation)
    if created:
        ctx.log(f"notifications: {created}")
