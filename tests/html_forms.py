"""Read the data a browser would submit from a rendered HTML form (standard library only).

`form_data(html, action=url)` returns the successful controls of the first POST form whose
action is `url` (or empty, meaning the page itself), as a dict of lists: what a browser sends when
the user presses submit without touching anything.
"""

import re
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}
# What a browser keeps of an input's value (the HTML "value sanitization algorithm"): anything
# else becomes "" - a date rendered 2026/12/05 is submitted empty.
VALID_VALUES = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "number": re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"),
}


def sanitized(kind: str, value: str) -> str:
    pattern = VALID_VALUES.get(kind)
    if pattern is not None and not pattern.fullmatch(value):
        return ""
    return value


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [{"action":..., "method":..., "fields": [(name, value)]}]
        self._form = None
        self._select = None  # (name, multiple, options [(value, selected)], disabled)
        self._option = None  # [value or None, selected, text]
        self._textarea = None  # [name, text parts, disabled]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        disabled = "disabled" in attrs
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if not name or disabled or kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value", "on")))
                return
            self._form["fields"].append((name, sanitized(kind, attrs.get("value") or "")))
        elif tag == "select":
            self._select = (name, "multiple" in attrs, [], disabled)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea":
            self._textarea = [name, [], disabled]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            name, multiple, options, disabled = self._select
            self._select = None
            if not name or disabled or not options:
                return
            selected = [value for value, chosen in options if chosen]
            if not multiple and not selected:
                selected = [options[0][0]]  # a browser submits the first option
            if not multiple:
                selected = selected[-1:]
            self._form["fields"].extend((name, value) for value in selected)
        elif tag == "textarea" and self._textarea is not None:
            name, parts, disabled = self._textarea
            self._textarea = None
            if name and not disabled:
                text = "".join(parts)
                # HTML drops one newline right after <textarea>.
                self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
        elif tag == "form":
            self._form = None

    def _close_option(self):
        if self._option is None:
            return
        value, selected, text = self._option
        self._option = None
        self._select[2].append((text.strip() if value is None else value, selected))


def post_forms(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]


def form_data(html: str, *, action: str) -> dict[str, list[str]]:
    """The fields of the POST form that submits to `action` (or to the page itself)."""
    candidates = [form for form in post_forms(html) if form["action"] in ("", action)]
    assert candidates, f"no POST form submitting to {action}"
    data: dict[str, list[str]] = {}
    for name, value in candidates[0]["fields"]:
        data.setdefault(name, []).append(value)
    return data
