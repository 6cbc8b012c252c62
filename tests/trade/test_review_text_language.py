"""The review checklist's problems and notes and the pre-filled red-flag notes are stored (and
frozen with an approval) as codes and parameters, and read in the reader's language; sentences
stored before codes, in either language, are recognised."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from trade.models import Answer, RedFlagAnswer
from trade.review_text import TEXTS, citation, parse, render, say
from trade.selectors_transactions import approval_frozen_record
from trade.services.review import review_checklist, review_context
from trade.services.transaction import transaction_approve, transaction_create

from .factories_transactions import controlled_transaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference", "public_list")]


def test_every_text_renders_in_both_languages_and_parses_back():
    """Each text, rendered with sample parameters in either language, is recognised again
    (the parser is what reads the rows written before codes)."""
    samples = {
        "party": "Novatek GmbH",
        "name": "NOVATEK",
        "list": "CN-UEL",
        "lists": "CN-UEL",
        "date": "2026-12-31",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "type": "forwarder",
        "country": "AE",
        "level": "high",
        "item": "ENC-7",
        "items": "ENC-7 (3A001)",
        "score": 0.93,
        "count": 2,
        "total": 5,
        "flag": "RF-3",
        "answer": "unknown",
        "severity": "high",
        "basis": "《出口管制法》第十二条",
        "hs": "8543.70",
        "number": "LIC-1",
        "days": 5,
        "currency": "EUR",
        "other": "USD",
        "left": "3",
        "need": "5",
    }
    for code in TEXTS:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = render(code, samples)
            assert text, code
            parsed = parse(text)
            assert parsed is not None, (code, language, text)
            with translation.override(language):
                assert render(*parsed) == text, (code, language)


def test_a_sentence_reads_in_the_reader_s_language():
    sentence = say("%(country)s: %(level)s destination risk.") % {"country": "AE", "level": "high"}
    assert sentence.params == {"country": "AE", "level": "high"}
    with translation.override("en"):
        assert str(sentence) == "United Arab Emirates: High destination risk."
    with translation.override("zh-hans"):
        assert "阿拉伯联合酋长国" in str(sentence)
    with translation.override("en"):
        assert citation("《两用物项出口管制条例》第十九条第一款") == (
            "Regulations on dual-use items, Art. 19(1)"
        )


def test_prefilled_notes_are_codes_and_the_frozen_checklist_reads_in_english(world):
    with translation.override("zh-hans"):
        draft = transaction_create(
            organisation=world.organisation,
            user=world.users["staff"],
            reference="SO-2026-0101",
            destination_country="DE",
            end_use="CNC",
        )
        approved = controlled_transaction(world, reference="SO-2026-0102")
        approval = transaction_approve(transaction=approved, user=world.users["manager"])
    prefilled = RedFlagAnswer.objects.filter(transaction=draft, prefilled=True)
    assert prefilled.exists()
    assert all(a.note_code and a.note == "" for a in prefilled)
    with translation.override("en"):
        unknown = prefilled.filter(answer=Answer.UNKNOWN).first()
        assert unknown is not None and not any("\u4e00" <= c <= "\u9fff" for c in unknown.note_text)
    frozen_rows = approval.evidence["checklist"]
    stored = [p for row in frozen_rows for p in [*row["problems"], *row["notes"]]]
    assert all(isinstance(p, dict) and p["code"] in TEXTS for p in stored)
    ctx = review_context(approved)
    with translation.override("en"):
        record = approval_frozen_record(
            approval=approval, checks=review_checklist(ctx), red_flags=ctx.red_flags
        )
    shown = [p for row in record["checklist"] for p in [*row["problems"], *row["notes"]]]
    with translation.override("en"):
        assert shown == [render(p["code"], p["params"]) for p in stored]
    # Frozen while Chinese was active, read in English (the item's own name stays as typed).
    assert any(text.startswith("Controlled: ") for text in shown)


def test_evidence_frozen_as_sentences_before_codes_is_read_in_the_reader_s_language(world):
    approved = controlled_transaction(world, reference="SO-2026-0103")
    approval = transaction_approve(transaction=approved, user=world.users["manager"])
    with translation.override("zh-hans"):
        old = str(say("Licence %(number)s was revoked.") % {"number": "LIC-9"})
    evidence = dict(approval.evidence)
    evidence["checklist"] = [{"code": "licence", "passed": False, "problems": [old], "notes": []}]
    approval.evidence = evidence
    ctx = review_context(approved)
    with translation.override("en"):
        record = approval_frozen_record(
            approval=approval, checks=review_checklist(ctx), red_flags=ctx.red_flags
        )
    assert record["checklist"][0]["problems"] == ["Licence LIC-9 was revoked."]


def test_the_migration_converts_old_prefilled_notes_and_keeps_a_person_s_note(world):
    with translation.override("zh-hans"):
        draft = transaction_create(
            organisation=world.organisation,
            user=world.users["staff"],
            reference="SO-2026-0104",
            destination_country="DE",
            end_use="CNC",
        )
        old_text = str(say("No end user is named."))
    answer = RedFlagAnswer.objects.filter(transaction=draft, prefilled=True).first()
    RedFlagAnswer.objects.filter(pk=answer.pk).update(note=old_text, note_code="", note_params={})
    person = RedFlagAnswer.objects.filter(transaction=draft).exclude(
        pk=answer.pk
    ).first() or RedFlagAnswer.objects.create(
        organisation=world.organisation,
        transaction=draft,
        red_flag=answer.red_flag.__class__.objects.exclude(pk=answer.red_flag_id).first(),
    )
    RedFlagAnswer.objects.filter(pk=person.pk).update(
        note="客户已确认。", note_code="", note_params={}, prefilled=False
    )
    migration = importlib.import_module("trade.migrations.0008_red_flag_note_codes")
    migration.notes_to_codes(django_apps, None)
    answer.refresh_from_db()
    person.refresh_from_db()
    assert (answer.note_code, answer.note) == ("no_end_user_named", "")
    assert (person.note_code, person.note) == ("", "客户已确认。")
    with translation.override("en"):
        assert answer.note_text == "No end user is named."
