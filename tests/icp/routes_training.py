from icp.services.training_library import course_library, quiz_submit
from tests.icp.factories_training import AttendanceFactory, CourseFactory, TrainingSessionFactory
from tests.routes import EDITORS, EVERY_MEMBER, READERS, Route, expect, own_record


def _course(world):
    return [CourseFactory(organisation=world.organisation).pk]


def _session(world):
    session = TrainingSessionFactory(course__organisation=world.organisation, course__pass_mark=60)
    AttendanceFactory(session=session, user=world.users["staff"], quiz_score=80)
    return [session.pk]


def _attendance_of(persona):
    def args(world):
        return [
            AttendanceFactory(
                session__course__organisation=world.organisation, user=world.users[persona]
            ).pk
        ]

    return args


def _library_course(world):
    return [CourseFactory(organisation=world.organisation, library_code="ec_basics").pk]


def _attempt_of(persona):
    def args(world):
        course = CourseFactory(organisation=world.organisation, library_code="ec_basics")
        questions = course_library().get("ec_basics").questions
        attempt = quiz_submit(
            organisation=world.organisation,
            user=world.users[persona],
            course=course,
            answers={question.code: 0 for question in questions},
        )
        return [attempt.pk]

    return args


ROUTES = [
    Route("icp:course_library", READERS),
    # Adding a library course adds it to the poster's own organisation (an outsider's too).
    Route(
        "icp:course_library_adopt",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        args=lambda world: ["end_user_review"],
        method="post",
    ),
    Route("icp:course_material", own_record(EVERY_MEMBER), args=_library_course),
    Route("icp:course_quiz", own_record(EVERY_MEMBER), args=_library_course),
    Route("icp:quiz_attempt_detail", own_record(EVERY_MEMBER), args=_attempt_of("staff")),
    Route(
        "icp:quiz_attempt_detail",
        own_record({**READERS, "staff": 404}),
        args=_attempt_of("auditor"),
        id="icp:quiz_attempt_detail:someone_else",
    ),
    # Staff are sent on to their own training.
    Route("icp:training_overview", {**EVERY_MEMBER, "staff": 302}),
    Route("icp:training_mine", EVERY_MEMBER),
    Route("icp:training_matrix", READERS),
    Route("icp:training_overdue", READERS),
    Route("icp:training_functions", EDITORS),
    Route("icp:course_list", READERS),
    Route("icp:course_create", EDITORS),
    Route("icp:course_detail", own_record(READERS), args=_course),
    Route("icp:course_update", own_record(EDITORS), args=_course),
    Route("icp:session_list", READERS),
    Route("icp:session_create", EDITORS),
    Route("icp:session_detail", own_record(READERS), args=_session),
    Route("icp:session_update", own_record(EDITORS), args=_session),
    Route("icp:session_results", own_record(EDITORS), args=_session),
    # Everyone may download their own certificate; readers every certificate.
    Route("icp:attendance_certificate", own_record(EVERY_MEMBER), args=_attendance_of("staff")),
    Route(
        "icp:attendance_certificate",
        own_record({**READERS, "staff": 404}),
        args=_attendance_of("auditor"),
        id="icp:attendance_certificate:someone_else",
    ),
]
