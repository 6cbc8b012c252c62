"""No record that is never deleted can be deleted in bulk through the ORM (issue #18, #13)."""

import pytest
from django.apps import apps
from django.db import transaction

from core.guards import GuardError, delete_guarded_models
from records.models import LegalHold
from tests.records.factories import LegalHoldFactory

pytestmark = pytest.mark.django_db


def _refuses_bulk_delete(model) -> bool:
    queryset_delete = type(model._default_manager.all()).delete
    from django.db.models import QuerySet

    return model in delete_guarded_models() or queryset_delete is not QuerySet.delete


PROJECT_APPS = {"accounts", "core", "icp", "screening", "trade", "audits", "records"}
# Models whose delete() refuses only in some states (a published policy version, a signed-off
# audit): their queryset delete is not guarded yet. Each needs guard_delete with the same rule,
# registered by its own app; remove it from here when it is (the test below keeps this exact).
KNOWN_GAPS: set[str] = set()  # none left: each model registers core.guards.guard_delete
REFUSING_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in PROJECT_APPS and "delete" in vars(model)
]


@pytest.mark.parametrize("model", REFUSING_MODELS, ids=lambda model: model._meta.label)
def test_every_model_that_refuses_delete_also_refuses_the_bulk_delete(model):
    """A model whose delete() refuses must not be deletable by Model.objects...delete()."""
    if model._meta.label in KNOWN_GAPS:
        assert not _refuses_bulk_delete(model), f"{model._meta.label} is guarded now: drop it"
        pytest.xfail("known gap, listed in KNOWN_GAPS")
    assert _refuses_bulk_delete(model), (
        f"{model._meta.label} refuses delete() but not a queryset delete: register it with "
        "core.guards.guard_never_deleted or give it a queryset that refuses"
    )


def test_bulk_delete_of_legal_holds_is_refused_and_nothing_is_removed(world):
    LegalHoldFactory(organisation=world.organisation, placed_by=world.users["manager"])
    LegalHoldFactory(organisation=world.organisation, placed_by=world.users["manager"])
    with pytest.raises(GuardError), transaction.atomic():
        LegalHold.objects.filter(organisation=world.organisation).delete()
    assert LegalHold.objects.filter(organisation=world.organisation).count() == 2


def test_bulk_deletes_follow_the_state_rules_of_policies_and_audits(world):
    """Published policy versions and acknowledgements, signed-off audits (issue #18)."""
    from django.core.exceptions import ValidationError

    from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
    from tests.icp.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory

    published = PolicyVersionFactory(organisation=world.organisation, status=PolicyStatus.PUBLISHED)
    draft = PolicyVersionFactory(organisation=world.organisation, status=PolicyStatus.DRAFT)
    with pytest.raises(ValidationError), transaction.atomic():
        PolicyVersion.objects.filter(organisation=world.organisation).delete()
    assert PolicyVersion.objects.filter(pk=published.pk).exists()
    acknowledgement = PolicyAcknowledgementFactory(user=world.users["manager"])
    with pytest.raises(ValidationError), transaction.atomic():
        PolicyAcknowledgement.objects.all().delete()
    assert PolicyAcknowledgement.objects.filter(pk=acknowledgement.pk).exists()
    PolicyVersion.objects.filter(pk=draft.pk).delete()  # a draft still goes
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()


def test_bulk_deletes_of_a_signed_off_audit_its_items_and_findings_are_refused(world, reference):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from audits.models import Audit, AuditStatus, ChecklistItem, Finding
    from audits.services.checklist import checklist_generate
    from tests.audits.factories import make_audit
    from tests.audits.test_review import _finding

    def signed_off_audit():
        audit = make_audit(world, elements=["E1"])
        checklist_generate(audit=audit)
        return audit

    def sign_off(audit):
        Audit.objects.filter(pk=audit.pk).update(
            status=AuditStatus.SIGNED_OFF,
            signed_off_at=timezone.now(),
            signed_off_by=world.users["auditor"],
        )

    audit = signed_off_audit()
    finding = _finding(audit, world.users["auditor"])
    sign_off(audit)
    for queryset in (
        Finding.objects.filter(pk=finding.pk),
        ChecklistItem.objects.filter(audit=audit).exclude(pk=finding.item_id),
    ):
        with pytest.raises(ValidationError), transaction.atomic():
            queryset.delete()
        assert queryset.exists()
    without_findings = signed_off_audit()
    sign_off(without_findings)
    with pytest.raises(ValidationError), transaction.atomic():
        Audit.objects.filter(pk=without_findings.pk).delete()
    assert Audit.objects.filter(pk=without_findings.pk).exists()
