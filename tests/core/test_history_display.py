"""The change history shows each changed value as the record's own page does (core/history.py):
labels instead of stored codes, a stored sentence once and in the reader's language, a JSON
blob as "changed", never a Python repr; the label's colon is the reader's."""

import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.text import capfirst

from core.history import (
    CHANGED_NOTE,
    _stored_text_of,
    _tracked_fields,
    change_texts,
    history_entries,
    history_field_registered,
)
from core.i18n import label_text
from icp.models import Course, Position
from icp.models.training import TrainingFunction
from reference.choices import Duty
from tests.icp.factories_organisation import PositionFactory
from tests.icp.factories_training import CourseFactory
from tests.screening.conftest import _fresh_index_cache, public_list  # noqa: F401
from tests.trade.factories_transactions import classified_item, controlled_transaction
from trade.models import Transaction, TransactionState
from trade.services.transaction import transaction_approve, transaction_line_add

LANGUAGES = ("en", "zh-hans")
# A Python repr of a dict or list ({'item': ..., ['a', ...) or an empty one.
REPR = re.compile(r"[{\[]\s*['\"]|['\"]\s*[:,]\s*['\"]|\{\}|\[\]|[{}\[\]]")
CODE = re.compile(r"[a-z]+(_[a-z]+)+")
LATIN_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")

# Stored values as the apps write them, (old, new), for the JSON fields of models with history.
# A JSON field missing here is rendered from GENERIC: a list of codes and a dict.
SAMPLES = {
    ("icp.position", "duty_codes"): (["compliance_review"], ["sales_approval", "shipment_release"]),
    ("icp.course", "audience"): (["all"], ["sales", "logistics"]),
    ("icp.quizattempt", "marking"): (
        [{"question": "q1", "chosen": "b", "correct": False}],
        [{"question": "q1", "chosen": "a", "correct": True}],
    ),
    ("trade.licence", "report_duties"): (["actual_shipment"], ["actual_shipment", "arrival"]),
    ("trade.licencepath", "answers"): ({"listed": "yes"}, {"listed": "no"}),
    ("trade.licencepath", "findings"): (["listed_item"], ["listed_item", "catch_all"]),
    ("trade.licencepath", "basis"): (["REGS-14"], ["ECL-12"]),
    ("audits.audit", "elements"): (["E1"], ["E1", "E3"]),
    ("audits.planentry", "elements"): (["E2"], ["E2", "E7"]),
    ("audits.checklistitem", "evidence"): (
        [],
        [{"kind": "transaction", "label": "SO-1", "url": "/trade/1/", "note": "", "added_by": ""}],
    ),
    ("chambers.publication", "content"): ({}, {"number": "2026-1", "summary_zh": "新规"}),
}
GENERIC = (["compliance_review"], {"item": "光电编码器 1 ENC-0001"})


def _history_json_fields():
    for model in apps.get_models():
        if getattr(model._meta, "simple_history_manager_attribute", None) is None:
            continue
        for model_field in _tracked_fields(model):
            if isinstance(model_field, models.JSONField):
                yield model, model_field


def _codes(value) -> set[str]:
    """The stored strings of a sample: none of them may be shown as they are."""
    if isinstance(value, dict):
        return {s for v in [*value.keys(), *value.values()] for s in _codes(v)}
    if isinstance(value, list | tuple):
        return {s for v in value for s in _codes(v)}
    return {value} if isinstance(value, str) and value.lower() == value else set()


def _assert_readable(text, language: str, codes=frozenset(), where=""):
    text = str(text)
    assert not REPR.search(text), f"{where}: a Python repr in {text!r}"
    for part in re.split(r", |、|；|; ", text):
        part = part.strip()
        assert not CODE.fullmatch(part), f"{where}: a stored code in {text!r}"
        assert part not in codes or not part, f"{where}: stored {part!r} shown as it is"
    if language == "zh-hans":
        assert not LATIN_WORD.search(text), f"{where}: English or a code on a Chinese page"


