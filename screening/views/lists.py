from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.permissions import organisation_required
from core.import_views import import_preview_confirm
from core.selectors import job_get_for_member
from screening.adapters.base import RowError
from screening.forms import (
    AnnouncementForm,
    EntityForm,
    ListImportForm,
    ListSeverityForm,
    ScreeningListForm,
)
from screening.jobs import IMPORT_KIND, import_enqueue
from screening.selectors import entity_get, list_get, list_visible, version_get, version_rescreen
from screening.services.legal import list_severity_set
from screening.services.lists import (
    list_can_manage,
    list_create,
    list_entity_save,
    list_entries_from_announcement,
    list_import,
    list_import_preview,
)

# Files larger than this are imported by a background job (a 200k-row list takes minutes).
IMPORT_IN_BACKGROUND_BYTES = 1024 * 1024


def _require_manage(request, screening_list):
    if not list_can_manage(
        user=request.user, membership=request.membership, screening_list=screening_list
    ):
        raise PermissionDenied


@organisation_required(roles=roles.PROGRAMME_READERS)
def list_index(request):
    lists = list(list_visible(organisation=request.organisation))
    return render(
        request,
        "screening/list_index.html",
        {
            "public_lists": [sl for sl in lists if sl.is_public],
            "private_lists": [sl for sl in lists if sl.organisation_id == request.organisation.pk],
            # kept by another organisation (a chamber of commerce, screening/hooks.py)
            "shared_lists": [
                sl
                for sl in lists
                if not sl.is_public and sl.organisation_id != request.organisation.pk
            ],
            "can_create": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def list_create_view(request):
    allow_public = request.user.is_superuser
    form = ScreeningListForm(request.POST or None, allow_public=allow_public)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        public = data.pop("public", False)
        try:
            screening_list = list_create(
                organisation=None if public else request.organisation,
                user=request.user,
                **data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("List created. Import its entities or add them by hand."))
            return redirect(screening_list)
    return render(request, "screening/list_form.html", {"form": form})


@organisation_required(roles=roles.PROGRAMME_READERS)
def list_detail(request, pk):
    screening_list = list_get(organisation=request.organisation, pk=pk)
    version = screening_list.current_version
    entities = version.entities.order_by("entity_id") if version else []
    query = request.GET.get("q", "").strip()
    if query and version:
        entities = entities.filter(
            Q(name__icontains=query) | Q(entity_id__icontains=query) | Q(aliases__icontains=query)
        )
    page = Paginator(entities, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/list_detail.html",
        {
            "screening_list": screening_list,
            "version": version,
            "page_obj": page,
            "search_query": query,
            "versions": screening_list.versions.select_related("created_by")[:20],
            "can_manage": list_can_manage(
                user=request.user, membership=request.membership, screening_list=screening_list
            ),
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def list_import_view(request, pk):
    """Import a new version in two steps: the uploaded file is read and checked and the page
    shows what would change (nothing written); the confirmation imports that same stashed
    file, in the request or, when large, in the background."""
    screening_list = list_get(organisation=request.organisation, pk=pk)
    _require_manage(request, screening_list)
    return import_preview_confirm(
        request,
        kind=_stash_kind(screening_list),
        form_class=ListImportForm,
        template="screening/list_import.html",
        context={
            "screening_list": screening_list,
            "row_errors": _rejected_rows(request, screening_list),
        },
        params=lambda form: {"file_format": form.cleaned_data["file_format"]},
        preview=lambda params, content, filename: list_import_preview(
            screening_list=screening_list, content=content, file_format=params["file_format"]
        ),
        confirm=lambda stashed: _list_import_confirmed(request, screening_list, stashed),
        changed_message=_(
            "The list changed since the preview, so nothing was imported: upload the "
            "file again to see what it would change now."
        ),
    )


def _stash_kind(screening_list) -> str:
    """A previewed file is confirmed for the list it was previewed for only."""
    return f"{IMPORT_KIND}:{screening_list.pk}"


def _list_import_confirmed(request, screening_list, stashed):
    """Import the previewed file (its preview still holds), in the background when large."""
    file_format = stashed.params["file_format"]
    if len(stashed.content) > IMPORT_IN_BACKGROUND_BYTES:
        job = import_enqueue(
            organisation=request.organisation,
            screening_list=screening_list,
            upload=ContentFile(stashed.content, name=stashed.filename),
            file_format=file_format,
            user=request.user,
            language=request.LANGUAGE_CODE,
        )
        messages.info(
            request,
            _(
                "The file is being imported in the background. Nothing changes until "
                "every row is checked; then the new version and its search index become "
                "current together."
            ),
        )
        return redirect(job)
    outcome = list_import(
        screening_list=screening_list,
        content=stashed.content,
        file_format=file_format,
        user=request.user,
        filename=stashed.filename,
    )
    if outcome.created:
        messages.success(
            request,
            _("Version %(number)d imported. Every party is being re-screened in the background.")
            % {"number": outcome.version.number},
        )
    else:
        messages.info(
            request, _("This file holds exactly the current version: nothing was changed.")
        )
    return redirect(outcome.version)


def _rejected_rows(request, screening_list) -> list[RowError]:
    """The row errors of a background import of this list that was rejected (?job=...)."""
    job_id = request.GET.get("job")
    if not job_id:
        return []
    try:
        job = job_get_for_member(membership=request.membership, job_id=job_id)
    except (Http404, ValidationError, ValueError):
        return []
    if job.kind != IMPORT_KIND or job.params.get("list_id") != screening_list.pk:
        return []
    return [RowError(e["row"], e["message"]) for e in (job.result or {}).get("row_errors", [])]


@organisation_required(roles=roles.PROGRAMME_READERS)
def version_detail(request, pk):
    version = version_get(organisation=request.organisation, pk=pk)
    entities = {
        e.entity_id: e
        for e in version.entities.filter(
            entity_id__in=[*version.diff.get("added", []), *version.diff.get("changed", [])]
        )
    }
    previous = (
        version.screening_list.versions.filter(number__lt=version.number)
        .order_by("-number")
        .first()
    )
    removed = {}
    if previous is not None and version.diff.get("removed"):
        removed = {
            e.entity_id: e for e in previous.entities.filter(entity_id__in=version.diff["removed"])
        }
    return render(
        request,
        "screening/version_detail.html",
        {
            "version": version,
            "screening_list": version.screening_list,
            "previous": previous,
            "added": [entities[i] for i in version.diff.get("added", []) if i in entities],
            "changed": [entities[i] for i in version.diff.get("changed", []) if i in entities],
            "removed": [removed.get(i, i) for i in version.diff.get("removed", [])],
            "rescreen": version_rescreen(organisation=request.organisation, version=version),
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def entity_detail(request, pk):
    entity = entity_get(organisation=request.organisation, pk=pk)
    screening_list = entity.version.screening_list
    return render(
        request,
        "screening/entity_detail.html",
        {
            "entity": entity,
            "screening_list": screening_list,
            "is_current": screening_list.current_version_id == entity.version_id,
            "can_manage": list_can_manage(
                user=request.user, membership=request.membership, screening_list=screening_list
            ),
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def entity_edit(request, pk, entity_pk=None):
    """Add an entity to the list (entity_pk None) or correct one; either makes a new version."""
    screening_list = list_get(organisation=request.organisation, pk=pk)
    _require_manage(request, screening_list)
    entity = None
    if entity_pk is not None:
        entity = entity_get(organisation=request.organisation, pk=entity_pk)
        if entity.version.screening_list_id != screening_list.pk:
            raise PermissionDenied
    initial = EntityForm.initial_from(entity) if entity else {}
    form = EntityForm(request.POST or None, initial=initial)
    if entity is not None:
        form.fields["entity_id"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            outcome = list_entity_save(
                screening_list=screening_list,
                record=form.record(),
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if outcome.created:
                messages.success(
                    request,
                    _("Saved as version %(number)d of the list.")
                    % {"number": outcome.version.number},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(outcome.version)
    return render(
        request,
        "screening/entity_form.html",
        {"form": form, "screening_list": screening_list, "entity": entity},
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def list_severity(request, pk):
    """How hits on a list are treated; a foreign list is prohibited only with a reason."""
    screening_list = list_get(organisation=request.organisation, pk=pk)
    _require_manage(request, screening_list)
    form = ListSeverityForm(
        request.POST or None,
        initial={"severity": screening_list.severity, "reason": screening_list.severity_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            list_severity_set(
                screening_list=screening_list,
                severity=form.cleaned_data["severity"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                membership=request.membership,
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                form.add_error("reason", errors)
        else:
            messages.success(request, _("Severity saved."))
            return redirect(screening_list)
    return render(
        request,
        "screening/list_severity.html",
        {"form": form, "screening_list": screening_list},
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def announcement_add(request, pk):
    """Add the parties of an announcement to an organisation list; every party is re-screened."""
    screening_list = list_get(organisation=request.organisation, pk=pk)
    _require_manage(request, screening_list)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = list_entries_from_announcement(
                screening_list=screening_list,
                announcement=data["announcement"],
                announced_on=data["announced_on"],
                names=data["names"].splitlines(),
                country=data["country"] or "",
                source_url=data["source_url"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if outcome.created:
                added = len(outcome.version.diff.get("added", []))
                messages.success(
                    request,
                    ngettext(
                        "%(count)d entry added as version %(number)d. "
                        "Every party is being re-screened in the background.",
                        "%(count)d entries added as version %(number)d. "
                        "Every party is being re-screened in the background.",
                        added,
                    )
                    % {"count": added, "number": outcome.version.number},
                )
                return redirect(outcome.version)
            messages.info(request, _("Every name is already on the list: nothing was changed."))
            return redirect("screening:list_detail", pk=screening_list.pk)
    return render(
        request,
        "screening/announcement_form.html",
        {"screening_list": screening_list, "form": form},
    )
