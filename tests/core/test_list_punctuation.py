"""The items of a list and the parts of an aside are separated in the reader's language:
"Egypt, Jordan" and "General licence, valid until 2027-01-01" in English, "埃及、约旦" and
"一般许可证，有效期至 2027-01-01" in Chinese (the enumeration comma and the full-width comma, no
space). Templates write them with `{% listsep %}` and `{% comma %}`, Python with
`core.i18n.joined`, `list_separator` and `clause_separator`; nothing writes a literal ", "
between rendered pieces. Inside `{% blocktranslate %}` the translator owns the comma.
A list whose items have commas of their own is separated by the reader's semicolon ("; " /
"；"): `{% semicolon %}` and `|semicolon_joined`, Python `semicolon_separator` and
`semicolon_joined`; nothing writes a literal "; " (which Chinese readers would see) or "；"
(which English readers would see) between rendered pieces.
"""

import ast
import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

import core.i18n
from core.i18n import (
    clause_separator,
    joined,
    list_separator,
    semicolon_joined,
    semicolon_separator,
)
from tests.core.test_label_punctuation import _NOT_FOR_READERS, APPS, BASE_DIR, template_texts
from trade.models import Licence

LIST_CONTEXT = "between the items of a list"
CLAUSE_CONTEXT = "between the parts of an aside"
SEMICOLON_CONTEXT = "between list items that have commas"

# ---- templates -------------------------------------------------------------------------------

# Where the translator writes the comma, and text nobody reads: blanked out (newlines kept, so
# the line numbers stay right).
_OWN_COMMAS = re.compile(
    r"\{%-?\s*blocktrans(?:late)?\b.*?\{%-?\s*endblocktrans(?:late)?\s*-?%\}"
    r"|\{#.*?#\}|\{%-?\s*comment\b.*?\{%-?\s*endcomment\s*-?%\}"
    r"|<(script|style)\b.*?</\1>"
    # CSS and JavaScript in an attribute ("color: red; width: {{ w }}px")
    r"""|\sstyle\s*=\s*(["']).*?\2|\son[a-z]+\s*=\s*(["']).*?\3""",
    re.S,
)
# A rendered piece: a variable, a tag, the end of an element.
_PIECE_END = r"(?:%\}|\}\}|</[a-z][a-z0-9]*>)"
_PIECE_START = r"(?:\{%|\{\{)"
# The marks: the comma, the semicolon, and the full-width semicolon (English readers see it).
_MARK = "[,;；]"
_TEMPLATE_PATTERNS = [
    # "{{ a }}, {{ b }}", "{% if not forloop.last %}, {% endif %}", "</a>, {% translate … %}",
    # "{% endblocktranslate %}{% if b %}; {% blocktranslate %}", "{{ a }}；{{ b }}"
    re.compile(_PIECE_END + r"[ \t]*" + _MARK + r"(?=[ \t\n]|\{|<)"),
    # "… text, {% translate "due" %}", "…; {{ b }}", "…；{{ b }}"
    re.compile(r"(?:[,;][ \t]+|；[ \t]*)(?:<[a-z][^>]*>)*" + _PIECE_START),
]
# "&nbsp; {{ x }}" is an entity, not a semicolon
_ENTITY = re.compile(r"&#?[a-z0-9]+$", re.I)


def _blank_own_commas(text: str) -> str:
    return _OWN_COMMAS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


# `|join:", "`, `|join:"; "`, `|join:"；"`: rendered even inside blocktranslate (a "with"
# value), so looked for everywhere.
_JOIN_FILTER = re.compile(r"""\|\s*join\s*:\s*(["'])(?:, |; |；|、)\1""")


