"""Demo content for E6: three courses, sessions with attendance and quiz scores, and one person
whose annual refresher has lapsed (so the overdue list and coverage show something true)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.demo import DemoContext, demo_seeder
from icp.models import (
    ALL_STAFF,
    Attendance,
    Course,
    QuizAttempt,
    TrainingFunction,
    TrainingProfile,
    TrainingSession,
)
from icp.services.training_library import course_adopt, library_course_of, quiz_submit

DEMO_LIBRARY_COURSE = "end_user_review"

COURSES = [
    {
        "topic_zh": "出口管制法规基础",
        "topic_en": "Export control law: the basics",
        "description_zh": (
            "《出口管制法》《两用物项出口管制条例》的主要义务；管制清单与临时管制；"
            "许可证申请；最终用户和最终用途证明；违规后果；公司内部合规制度与举报渠道。"
        ),
        "description_en": (
            "The main duties under the Export Control Law and the Dual-Use Items Export Control "
            "Regulations; control lists and temporary controls; licences; end-user and end-use "
            "certificates; penalties; our internal compliance programme and how to report."
        ),
        "audience": [ALL_STAFF],
        "duration_minutes": 120,
        "refresher_months": 12,
        "pass_mark": 60,
    },
    {
        "topic_zh": "红旗信号识别",
        "topic_en": "Recognising red flags",
        "description_zh": (
            "客户不愿说明最终用途、要求发往自由贸易区的贸易公司、付款方与买方不一致、"
            "订购数量与业务规模不符等警示信号；发现后如何暂停订单并上报合规经理。"
        ),
        "description_en": (
            "Warning signs such as a customer unwilling to state the end use, delivery to a "
            "trading company in a free trade zone, a payer who is not the buyer, quantities out "
            "of line with the business; how to hold the order and escalate to compliance."
        ),
        "audience": [TrainingFunction.SALES, TrainingFunction.COMPLIANCE],
        "duration_minutes": 90,
        "refresher_months": 12,
        "pass_mark": 70,
    },
    {
        "topic_zh": "物项分类",
        "topic_en": "Classifying items against the dual-use list",
        "description_zh": (
            "对照《两用物项出口管制清单》为编码器、传感器和数控部件确定管制编码；"
            "技术参数的读取、归类记录的填写、拿不准时向商务部咨询。"
        ),
        "description_en": (
            "Finding the control code of our encoders, sensors and CNC parts in the PRC "
            "dual-use list; reading the technical parameters, recording the classification, and "
            "consulting MOFCOM when unsure."
        ),
        "audience": [TrainingFunction.ENGINEERING, TrainingFunction.COMPLIANCE],
        "duration_minutes": 180,
        "refresher_months": 24,
        "pass_mark": None,
    },
]


def demo_courses(organisation) -> dict[str, Course]:
    """The demo courses by Chinese topic; the risk seeder links mitigations to them."""
    courses = {}
    for values in COURSES:
        course, _created = Course.objects.get_or_create(
            organisation=organisation,
            topic_zh=values["topic_zh"],
            defaults={k: v for k, v in values.items() if k != "topic_zh"},
        )
        courses[course.topic_zh] = course
    return courses


# (course, trainer, location, online, months ago, [(user key, quiz score)])
SESSIONS = [
    (
        "出口管制法规基础",
        "李娜律师（外部律师事务所）",
        "苏州工业园区总部三楼培训室",
        False,
        13,  # a year and a month ago: the annual refresher of those who attended has lapsed
        [("staff", 85)],
    ),
    (
        "出口管制法规基础",
        "陈静 Chen Jing",
        "腾讯会议",
        True,
        2,
        [("manager", 95), ("executive", 80), ("auditor", 88)],
    ),
    (
        "红旗信号识别",
        "陈静 Chen Jing",
        "苏州工业园区总部二楼销售部会议室",
        False,
        4,
        [("staff", 82), ("manager", 100)],
    ),
    (
        "物项分类",
        "苏州市商务局出口管制专题讲座",
        "苏州国际博览中心",
        False,
        8,
        [("manager", None)],
    ),
]


@demo_seeder(order=23)
def seed_training(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    courses = demo_courses(organisation)
    TrainingProfile.objects.get_or_create(
        organisation=organisation,
        user=ctx.users["staff"],
        defaults={"function": TrainingFunction.SALES},
    )
    today = timezone.localdate()
    for topic, trainer, location, online, months_ago, attendees in SESSIONS:
        # Natural key without the date: the date is relative to the first seeding.
        session, created = TrainingSession.objects.get_or_create(
            organisation=organisation,
            course=courses[topic],
            trainer=trainer,
            defaults={
                "date": today - relativedelta(months=months_ago) - datetime.timedelta(days=3),
                "location": location,
                "is_online": online,
            },
        )
        if created:
            ctx.log(f"training session {topic} {session.date}")
        for key, score in attendees:
            Attendance.objects.get_or_create(
                organisation=organisation,
                session=session,
                user=ctx.users[key],
                defaults={"quiz_score": score},
            )


@demo_seeder(order=24)
def seed_course_library(ctx: DemoContext) -> None:
    """The demo uses one library course; its staff member and compliance manager passed the quiz."""
    organisation = ctx.organisations["demo"]
    course = Course.objects.for_organisation(organisation).filter(library_code=DEMO_LIBRARY_COURSE)
    course = course.first() or course_adopt(
        organisation=organisation, user=ctx.users["manager"], code=DEMO_LIBRARY_COURSE
    )
    entry = library_course_of(course)
    for key in ("staff", "manager"):
        user = ctx.users[key]
        if not QuizAttempt.objects.filter(course=course, user=user).exists():
            quiz_submit(
                organisation=organisation,
                user=user,
                course=course,
                answers={question.code: question.answer for question in entry.questions},
            )
            ctx.log(f"quiz passed: {course.library_code} by {key}")
