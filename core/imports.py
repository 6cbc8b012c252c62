"""The import layer every list import goes through.

1. Column headings of imported workbooks: the canonical (English) column names and the Chinese
   and English headings people actually use for them.
2. The preview: an import is first read and checked without writing anything
   (`ImportPreview`: rows read, row problems by row and column, and what would be new, updated,
   unchanged or go out of force, with the first rows of each); the person then confirms.
3. The stash: the previewed file is kept in the storage under a random name, and the confirm
   form carries a signed token bound to the organisation, the user and the import kind, which
   expires. The confirmation imports exactly that file and refuses a changed one.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

COLUMN_ALIASES = {
    # parties (customer register)
    "name": (
        "名称",
        "客户名称",
        "公司名称",
        "企业名称",
        "相对方名称",
        "customer name",
        "company name",
    ),
    "name_latin": ("英文名称", "外文名称", "english name", "latin name"),
    "party_type": ("类型", "相对方类型", "客户类型", "type"),
    "country": ("国家", "国家/地区", "国家或地区", "国别", "country/region"),
    "address": ("地址", "详细地址"),
    "reference": (
        "编号",
        "客户编号",
        "订单号",
        "订单编号",
        "合同号",
        "customer number",
        "order number",
    ),
    "is_individual": ("是否个人", "个人"),
    "notes": ("备注", "remarks"),
    # transactions (orders)
    "destination_country": ("目的国", "目的国家", "目的地国家", "destination"),
    "end_use": ("最终用途", "用途"),
    "quantity": ("数量",),
    "value": ("金额", "价值", "货值"),
    "currency": ("币种", "币别"),
    "item": ("物项编号", "产品编号", "料号"),
    "item_name": ("物项名称", "产品名称", "品名"),
    "item_model": ("型号", "规格型号"),
    "hs_code": ("hs编码", "海关编码", "商品编码"),
    "unit": ("单位",),
    "order_date": ("订单日期", "下单日期"),
    "planned_shipment_date": ("计划发货日期", "预计发货日期"),
    "customer_reference": ("客户订单号",),
    "buyer_name": ("买方", "买方名称"),
    "buyer_country": ("买方国家",),
    "end_user_name": ("最终用户", "最终用户名称"),
    "end_user_country": ("最终用户国家",),
}
_CANONICAL = {
    alias.casefold(): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases
}


def canonical_column(heading) -> str:
    """The canonical name of a column heading: an alias becomes its column, anything else is
    returned lower-cased (so the English names keep working)."""
    text = " ".join(str(heading or "").split()).casefold()
    return _CANONICAL.get(text, text)


def csv_error_message(exc, line: int) -> str:
    """A CSV the csv module refuses (a cell over its 128 KB field limit, a stray quote):
    the message names the line, for a row-level error instead of a crash."""
    if "field larger than field limit" in str(exc):
        return _("Row %(row)d: a cell is larger than 128 KB.") % {"row": line}
    return _("Row %(row)d: the CSV cannot be read (%(error)s).") % {"row": line, "error": exc}


def template_response(*, stem: str, columns: list[str], example: list[str], file_format: str):
    """A blank import template (headings and one example row) as CSV (UTF-8 with BOM, so Excel
    shows Chinese) or XLSX."""
    import csv
    import io

    from django.http import Http404, HttpResponse

    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerow(example)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv"
        )
    elif file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(columns)
        sheet.append(example)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}-template.{file_format}"'
    return response


# --- the preview -----------------------------------------------------------------------------

# The first rows of each kind of change shown in a preview.
PREVIEW_SAMPLE_ROWS = 10


@dataclass(frozen=True)
class RowProblem:
    """A row the import cannot take: its row number in the file (the header is row 1), the
    column at fault (a canonical name, blank when the row as a whole is at fault) and why, in
    the reader's language."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PreviewChange:
    """One kind of change: how many rows, and the first few (as short labels)."""

    count: int = 0
    sample: list[str] = field(default_factory=list)

    def add(self, label: str) -> None:
        self.count += 1
        if len(self.sample) < PREVIEW_SAMPLE_ROWS:
            self.sample.append(label)


