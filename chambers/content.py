"""What a chamber shares for members to adopt, as data: a course written on the publication
form (material in sections, a quiz), and recommended manual settings.

A course's material is Markdown-like text: a line starting with "## " opens a section (the text
before the first heading is a section under the course's title), blank lines separate
paragraphs. A quiz is one block per question, blocks separated by a blank line: the question's
line, then one line per option starting with "-", the right one with "*". The English quiz,
when given, asks the same questions with the same options in the same order.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from icp.models import ALL_STAFF, ManualEdition, ManualLanguage
from icp.services.training_library import LibraryCourse, course_from_data

from .models import Publication, PublicationKind, PublicationStatus

COURSE_CODE_PREFIX = "chamber:"
DEFAULT_DURATION_MINUTES = 30


def course_code(publication) -> str:
    """The code a member's course keeps to read the shared material and quiz."""
    return f"{COURSE_CODE_PREFIX}{publication.pk}"


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split("\n")).strip() for p in text.split("\n\n") if p.strip()]


def _sections(text: str, title: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    heading, lines = title, []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("## "):
            if _paragraphs("\n".join(lines)):
                sections.append((heading, _paragraphs("\n".join(lines))))
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if _paragraphs("\n".join(lines)):
        sections.append((heading, _paragraphs("\n".join(lines))))
    return sections


def _questions(text: str, field: str) -> list[tuple[str, list[str], int]]:
    questions = []
    blocks = [b for b in (text or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    for number, block in enumerate(blocks, start=1):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        question, options = lines[0], lines[1:]
        if any(line[:1] not in "-*" for line in options) or len(options) < 2:
            raise ValidationError(
                {
                    field: _(
                        "Question %(number)d: give at least two options, each on its own line "
                        "starting with - (the right one with *)."
                    )
                    % {"number": number}
                }
            )
        right = [i for i, line in enumerate(options) if line.startswith("*")]
        if len(right) != 1:
            raise ValidationError(
                {
                    field: _("Question %(number)d: mark exactly one option as right with *.")
                    % {"number": number}
                }
            )
        questions.append((question, [line[1:].strip() for line in options], right[0]))
    return questions


def course_content(data: dict) -> dict:
    """The course as the course library holds one, from the publication form; every problem is
    a ValidationError on its field."""
    title_zh = (data.get("title_zh") or "").strip()
    title_en = (data.get("title_en") or "").strip() or title_zh
    sections_zh = _sections(data.get("body_zh") or "", title_zh)
    sections_en = _sections(data.get("body_en") or "", title_en) or sections_zh
    if len(sections_en) != len(sections_zh):
        raise ValidationError(
            {"body_en": _("The English material needs the same sections as the Chinese.")}
        )
    quiz_zh = _questions(data.get("quiz_zh") or "", "quiz_zh")
    if not quiz_zh:
        raise ValidationError({"quiz_zh": _("A course needs a quiz of at least one question.")})
    quiz_en = _questions(data.get("quiz_en") or "", "quiz_en") or quiz_zh
    if [(len(q[1]), q[2]) for q in quiz_en] != [(len(q[1]), q[2]) for q in quiz_zh]:
        raise ValidationError(
            {
                "quiz_en": _(
                    "The English quiz needs the same questions, options and right answers as "
                    "the Chinese."
                )
            }
        )
    pass_mark = data.get("pass_mark")
    if pass_mark is None or not 0 < pass_mark <= 100:
        raise ValidationError({"pass_mark": _("Give the pass mark, 1 to 100.")})
    content = {
        "code": "shared",
        "topic_zh": title_zh,
        "topic_en": title_en,
        "summary_zh": (data.get("summary_zh") or "").strip(),
        "summary_en": (data.get("summary_en") or "").strip(),
        "audience": [ALL_STAFF],
        "duration_minutes": data.get("duration_minutes") or DEFAULT_DURATION_MINUTES,
        "refresher_months": None,
        "pass_mark": pass_mark,
        "sections": [
            {
                "title_zh": zh[0],
                "title_en": en[0],
                "body_zh": zh[1],
                "body_en": en[1],
                "basis_zh": [],
                "basis_en": [],
            }
            for zh, en in zip(sections_zh, sections_en, strict=True)
        ],
        "questions": [
            {
                "code": f"q{number}",
                "text_zh": zh[0],
                "text_en": en[0],
                "options_zh": zh[1],
                "options_en": en[1],
                "answer": zh[2],
                "basis_zh": "",
                "basis_en": "",
            }
            for number, (zh, en) in enumerate(zip(quiz_zh, quiz_en, strict=True), start=1)
        ],
    }
    try:
        course_from_data(content)
    except ValueError as exc:  # the library's own check, in case the form let something by
        raise ValidationError({"quiz_zh": str(exc)}) from exc
    return content


def shared_course(code: str) -> LibraryCourse | None:
    """The published course a member's course was added from (registered with the course
    library). A member that left the chamber keeps reading it: its course and attempts are its
    records, and a published course never changes."""
    pk = code.removeprefix(COURSE_CODE_PREFIX)
    if not pk.isdigit():
        return None
    publication = Publication.objects.filter(
        pk=int(pk), kind=PublicationKind.TRAINING_COURSE, status=PublicationStatus.PUBLISHED
    ).first()
    if publication is None:
        return None
    return course_from_data({**publication.content, "code": code})


def manual_settings_content(data: dict) -> dict:
    """The recommended manual settings from the publication form."""
    errors = {}
    if data.get("manual_language") not in ManualLanguage.values:
        errors["manual_language"] = _("Choose the manual's language.")
    if data.get("manual_edition") not in ManualEdition.values:
        errors["manual_edition"] = _("Choose the full or the concise edition.")
    if errors:
        raise ValidationError(errors)
    return {
        "language": data["manual_language"],
        "edition": data["manual_edition"],
        "foreign_law_annex": bool(data.get("manual_foreign_law_annex")),
    }


def manual_settings_values(content: dict) -> dict:
    return {
        "language": content.get("language", ""),
        "edition": content.get("edition", ""),
        "foreign_law_annex": bool(content.get("foreign_law_annex")),
    }


def shared_view(publication) -> dict:
    """What the publication shares, for its page: the list version and its entry count, the
    course (material and quiz), or the settings with their labels."""
    content = publication.content or {}
    if publication.list_version_id:
        return {"list_version": publication.list_version, "entries": len(content.get("rows", []))}
    if publication.kind == PublicationKind.TRAINING_COURSE and content:
        return {"course": course_from_data({**content, "code": course_code(publication)})}
    if publication.kind == PublicationKind.MANUAL_SETTINGS and content:
        return {
            "manual_language": ManualLanguage(content["language"]).label,
            "manual_edition": ManualEdition(content["edition"]).label,
            "manual_annex": content.get("foreign_law_annex", False),
        }
    return {}
