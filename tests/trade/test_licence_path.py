"""The licensing decision path per transaction line: the demo cases, confirmation, re-walking
after a key change, the checklist, the citations against the law texts, and a fixed number of
queries for a 20-line transaction."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trade.factories_transactions import (
    PATH_ALL_NO,
    classified_item,
    clean_transaction,
    make_licence,
    walk_paths,
)
from trade.licensing_reference import current_licensing_reference
from trade.models import LicenceDecision, LicencePath, PartyRole
from trade.services.licence_path import licence_path_confirm, licence_path_walk
from trade.services.review import review_checklist, review_context
from trade.services.transaction import (
    transaction_approve,
    transaction_line_add,
    transaction_submit,
    transaction_update,
)

pytestmark = pytest.mark.django_db


def _draft(world, *, listed=False, reference="SO-PATH-1", **values):
    item = classified_item(world, listed=listed)
    return clean_transaction(
        world, reference=reference, submit=False, item=item, walk=False, **values
    )


def _licence_check(transaction):
    transaction.refresh_from_db()
    return review_checklist(review_context(transaction))[4]


def test_a_listed_line_ends_in_a_single_licence(world):
    transaction = _draft(world, listed=True)
    (path,) = walk_paths(transaction, world.users["manager"])
    assert path.outcome == "single_licence"
    assert "《两用物项出口管制条例》第十四条第二款" in path.basis
    assert path.is_confirmed  # a compliance manager walked it
    assert path.reference_version == current_licensing_reference().version
    transaction.refresh_from_db()
    assert transaction.licence_decision == LicenceDecision.SINGLE_REQUIRED
    assert not _licence_check(transaction).passed  # apply to MOFCOM first


def test_an_unlisted_line_with_a_catch_all_yes_ends_in_licence_or_report(world):
    transaction = _draft(world)
    (path,) = walk_paths(transaction, world.users["manager"], wmd="yes")
    assert path.outcome == "licence_or_report"
    assert "《出口管制法》第十二条第三款第（二）项" in path.basis
    assert "《两用物项出口管制条例》第三十五条" in path.basis
    ctx = review_context(transaction)
    assert ctx.controlled_lines  # the path makes the line controlled: the EUC check applies
    transaction.refresh_from_db()
    assert transaction.licence_decision == LicenceDecision.SINGLE_REQUIRED


def test_an_unlisted_line_without_concern_needs_no_licence(world):
    transaction = _draft(world)
    (path,) = walk_paths(transaction, world.users["manager"])
    assert path.outcome == "no_licence"
    transaction.refresh_from_db()
    assert transaction.licence_decision == LicenceDecision.NOT_CONTROLLED
    assert _licence_check(transaction).passed


def test_a_us_military_end_user_is_prohibited_and_cannot_be_approved(world):
    transaction = _draft(world, listed=True, destination_country="US")
    (path,) = walk_paths(transaction, world.users["manager"], military_end_use="yes")
    assert path.outcome == "prohibited"
    assert "商务部公告2024年第46号" in path.basis
    check = _licence_check(transaction)
    assert any("prohibited" in p.message for p in check.blockers)
    transaction_submit(transaction=transaction, user=world.users["staff"])
    with pytest.raises(ValidationError):
        transaction_approve(transaction=transaction, user=world.users["manager"])


def test_the_us_question_is_only_asked_for_the_us(world):
    transaction = _draft(world, listed=True)  # Germany
    answers = dict(PATH_ALL_NO)
    answers.pop("military_end_use")
    line = transaction.lines.get()
    assert licence_path_walk(line=line, user=world.users["manager"], answers=answers).outcome


def test_a_repair_return_fits_the_export_voucher_with_its_conditions(world):
    transaction = _draft(world, listed=True)
    line = transaction.lines.get()
    end_user = transaction.parties.get(role=PartyRole.END_USER).party
    voucher = make_licence(
        world,
        items=[line.item],
        end_users=[end_user],
        kind="voucher",
        quantity_limit=Decimal("10"),
        voucher_case="repair_return_inbound",
    )
    (path,) = walk_paths(transaction, world.users["manager"], voucher_case="repair_return_inbound")
    assert path.outcome == "export_voucher"
    assert path.licence == voucher
    assert "《两用物项出口管制条例》第十九条第一款第（一）项" in path.basis
    transaction.refresh_from_db()
    assert transaction.licence_decision == LicenceDecision.COVERED
    assert transaction.licence == voucher


def test_a_watch_listed_party_gets_no_voucher(world):
    transaction = _draft(world, listed=True)
    (path,) = walk_paths(
        transaction,
        world.users["manager"],
        voucher_case="repair_return_inbound",
        party_watch_list="yes",
    )
    assert path.outcome == "single_licence"
    assert "《两用物项出口管制条例》第二十六条第二款" in path.basis


def test_a_general_licence_held_that_fits_is_the_outcome(world):
    transaction = _draft(world, listed=True)
    line = transaction.lines.get()
    general = make_licence(world, items=[line.item], kind="general")
    (path,) = walk_paths(transaction, world.users["manager"])
    assert path.outcome == "general_licence"
    assert path.licence == general
    transaction.refresh_from_db()
    assert transaction.licence == general


def test_a_un_embargo_destination_is_prohibited_for_a_listed_line(world):
    transaction = _draft(world, listed=True, destination_country="KP")
    (path,) = walk_paths(transaction, world.users["manager"])
    assert path.outcome == "prohibited"


def test_unsure_about_a_temporary_control_means_consult_mofcom(world):
    transaction = _draft(world)
    (path,) = walk_paths(transaction, world.users["manager"], temporary_control="unsure")
    assert path.outcome == "consult_mofcom"
    assert any("consult MOFCOM" in p.message for p in _licence_check(transaction).blockers)


def test_a_missing_answer_is_refused_and_nothing_is_written(world):
    transaction = _draft(world)
    answers = dict(PATH_ALL_NO)
    answers.pop("wmd")
    with pytest.raises(ValidationError) as error:
        licence_path_walk(
            line=transaction.lines.get(), user=world.users["manager"], answers=answers
        )
    assert "wmd" in error.value.message_dict
    assert not LicencePath.objects.filter(transaction=transaction).exists()


def test_a_staff_walk_waits_for_a_managers_confirmation(world):
    transaction = _draft(world)
    (path,) = walk_paths(transaction, world.users["staff"])
    assert not path.is_confirmed
    assert any("confirms" in p.message for p in _licence_check(transaction).blockers)
    licence_path_confirm(path=path, user=world.users["manager"])
    assert _licence_check(transaction).passed


def test_a_key_change_asks_for_the_path_again(world):
    transaction = _draft(world)
    walk_paths(transaction, world.users["manager"])
    transaction_update(transaction=transaction, user=world.users["staff"], destination_country="FR")
    check = _licence_check(transaction)
    assert any("walk it again" in p.message for p in check.blockers)
    walk_paths(transaction, world.users["manager"])
    assert _licence_check(transaction).passed


def test_a_new_line_needs_its_own_path(world):
    transaction = _draft(world)
    walk_paths(transaction, world.users["manager"])
    transaction_line_add(
        transaction=transaction,
        user=world.users["staff"],
        item=classified_item(world),
        quantity=1,
        value=10,
    )
    assert any("Walk the licensing" in p.message for p in _licence_check(transaction).blockers)


# --- the citations ------------------------------------------------------------------------------

# The shared law texts sit beside the checkout (../shared/reference/law); a worktree is one
# level deeper.
LAW_DIR = next(
    (
        base / "shared" / "reference" / "law"
        for base in Path(settings.BASE_DIR).resolve().parents
        if (base / "shared" / "reference" / "law").exists()
    ),
    Path(settings.BASE_DIR).parent / "shared" / "reference" / "law",
)
LAWS = {
    "出口管制法": "export-control-law-2020.md",
    "两用物项出口管制条例": "dual-use-regulations-2024.md",
}
CITATION = re.compile(
    r"《(?P<law>[^》]+)》第(?P<article>[一二三四五六七八九十]+)条"
    r"(?:第(?P<paragraph>[一二三四五六七八九十]+)款)?(?:第（(?P<item>[一二三四五六七八九十]+)）项)?"
)
NUMERALS = "一二三四五六七八九"


def _number(text: str) -> int:
    if text.startswith("十"):
        text = "一" + text
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return NUMERALS.index(tens) * 10 + 10 + (NUMERALS.index(ones) + 1 if ones else 0)
    return NUMERALS.index(text) + 1


def _article(law_text: str, article: str) -> list[str]:
    """The paragraphs of one article: its first line and every later non-item line, with the
    items (（一）...) kept under the paragraph they follow."""
    lines = law_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"第{article}条 "))
    paragraphs = [[lines[start]]]
    for line in lines[start + 1 :]:
        if re.match(r"^第[一二三四五六七八九十百]+条 ", line) or line.startswith("#"):
            break
        if not line.strip():
            continue
        if line.startswith("（"):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _citations():
    path = Path(__file__).resolve().parents[2] / "trade/reference/licensing-path-2024.yaml"
    text = path.read_text()
    return sorted(set(re.findall(r"《[^》]+》第[^\"\]]+", text)))


def test_every_citation_of_the_path_exists_in_the_law_texts():
    if not LAW_DIR.exists():
        pytest.skip(f"the law texts are not at {LAW_DIR}")
    citations = _citations()
    assert len(citations) > 15
    for citation in citations:
        match = CITATION.fullmatch(citation)
        assert match, f"not a citation of the form used: {citation}"
        law_text = (LAW_DIR / LAWS[match["law"]]).read_text()
        paragraphs = _article(law_text, match["article"])
        if match["paragraph"]:
            number = _number(match["paragraph"])
            assert number <= len(paragraphs), f"{citation}: the article has {len(paragraphs)}"
            if match["item"]:
                items = [line for line in paragraphs[number - 1] if line.startswith("（")]
                assert _number(match["item"]) <= len(items), f"{citation}: no such item"


# --- the page -----------------------------------------------------------------------------------


def test_the_path_page_walks_and_keeps_the_answers_on_an_error(world):
    transaction = _draft(world)
    line = transaction.lines.get()
    client = world.client("manager")
    url = reverse("transactions:licence_path_walk", args=[transaction.pk, line.pk])
    data = dict(PATH_ALL_NO)
    data.pop("terrorism")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["terrorism"]
    assert "checked" in response.content.decode()  # the answers chosen are kept
    assert not LicencePath.objects.exists()
    response = client.post(url, PATH_ALL_NO)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "No licence needed" in page.content.decode()
    assert "Regulations on dual-use items, Art. 14" in page.content.decode()


def _transaction_with_lines(world, count: int, reference: str):
    transaction = _draft(world, reference=reference)
    item = transaction.lines.get().item
    for _n in range(count - 1):
        transaction_line_add(
            transaction=transaction,
            user=world.users["staff"],
            item=item,
            quantity=1,
            value=10,
            refresh=False,
        )
    walk_paths(transaction, world.users["manager"])
    return transaction


def test_the_page_and_checklist_take_the_same_queries_for_2_and_20_lines(world):
    small = _transaction_with_lines(world, 2, "SO-Q-2")
    large = _transaction_with_lines(world, 20, "SO-Q-20")
    client = world.client("manager")
    counts = []
    for transaction in (small, large):
        client.get(transaction.get_absolute_url())  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(transaction.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
