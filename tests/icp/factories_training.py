import datetime

import factory
from factory.django import DjangoModelFactory

from icp.models import ALL_STAFF, Attendance, Course, TrainingProfile, TrainingSession
from tests.accounts.factories import OrganisationFactory, UserFactory


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    organisation = factory.SubFactory(OrganisationFactory)
    topic_zh = factory.Sequence(lambda n: f"出口管制培训{n}")
    topic_en = factory.Sequence(lambda n: f"Export control training {n}")
    audience = factory.LazyFunction(lambda: [ALL_STAFF])
    duration_minutes = 90
    refresher_months = 12
    pass_mark = None


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    organisation = factory.SelfAttribute("course.organisation")
    date = datetime.date(2026, 3, 10)
    trainer = "王律师"
    location = "三楼会议室"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    organisation = factory.SelfAttribute("session.organisation")
    user = factory.SubFactory(UserFactory)


class TrainingProfileFactory(DjangoModelFactory):
    class Meta:
        model = TrainingProfile

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    function = "sales"
