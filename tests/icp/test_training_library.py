"""E6 course library: the shipped courses are sound (citations borne out by the law texts, both
languages complete), a compliance manager adds one, a member reads it, takes the quiz, is marked,
and a pass completes the course with a certificate."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from icp.models import Attendance, Course, QuizAttempt, TrainingSession
from icp.selectors.training import training_for_member
from icp.services.training_library import (
    course_adopt,
    course_library,
    library_course_of,
    quiz_submit,
)
from tests.icp.factories_training import CourseFactory
from tests.icp.test_emergency_templates import LAW_DIR, _check

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")


def _answers(course_code, *, wrong=0):
    """All right answers, except the first `wrong` questions."""
    questions = course_library().get(course_code).questions
    return {
        q.code: (q.answer + 1) % len(q.options_zh) if i < wrong else q.answer
        for i, q in enumerate(questions)
    }


def test_every_library_course_is_complete_in_both_languages():
    library = course_library()
    assert [course.code for course in library.courses] == ["ec_basics", "end_user_review"]
    for course in library.courses:
        assert course.sections and len(course.questions) >= 5
        for section in course.sections:
            assert len(section.body_zh) == len(section.body_en)
            assert len(section.basis_zh) == len(section.basis_en)
            english = " ".join([section.title_en, *section.body_en, *section.basis_en])
            assert not HAN.search(english), section.title_en
            assert all(HAN.search(text) for text in (section.title_zh, *section.body_zh))
        for question in course.questions:
            assert not HAN.search(" ".join([question.text_en, *question.options_en]))
            assert question.basis_zh.startswith("《") and question.basis_en


@pytest.mark.skipif(not LAW_DIR.exists(), reason="the shared law texts are not on this machine")
def test_every_citation_of_the_library_is_in_the_law_texts():
    assert _check("《中华人民共和国两用物项出口管制条例》第二十七条第三款")  # the check can fail
    for course in course_library().courses:
        for section in course.sections:
            for basis in section.basis_zh:
                assert _check(basis) == [], basis
        for question in course.questions:
            assert _check(question.basis_zh) == [], question.basis_zh


def test_adopting_a_course_copies_it_once(world):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="end_user_review"
    )
    assert course.library_code == "end_user_review"
    assert course.topic_zh == "管控名单、最终用户证明和许可证件"
    assert course.pass_mark == 80 and course.refresher_months == 12
    assert sorted(course.audience) == ["compliance", "logistics", "sales"]
    with pytest.raises(ValidationError, match="already has this course"):
        course_adopt(
            organisation=world.organisation, user=world.users["manager"], code="end_user_review"
        )
    with pytest.raises(ValidationError, match="not in the course library"):
        course_adopt(organisation=world.organisation, user=world.users["manager"], code="nope")


def test_only_a_compliance_manager_adopts(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        course_adopt(organisation=world.organisation, user=world.users["staff"], code="ec_basics")
    assert not Course.objects.exists()


def test_a_pass_records_an_attendance_of_the_self_study_session(world):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    staff = world.users["staff"]
    attempt = quiz_submit(
        organisation=world.organisation, user=staff, course=course, answers=_answers("ec_basics")
    )
    assert (attempt.score, attempt.passed) == (100, True)
    assert [m["chosen"] == m["answer"] for m in attempt.marking] == [True] * 5
    session = TrainingSession.objects.get(course=course)
    assert session.is_self_study and session.is_online and session.trainer == ""
    assert attempt.attendance.session == session and attempt.attendance.quiz_score == 100
    cell = next(
        cell
        for cell in training_for_member(
            organisation=world.organisation,
            membership=staff.memberships.get(organisation=world.organisation),
        ).cells
        if cell.course == course
    )
    assert cell.is_valid and cell.attendance_id == attempt.attendance_id


def test_a_fail_is_recorded_without_completing_and_a_retake_can_pass(world):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    staff = world.users["staff"]
    failed = quiz_submit(
        organisation=world.organisation,
        user=staff,
        course=course,
        answers=_answers("ec_basics", wrong=2),
    )
    assert (failed.score, failed.passed, failed.attendance) == (60, False, None)
    assert not Attendance.objects.exists()
    passed = quiz_submit(
        organisation=world.organisation,
        user=staff,
        course=course,
        answers=_answers("ec_basics", wrong=1),
    )
    assert (passed.score, passed.passed) == (80, True)
    best = quiz_submit(
        organisation=world.organisation, user=staff, course=course, answers=_answers("ec_basics")
    )
    assert best.attendance == passed.attendance
    passed.attendance.refresh_from_db()
    assert passed.attendance.quiz_score == 100  # the day's attendance keeps the best score
    assert Attendance.objects.count() == 1 and QuizAttempt.objects.count() == 3


def test_an_incomplete_answer_sheet_is_refused(world):
    course = CourseFactory(organisation=world.organisation, library_code="ec_basics")
    answers = _answers("ec_basics")
    answers.pop("retention")
    with pytest.raises(ValidationError, match="Answer every question"):
        quiz_submit(
            organisation=world.organisation,
            user=world.users["staff"],
            course=course,
            answers=answers,
        )
    assert not QuizAttempt.objects.exists()


def test_an_own_course_has_no_library_quiz(world):
    course = CourseFactory(organisation=world.organisation, pass_mark=60)
    assert library_course_of(course) is None
    with pytest.raises(ValidationError, match="no quiz"):
        quiz_submit(
            organisation=world.organisation, user=world.users["staff"], course=course, answers={}
        )
    response = world.client("staff").get(reverse("icp:course_quiz", args=[course.pk]))
    assert response.status_code == 404


def test_a_self_study_session_cannot_be_edited_by_hand(world):
    from icp.services.training import attendance_scores_record, training_session_update

    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    attempt = quiz_submit(
        organisation=world.organisation,
        user=world.users["staff"],
        course=course,
        answers=_answers("ec_basics"),
    )
    session = attempt.attendance.session
    with pytest.raises(ValidationError, match="self-study"):
        training_session_update(session=session, user=world.users["manager"], trainer="X")
    with pytest.raises(ValidationError, match="self-study"):
        attendance_scores_record(
            session=session, user=world.users["manager"], scores={attempt.attendance_id: 10}
        )


def test_a_session_recorded_by_hand_still_needs_a_trainer(world):
    course = CourseFactory(organisation=world.organisation)
    response = world.client("manager").post(
        reverse("icp:session_create"), {"course": course.pk, "date": "2026-10-10", "trainer": ""}
    )
    assert response.status_code == 200
    assert "trainer" in response.context["form"].errors
    assert not TrainingSession.objects.exists()


def test_staff_journey_read_quiz_result_certificate(world):
    manager, staff = world.client("manager"), world.client("staff")
    response = manager.post(reverse("icp:course_library_adopt", args=["ec_basics"]))
    course = Course.objects.get(library_code="ec_basics")
    assert response.url == course.get_absolute_url()

    page = staff.get(reverse("icp:training_mine")).content.decode()
    assert reverse("icp:course_quiz", args=[course.pk]) in page
    material = staff.get(reverse("icp:course_material", args=[course.pk])).content.decode()
    assert (
        "Keeping records" in material
        and "Dual-use Items Export Control Regulations, Art. 27" in (material)
    )

    # A missing answer re-renders the quiz with the answers given kept.
    answers = _answers("ec_basics", wrong=1)
    partial = {code: str(value) for code, value in answers.items() if code != "retention"}
    response = staff.post(reverse("icp:course_quiz", args=[course.pk]), partial)
    assert response.status_code == 200
    assert response.context["form"].errors["retention"] == ["Choose an answer."]
    assert response.context["form"]["scope"].value() == partial["scope"]
    assert not QuizAttempt.objects.exists()

    response = staff.post(
        reverse("icp:course_quiz", args=[course.pk]),
        {code: str(value) for code, value in answers.items()},
    )
    attempt = QuizAttempt.objects.get()
    assert response.url == attempt.get_absolute_url()
    result = staff.get(response.url).content.decode()
    assert "scored 80 out of 100" in result and "Passed" in result
    assert "Right answer:" in result  # the one wrong answer is explained
    certificate = staff.get(reverse("icp:attendance_certificate", args=[attempt.attendance_id]))
    text = PdfReader(io.BytesIO(certificate.content)).pages[0].extract_text()
    assert "Self-study (course library)" in text


def test_the_pages_read_in_chinese(world):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    client = world.client("staff")
    with translation.override("zh-hans"):
        material = client.get(
            reverse("icp:course_material", args=[course.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    text = material.content.decode()
    assert "资料保存" in text and "《中华人民共和国两用物项出口管制条例》第二十七条" in text
    assert "Keeping records" not in text


def test_the_demo_company_uses_a_library_course_that_two_members_passed():
    call_command("seed_demo", password="a-long-demo-password")
    call_command("seed_demo")  # idempotent
    course = Course.objects.get(organisation__slug="demo", library_code="end_user_review")
    assert QuizAttempt.objects.filter(course=course, passed=True).count() == 2
    assert TrainingSession.objects.filter(course=course, is_self_study=True).count() == 1