def template_problems(text: str, name: str) -> list[str]:
    found = {
        m.start(): f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()!r}"
        for m in _JOIN_FILTER.finditer(text)
    }
    text = _blank_own_commas(text)
    for pattern in _TEMPLATE_PATTERNS:
        for match in pattern.finditer(text):
            comma = match.start() + re.search(_MARK, match.group()).start()
            if _ENTITY.search(text, max(0, comma - 12), comma):
                continue
            line = text.count("\n", 0, comma) + 1
            found[comma] = f"{name}:{line}: {text[max(0, comma - 40) : comma + 30]!r}"
    return [found[key] for key in sorted(found)]


def test_no_template_writes_a_literal_separator_between_rendered_pieces():
    problems = [p for name, text in template_texts() for p in template_problems(text, name)]
    assert not problems, (
        'Chinese readers would see ", " or "; ", English readers "；" (write {% listsep %} '
        "between the items of a list, {% semicolon %} between items that have commas and "
        "{% comma %} between the parts of an aside, from icp_tags):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "text",
    [
        "{% for c in countries %}{{ c.name }}{% if not forloop.last %}, {% endif %}{% endfor %}",
        "{% for c in countries %}{{ c }}{% if not forloop.last %},{% endif %}{% endfor %}",
        '{% for i in items %}<a href="x">{{ i }}</a>{% if not forloop.last %}, {% endif %}'
        "{% endfor %}",
        '{{ kind }}, {% translate "valid until" %} {{ date }}',
        "{{ kind }}, {{ valid_from }} – {{ valid_until }}",
        '{{ action.description }} — {{ owner }}, {% translate "due" %} {{ due }}',
        "<strong>{{ a }}</strong>, <strong>{{ b }}</strong>",
        "{{ a }},\n    {{ b }}",
        'score {{ n }}, <em>{% translate "due" %}</em>',
        '{% blocktranslate %}x{% endblocktranslate %}{{ a }}, {% translate "due" %}',
        '{{ countries|join:", " }}',
        '{% blocktranslate with names=m|join:", " %}Listed: {{ names }}{% endblocktranslate %}',
        '{{ section.basis|join:"; " }}',
        "{{ section.basis|join:'; ' }}",
        '{{ citations|join:"；" }}',
        '{{ names|join:"、" }}',
        '{% blocktranslate with names=m|join:"; " %}Listed: {{ names }}{% endblocktranslate %}',
        "{% blocktranslate %}Walked by {{ who }}{% endblocktranslate %}{% if b %}; "
        "{% blocktranslate %}confirmed by {{ who }}{% endblocktranslate %}{% endif %}",
        "{% for c in items %}{{ c }}{% if not forloop.last %}; {% endif %}{% endfor %}",
        "{{ a }}; {{ b }}",
        "{{ a }};{{ b }}",
        "{{ a }}；{{ b }}",
        '</a>; <a href="x">{{ b }}</a>',
        'text; {% translate "due" %}',
        "text；{{ b }}",
    ],
)
def test_the_template_check_finds_each_form(text):
    assert template_problems(text, "x.html")


@pytest.mark.parametrize(
    "text",
    [
        "{% for c in countries %}{{ c.name }}{% if not forloop.last %}{% listsep %}{% endif %}"
        "{% endfor %}",
        '{{ kind }}{% comma %}{% translate "valid until" %} {{ date }}',
        "{% blocktranslate with user=u when=w %}Classified by {{ user }}, {{ when }}"
        "{% endblocktranslate %}",
        "{% blocktrans count n=k %}{{ n }} added, {{ n }} changed{% plural %}{{ n }} added, "
        "{{ n }} changed{% endblocktrans %}",
        "{# {{ a }}, {{ b }} #}",
        "<script>const pair = [{{ a }}, {{ b }}];</script>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '{% translate "Save" %} · {{ name }}',
        "{% for c in items %}{{ c }}{% if not forloop.last %}{% semicolon %}{% endif %}"
        "{% endfor %}",
        "{{ section.basis|semicolon_joined }}",
        "{% blocktranslate %}Walked by {{ a }}; confirmed by {{ b }}{% endblocktranslate %}",
        '<div style="width: {{ w }}%; height: {{ h }}px">x</div>',
        "<div style='color: red; margin: {{ m }}'>x</div>",
        '<button onclick="a(); {{ b }}">x</button>',
        "<script>let a = {{ a }}; {{ b }}</script>",
        "{{ a }}&nbsp; {{ b }}",
        "{{ a }} &middot; {{ b }}",
        '{{ rows|join:"\n" }}',
    ],
)
def test_the_template_check_passes_the_right_forms(text):
    assert not template_problems(text, "x.html")


