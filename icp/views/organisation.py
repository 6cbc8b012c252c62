"""E2 Compliance organisation pages: the chart, bodies, positions and SoD rules."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.i18n import joined
from core.lists import ScopedListView
from icp.forms.organisation import (
    ComplianceBodyForm,
    PositionFilter,
    PositionForm,
    SodRuleForm,
)
from icp.models import Position
from icp.selectors import organisation as selectors
from icp.services import organisation as services
from icp.views.policy import guidance_element


def _can_edit(request) -> bool:
    return request.membership.role in roles.PROGRAMME_EDITORS


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}


@organisation_required(roles=roles.PROGRAMME_READERS)
def organisation_home(request):
    """The compliance organisation at a glance: the chart, who may stop an export, conflicts."""
    organisation = request.organisation
    chart = selectors.organisation_chart(organisation=organisation)
    return render(
        request,
        "icp/organisation/home.html",
        {
            "chart": chart,
            "conflicts": services.sod_conflicts(organisation=organisation),
            "can_edit": _can_edit(request),
            "element": guidance_element("E2"),
            "rule_count": selectors.sod_rule_active_count(organisation=organisation),
        },
    )


# --- bodies -----------------------------------------------------------------------------------


@organisation_required(roles=roles.PROGRAMME_READERS)
def compliance_body_detail(request, pk):
    body = selectors.compliance_body_get(organisation=request.organisation, pk=pk)
    return render(
        request,
        "icp/organisation/body_detail.html",
        {
            "body": body,
            "positions": selectors.body_positions(body=body),
            "children": body.children.all(),
            "can_edit": _can_edit(request),
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def compliance_body_edit(request, pk=None):
    organisation = request.organisation
    body = selectors.compliance_body_get(organisation=organisation, pk=pk) if pk else None
    form = ComplianceBodyForm(request.POST or None, instance=body, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            if body is None:
                body = services.compliance_body_create(
                    organisation=organisation, user=request.user, fields=_fields(form)
                )
            else:
                services.compliance_body_update(body=body, user=request.user, fields=_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Compliance body saved."))
            return redirect(body)
    return render(request, "icp/organisation/body_form.html", {"form": form, "body": body})


# --- positions --------------------------------------------------------------------------------


class PositionListView(ScopedListView):
    model = Position
    roles = roles.PROGRAMME_READERS
    template_name = "icp/organisation/position_list.html"
    filterset_class = PositionFilter
    search_fields = (
        "title_zh",
        "title_en",
        "holder__full_name",
        "holder__email",
        "holder_name",
        "deputy__full_name",
        "duties_zh",
        "duties_en",
    )
    export_filename = "compliance-positions"
    export_columns = (
        (gettext_lazy("Compliance body"), "body"),
        (gettext_lazy("Title (Chinese)"), "title_zh"),
        (gettext_lazy("Title (English)"), "title_en"),
        (gettext_lazy("Holder"), "holder_display"),
        (gettext_lazy("Deputy"), "deputy"),
        (gettext_lazy("Reports to"), "reports_to"),
        (gettext_lazy("Full- or part-time"), "get_commitment_display"),
        (gettext_lazy("May stop any export"), "may_stop_exports"),
        (gettext_lazy("May consult MOFCOM directly"), "may_consult_authority"),
        (gettext_lazy("Transaction duties"), lambda p: joined(p.duty_labels)),
        (gettext_lazy("Phone"), "phone"),
        (gettext_lazy("E-mail"), "email"),
        (gettext_lazy("Duties (Chinese)"), "duties_zh"),
        (gettext_lazy("Duties (English)"), "duties_en"),
        (gettext_lazy("Authority (Chinese)"), "authority_zh"),
        (gettext_lazy("Authority (English)"), "authority_en"),
        (gettext_lazy("Active"), "is_active"),
    )

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("body", "holder", "deputy", "reports_to")
            .order_by("body__order", "body__name_zh", "-is_head", "order", "title_zh")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, can_edit=_can_edit(self.request))


@organisation_required(roles=roles.PROGRAMME_READERS)
def position_detail(request, pk):
    position = selectors.position_get(organisation=request.organisation, pk=pk)
    conflicts = [
        conflict
        for conflict in services.sod_conflicts(organisation=request.organisation)
        if position in conflict.positions
    ]
    return render(
        request,
        "icp/organisation/position_detail.html",
        {
            "position": position,
            "reports": position.reports.select_related("holder").all(),
            "conflicts": conflicts,
            "can_edit": _can_edit(request),
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def position_edit(request, pk=None):
    organisation = request.organisation
    position = selectors.position_get(organisation=organisation, pk=pk) if pk else None
    initial = {}
    if position is None and request.GET.get("body"):
        initial["body"] = selectors.compliance_body_chosen(
            organisation=organisation, pk=request.GET["body"]
        )
    form = PositionForm(
        request.POST or None, instance=position, organisation=organisation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if position is None:
                position = services.position_create(
                    organisation=organisation, user=request.user, fields=_fields(form)
                )
            else:
                services.position_update(position=position, user=request.user, fields=_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            conflicts = services.sod_conflicts(organisation=organisation)
            mine = [c for c in conflicts if position in c.positions]
            messages.success(request, _("Position saved."))
            for conflict in mine:
                messages.warning(
                    request, _("Segregation of duties: %(message)s") % {"message": conflict.message}
                )
            return redirect(position)
    return render(
        request, "icp/organisation/position_form.html", {"form": form, "position": position}
    )


# --- SoD rules --------------------------------------------------------------------------------


@organisation_required(roles=roles.PROGRAMME_READERS)
def sod_rule_list(request):
    organisation = request.organisation
    rules = list(selectors.sod_rule_list(organisation=organisation))
    conflicts = services.sod_conflicts(organisation=organisation)
    broken = {conflict.rule.pk for conflict in conflicts}
    for rule in rules:
        rule.conflict_count = sum(1 for conflict in conflicts if conflict.rule.pk == rule.pk)
    # Named in the reader's language (SimpleNamespace so |loc finds name_zh / name_en).
    missing = [
        SimpleNamespace(**values)
        for values in services.RECOMMENDED_DUTY_RULES
        if values["code"] not in {rule.code for rule in rules}
    ]
    return render(
        request,
        "icp/organisation/sod_rule_list.html",
        {
            "rules": rules,
            "conflicts": conflicts,
            "broken": broken,
            "missing_recommended": missing,
            "can_edit": _can_edit(request),
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def sod_rule_detail(request, pk):
    rule = selectors.sod_rule_get(organisation=request.organisation, pk=pk)
    conflicts = [
        c for c in services.sod_conflicts(organisation=request.organisation) if c.rule.pk == rule.pk
    ]
    return render(
        request,
        "icp/organisation/sod_rule_detail.html",
        {"rule": rule, "conflicts": conflicts, "can_edit": _can_edit(request)},
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def sod_rule_edit(request, pk=None):
    organisation = request.organisation
    rule = selectors.sod_rule_get(organisation=organisation, pk=pk) if pk else None
    form = SodRuleForm(request.POST or None, instance=rule, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        try:
            if rule is None:
                rule = services.sod_rule_create(
                    organisation=organisation, user=request.user, fields=fields
                )
            else:
                services.sod_rule_update(rule=rule, user=request.user, fields=fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rule saved."))
            return redirect(rule)
    return render(request, "icp/organisation/sod_rule_form.html", {"form": form, "rule": rule})


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def sod_rules_install(request):
    created = services.sod_rules_install_recommended(
        organisation=request.organisation, user=request.user
    )
    if created:
        # The count, not the codes: a code is an English identifier; the list below names them.
        messages.success(
            request,
            _("Recommended rules added: %(count)s. They are listed below.")
            % {"count": len(created)},
        )
    else:
        messages.info(request, _("All recommended rules are already in place."))
    return redirect("icp:sod_rule_list")
