"""E1 Compliance policy statement pages. Every rule is in icp.services.policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.lists import ScopedListView
from icp.forms.policy import (
    PolicyApproveForm,
    PolicyReturnForm,
    PolicyVersionFilter,
    PolicyVersionForm,
)
from icp.models import PolicyStatus, PolicyVersion
from icp.selectors import policy as selectors
from icp.services import policy as services
from icp.services.policy_template import POLICY_TEMPLATE
from reference.selectors import element_get


def _version(request, pk) -> PolicyVersion:
    try:
        return selectors.policy_version_get(organisation=request.organisation, pk=pk)
    except PolicyVersion.DoesNotExist as exc:
        raise Http404 from exc


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _role(request) -> str:
    return request.membership.role


def guidance_element(code: str):
    """The reference library's element, for the "What the guidance requires" panel."""
    try:
        return element_get(code=code)
    except Http404:
        return None


@organisation_required()
def policy_home(request):
    """The policy in force for everyone; for the programme's keepers, where the next one is."""
    organisation = request.organisation
    current = selectors.policy_current(organisation=organisation)
    is_reader = _role(request) in roles.PROGRAMME_READERS
    context = {
        "current": current,
        "my_acknowledgement": current
        and selectors.policy_acknowledgement_of(version=current, user=request.user),
        "is_reader": is_reader,
        "can_edit": _role(request) in roles.PROGRAMME_EDITORS,
        "element": guidance_element("E1"),
    }
    if is_reader:
        context.update(
            open_version=selectors.policy_open_version(organisation=organisation),
            stats=selectors.policy_acknowledgement_stats(
                organisation=organisation, version=current
            ),
            review_overdue=bool(
                current
                and current.review_due_date
                and current.review_due_date < timezone.localdate()
            ),
        )
    return render(request, "icp/policy/home.html", context)


class PolicyVersionListView(ScopedListView):
    model = PolicyVersion
    roles = roles.PROGRAMME_READERS
    template_name = "icp/policy/version_list.html"
    filterset_class = PolicyVersionFilter
    search_fields = ("title_zh", "title_en", "signatory_name", "change_note")
    export_filename = "policy-versions"
    export_columns = (
        (gettext_lazy("Version"), "number"),
        (gettext_lazy("Title (Chinese)"), "title_zh"),
        (gettext_lazy("Title (English)"), "title_en"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Signatory"), "signatory_name"),
        (gettext_lazy("Signatory's title"), "signatory_title"),
        (gettext_lazy("Effective date"), "effective_date"),
        (gettext_lazy("Review due"), "review_due_date"),
        (gettext_lazy("Approved by"), "approved_by"),
        (gettext_lazy("Approved"), "approved_at"),
        (gettext_lazy("Published"), "published_at"),
        (gettext_lazy("SHA-256 of the approved text"), "content_sha256"),
    )

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("approved_by").order_by("-number")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, can_edit=self.membership.role in roles.PROGRAMME_EDITORS
        )