# ---- Python ----------------------------------------------------------------------------------


# The literal separators a reader would see in the wrong language.
_LITERAL_SEPARATORS = (", ", "; ", "；")


def python_problems(source: str, name: str) -> list[tuple[str, str]]:
    """(where, "path::function") of every `", ".join(…)`, `"; ".join(…)` and `"；".join(…)`."""
    problems = []

    def visit(node, names):
        for child in ast.iter_child_nodes(node):
            inner = names
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = [*names, child.name]
            func = getattr(child, "func", None) if isinstance(child, ast.Call) else None
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "join"
                and isinstance(func.value, ast.Constant)
                and func.value.value in _LITERAL_SEPARATORS
            ):
                where = f"{name}::{'.'.join(names) or '<module>'}"
                problems.append((f'{name}:{child.lineno}: "{func.value.value}".join(…)', where))
            visit(child, inner)

    visit(ast.parse(source), [])
    return problems


# The joins that build data for machines or for a document in a language of its own: each with
# why; the list only shrinks.
ALLOWED = {
    "records/capture.py::capture_install": "the SQL argument list of the capture trigger",
    "screening/forms.py::EntityForm.initial_from": "the countries field's value, which "
    "clean_countries splits on commas again",
    "screening/adapters/csl_json.py::_address": "a listed address built from the source list's "
    "own data (stored and matched, not a separator of ours)",
    "screening/adapters/csl_json.py::parse_csl_json": "a listed entry's programme built from the "
    "source list's data",
    "screening/adapters/un_xml.py::_record": "a listed address built from the source list's data",
    "audits/services/checklist.py::_transaction_items": "the stored sample_reason codes, split "
    'on ", " when shown (the labels are then joined with joined())',
    "icp/services/emergency_templates.py::incident_letter": "the English letter: the letter's "
    "language is the caller's (both letters are shown side by side), not the reader's; the "
    'Chinese one joins with "、"',
    "icp/services/training_library.py::_course": "the library file's loading error, for developers",
}


def test_no_python_code_joins_a_list_for_readers_with_an_ascii_comma():
    problems, allowed_found = [], set()
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if set(_NOT_FOR_READERS) & {*path.parts, path.stem}:
                continue
            name = str(path.relative_to(BASE_DIR))
            for where, function in python_problems(path.read_text(encoding="utf-8"), name):
                if function in ALLOWED:
                    allowed_found.add(function)
                elif not name.startswith("screening/engine/"):  # the engine's own data files
                    problems.append(where)
    assert not set(ALLOWED) - allowed_found, "fixed: remove from ALLOWED"
    assert not problems, 'Chinese readers would see ", " (use core.i18n.joined):\n' + "\n".join(
        problems
    )


@pytest.mark.parametrize(
    "source",
    [
        'x = ", ".join(names)',
        "x = _('Unknown: %s') % ', '.join(sorted(codes))",
        "x = f\"{reason} ({', '.join(t.reference for t in held)})\"",
        'def f(ok):\n    return "、".join(x) if ok else ", ".join(x)',
        'x = "; ".join(str(course) for course in risk.courses.all())',
        'x = _("Several: %(names)s.") % {"names": "; ".join(f"{i} ({i.ref})" for i in f)}',
        'x = "；".join(citations)',
        'x = (gettext("Duties"), lambda p: "; ".join(p.duty_labels))',
    ],
)
def test_the_python_check_finds_each_form(source):
    assert python_problems(source, "x.py")


