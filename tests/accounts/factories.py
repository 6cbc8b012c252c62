import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum.cn import uscc

from accounts.models import Invitation, Membership, Organisation, User
from accounts.roles import Role

TEST_PASSWORD = "correct-horse-battery-staple"


def _uscc(n: int) -> str:
    base = f"913205{n:011d}"
    return base + uscc.calc_check_digit(base)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"org-{n}")
    name_zh = factory.Sequence(lambda n: f"测试出口企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Exporter {n} Co., Ltd.")
    unified_social_credit_code = factory.Sequence(_uscc)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF

    class Params:
        manager = factory.Trait(role=Role.COMPLIANCE_MANAGER)
        auditor = factory.Trait(role=Role.AUDITOR)
        executive = factory.Trait(role=Role.MANAGEMENT)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.STAFF
    nonce = factory.Sequence(lambda n: f"nonce{n:027d}")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
