"""The control list and the customs catalogue: search, export and import them."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.exports import csv_response, xlsx_response
from core.forms import add_service_errors
from core.import_views import import_preview_confirm
from core.selectors import job_get_for_member
from trade.forms_items import CatalogueImportForm, ListImportForm
from trade.jobs_imports import KINDS as IMPORT_JOB_KINDS
from trade.jobs_imports import reference_list_import_enqueue
from trade.models.control_list import CATALOGUE_DEMO_LABEL, STARTER_SET_LABEL, ReferenceListKind
from trade.selectors_items import (
    customs_catalogue_search,
    reference_list_import_running,
    reference_list_versions,
)
from trade.selectors_transactions import control_list_search
from trade.services.control_list import (
    CATALOGUE_COLUMNS,
    CONTROL_LIST_COLUMNS,
    MAX_IMPORT_BYTES,
    control_list_import,
    control_list_preview,
    customs_catalogue_import,
    customs_catalogue_preview,
)

# A file larger than this is imported by a background job with its progress (up to the 10 MB
# that any import takes).
IMPORT_IN_BACKGROUND_BYTES = 1024 * 1024


def _export(request, entries, columns, *, filename, sheet_title):
    """The searched entries as CSV or XLSX, in the import's columns (so the file can be edited
    and imported again); formula-like text is written as text by core.exports."""

    def rows():
        yield [name for name, _value in columns]
        for entry in entries.iterator(chunk_size=2000):
            yield [value(entry) for _name, value in columns]

    if request.GET.get("export") == "xlsx":
        return xlsx_response(rows(), filename=f"{filename}.xlsx", sheet_title=sheet_title)
    return csv_response(rows(), filename=f"{filename}.csv")


CONTROL_LIST_EXPORT = tuple(
    (
        column,
        lambda entry, column=column: getattr(
            entry, "source_label" if column == "source" else column
        ),
    )
    for column in CONTROL_LIST_COLUMNS
)


CATALOGUE_EXPORT = tuple(
    (column, lambda entry, column=column: getattr(entry, column)) for column in CATALOGUE_COLUMNS
)


@organisation_required(roles=roles.ALL_MEMBERS)
def control_list(request):
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "").strip()[:1]
    entries = control_list_search(organisation=request.organisation, query=query, category=category)
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export(
            request,
            entries,
            CONTROL_LIST_EXPORT,
            filename="control-list",
            sheet_title=_("Control list"),
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    can_import = request.membership.role in roles.PROGRAMME_EDITORS
    headings = control_list_search(organisation=request.organisation).filter(is_heading=True)
    return render(
        request,
        "trade/item/control_list.html",
        {
            "page_obj": page,
            "object_list": page.object_list,
            "query": query,
            "category": category,
            "headings": headings,
            "starter_label": STARTER_SET_LABEL,
            "versions": reference_list_versions(
                organisation=request.organisation, kind=ReferenceListKind.CONTROL_LIST
            )[:5],
            "can_import": can_import,
            "import_job": _running_import(request, ReferenceListKind.CONTROL_LIST, can_import),
            "import_url": "transactions:control_list_import",
            "page_query": urlencode({"q": query, "category": category}),
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
        },
    )


def _running_import(request, list_kind: str, can_import: bool):
    """A background import of this list still running, for those who may follow it."""
    if not can_import:
        return None
    return reference_list_import_running(
        organisation=request.organisation, job_kind=IMPORT_JOB_KINDS[list_kind]
    )


def _import_job(request, list_kind: str):
    """The background import this page was sent back to (?job=...), if the member may see it."""
    job_id = request.GET.get("job")
    if not job_id:
        return None
    try:
        job = job_get_for_member(membership=request.membership, job_id=job_id)
    except (Http404, ValidationError, ValueError):
        return None
    return job if job.kind == IMPORT_JOB_KINDS[list_kind] else None


def _import_view(request, *, list_kind, form_class, template, preview, run, success_url):
    """Import a whole list in two steps. The uploaded file is read and checked and the page
    shows what would change (nothing is written); the confirmation imports that same stashed
    file, in the request or, when large, in the background (the page then follows the job and,
    when the file is refused, shows its row errors)."""
    job = _import_job(request, list_kind) if request.method == "GET" else None
    return import_preview_confirm(
        request,
        kind=IMPORT_JOB_KINDS[list_kind],
        form_class=form_class,
        template=template,
        context={
            "job": job,
            "row_errors": (job.result or {}).get("errors", []) if job is not None else [],
        },
        upload_error=_upload_too_large,
        params=lambda form: {"edition": form.cleaned_data.get("edition", "")},
        preview=preview,
        preview_error=add_service_errors,
        confirm=lambda stashed: _import_confirmed(
            request, stashed, list_kind=list_kind, run=run, success_url=success_url
        ),
        changed_message=_(
            "The list changed since the preview, so nothing was imported: upload the "
            "file again to see what it would change now."
        ),
    )


def _upload_too_large(upload) -> str | None:
    if upload.size > MAX_IMPORT_BYTES:
        return _("The file is larger than %(limit)d MB.") % {"limit": 10}
    return None


def _import_confirmed(request, stashed, *, list_kind, run, success_url):
    """Import the previewed file (its preview still holds), in the background when large."""
    if len(stashed.content) > IMPORT_IN_BACKGROUND_BYTES:
        job = reference_list_import_enqueue(
            list_kind=list_kind,
            organisation=request.organisation,
            user=request.user,
            content=stashed.content,
            filename=stashed.filename,
            language=request.LANGUAGE_CODE,
            edition=stashed.params.get("edition", ""),
        )
        messages.info(
            request,
            _(
                "The file is being imported in the background. Nothing changes until "
                "every row is checked; then the new version is in force at once."
            ),
        )
        return redirect(f"{request.path}?job={job.pk}")
    outcome = run(stashed.params, stashed.content, stashed.filename)
    _imported_message(request, outcome.version)
    return redirect(success_url)


def _imported_message(request, version) -> None:
    messages.success(
        request,
        _(
            "Imported version %(number)d: %(added)d added, %(changed)d changed, "
            "%(removed)d out of force."
        )
        % {"number": version.number, **version.change_counts},
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def control_list_import_view(request):
    """The organisation's whole control list from a file (a chamber's or its own)."""
    return _import_view(
        request,
        list_kind=ReferenceListKind.CONTROL_LIST,
        form_class=ListImportForm,
        template="trade/item/control_list_import.html",
        preview=lambda data, content, name: control_list_preview(
            content=content, filename=name, organisation=request.organisation, user=request.user
        ),
        run=lambda data, content, name: control_list_import(
            content=content, filename=name, organisation=request.organisation, user=request.user
        ),
        success_url="transactions:control_list",
    )


@organisation_required(roles=roles.ALL_MEMBERS)
def customs_catalogue(request):
    query = request.GET.get("q", "").strip()
    entries = customs_catalogue_search(organisation=request.organisation, query=query)
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export(
            request,
            entries,
            CATALOGUE_EXPORT,
            filename="customs-catalogue",
            sheet_title=_("Customs catalogue"),
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    can_import = request.membership.role in roles.PROGRAMME_EDITORS
    return render(
        request,
        "trade/item/customs_catalogue.html",
        {
            "page_obj": page,
            "object_list": page.object_list,
            "query": query,
            "demo_label": CATALOGUE_DEMO_LABEL,
            "versions": reference_list_versions(
                organisation=request.organisation, kind=ReferenceListKind.CUSTOMS_CATALOGUE
            )[:5],
            "can_import": can_import,
            "import_job": _running_import(request, ReferenceListKind.CUSTOMS_CATALOGUE, can_import),
            "import_url": "transactions:customs_catalogue_import",
            "page_query": urlencode({"q": query}),
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def customs_catalogue_import_view(request):
    return _import_view(
        request,
        list_kind=ReferenceListKind.CUSTOMS_CATALOGUE,
        form_class=CatalogueImportForm,
        template="trade/item/customs_catalogue_import.html",
        preview=lambda data, content, name: customs_catalogue_preview(
            content=content,
            filename=name,
            edition=data["edition"],
            organisation=request.organisation,
            user=request.user,
        ),
        run=lambda data, content, name: customs_catalogue_import(
            content=content,
            filename=name,
            edition=data["edition"],
            organisation=request.organisation,
            user=request.user,
        ),
        success_url="transactions:customs_catalogue",
    )