@pytest.mark.parametrize(
    "source",
    [
        "x = joined(names)",
        'x = "\\n".join(lines)',
        'x = ",".join(codes)',
        "x = semicolon_joined(parts)",
        "x = semicolon_separator().join(parts)",
        'x = text.split(", ")',
    ],
)
def test_the_python_check_passes_the_right_forms(source):
    assert not python_problems(source, "x.py")


def test_the_allowed_joins_are_named_by_their_function():
    source = 'class EntityForm:\n    def initial_from(self):\n        return ", ".join(x)\n'
    assert python_problems(source, "screening/forms.py") == [
        ('screening/forms.py:3: ", ".join(…)', "screening/forms.py::EntityForm.initial_from")
    ]


# ---- the helpers and the tags ----------------------------------------------------------------


@pytest.fixture
def chinese_separators(monkeypatch):
    """The contexts core.i18n asks the catalogue for (the Chinese comes from the catalogue)."""
    real = core.i18n.pgettext
    calls = []

    def pgettext(context, message):
        calls.append(context)
        return real(context, message)

    monkeypatch.setattr(core.i18n, "pgettext", pgettext)
    return calls


def test_the_separators_in_english():
    with translation.override("en"):
        assert list_separator() == ", "
        assert clause_separator() == ", "
        assert joined(["Egypt", "Jordan", 3]) == "Egypt, Jordan, 3"
        assert joined(x for x in ("a",)) == "a"
        assert joined([]) == ""


def test_the_separators_use_their_own_contexts(chinese_separators):
    with translation.override("en"):
        list_separator()
        clause_separator()
        joined(["a", "b"])
    assert chinese_separators == [LIST_CONTEXT, CLAUSE_CONTEXT, LIST_CONTEXT]


def test_the_separators_in_chinese(chinese_separators):
    with translation.override("zh-hans"):
        assert joined(["埃及", "约旦", "伊朗"]) == "埃及、约旦、伊朗"
        assert "一般许可证" + clause_separator() + "有效期至 2027-01-01" == (
            "一般许可证，有效期至 2027-01-01"
        )


def _render(source: str, **context) -> str:
    return Template("{% load i18n icp_tags %}" + source).render(Context(context))


_LIST = "{% for c in items %}{{ c }}{% if not forloop.last %}{% listsep %}{% endif %}{% endfor %}"
_ASIDE = '{{ kind }}{% comma %}{% translate "valid until" %} 2027-01-01'


@pytest.mark.parametrize(
    ("language", "expected_list", "expected_aside"),
    [
        ("en", "Egypt, Jordan", "General, valid until 2027-01-01"),
        ("zh-hans", "埃及、约旦", "一般，"),
    ],
)
def test_the_tags_write_the_readers_separators(
    chinese_separators, language, expected_list, expected_aside
):
    items = ["Egypt", "Jordan"] if language == "en" else ["埃及", "约旦"]
    with translation.override(language):
        assert _render(_LIST, items=items) == expected_list
        assert _render("{{ items|joined }}", items=items) == expected_list
        kind = "General" if language == "en" else "一般"
        assert _render(_ASIDE, kind=kind).startswith(expected_aside)
    assert set(chinese_separators) == {LIST_CONTEXT, CLAUSE_CONTEXT}


def test_the_tags_escape_the_separator(monkeypatch):
    monkeypatch.setattr(core.i18n, "pgettext", lambda context, message: " & ")
    with translation.override("en"):
        assert _render("{% listsep %}|{% comma %}") == " &amp; | &amp; "
        assert _render("{{ items|joined }}", items=["<a>", "b"]) == "&lt;a&gt; &amp; b"
        plain = "{% autoescape off %}{% listsep %}{% endautoescape %}"
        assert _render(plain) == " & "
        assert _render("{% semicolon %}") == " &amp; "
        assert _render("{{ items|semicolon_joined }}", items=["<a>", "b"]) == "&lt;a&gt; &amp; b"


