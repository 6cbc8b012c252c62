"""A label and an aside are punctuated in the reader's language: "Deputy: 王磊" and
"Compliance officer (deputy)" in English, "副职（B角）：王磊" and "合规负责人（副职（B角））" in
Chinese (full-width colon and parentheses, no space). Templates write them with `{% label %}` and
`{% parens %}`, Python with `core.i18n.label_text`, `labelled` and `parenthesised`; nothing
writes a literal ":" after, or "(" around, a translated text.
"""

import ast
import itertools
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from core.i18n import label_text, labelled, parenthesised, sentences
from icp.models import ComplianceBody

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES = BASE_DIR / "templates"
APPS = (
    "accounts",
    "audits",
    "chambers",
    "core",
    "icp",
    "notices",
    "onboarding",
    "outreach",
    "providers",
    "records",
    "reference",
    "screening",
    "trade",
)

# A translated text in a template: a translate tag, the end of a translated block, the manual's
# {% tr %}, {% choice %}, {% lazy %} and {% tx %}, or a choice's display label.
_TRANSLATED = (
    r"(?:\{%-?\s*(?:translate|trans|tr|choice|lazy|tx)\s[^%]*%\}"
    r"|\{%-?\s*(?:endblocktranslate|endblocktrans)\s*-?%\}"
    r"|\{\{[^}]*\bget_\w+_display\b[^}]*\}\})"
)
_OPENING = r"\{%-?\s*(?:translate|trans|tr|label|choice|lazy|tx|blocktranslate|blocktrans)\s"
# What may stand between the text and the mark: closing tags and the ends of conditions after it,
# opening tags and conditions before it.
_AFTER = r"(?:</[a-z]+>|\{%-?\s*(?:endif|endfor)\s*-?%\})*"
_BEFORE = r"(?:<[a-z][^>]*>|\{%-?\s*(?:if|elif|else)\b[^%]*%\})*"
_TEMPLATE_PATTERNS = [
    (
        re.compile(_TRANSLATED + _AFTER + ":"),
        'a translated label followed by ":" (write {% label _("…") %} before the value)',
    ),
    (
        re.compile(_TRANSLATED + _AFTER + r"[ \t]*\("),
        'a translated text followed by "(" (write the aside in {% parens %}…{% endparens %})',
    ),
    (
        re.compile(r"\(" + _BEFORE + "(?:" + _OPENING + "|" + _TRANSLATED + ")"),
        'a translated text after "(" (write the aside in {% parens %}…{% endparens %})',
    ),
]


# A colon between two rendered pieces: "{{ owner }}: {{ status }}", "{% endif %}: {{ x }}",
# "</a>: {{ text }}" (the value before it is the label, and may be translated: a choice, a
# kind, a user's name before what they did). ": " reads "王磊: 已完成" in Chinese, and "："
# reads "Wang Lei：done" in English; `{% label value %}` (or `{% colon %}` after a link) writes
# the reader's colon.
_VALUE_END = (
    r"(?:\}\}|\{%-?\s*(?:if|elif|else|endif|endfor|endwith|endparens)\b[^%]*%\}"
    r"|</(?:a|b|code|em|span|strong)>)"
)
_VALUE_COLON = re.compile(
    _VALUE_END + r"(?:[ \t]*:[ \t]+|[ \t]*：[ \t]*)(?:<[a-z][^>]*>)*(?:\{\{|\{%)"
)
# Where the colon is not ours to write, or not text: blanked out (newlines kept) before the
# colon check. The translator's (blocktranslate), comments, JavaScript and CSS, and attribute
# values (style="width: {{ w }}%", data-*, content, href).
_NOT_TEXT = re.compile(
    r"\{%-?\s*blocktrans(?:late)?\b.*?\{%-?\s*endblocktrans(?:late)?\s*-?%\}"
    r"|\{#.*?#\}|\{%-?\s*comment\b.*?\{%-?\s*endcomment\s*-?%\}"
    r"|<(script|style)\b.*?</\1>"
    r"""|\s[a-zA-Z_:@.-]+\s*=\s*(?:"[^"]*"|'[^']*')""",
    re.S,
)


