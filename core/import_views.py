"""The page flow every list import goes through (core.imports holds the preview and the stash).

1. The upload form: the file is read and checked by the import's preview (nothing written) and
   the page shows what would change; a preview without row problems is stashed and the page
   carries its signed token.
2. The confirmation (a POST with the token): the stashed file is read back, previewed again and
   imported only if it would still do what its preview said (else the import's own "changed
   since the preview" message); the stash is always deleted. A refused token or a refused import
   is a message and back to the upload page.

Each import view gives only its own parameters: its kind, form, template, the preview and the
confirmation (the import itself, its messages and where it goes next, or a background job).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from core.imports import (
    ImportPreview,
    StashedImport,
    import_stash,
    import_stash_discard,
    import_stash_get,
)


def preview_error_on_file(form, error: ValidationError) -> None:
    """A file the preview refuses as a whole: its messages under the file field."""
    form.add_error("file", error.messages)


def import_preview_confirm(
    request,
    *,
    kind: str,
    form_class: type,
    template: str,
    preview: Callable[[dict, bytes, str], ImportPreview],
    confirm: Callable[[StashedImport], HttpResponse],
    changed_message: str,
    params: Callable[[Any], dict] | None = None,
    context: dict | None = None,
    upload_error: Callable[[Any], str | None] | None = None,
    preview_error: Callable[[Any, ValidationError], None] = preview_error_on_file,
) -> HttpResponse:
    """An import page: upload and preview, or (a POST with a token) its confirmation.

    `preview(params, content, filename)` checks a file without writing; `params(form)` are the
    form's values the preview and the import need besides the file (kept with the stash);
    `confirm(stashed)` imports the stashed file (or hands it to a background job), adds its
    messages and returns where to go; a ValidationError it raises is shown as a message.
    `upload_error(upload)` may refuse a file before it is read (a message under the file field).
    `changed_message` is shown when the file would now do something else than its preview."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm(
            request, kind=kind, preview=preview, confirm=confirm, changed_message=changed_message
        )
    form = form_class(request.POST or None, request.FILES or None)
    page = {"form": form, **(context or {})}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        refused = upload_error(upload) if upload_error is not None else None
        if refused:
            form.add_error("file", refused)
            return render(request, template, page)
        content = upload.read()
        values = params(form) if params is not None else {}
        try:
            outcome = preview(values, content, upload.name)
        except ValidationError as exc:
            preview_error(form, exc)
        else:
            page["preview"] = outcome
            if outcome.is_valid:
                page["token"] = import_stash(
                    organisation=request.organisation,
                    user=request.user,
                    kind=kind,
                    content=content,
                    filename=upload.name,
                    summary=outcome.summary(),
                    params=values,
                )
    return render(request, template, page)


def _confirm(request, *, kind, preview, confirm, changed_message) -> HttpResponse:
    """Import the previewed file, if it would still do what its preview said."""
    try:
        stashed = import_stash_get(
            token=request.POST["token"],
            organisation=request.organisation,
            user=request.user,
            kind=kind,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    try:
        try:
            again = preview(stashed.params, stashed.content, stashed.filename).summary()
        except ValidationError:
            again = None
        if again != stashed.summary:
            messages.error(request, changed_message)
            return redirect(request.path)
        try:
            return confirm(stashed)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
    finally:
        import_stash_discard(stashed=stashed)


def register_import(
    request,
    *,
    kind: str,
    form_class: type,
    template: str,
    preview_service: Callable[..., ImportPreview],
    import_service: Callable[..., Any],
    imported: Callable[[Any], HttpResponse],
    changed_message: str,
) -> HttpResponse:
    """The flow of an import into one of the organisation's registers whose services take the
    organisation and the file's content and name (the import also the user):
    `imported(outcome)` adds the import's messages and returns where to go."""
    return import_preview_confirm(
        request,
        kind=kind,
        form_class=form_class,
        template=template,
        preview=lambda params, content, filename: preview_service(
            organisation=request.organisation, content=content, filename=filename
        ),
        confirm=lambda stashed: imported(
            import_service(
                organisation=request.organisation,
                user=request.user,
                content=stashed.content,
                filename=stashed.filename,
            )
        ),
        changed_message=changed_message,
    )