def _form_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def policy_version_create(request):
    organisation = request.organisation
    open_version = selectors.policy_open_version(organisation=organisation)
    if open_version is not None:
        messages.info(
            request,
            _("Version %(number)s is in preparation; continue with it.")
            % {"number": open_version.number},
        )
        return redirect(open_version)
    if request.method == "POST":
        form = PolicyVersionForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                version = services.policy_create_draft(
                    organisation=organisation, user=request.user, fields=_form_fields(form)
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect(version)
    else:
        form = PolicyVersionForm(
            organisation=organisation,
            initial={
                **POLICY_TEMPLATE,
                "effective_date": timezone.localdate(),
                "signatory_title": "总经理 / General Manager",
            },
        )
    return render(request, "icp/policy/version_form.html", {"form": form, "version": None})


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def policy_version_edit(request, pk):
    version = _version(request, pk)
    if version.status != PolicyStatus.DRAFT:
        messages.warning(
            request,
            _("Version %(number)s is %(status)s and can no longer be edited.")
            % {"number": version.number, "status": version.get_status_display().lower()},
        )
        return redirect(version)
    form = PolicyVersionForm(
        request.POST or None, instance=version, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update_draft(
                version=version, user=request.user, fields=_form_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(version)
    return render(request, "icp/policy/version_form.html", {"form": form, "version": version})


@organisation_required(roles=roles.PROGRAMME_READERS)
def policy_version_detail(request, pk):
    return _render_version_detail(request, _version(request, pk))


def _render_version_detail(request, version, **bound_forms):
    """The version's page; `bound_forms` replace the empty forms (a form that failed keeps what
    the user typed and shows its errors)."""
    role = _role(request)
    base = selectors.policy_diff_default_base(version=version)
    context = {
        "version": version,
        "base": base,
        "can_edit": role in roles.PROGRAMME_EDITORS,
        "is_approver": role in roles.APPROVERS,
        "approvers": services.policy_approvers(version=version)
        if version.status == PolicyStatus.SUBMITTED
        else [],
        "approve_form": PolicyApproveForm(),
        "return_form": PolicyReturnForm(),
        "open_version": selectors.policy_open_version(organisation=request.organisation),
    }
    if version.status in (PolicyStatus.PUBLISHED, PolicyStatus.SUPERSEDED):
        context["stats"] = selectors.policy_acknowledgement_stats(
            organisation=request.organisation, version=version
        )
    if base is not None and version.status == PolicyStatus.SUBMITTED:
        # What the approver is asked to sign, next to what was signed before.
        context["diff"] = selectors.policy_diff(old=base, new=version)
    context.update(bound_forms)
    return render(request, "icp/policy/version_detail.html", context)


def _transition(request, pk, action, success_message, **kwargs):
    version = _version(request, pk)
    try:
        action(version=version, user=request.user, **kwargs)
    except ValidationError as error:
        _error(request, error)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("You may not do this."))
    else:
        messages.success(request, success_message % {"number": version.number})
    return redirect(version)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def policy_version_submit(request, pk):
    return _transition(
        request, pk, services.policy_submit, _("Version %(number)s sent for approval.")
    )


@require_POST
@organisation_required(roles=roles.APPROVERS)
def policy_version_approve(request, pk):
    return _decide(
        request,
        pk,
        PolicyApproveForm,
        "approve_form",
        services.policy_approve,
        _("Version %(number)s approved."),
    )


@require_POST
@organisation_required(roles=roles.APPROVERS)
def policy_version_return(request, pk):
    return _decide(
        request,
        pk,
        PolicyReturnForm,
        "return_form",
        services.policy_return,
        _("Version %(number)s returned to the compliance manager."),
    )


def _decide(request, pk, form_class, form_name, action, success_message):
    """Approve or return a submitted version with the approver's comment. On an error the page
    is shown again with the comment as typed and the error under it."""
    version = _version(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(version=version, user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            if version.status != PolicyStatus.SUBMITTED:  # the page no longer has the form
                _error(request, error)
                return redirect(version)
            add_service_errors(form, error)
        except PermissionDenied as denied:
            messages.error(request, str(denied) or _("You may not do this."))
            return redirect(version)
        else:
            messages.success(request, success_message % {"number": version.number})
            return redirect(version)
    return _render_version_detail(request, version, **{form_name: form})


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def policy_version_publish(request, pk):
    return _transition(
        request,
        pk,
        services.policy_publish,
        _("Version %(number)s is published; staff can now acknowledge it."),
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def policy_version_new_from(request, pk):
    source = _version(request, pk)
    try:
        version = services.policy_new_version_from(version=source, user=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect(source)
    messages.success(
        request,
        _("Version %(number)s created from version %(source)s; edit it and send it for approval.")
        % {"number": version.number, "source": source.number},
    )
    return redirect("icp:policy_version_edit", pk=version.pk)


@require_POST
@organisation_required()
def policy_acknowledge(request, pk):
    version = _version(request, pk)
    try:
        services.policy_acknowledge(version=version, user=request.user, language=get_language())
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect("icp:policy_home")


@organisation_required(roles=roles.PROGRAMME_READERS)
def policy_acknowledgements(request, pk):
    version = _version(request, pk)
    if version.status not in (PolicyStatus.PUBLISHED, PolicyStatus.SUPERSEDED):
        raise Http404
    stats = selectors.policy_acknowledgement_stats(
        organisation=request.organisation, version=version
    )
    return render(request, "icp/policy/acknowledgements.html", {"version": version, "stats": stats})


@organisation_required(roles=roles.PROGRAMME_READERS)
def policy_compare(request):
    """Two versions side by side, per language; by default the newest against its base."""
    versions = list(selectors.policy_versions(organisation=request.organisation))
    by_pk = {str(version.pk): version for version in versions}
    new = by_pk.get(request.GET.get("new", "")) or (versions[0] if versions else None)
    old = by_pk.get(request.GET.get("old", ""))
    if old is None and new is not None:
        old = selectors.policy_diff_default_base(version=new)
    diff = selectors.policy_diff(old=old, new=new) if old and new else None
    return render(
        request,
        "icp/policy/compare.html",
        {"versions": versions, "old": old, "new": new, "diff": diff},
    )