def _blank(text: str) -> str:
    return _NOT_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def template_problems(text: str, name: str) -> list[str]:
    problems = []
    for pattern, what in _TEMPLATE_PATTERNS:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{name}:{line}: {what}: {match.group()[:90]!r}")
    blanked = _blank(text)
    for match in _VALUE_COLON.finditer(blanked):
        line = blanked.count("\n", 0, match.start()) + 1
        problems.append(
            f"{name}:{line}: a colon between rendered pieces (write {{% label value %}} before "
            f"the next, or {{% colon %}} after a link): {match.group()[:90]!r}"
        )
    return problems


def template_texts():
    """(name, text) of every template a reader sees: pages, documents and e-mails."""
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt", ".xml") and path.is_file():
            yield str(path.relative_to(BASE_DIR)), path.read_text(encoding="utf-8")


def test_no_template_writes_ascii_punctuation_around_a_translated_text():
    problems = [p for name, text in template_texts() for p in template_problems(text, name)]
    assert not problems, (
        "Chinese readers would see English punctuation (use {% label %} / {% parens %} from "
        "icp_tags):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "text",
    [
        '<span>{% translate "Deputy" %}: {{ deputy }}</span>',
        '<strong>{% translate "Outcome" %}:</strong> {{ outcome }}',
        '{% trans "Owner" %}:{{ owner }}',
        '{% tr _("Unified social credit code") %}: {{ code }}',
        "{% blocktranslate %}Sampled{% endblocktranslate %}: {{ why }}",
        "{{ state.get_state_display }}: {{ reason }}",
        '{{ title }} ({% translate "holder" %})',
        '{{ title }} (<em>{% translate "deputy" %}</em>)',
        "{{ flag }} ({{ flag.get_severity_display }})",
        '{% translate "Weaker similarities" %} ({{ count }})',
        '{{ title }} ({% if holder %}{% translate "holder" %}{% else %}…{% endif %})',
        '{% if a %}{% translate "Owner" %}{% endif %}: {{ owner }}',
        # a colon after a rendered value, before rendered content
        "{{ link.kind }}: {{ link.label }}",
        '{{ action.due_date|date:"Y-m-d" }}: {{ action.get_status_display }}',
        "{{ t.get_state_display }}{% if t.state_reason %}: {{ t.state_reason_text }}{% endif %}",
        '{% translate "Resolved by" %} {{ row.resolved_by }}: {{ row.resolution }}',
        '<span class="me-2">{{ action.owner }}: {{ action.get_status_display }}</span>',
        '<a href="{{ url }}">{{ ref }}</a>: {{ finding.item|loc:"text" }}',
        '{{ a.user }}: {{ a.reasons|join:" " }}',
        "{% parens %}{{ code }}{% endparens %}: {{ site_url }}{{ path }}",
        "{% if x %}{{ a }}{% endif %}: {% if y %}{{ b }}{% endif %}",
        "{% else %}: <strong>{{ b }}</strong>",
        "{{ owner }}：{{ status }}",
        '</strong>: {% translate "done" %}',
    ],
)
def test_the_template_check_finds_each_form(text):
    assert template_problems(text, "x.html")


@pytest.mark.parametrize(
    "text",
    [
        '{% label _("Deputy") %}{{ deputy }}',
        '{{ title }}{% parens %}{% translate "holder" %}{% endparens %}',
        "{% blocktranslate %}Signed by {{ name }} ({{ title }}){% endblocktranslate %}",
        '{% translate "Save" %} <a href="x">{{ name }}</a>',
        "{% label link.kind %}{{ link.label }}",
        '<a href="{{ url }}">{{ ref }}</a>{% colon %}{{ text }}',
        '<div style="width: {{ w }}%; color: {{ c }}">x</div>',
        "<div data-x=\"{{ a }}: {{ b }}\" title='{{ a }}: {{ b }}'>x</div>",
        "{{ site_url }}{{ path }} https://{{ host }}/x",
        "{{ start|time:'H:i' }} 10:30 {{ hours }}:{{ minutes }}",
        "<script>const a = {x: {{ a }}, y: {{ b }}};</script>",
        "<style>.a{{ b }} { color: {{ c }} }</style>",
        "{% blocktranslate %}{{ who }}: {{ what }}{% endblocktranslate %}",
        "{# {{ a }}: {{ b }} #}",
        "{{ a }}: text written by hand",
    ],
)
def test_the_template_check_passes_the_right_forms(text):
    assert not template_problems(text, "x.html")


