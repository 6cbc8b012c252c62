import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation
from icp.models import Attendance, Course
from icp.selectors.training import training_coverage, training_matrix, training_overdue

pytestmark = pytest.mark.django_db


def test_demo_training_shows_one_person_overdue():
    call_command("seed_demo", password="a-long-demo-password")
    attendances = Attendance.objects.count()
    call_command("seed_demo")
    assert Attendance.objects.count() == attendances  # idempotent
    demo = Organisation.objects.get(slug="demo")
    assert set(Course.objects.for_organisation(demo).values_list("topic_zh", flat=True)) == {
        "出口管制法规基础",
        "红旗信号识别",
        "物项分类",
        "管控名单、最终用户证明和许可证件",  # from the course library
    }
    matrix = training_matrix(organisation=demo)
    overdue = training_overdue(matrix=matrix)
    assert {item.row.user.email for item in overdue} == {"staff@demo.example"}
    coverage = {item.function: item.percent for item in training_coverage(matrix=matrix)}
    assert coverage["sales"] == 0 and coverage["compliance"] == 100
    assert Membership.objects.filter(organisation=demo).active().count() == 4
    assert Membership.objects.filter(organisation=demo, is_active=False).count() == 1