@dataclass
class ImportPreview:
    """What an import would do, computed without writing anything."""

    rows_read: int
    problems: list[RowProblem] = field(default_factory=list)
    new: PreviewChange = field(default_factory=PreviewChange)
    updated: PreviewChange = field(default_factory=PreviewChange)
    unchanged: PreviewChange = field(default_factory=PreviewChange)
    removed: PreviewChange = field(default_factory=PreviewChange)
    # Further changes an import makes besides its own records (label, change, name for tests),
    # e.g. the parties and items a transaction import adds to the registers.
    others: list[tuple[str, PreviewChange, str]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def changes(self) -> list[tuple[str, PreviewChange, str]]:
        """The rows of the preview's table: label, change, and a name for tests."""
        rows = [
            (pgettext("import preview", "New"), self.new, "new"),
            (pgettext("import preview", "Updated"), self.updated, "updated"),
            (pgettext("import preview", "Unchanged"), self.unchanged, "unchanged"),
        ]
        if self.removed.count:
            rows.append((_("No longer in the file: out of force"), self.removed, "removed"))
        return rows + self.others

    def summary(self) -> dict[str, int]:
        """The counts, kept with the stashed file: the confirmation refuses to run when the
        same file would now do something else (the records changed in between)."""
        return {
            "rows": self.rows_read,
            "new": self.new.count,
            "updated": self.updated.count,
            "unchanged": self.unchanged.count,
            "removed": self.removed.count,
        } | {name: change.count for _label, change, name in self.others}


def row_problems_raise(problems: list[RowProblem]) -> None:
    """The import itself (all or nothing): any row problem rejects the file, every row named."""
    if problems:
        raise ValidationError([str(problem) for problem in problems])


# --- the stash -------------------------------------------------------------------------------

STASH_DIR = "import-stash"
STASH_MAX_AGE = timedelta(hours=1)
_STASH_SALT = "core.imports.stash"


@dataclass(frozen=True)
class StashedImport:
    """A previewed file, read back for its confirmation."""

    token: str
    name: str
    content: bytes
    filename: str
    params: dict
    summary: dict


def import_stash(
    *,
    organisation,
    user,
    kind: str,
    content: bytes,
    filename: str,
    summary: dict,
    params: dict | None = None,
) -> str:
    """Keep a previewed file until it is confirmed; the token (signed, for the confirm form)
    names it, its SHA-256, the organisation, the user and the kind of import."""
    _stash_purge()
    name = default_storage.save(f"{STASH_DIR}/{secrets.token_hex(16)}.upload", ContentFile(content))
    return signing.dumps(
        {
            "name": name,
            "sha256": hashlib.sha256(content).hexdigest(),
            "organisation": organisation.pk,
            "user": user.pk,
            "kind": kind,
            "filename": (filename or "")[:255],
            "params": params or {},
            "summary": summary,
        },
        salt=_STASH_SALT,
    )


def import_stash_get(*, token: str, organisation, user, kind: str) -> StashedImport:
    """The stashed file of a confirm form. Another organisation's or user's token is refused
    (PermissionDenied); an expired, used or changed file is a ValidationError."""
    try:
        data = signing.loads(token, salt=_STASH_SALT, max_age=STASH_MAX_AGE.total_seconds())
    except signing.SignatureExpired as exc:
        raise ValidationError(_("The preview has expired: upload the file again.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("The preview cannot be read: upload the file again.")) from exc
    if (data["organisation"], data["user"], data["kind"]) != (organisation.pk, user.pk, kind):
        raise PermissionDenied("this preview belongs to another user or import")
    try:
        with default_storage.open(data["name"], "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise ValidationError(
            _("This file was already imported or its preview expired: upload it again.")
        ) from exc
    if hashlib.sha256(content).hexdigest() != data["sha256"]:
        raise ValidationError(_("The file changed since the preview: upload it again."))
    return StashedImport(
        token=token,
        name=data["name"],
        content=content,
        filename=data["filename"],
        params=data["params"],
        summary=data["summary"],
    )


def import_stash_discard(*, stashed: StashedImport) -> None:
    """Forget a stashed file (imported, or refused at its confirmation)."""
    default_storage.delete(stashed.name)


def _stash_purge() -> None:
    """Delete the stashed files whose preview expired (nobody confirmed them)."""
    try:
        _directories, files = default_storage.listdir(STASH_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - STASH_MAX_AGE
    for name in files:
        path = f"{STASH_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