# ---- Python ----------------------------------------------------------------------------------

_GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}


def _translated(node) -> bool:
    """An expression that reads as a translated text: a gettext call, a form field's or a
    row's `label`, a choice's `get_<field>_display()`."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Name) and func.id in _GETTEXT:
                return True
            if isinstance(func, ast.Attribute) and re.fullmatch(r"get_\w+_display", func.attr):
                return True
        # a model's `_meta.label` ("trade.transaction") is a name for developers
        developers = isinstance(sub, ast.Attribute) and getattr(sub.value, "attr", "") == "_meta"
        if isinstance(sub, ast.Attribute) and sub.attr == "label" and not developers:
            return True
        if isinstance(sub, ast.Name) and sub.id == "label":
            return True
    return False


def _pieces(node) -> list:
    """The parts of an f-string, or of a chain of `+`, in order."""
    if isinstance(node, ast.JoinedStr):
        return [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left) + _pieces(node.right)
    return [node]


def _text(piece) -> str | None:
    if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
        return piece.value
    return None


def python_problems(source: str, name: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.JoinedStr)
            or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add))
        ):
            continue
        pieces = _pieces(node)
        for before, after in itertools.pairwise(pieces):
            after_text, before_text = _text(after), _text(before)
            if after_text is not None and _translated(before) and after_text.startswith(":"):
                problems.append(f'{name}:{node.lineno}: a translated label followed by ":"')
            if after_text is not None and _translated(before) and after_text.lstrip(" ")[:1] == "(":
                problems.append(f'{name}:{node.lineno}: a translated text followed by "("')
            if before_text is not None and before_text.endswith("(") and _translated(after):
                problems.append(f'{name}:{node.lineno}: a translated text after "("')
    return problems


# Modules whose strings no reader sees in a page, a document or a message: migrations, the
# console output of commands and of the demo seeders.
_NOT_FOR_READERS = ("migrations", "management", "demo")
# Each with why; the list only shrinks.
ALLOWED = {
    "accounts/models.py": "Membership.__str__ names a membership in the admin only; accounts is "
    "below core and cannot use core.i18n",
}


def test_no_python_code_writes_ascii_punctuation_around_a_translated_text():
    problems = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if set(_NOT_FOR_READERS) & {*path.parts, path.stem}:
                continue
            name = str(path.relative_to(BASE_DIR))
            found = python_problems(path.read_text(encoding="utf-8"), name)
            if name in ALLOWED:
                assert found, f"{name} is fixed: remove it from ALLOWED"
                continue
            problems += found
    assert not problems, (
        "Chinese readers would see English punctuation (use core.i18n.labelled / "
        "parenthesised):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "source",
    [
        'x = f"{form.fields[name].label}: {errors}"',
        'x = f"{label}: {percent}%"',
        'x = _("Approved") + " (" + _("superseded") + ")"',
        'x = f"{self.title} ({self.get_level_display()})"',
        'x = f"{self.get_role_display()}: {self.party}"',
    ],
)
def test_the_python_check_finds_each_form(source):
    assert python_problems(source, "x.py")


@pytest.mark.parametrize(
    "source",
    [
        "x = labelled(form.fields[name].label, errors)",
        'x = _("Approved") + parenthesised(_("superseded"))',
        'x = f"{type(exc).__name__}: {exc}"',
        'x = f"{self.name} ({self.entity_id})"',
    ],
)
def test_the_python_check_passes_the_right_forms(source):
    assert not python_problems(source, "x.py")


# ---- the helpers and the tags ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected_label", "expected_aside"),
    [
        ("en", "Deputy: ", "Compliance officer (deputy)"),
        ("zh-hans", "副职（B角）：", "合规负责人（副职（B角））"),
    ],
)
def test_the_helpers_punctuate_in_the_readers_language(language, expected_label, expected_aside):
    with translation.override(language):
        assert label_text(translation.gettext("Deputy")) == expected_label
        officer = "Compliance officer" if language == "en" else "合规负责人"
        assert officer + parenthesised(translation.gettext("deputy")) == expected_aside
        assert labelled(translation.gettext("Deputy"), "王磊") == expected_label + "王磊"


def _render(source: str, **context) -> str:
    return Template("{% load i18n icp_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Deputy: 王磊"), ("zh-hans", "副职（B角）：王磊")],
)
def test_the_label_tag_writes_the_readers_colon(language, expected):
    with translation.override(language):
        assert _render('{% label _("Deputy") %}{{ deputy }}', deputy="王磊") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Compliance officer (deputy)"), ("zh-hans", "合规负责人（副职（B角））")],
)
def test_the_parens_tag_writes_the_readers_parentheses(language, expected):
    officer = "Compliance officer" if language == "en" else "合规负责人"
    with translation.override(language):
        rendered = _render(
            '{{ officer }}{% parens %}{% translate "deputy" %}{% endparens %}', officer=officer
        )
    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", '<a href="x">Q-1</a>: text|Wang Lei: done'),
        ("zh-hans", '<a href="x">Q-1</a>：text|Wang Lei：done'),
    ],
)
def test_a_colon_after_a_rendered_value_is_the_readers(language, expected):
    source = '<a href="x">{{ ref }}</a>{% colon %}text|{% label owner %}{{ status }}'
    with translation.override(language):
        assert _render(source, ref="Q-1", owner="Wang Lei", status="done") == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["Only a manager approves.", "Prepared it."], "Only a manager approves. Prepared it."),
        (["只有合规经理审批。", "由其编制。"], "只有合规经理审批。由其编制。"),
        (["One.", "", "Two."], "One. Two."),
        ([], ""),
    ],
)
def test_sentences_follow_each_other_in_their_own_punctuation(items, expected):
    assert sentences(items) == expected
    assert _render("{{ items|sentences }}", items=items) == expected


def test_the_tags_escape_the_text_once():
    with translation.override("en"):
        assert _render("{% label name %}", name="<b>&") == "&lt;b&gt;&amp;: "
        assert _render("{% parens %}{{ name }}{% endparens %}", name="<b>&") == " (&lt;b&gt;&amp;)"
        plain = "{% autoescape off %}{% label name %}{% parens %}{{ name }}{% endparens %}"
        assert _render(plain + "{% endautoescape %}", name="<b>") == "<b>:  (<b>)"


@pytest.mark.parametrize(
    ("mode", "language", "expected"),
    [
        ("zh", "zh-hans", "统一社会信用代码：9132|委员会（委员会）"),
        ("en", "en", "Unified social credit code: 9132|Committee (Committee)"),
        (
            "bilingual",
            "zh-hans",
            '统一社会信用代码：<span class="en" lang="en">Unified social credit code: </span>9132|'
            '委员会<span class="en" lang="en">Committee</span>'
            '（委员会）<span class="en" lang="en"> (Committee)</span>',
        ),
    ],
)
def test_the_manual_punctuates_in_its_own_language_or_both(mode, language, expected):
    body = ComplianceBody(kind="committee")
    source = (
        '{% load manual_tags %}{% tr_label _("Unified social credit code") %}{{ code }}|'
        '{% choice body "kind" %}{% choice body "kind" aside=True %}'
    )
    with translation.override(language):
        rendered = Template(source).render(
            Context({"manual_mode": mode, "body": body, "code": "9132"})
        )
    assert rendered == expected
