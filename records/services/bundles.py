"""Inspection and customs bundles: a ZIP an inspector can check on their own.

Layout of the archive:

    index.pdf                         summary, evidence, approvals (core.pdf.render_pdf)
    records/<nn>-<record>/<file>      the original documents, byte for byte
    manifest.json                     what is in the bundle, with each file's SHA-256 and size
    SHA256SUMS                        `sha256sum -c SHA256SUMS` verifies every file, offline

A scope collects the records: one transaction, every transaction of a period, or everything
under a legal hold. Each scope is a function registered with `@bundle_scope(name)` returning
`BundleRecord`s; new apps add theirs the same way.
"""

import datetime
import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.i18n import localised
from records.models import Document, LegalHold

from .eventlog import event_log_append


@dataclass
class BundleSection:
    title: str
    facts: list = field(default_factory=list)  # [(label, value)]
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [[cell, ...]]
    empty: str = ""


@dataclass
class BundleRecord:
    title: str
    kind: str
    sections: list[BundleSection] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


_SCOPES: dict[str, Callable] = {}
# Documents are copied into the archive, and the archive hashed, this many bytes at a time.
CHUNK_BYTES = 256 * 1024
# A bundle stays in memory up to this size, then the temporary file moves to disk (moving it
# copies it once more: the job's peak memory is about twice this, whatever the bundle's size).
SPOOL_BYTES = 1024 * 1024


def bundle_scope(name: str):
    def decorator(func):
        _SCOPES[name] = func
        return func

    return decorator


def bundle_scopes() -> list[str]:
    return list(_SCOPES)


