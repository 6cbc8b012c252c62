import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.models import Authority, EnforcementCase, Event, EventKind, Registration
from tests.accounts.factories import UserFactory
from tests.chambers.factories import ChamberFactory


def _in(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    organisation = factory.LazyAttribute(lambda _o: ChamberFactory().organisation)
    kind = EventKind.TRAINING
    title_zh = factory.Sequence(lambda n: f"两用物项出口管制培训班第{n}期")
    title_en = factory.Sequence(lambda n: f"Dual-use export control training, course {n}")
    starts_at = factory.LazyFunction(lambda: _in(10))
    duration_minutes = 180
    place = "南京市鼓楼区中山北路49号 商会三楼报告厅"
    capacity = 30
    registration_deadline = factory.LazyFunction(lambda: _in(8))
    created_by = factory.SubFactory(UserFactory)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    organisation = factory.SelfAttribute("event.organisation")
    registered_at = factory.LazyFunction(timezone.now)


class EnforcementCaseFactory(DjangoModelFactory):
    """Test data only: an invented decision, never shown in the demo."""

    class Meta:
        model = EnforcementCase

    title_zh = factory.Sequence(lambda n: f"测试案例{n}：未经许可出口两用物项")
    title_en = factory.Sequence(lambda n: f"Test case {n}: dual-use export without a licence")
    authority = Authority.CUSTOMS
    authority_name = "测试海关"
    decision_number = factory.Sequence(lambda n: f"测关缉违字〔2025〕{n:04d}号")
    decision_date = datetime.date(2025, 3, 1)
    source = "https://example.test/decisions/1"
    summary_zh = "测试用的案情摘要。"
    provisions = factory.LazyFunction(lambda: ["ECL-34"])
    created_by = factory.SubFactory(UserFactory)
