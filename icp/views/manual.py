"""E9 pages: the ICP manual's versions, asking for a new one, and permission-checked downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from accounts.profiles import is_lite
from core.http import stored_file_response
from icp.forms.manual import ManualRequestForm, ManualSettingsForm
from icp.models import ManualEdition, ManualLanguage, ManualVersion, RevisionReason
from icp.selectors import manual as selectors
from icp.services.manual import manual_approve as manual_approve_service
from icp.services.manual import manual_request as manual_request_service
from icp.services.manual import manual_review as manual_review_service
from icp.services.manual_settings import manual_settings_apply, manual_settings_of

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _default_edition(organisation) -> str:
    settings = manual_settings_of(organisation)
    if settings is not None:
        return settings.edition
    return ManualEdition.CONCISE if is_lite(organisation) else ManualEdition.FULL


def _defaults(organisation) -> dict:
    """What the request form starts from: the saved manual settings, else the profile's
    edition."""
    settings = manual_settings_of(organisation)
    if settings is None:
        return {"edition": _default_edition(organisation)}
    return {
        "language": settings.language,
        "edition": settings.edition,
        "foreign_law_annex": settings.foreign_law_annex,
    }


def _home(request, form: ManualRequestForm | None = None, status: int = 200):
    organisation = request.organisation
    versions = list(selectors.manual_versions(organisation=organisation))
    latest = versions[0] if versions else None
    changed_at = selectors.programme_changed_at(organisation=organisation)
    jobs = selectors.manual_jobs_in_progress(organisation=organisation)
    # The job just asked for stays on the page until its bar has reached the end.
    asked = selectors.manual_job_get(organisation=organisation, job_id=request.GET.get("job"))
    if asked is not None and asked not in jobs:
        jobs.insert(0, asked)
    return render(
        request,
        "icp/manual/home.html",
        {
            "versions": versions,
            "latest": latest,
            "stale": latest is not None
            and changed_at is not None
            and changed_at > latest.data_as_of,
            "changed_at": changed_at,
            "jobs": jobs,
            "languages": ManualLanguage.choices,
            "editions": ManualEdition.choices,
            "reasons": RevisionReason.choices,
            "document_number": latest.document_number if latest else "",
            "form": form,
            # A lite programme (accounts/profiles.py) starts from the concise edition.
            "typed": form.data if form is not None else _defaults(organisation),
            "settings": manual_settings_of(organisation),
            "can_save_settings": request.membership.role in roles.PROGRAMME_EDITORS,
            "can_request": request.membership.role in roles.MANUAL_REQUESTERS,
            "can_review": request.membership.role in roles.PROGRAMME_EDITORS,
            "can_approve": request.membership.role in roles.APPROVERS,
        },
        status=status,
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def manual_home(request):
    """The versions (newest first), the stale badge, jobs under way, and the request form."""
    return _home(request)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def manual_settings(request):
    """Save the language, edition and annex choice as the organisation's manual settings (the
    request form starts from them)."""
    form = ManualSettingsForm(request.POST)
    if form.is_valid():
        try:
            manual_settings_apply(
                organisation=request.organisation,
                user=request.user,
                language=form.cleaned_data["language"],
                edition=form.cleaned_data["edition"],
                foreign_law_annex=form.cleaned_data["foreign_law_annex"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Manual settings saved."))
            return redirect("icp:manual_home")
    return _home(request, form=form)


@require_POST
@organisation_required(roles=roles.MANUAL_REQUESTERS)
def manual_request(request):
    """Start generating a revision; the page follows the job's progress bar. Bad input shows
    the page again with what was typed and the error."""
    form = ManualRequestForm(request.POST)
    if form.is_valid():
        try:
            job = manual_request_service(
                organisation=request.organisation,
                user=request.user,
                language=form.cleaned_data["language"],
                edition=form.cleaned_data["edition"] or _default_edition(request.organisation),
                document_number=form.cleaned_data["document_number"],
                reason=form.cleaned_data["revision_reason"],
                foreign_law_annex=form.cleaned_data["foreign_law_annex"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The manual is being generated; this page shows its progress.")
            )
            return redirect(f"{reverse('icp:manual_home')}?job={job.pk}")
    return _home(request, form=form)


@organisation_required(roles=roles.PROGRAMME_READERS)
def manual_download(request, pk, fmt):
    """The PDF or Word file of a version of the member's own organisation."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        version = selectors.manual_get(organisation=request.organisation, pk=pk)
    except ManualVersion.DoesNotExist as error:
        raise Http404 from error
    stored = version.pdf if fmt == "pdf" else version.docx
    if not stored:
        raise Http404
    return stored_file_response(
        request, stored, filename=version.filename(fmt), content_type=CONTENT_TYPES[fmt]
    )


def _decide(request, pk, service, done_message):
    try:
        version = selectors.manual_get(organisation=request.organisation, pk=pk)
    except ManualVersion.DoesNotExist as error:
        raise Http404 from error
    try:
        result = service(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("icp:manual_home")
    messages.success(request, done_message)
    if result is not None and not isinstance(result, ManualVersion):
        return redirect(f"{reverse('icp:manual_home')}?job={result.pk}")
    return redirect("icp:manual_home")


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def manual_review(request, pk):
    """A compliance manager (not the preparer) confirms the draft: 审核."""
    return _decide(request, pk, manual_review_service, _("The revision is reviewed."))


@require_POST
@organisation_required(roles=roles.APPROVERS)
def manual_approve(request, pk):
    """Management approves a reviewed revision (批准); its controlled copy is then rendered."""
    return _decide(
        request,
        pk,
        manual_approve_service,
        _("The revision is approved; its controlled copy is being prepared."),
    )