def test_every_json_field_of_a_model_with_history_says_how_it_is_shown():
    """A new JSON field fails here until its app registers a renderer (or "changed")."""
    unregistered = [
        f"{model._meta.label_lower}.{model_field.name}"
        for model, model_field in _history_json_fields()
        if not history_field_registered(model, model_field.name)
    ]
    assert not unregistered, (
        "Register how the change history shows these (core.history.history_field_register): "
        f"{unregistered}"
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_json_field_change_reads_without_reprs_or_codes(language):
    from outreach.citations import citable_provisions

    provisions = [p.ref_id for p in citable_provisions()[:2]]
    assert provisions, "the reference framework names provisions"
    samples = {**SAMPLES, ("outreach.enforcementcase", "provisions"): (provisions[:1], provisions)}
    walked = 0
    for model, model_field in _history_json_fields():
        key = (model._meta.label_lower, model_field.name)
        where = ".".join(key)
        sentence = _stored_text_of(model, model_field.name)
        with translation.override(language):
            if sentence is not None:  # shown once as the sentence, under the text's label
                record = SimpleNamespace(
                    **{sentence.text: "", sentence.code: "", sentence.params: GENERIC[1]}
                )
                _assert_readable(sentence.display(record), language, _codes(GENERIC[1]), where)
                walked += 1
                continue
            old, new = samples.get(key, GENERIC)
            old_text, new_text = change_texts(model, model_field, old, new)
            codes = _codes(old) | _codes(new)
            for text in (old_text, new_text):
                if text is not None:
                    _assert_readable(text, language, codes, where)
            walked += 1
    assert walked >= 14


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unregistered_json_value_reads_as_changed(language):
    """The safe default: no repr, no codes; only that the field changed."""
    model_field = models.JSONField(name="blob", verbose_name="blob")
    with translation.override(language):
        for old, new in [GENERIC, ({"a": 1}, [{"b": "c_d"}])]:
            assert change_texts(Course, model_field, old, new) == (None, str(CHANGED_NOTE))
        assert str(CHANGED_NOTE) == ("changed" if language == "en" else "已更改")


@pytest.fixture
def reader_client(world):
    def client(language):
        c = world.client("manager")
        c.cookies["django_language"] = language
        return c

    return client


def _panel(page: str) -> str:
    panel = page[page.index('id="history"') :]
    return panel[: panel.index("</section>")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_course_audience_reads_as_labels_after_the_readers_colon(world, reader_client, language):
    course = CourseFactory(organisation=world.organisation)
    course.audience = [TrainingFunction.SALES, TrainingFunction.LOGISTICS]
    course.save()

    panel = _panel(reader_client(language).get(course.get_absolute_url()).content.decode())
    with translation.override(language):
        label = capfirst(str(Course._meta.get_field("audience").verbose_name))
        expected_label = label_text(label)
        all_staff = "All staff" if language == "en" else None
        sales, logistics = str(TrainingFunction.SALES.label), str(TrainingFunction.LOGISTICS.label)
        newest = history_entries(course)[0]
    assert f"<li>{expected_label}<del" in panel
    assert sales in panel and logistics in panel
    if all_staff:
        assert all_staff in panel
    for code in ("'all'", ">all<", "sales", "logistics", "['"):
        assert code not in panel
    assert [str(lbl) for lbl, _old, _new in newest.changes] == [str(label).lower()] or [
        capfirst(str(lbl)) for lbl, _old, _new in newest.changes
    ] == [label]
    _assert_readable(newest.changes[0][1], language, {"all"})
    _assert_readable(newest.changes[0][2], language, {"sales", "logistics"})


@pytest.mark.parametrize("language", LANGUAGES)
def test_position_duties_read_as_labels(world, language):
    position = PositionFactory(body__organisation=world.organisation)
    position.duty_codes = [Duty.SALES_APPROVAL]
    position.save()
    with translation.override(language):
        (label, old, new), *rest = history_entries(position)[0].changes
        assert str(label) == str(Position._meta.get_field("duty_codes").verbose_name)
        assert (old, new) == (str(Duty.COMPLIANCE_REVIEW.label), str(Duty.SALES_APPROVAL.label))
    assert not rest
    _assert_readable(new, language, {"sales_approval"})


@pytest.mark.usefixtures("reference", "public_list")
def test_transaction_reason_reads_once_in_the_readers_language(world, reader_client):
    """A Chinese colleague adds an item to an approved transaction; an English reader sees the
    reason once, in English, and neither its code nor its parameters."""
    transaction = controlled_transaction(world, reference="SO-2026-0001")
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED
    item = classified_item(world, name="光电编码器", model_number="ENC-0001")
    with translation.override("zh-hans"):
        transaction_line_add(
            transaction=transaction, user=world.users["staff"], item=item, quantity=1, value=10
        )
    transaction.refresh_from_db()
    assert transaction.state_reason_code == "item_added_after_approval"

    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = {
                name: str(Transaction._meta.get_field(name).verbose_name)
                for name in ("state_reason", "state_reason_code", "state_reason_params")
            }
            entry = next(e for e in history_entries(transaction) if e.changes)
            changes = {str(label): (old, new) for label, old, new in entry.changes}
            assert labels[language]["state_reason_code"] not in changes
            assert labels[language]["state_reason_params"] not in changes
            _old, new = changes[labels[language]["state_reason"]]
            assert new == transaction.state_reason_text
            assert str(item) in new
            for old_text, new_text in changes.values():
                assert not REPR.search(str(old_text)) and not REPR.search(str(new_text))
    # The English page: the sentence in English (the item's name as typed), one "Why" line.
    panel = _panel(reader_client("en").get(transaction.get_absolute_url()).content.decode())
    assert "added after approval" in panel
    assert "批准后" not in panel and "item_added_after_approval" not in panel
    assert "{&#x27;" not in panel and "{'" not in panel
    assert labels["en"]["state_reason_code"].capitalize() not in panel
    assert labels["en"]["state_reason_params"].capitalize() not in panel
    panel_zh = _panel(reader_client("zh-hans").get(transaction.get_absolute_url()).content.decode())
    assert "added after approval" not in panel_zh and "item_added_after_approval" not in panel_zh


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_choice_code_no_longer_among_the_choices_reads_as_removed(language):
    """A plain choices field (not registered) whose stored code was retired: never the code."""
    model_field = models.CharField(
        name="state", verbose_name="state", choices=[("open", "Open"), ("closed", "Closed")]
    )
    with translation.override(language):
        old, new = change_texts(Course, model_field, "retired_state", "open")
        assert (old, new) == (str(translation.gettext("(removed)")), "Open")
        assert "retired_state" not in old