# ---- items that have commas of their own -----------------------------------------------------

_CITATIONS = {
    "en": ["Export Control Law, Art. 12", "Regulations, Art. 14"],
    "zh-hans": ["《出口管制法》第十二条", "《两用物项出口管制条例》第十四条"],
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Export Control Law, Art. 12; Regulations, Art. 14"),
        ("zh-hans", "《出口管制法》第十二条；《两用物项出口管制条例》第十四条"),
    ],
)
def test_items_with_commas_are_separated_by_the_readers_semicolon(
    chinese_separators, language, expected
):
    items = _CITATIONS[language]
    with translation.override(language):
        assert semicolon_joined(items) == expected
        assert semicolon_separator().join(items) == expected
        assert _render("{{ items|semicolon_joined }}", items=items) == expected
        assert _render("{{ a }}{% semicolon %}{{ b }}", a=items[0], b=items[1]) == expected
    assert set(chinese_separators) == {SEMICOLON_CONTEXT}


# ---- a page ----------------------------------------------------------------------------------


def _licence(world):
    today = datetime.date.today()
    return Licence.objects.create(
        organisation=world.organisation,
        number="LIC-SEP",
        kind="general",
        issued_on=today,
        valid_from=today,
        valid_until=today + datetime.timedelta(days=300),
        destinations=["EG", "JO"],
    )


@pytest.mark.django_db
def test_the_licence_page_lists_the_destinations_with_the_list_separator(world, chinese_separators):
    licence = _licence(world)
    url = reverse("transactions:licence_detail", args=[licence.pk])
    page = world.client("manager").get(url).content.decode()
    assert "Egypt, Jordan" in page
    assert LIST_CONTEXT in chinese_separators
    chinese = world.client("manager").get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "埃及、约旦" in chinese


# ---- asides around a rendered value ----------------------------------------------------------

# "(" right before a rendered value: "{{ title }} ({{ holder }})" reads "合规负责人 (王磊)" in
# Chinese; `{% parens %}` writes "合规负责人（王磊）". Inside blocktranslate the translator owns it.
_VALUE_IN_PARENTHESES = re.compile(r"\((?:<[a-z][^>]*>)*\{\{")


def aside_problems(text: str, name: str) -> list[str]:
    text = _blank_own_commas(text)
    return [
        f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {text[m.start() : m.start() + 50]!r}"
        for m in _VALUE_IN_PARENTHESES.finditer(text)
    ]


def test_no_template_writes_ascii_parentheses_around_a_rendered_value():
    problems = [p for name, text in template_texts() for p in aside_problems(text, name)]
    assert not problems, (
        "Chinese readers would see ASCII parentheses (use {% parens %}…{% endparens %}):\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ name }} ({{ list_code }})",
        '<a href="x">{{ report }}</a> (<em>{{ holder }}</em>)',
        '<span class="small">({{ risk.assessment.title }})</span>',
    ],
)
def test_the_aside_check_finds_each_form(text):
    assert aside_problems(text, "x.html")


@pytest.mark.parametrize(
    "text",
    [
        "{{ name }}{% parens %}{{ list_code }}{% endparens %}",
        "{% blocktranslate %}Acknowledged ({{ count }}){% endblocktranslate %}",
        "{# ({{ x }}) #}",
    ],
)
def test_the_aside_check_passes_the_right_forms(text):
    assert not aside_problems(text, "x.html")


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Fang Li (US-CSL)"), ("zh-hans", "Fang Li（US-CSL）")]
)
def test_a_value_in_an_aside_is_in_the_readers_parentheses(language, expected):
    with translation.override(language):
        assert (
            _render("{{ n }}{% parens %}{{ c }}{% endparens %}", n="Fang Li", c="US-CSL")
            == expected
        )
