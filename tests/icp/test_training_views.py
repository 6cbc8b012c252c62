import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from icp.models import Attendance, Course, TrainingProfile, TrainingSession
from tests.accounts.factories import MembershipFactory
from tests.icp.factories_training import AttendanceFactory, CourseFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_manager_records_a_course_a_session_and_scores(world, reference):
    client = world.client("manager")
    response = client.post(
        reverse("icp:course_create"),
        {
            "topic_zh": "红旗信号识别",
            "topic_en": "Recognising red flags",
            "audience": ["sales", "compliance"],
            "duration_minutes": "90",
            "refresher_months": "12",
            "pass_mark": "70",
            "is_active": "on",
        },
    )
    course = Course.objects.get(topic_zh="红旗信号识别")
    assert response.url == course.get_absolute_url()
    staff, auditor = world.users["staff"], world.users["auditor"]
    client.post(
        reverse("icp:session_create"),
        {
            "course": course.pk,
            "date": "2026-10-10",
            "trainer": "陈静",
            "location": "二楼会议室",
            "attendees": [staff.pk, auditor.pk],
        },
    )
    session = TrainingSession.objects.get(course=course)
    attendances = {a.user: a for a in session.attendances.all()}
    response = client.post(
        reverse("icp:session_results", args=[session.pk]),
        {f"score-{attendances[staff].pk}": "85", f"score-{attendances[auditor].pk}": "50"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(pk=attendances[staff].pk).is_completed
    assert not Attendance.objects.get(pk=attendances[auditor].pk).is_completed
    bad = client.post(
        reverse("icp:session_results", args=[session.pk]),
        {f"score-{attendances[staff].pk}": "101"},
    )
    assert bad.status_code == 200


def test_staff_see_only_their_own_training(world, reference):
    course = CourseFactory(
        organisation=world.organisation, topic_zh="出口管制法规基础", topic_en="Export control law"
    )
    mine = AttendanceFactory(
        session__course=course, session__date=datetime.date(2026, 9, 1), user=world.users["staff"]
    )
    AttendanceFactory(session=mine.session, user=world.users["auditor"])
    client = world.client("staff")
    html = client.get(reverse("icp:training_mine")).content.decode()
    assert "Export control law" in html
    assert reverse("icp:attendance_certificate", args=[mine.pk]) in html
    assert str(world.users["auditor"]) not in html
    assert client.get(reverse("icp:training_overview")).url == reverse("icp:training_mine")
    assert client.get(reverse("icp:training_matrix")).status_code == 403


def test_certificate_pdf_names_the_person_course_and_date(world, reference):
    world.users["staff"].full_name = "赵敏"
    world.users["staff"].save()
    attendance = AttendanceFactory(
        session__course__organisation=world.organisation,
        session__course__topic_zh="出口管制法规基础",
        session__course__topic_en="Export control law: the basics",
        session__course__pass_mark=60,
        session__date=datetime.date(2026, 9, 1),
        session__trainer="李娜律师",
        user=world.users["staff"],
        quiz_score=85,
    )
    client = world.client("staff")
    response = client.get(
        reverse("icp:attendance_certificate", args=[attendance.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "赵敏" in text and "出口管制法规基础" in text and "李娜律师" in text
    assert "培训结业证书" in text and "兹证明" in text
    assert f"ACME-T{attendance.pk:06d}" in text


def test_certificate_in_english(world, reference):
    attendance = AttendanceFactory(
        session__course__organisation=world.organisation,
        session__course__topic_en="Recognising red flags",
        user=world.users["auditor"],
    )
    client = world.client("auditor")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("icp:attendance_certificate", args=[attendance.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Certificate of completion" in text and "Recognising red flags" in text


def test_no_certificate_before_the_quiz_is_passed(world, reference):
    attendance = AttendanceFactory(
        session__course__organisation=world.organisation,
        session__course__pass_mark=80,
        user=world.users["staff"],
        quiz_score=60,
    )
    response = world.client("staff").get(
        reverse("icp:attendance_certificate", args=[attendance.pk])
    )
    assert response.status_code == 302 and response.url == reverse("icp:training_mine")


def test_manager_sets_training_functions(world, reference):
    client = world.client("manager")
    staff = world.users["staff"]
    response = client.get(reverse("icp:training_functions"))
    data = {name: field.initial for name, field in response.context["form"].fields.items()} | {
        f"function-{staff.pk}": "sales"
    }
    assert client.post(reverse("icp:training_functions"), data).status_code == 302
    assert TrainingProfile.objects.get(user=staff).function == "sales"
    assert TrainingProfile.objects.count() == 1  # unchanged defaults are not stored


def test_matrix_and_overdue_pages_with_200_members(world, reference, django_assert_max_num_queries):
    courses = [CourseFactory(organisation=world.organisation) for _ in range(4)]
    members = [MembershipFactory(organisation=world.organisation).user for _ in range(200)]
    session = TrainingSessionFactory(course=courses[0], date=datetime.date(2020, 1, 1))
    Attendance.objects.bulk_create(
        Attendance(organisation=world.organisation, session=session, user=user) for user in members
    )
    client = world.client("manager")
    client.get(reverse("icp:training_matrix"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("icp:training_matrix"))
    assert len(response.context["page_obj"]) == 50
    assert response.context["paginator"].count == 204
    with django_assert_max_num_queries(15):
        overdue = client.get(reverse("icp:training_overdue"))
    assert len(overdue.context["items"]) == 204 * 4
    with django_assert_max_num_queries(15):
        client.get(reverse("icp:training_overview"))
    with django_assert_max_num_queries(20):
        client.get(reverse("icp:course_detail", args=[courses[0].pk]))
    download = client.get(reverse("icp:training_matrix") + "?export=csv")
    csv = b"".join(download.streaming_content).decode("utf-8-sig")
    assert len(csv.splitlines()) == 205


def test_matrix_filters_by_function_and_status(world, reference):
    TrainingProfile.objects.create(
        organisation=world.organisation, user=world.users["staff"], function="sales"
    )
    CourseFactory(organisation=world.organisation, audience=["sales"])
    client = world.client("auditor")
    response = client.get(reverse("icp:training_matrix") + "?function=sales&status=missing")
    assert [row.user for row in response.context["page_obj"]] == [world.users["staff"]]


def test_session_list_with_200_sessions_has_a_fixed_query_count(
    world, reference, django_assert_max_num_queries
):
    course = CourseFactory(organisation=world.organisation)
    for _ in range(200):
        TrainingSessionFactory(course=course)
    client = world.client("auditor")
    client.get(reverse("icp:session_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("icp:session_list") + f"?course={course.pk}")
    assert response.context["paginator"].count == 200
    with django_assert_max_num_queries(12):
        client.get(reverse("icp:course_list"))


def test_session_detail_with_200_attendees_has_a_fixed_query_count(
    world, reference, django_assert_max_num_queries
):
    session = TrainingSessionFactory(course__organisation=world.organisation)
    members = [MembershipFactory(organisation=world.organisation).user for _ in range(200)]
    Attendance.objects.bulk_create(
        Attendance(organisation=world.organisation, session=session, user=user) for user in members
    )
    client = world.client("manager")
    client.get(session.get_absolute_url())
    with django_assert_max_num_queries(20):
        response = client.get(session.get_absolute_url())
    assert response.status_code == 200
