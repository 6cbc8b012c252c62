"""Factories for E1 policy versions. `PolicyVersionFactory` is a complete draft; traits move it
along the workflow (`submitted`, `approved`, `published`) without going through the services."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
from tests.accounts.factories import OrganisationFactory, UserFactory


class PolicyVersionFactory(DjangoModelFactory):
    class Meta:
        model = PolicyVersion
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = PolicyStatus.DRAFT
    title_zh = "出口管制合规政策声明"
    title_en = "Export Control Compliance Policy Statement"
    body_zh = "本公司严格遵守《中华人民共和国出口管制法》。\n\n合法合规优先于商业利益。"
    body_en = "The Company strictly complies with the Export Control Law.\n\nLegality comes first."
    signatory_name = "刘建国"
    signatory_title = "总经理 General Manager"
    effective_date = datetime.date(2026, 1, 1)
    review_due_date = datetime.date(2027, 1, 1)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        submitted = factory.Trait(
            status=PolicyStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            status=PolicyStatus.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            approved_at=factory.LazyFunction(timezone.now),
        )
        published = factory.Trait(
            status=PolicyStatus.PUBLISHED,
            submitted_at=factory.LazyFunction(timezone.now),
            approved_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def fingerprint(obj, create, extracted, **kwargs):
        # An approved text carries its fingerprint, as policy_approve would have set it.
        if create and obj.status != PolicyStatus.DRAFT and not obj.content_sha256:
            PolicyVersion.objects.filter(pk=obj.pk).update(content_sha256=obj.content_fingerprint())
            obj.content_sha256 = obj.content_fingerprint()


class PolicyAcknowledgementFactory(DjangoModelFactory):
    class Meta:
        model = PolicyAcknowledgement

    version = factory.SubFactory(PolicyVersionFactory, published=True)
    organisation = factory.SelfAttribute("version.organisation")
    user = factory.SubFactory(UserFactory)
    language = "zh-hans"
