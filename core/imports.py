"""Column headings of imported workbooks: the canonical (English) column names and the Chinese
and English headings people actually use for them."""

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
    from django.utils.translation import gettext as _

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