def _fmt(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _documents_of(obj) -> list[Document]:
    return list(
        Document.objects.filter(
            organisation_id=obj.organisation_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
        )
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def _document_section(documents) -> BundleSection:
    return BundleSection(
        title=_("Documents"),
        headers=[_("File"), _("Type"), _("Uploaded"), pgettext("uploaded by", "By"), "SHA-256"],
        rows=[
            [
                d.original_name,
                d.get_document_type_display(),
                _fmt(d.uploaded_at),
                _fmt(d.uploaded_by),
                d.sha256,
            ]
            for d in documents
        ],
        empty=_("No documents."),
    )


# --- transactions (trade) --------------------------------------------------------------------


def _transaction_model():
    try:
        return apps.get_model("trade", "Transaction")
    except LookupError:
        return None


def transaction_bundle_record(transaction) -> BundleRecord:
    """Everything an inspector asks about one export transaction."""
    record = BundleRecord(title=str(transaction), kind=str(transaction._meta.verbose_name))
    record.sections.append(
        BundleSection(
            title=_("Summary"),
            facts=[
                (_("Reference"), transaction.reference),
                (_("Kind"), transaction.get_kind_display()),
                (_("State"), transaction.get_state_display()),
                (_("Order date"), _fmt(transaction.order_date)),
                (_("Destination"), _fmt(transaction.destination_country.name)),
                (_("Stated end use"), transaction.end_use),
                (_("Shipped on"), _fmt(transaction.shipped_on)),
                (_("EUC number"), _fmt(transaction.euc_number)),
                (_("EUC issued by"), _fmt(transaction.euc_issuer)),
                (_("EUC valid until"), _fmt(transaction.euc_valid_until)),
            ],
        )
    )
    parties = list(transaction.parties.select_related("party"))
    record.sections.append(
        BundleSection(
            title=_("Parties"),
            headers=[_("Role"), _("Party"), _("Country")],
            rows=[
                [p.get_role_display(), str(p.party), _fmt(getattr(p.party, "country", ""))]
                for p in parties
            ],
            empty=_("No parties."),
        )
    )
    Screening = apps.get_model("screening", "Screening")
    # The screening frozen with the approval is the evidence; before approval, the latest one.
    approval = (
        transaction.approvals.filter(superseded_at__isnull=True).order_by("-approved_at").first()
    )
    frozen = {
        entry.get("party_id"): entry.get("screening_id")
        for entry in ((approval.evidence or {}).get("parties", []) if approval else [])
    }
    screening_rows = []
    for link in parties:
        screenings = Screening.objects.filter(
            organisation_id=transaction.organisation_id, party=link.party
        ).prefetch_related("list_versions__screening_list")
        if frozen.get(link.party_id):
            screenings = screenings.filter(pk=frozen[link.party_id])
        screening = screenings.order_by("-created_at").first()
        if screening is None:
            screening_rows.append([str(link.party), _("Not screened"), "—", "—"])
            continue
        versions = ", ".join(str(v) for v in screening.list_versions.all())
        screening_rows.append(
            [
                str(link.party),
                screening.get_decision_display(),
                _fmt(screening.created_at),
                versions or "—",
            ]
        )
    record.sections.append(
        BundleSection(
            title=_("Screening evidence"),
            headers=[_("Party"), _("Result"), _("Screened"), _("List versions used")],
            rows=screening_rows,
            empty=_("No parties to screen."),
        )
    )
    answers = transaction.red_flag_answers.select_related("red_flag", "answered_by", "resolved_by")
    record.sections.append(
        BundleSection(
            title=_("Red-flag answers"),
            headers=[_("Red flag"), _("Answer"), _("Note"), _("Answered by"), _("Resolution")],
            rows=[
                [
                    # The question in the bundle's language.
                    f"{a.red_flag.ref_id} {localised(a.red_flag, 'text')}".strip(),
                    a.get_answer_display() or "—",
                    a.note_text or "—",
                    f"{_fmt(a.answered_by)} {_fmt(a.answered_at)}",
                    a.resolution or "—",
                ]
                for a in answers
            ],
            empty=_("No red-flag answers."),
        )
    )
    classification_rows = []
    for line in transaction.lines.select_related("item"):
        classification = line.item.classifications.order_by("-pk").first()
        classification_rows.append(
            [
                str(line.item),
                f"{line.quantity.normalize():f} {line.unit}",
                classification.get_status_display() if classification else _("Not classified"),
                (classification.control_code or "—") if classification else "—",
                (classification.rationale or "—") if classification else "—",
            ]
        )
    record.sections.append(
        BundleSection(
            title=_("Items and classification"),
            headers=[
                _("Item"),
                _("Quantity"),
                _("Classification"),
                _("Control code"),
                _("Rationale"),
            ],
            rows=classification_rows,
            empty=_("No items."),
        )
    )
    paths = transaction.licence_paths.select_related(
        "line__item", "licence", "walked_by", "confirmed_by"
    ).order_by("line_id")
    record.sections.append(
        BundleSection(
            title=_("Licensing decision path"),
            headers=[_("Item"), _("Outcome"), _("Legal basis"), _("Walked by"), _("Confirmed by")],
            rows=[
                [
                    str(p.line.item),
                    p.get_outcome_display() + (f" · {p.licence}" if p.licence_id else ""),
                    "、".join(p.basis) or "—",
                    f"{_fmt(p.walked_by)} {_fmt(p.walked_at)}",
                    f"{_fmt(p.confirmed_by)} {_fmt(p.confirmed_at)}" if p.confirmed_at else "—",
                ]
                for p in paths
            ],
            empty=_("Not walked yet."),
        )
    )
    licence = transaction.licence
    record.sections.append(
        BundleSection(
            title=_("Licence"),
            facts=[
                (_("Licence decision"), transaction.get_licence_decision_display() or "—"),
                (_("Licence"), _fmt(licence)),
                (_("Valid until"), _fmt(getattr(licence, "valid_until", None))),
                (_("Licence note"), transaction.licence_note or "—"),
            ],
        )
    )
    approvals = transaction.approvals.select_related("approved_by").order_by("approved_at")
    events = transaction.events.select_related("actor").order_by("created_at", "pk")
    record.sections.append(
        BundleSection(
            title=_("Approvals and decisions"),
            headers=[_("When"), _("What"), _("Who"), _("Note")],
            rows=[
                [
                    _fmt(a.approved_at),
                    _("Approved") + (" (" + _("superseded") + ")" if a.superseded_at else ""),
                    _fmt(a.approved_by),
                    a.note or "—",
                ]
                for a in approvals
            ]
            + [
                [_fmt(e.created_at), e.get_kind_display(), _fmt(e.actor), e.reason_text or "—"]
                for e in events
            ],
            empty=_("No approvals yet."),
        )
    )
    # The reports due after the shipment (REGS Art. 18(1)), with the evidence filed on each.
    duties = list(
        transaction.post_shipment_duties.select_related("licence", "done_by").order_by(
            "due_on", "pk"
        )
    )
    if duties:
        record.sections.append(
            BundleSection(
                title=_("Reports after shipment"),
                headers=[_("Report"), _("Licence"), _("Due"), _("Done"), _("Evidence")],
                rows=[
                    [
                        duty.get_kind_display(),
                        _fmt(duty.licence),
                        _fmt(duty.due_on),
                        f"{_fmt(duty.done_at)} {_fmt(duty.done_by)}" if duty.done_at else "—",
                        duty.evidence_note or "—",
                    ]
                    for duty in duties
                ],
            )
        )
    record.documents = _documents_of(transaction)
    if licence is not None:
        record.documents += _documents_of(licence)
    for duty in duties:
        record.documents += _documents_of(duty)
    record.sections.append(_document_section(record.documents))
    return record


@bundle_scope("transaction")
def _scope_transaction(*, organisation, params) -> list[BundleRecord]:
    Transaction = _transaction_model()
    if Transaction is None:
        raise ValidationError(_("Transactions are not available in this installation."))
    transaction = (
        Transaction.objects.for_organisation(organisation)
        .filter(pk=params.get("transaction"))
        .first()
    )
    if transaction is None:
        raise ValidationError(_("Unknown transaction."))
    return [transaction_bundle_record(transaction)]


@bundle_scope("period")
def _scope_period(*, organisation, params) -> list[BundleRecord]:
    Transaction = _transaction_model()
    if Transaction is None:
        raise ValidationError(_("Transactions are not available in this installation."))
    return [
        transaction_bundle_record(t)
        for t in _period_transactions(Transaction, organisation, params)
    ]


def _period_transactions(Transaction, organisation, params):
    start = datetime.date.fromisoformat(params["start"])
    end = datetime.date.fromisoformat(params["end"])
    transactions = (
        Transaction.objects.for_organisation(organisation)
        .exclude(state="draft")
        .filter(created_at__date__gte=start, created_at__date__lte=end)
        .order_by("created_at", "pk")
    )
    if params.get("licensed_only"):
        transactions = transactions.filter(licence__isnull=False)
    return transactions


def bundle_is_empty(*, organisation, scope: str, params: dict) -> bool:
    """Whether a bundle of `scope` would hold no record (to warn before it is built)."""
    if scope == "period":
        Transaction = _transaction_model()
        return (
            Transaction is None
            or not _period_transactions(Transaction, organisation, params).exists()
        )
    if scope == "hold":
        hold = LegalHold.objects.for_organisation(organisation).filter(pk=params.get("hold"))
        return not hold.filter(items__isnull=False).exists()
    return False


@bundle_scope("hold")
def _scope_hold(*, organisation, params) -> list[BundleRecord]:
    """Everything a legal hold covers: what a MOFCOM inquiry or customs challenge asks for."""
    hold = LegalHold.objects.for_organisation(organisation).filter(pk=params.get("hold")).first()
    if hold is None:
        raise ValidationError(_("Unknown legal hold."))
    Transaction = _transaction_model()
    records = []
    items = hold.items.select_related("content_type", "document").order_by("pk")
    for item in items:
        if item.document_id:
            records.append(
                BundleRecord(
                    title=item.title,
                    kind=str(Document._meta.verbose_name),
                    sections=[_document_section([item.document])],
                    documents=[item.document],
                )
            )
            continue
        model = item.content_type.model_class()
        obj = model._base_manager.filter(pk=item.object_id).first() if model else None
        if obj is None:
            continue
        if Transaction is not None and isinstance(obj, Transaction):
            records.append(transaction_bundle_record(obj))
            continue
        documents = _documents_of(obj)
        records.append(
            BundleRecord(
                title=str(obj),
                kind=str(model._meta.verbose_name),
                sections=[
                    BundleSection(
                        title=_("Summary"),
                        facts=[
                            (_("Record"), str(obj)),
                            (_("Record type"), str(model._meta.verbose_name)),
                            (_("Created"), _fmt(item.created_at)),
                            (_("Ended"), _fmt(item.ended_at)),
                            (_("Retained until"), _fmt(item.retained_until)),
                        ],
                    ),
                    _document_section(documents),
                ],
                documents=documents,
            )
        )
    return records


# --- building and verifying the archive ------------------------------------------------------


def _scope_facts(*, organisation, scope: str, params: dict, records) -> list:
    """The cover's statement of what the bundle covers: scope, its bounds, what is inside."""
    labels = {
        "transaction": _("One transaction"),
        "period": _("All transactions of a period"),
        "hold": _("Everything under a legal hold"),
    }
    facts = [(_("Scope"), labels.get(scope, scope))]
    if scope == "transaction" and records:
        facts.append((_("Transaction"), records[0].title))
    if scope == "period":
        facts.append(
            (pgettext("bundle scope", "Period"), f"{params.get('start')} – {params.get('end')}")
        )
        if params.get("licensed_only"):
            facts.append((_("Limited to"), _("Licensed exports only")))
    if scope == "hold":
        hold = (
            LegalHold.objects.for_organisation(organisation).filter(pk=params.get("hold")).first()
        )
        facts.append((_("Legal hold"), _fmt(hold)))
    kinds: dict[str, int] = {}
    for record in records:
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
    facts.append(
        (
            pgettext("what a bundle holds", "Contents"),
            "; ".join(f"{kind}: {count}" for kind, count in kinds.items()) or _("No records."),
        )
    )
    return facts


def _safe(name: str, limit: int = 80) -> str:
    name = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", name).strip(" .")
    return (name or "file")[:limit]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _copy_member(archive: zipfile.ZipFile, path: str, source) -> tuple[str, int]:
    """Copy an open binary file into the archive as `path`, chunk by chunk; its SHA-256 and
    size."""
    digest, size = hashlib.sha256(), 0
    with archive.open(path, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return digest.hexdigest(), size


def bundle_build(
    *, organisation, user, scope: str, params: dict, language: str, progress=None
) -> tuple[str, IO[bytes], dict]:
    """Build the ZIP for `scope`; returns (file name, the archive as an open binary file at its
    start, summary) and logs an export event. The archive is written to a temporary file (in
    memory while small) and every document is copied into it in chunks, so a large bundle is
    never held in memory; the caller saves the file to the storage and closes it."""
    # WeasyPrint loads slowly: only a process that builds a bundle pays for it.
    from core.pdf import render_pdf

    if scope not in _SCOPES:
        raise ValidationError(_("Unknown kind of bundle."))
    progress = progress or (lambda percent, step="": None)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    try:
        with (
            translation.override(language),
            zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            progress(5, gettext_lazy("Collecting records"))
            records = _SCOPES[scope](organisation=organisation, params=params)
            files = []  # (path, sha256, size, document)
            seen_paths = set()
            total = sum(len(r.documents) for r in records) or 1
            done = 0
            for number, record in enumerate(records, start=1):
                folder = f"records/{number:03d}-{_safe(record.title, 60)}"
                for document in record.documents:
                    # The same file attached twice (same bytes, same name) is one member,
                    # listed once.
                    path = f"{folder}/{document.sha256[:8]}-{_safe(document.original_name)}"
                    if path in seen_paths:
                        done += 1
                        continue
                    seen_paths.add(path)
                    with document.file.open("rb") as handle:
                        digest, size = _copy_member(archive, path, handle)
                    if digest != document.sha256:
                        raise ValidationError(
                            _("The stored file of %(name)s no longer matches its SHA-256."),
                            params={"name": document.original_name},
                        )
                    files.append((path, digest, size, document))
                    done += 1
                    progress(5 + 60 * done // total, gettext_lazy("Copying documents"))
            generated_at = timezone.now()
            title = _("Inspection bundle")
            progress(70, gettext_lazy("Writing the index"))
            index_pdf = render_pdf(
                "pdf/records/bundle_index.html",
                {
                    "title": title,
                    "organisation": organisation,
                    "generated_at": generated_at,
                    "generated_by": user,
                    "scope": scope,
                    "scope_facts": _scope_facts(
                        organisation=organisation, scope=scope, params=params, records=records
                    ),
                    "params": params,
                    "records": records,
                    "files": [(path, document) for path, _d, _s, document in files],
                },
                language=language,
            )
            archive.writestr("index.pdf", index_pdf)
            entries = [("index.pdf", _sha256(index_pdf), len(index_pdf), None), *files]
            manifest = {
                "format": "icp-inspection-bundle/1",
                "organisation": {
                    "name_zh": organisation.name_zh,
                    "name_en": organisation.name_en,
                    "unified_social_credit_code": organisation.unified_social_credit_code,
                },
                "scope": scope,
                "params": params,
                "generated_at": generated_at.isoformat(),
                "generated_by": str(user) if user else "",
                "records": [record.title for record in records],
                "files": [
                    {
                        "path": path,
                        "sha256": digest,
                        "size": size,
                        **(
                            {
                                "document_id": document.pk,
                                "original_name": document.original_name,
                                "document_type": document.document_type,
                                "uploaded_at": document.uploaded_at.isoformat(),
                            }
                            if document is not None
                            else {}
                        ),
                    }
                    for path, digest, size, document in entries
                ],
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            sums = "".join(
                f"{digest}  {path}\n"
                for path, digest in [
                    *((p, d) for p, d, _s, _doc in entries),
                    ("manifest.json", _sha256(manifest_bytes)),
                ]
            ).encode("utf-8")
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr("SHA256SUMS", sums)
        spool.seek(0)
        bundle_digest = hashlib.sha256()
        while chunk := spool.read(CHUNK_BYTES):
            bundle_digest.update(chunk)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    sha256 = bundle_digest.hexdigest()
    progress(95, gettext_lazy("Recording the export"))
    event_log_append(
        organisation=organisation,
        actor=user,
        action="export",
        record_type="records.bundle",
        object_repr=f"{scope} {json.dumps(params, sort_keys=True)}"[:300],
        details={
            "scope": scope,
            "params": params,
            "files": len(entries),
            "sha256": sha256,
            "manifest_sha256": _sha256(manifest_bytes),
        },
    )
    name = f"inspection-bundle-{scope}-{generated_at:%Y%m%d-%H%M%S}.zip"
    summary = {"records": len(records), "files": len(entries), "sha256": sha256}
    return name, spool, summary


def bundle_verify(content: bytes | IO[bytes]) -> list[str]:
    """Check a bundle (its bytes or an open binary file) on its own: every file listed with the
    right hash, nothing unlisted. Returns the problems found (empty when the bundle is
    intact)."""
    problems = []
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
        for path, entry in listed.items():
            if path not in names:
                problems.append(f"missing: {path}")
                continue
            data = archive.read(path)
            if _sha256(data) != entry["sha256"] or len(data) != entry["size"]:
                problems.append(f"hash mismatch: {path}")
        sums = {}
        for line in archive.read("SHA256SUMS").decode("utf-8").splitlines():
            digest, path = line.split("  ", 1)
            sums[path] = digest
        for path, digest in sums.items():
            if path not in names or _sha256(archive.read(path)) != digest:
                problems.append(f"SHA256SUMS mismatch: {path}")
        for path in names - set(listed) - {"manifest.json", "SHA256SUMS"}:
            problems.append(f"not in the manifest: {path}")
    return problems
