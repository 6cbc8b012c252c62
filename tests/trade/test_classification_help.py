"""Classification that helps: consult MOFCOM (REGS Art. 14(4)), whole-list imports of the
control list and the customs catalogue with versions and diffs, the catalogue warning, search."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from records.models import EventLogEntry
from tests.import_steps import preview_and_confirm
from tests.trade.factories_transactions import (
    PDF_BYTES,
    ItemFactory,
    classified_item,
    clean_transaction,
    walk_paths,
)
from trade.models import (
    Classification,
    ControlListEntry,
    ControlListVersion,
    CustomsCatalogueEntry,
    TransactionState,
)
from trade.selectors_items import customs_catalogue_match, customs_catalogue_search
from trade.selectors_transactions import control_list_search
from trade.services.control_list import (
    control_list_import,
    control_list_load_starter_set,
    customs_catalogue_import,
    customs_catalogue_load_demo,
)
from trade.services.item import (
    classification_review,
    consultation_open,
    consultation_settle,
    item_catalogue_warning,
    item_classify,
)
from trade.services.transaction import transaction_approve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference", "public_list")]

LIST_CSV = (
    "code,description_zh,description_en,parameters,category,control_reason,announcement\n"
    "3,电子,Electronics,,3,,\n"
    "3A001.a.1.a,抗辐射集成电路,Radiation-hardened integrated circuits,总剂量≥5×10^3 Gy(Si),3,"
    "防扩散,2024年第51号\n"
    "2B006.b,角位移测量仪器,Angular displacement measuring instruments,"
    "角度位置偏差≤0.00025°,2,防扩散,2024年第51号\n"
)
CATALOGUE_CSV = (
    "hs_code,description_zh,description_en,control_codes,remarks\n"
    "9031809090,其他测量或检验仪器,Other measuring instruments,2B006.b,\n"
    "85423190,处理器及控制器,Processors and controllers,3A001.a.1.a,\n"
)


def _upload(name="answer.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _open(world, item):
    return consultation_open(
        item=item,
        user=world.users["staff"],
        asked_on=timezone.localdate(),
        question="Encoder, 26 bit, accuracy ±1.5 arcsec, used for robot joints.",
        unsure_reason="2B006.b gives the threshold for the system, not for a kit of parts.",
    )


# --- consult MOFCOM -------------------------------------------------------------------------


def test_a_consult_mofcom_item_cannot_be_approved_until_the_answer_settles_it(world):
    item = classified_item(world)
    transaction = clean_transaction(world, item=item)
    consultation = _open(world, item)
    item.refresh_from_db()
    assert item.current_classification.status == Classification.Status.CONSULT_MOFCOM
    assert consultation.classification == item.current_classification
    with pytest.raises(ValidationError) as caught:
        transaction_approve(transaction=transaction, user=world.users["manager"])
    assert "awaits MOFCOM's answer" in " ".join(caught.value.messages)
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW

    classification = consultation_settle(
        consultation=consultation,
        user=world.users["staff"],
        answered_on=timezone.localdate(),
        answer="不属于两用物项出口管制清单所列物项。",
        outcome="not_listed",
        document=_upload(),
    )
    consultation.refresh_from_db()
    assert consultation.is_settled and consultation.answer_document is not None
    assert consultation.answer_document.sha256
    assert classification.status == "not_listed"
    assert "不属于" in classification.rationale
    classification_review(classification=classification, user=world.users["manager"])
    # The classification is key data of the line: its licensing path is walked again.
    walk_paths(transaction, world.users["manager"])
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED


def test_the_consultation_reaches_the_event_log(world):
    item = classified_item(world)
    consultation = _open(world, item)
    assert EventLogEntry.objects.filter(
        organisation=world.organisation,
        record_type="trade.mofcomconsultation",
        object_id=str(consultation.pk),
    ).exists()


def test_consultation_rules(world):
    item = classified_item(world)
    with pytest.raises(ValidationError) as caught:
        consultation_open(
            item=item,
            user=world.users["staff"],
            asked_on=timezone.localdate() + datetime.timedelta(days=2),
            question="short",
            unsure_reason="",
        )
    assert set(caught.value.message_dict) == {"asked_on", "question", "unsure_reason"}
    item.refresh_from_db()
    assert item.current_classification.status == "not_listed"  # nothing changed

    consultation = _open(world, item)
    with pytest.raises(ValidationError):
        _open(world, item)  # one open enquiry at a time
    with pytest.raises(ValidationError) as caught:
        consultation_settle(
            consultation=consultation,
            user=world.users["staff"],
            answered_on=consultation.asked_on - datetime.timedelta(days=1),
            answer="",
            outcome="maybe",
            document=None,
        )
    assert set(caught.value.message_dict) == {"answered_on", "answer", "outcome", "document"}
    with pytest.raises(PermissionDenied):
        consultation_settle(
            consultation=consultation,
            user=world.users["auditor"],
            answered_on=timezone.localdate(),
            answer="Listed under 2B006.b.",
            outcome="not_listed",
            document=_upload(),
        )
    # The ordinary classify form cannot set "consult MOFCOM" without the enquiry.
    with pytest.raises(ValidationError):
        item_classify(
            item=item,
            user=world.users["staff"],
            status="consult_mofcom",
            rationale="Not sure at all, asking the ministry.",
        )


def test_a_listed_answer_classifies_the_item_under_the_answered_code(world):
    control_list_import(content=LIST_CSV.encode())
    item = classified_item(world)
    consultation = _open(world, item)
    classification = consultation_settle(
        consultation=consultation,
        user=world.users["staff"],
        answered_on=timezone.localdate(),
        answer="属于2B006.b。",
        outcome="listed",
        control_code="2B006.b",
        document=_upload(),
    )
    assert classification.control_code == "2B006.b" and classification.is_controlled


# --- control list import --------------------------------------------------------------------


def test_control_list_import_is_versioned_with_a_diff_and_codes_of_any_depth(world):
    manager = world.users["manager"]
    first = control_list_import(
        content=LIST_CSV.encode(), organisation=world.organisation, user=manager
    )
    assert (first.created, first.version.number) == (3, 1)
    entry = ControlListEntry.objects.get(organisation=world.organisation, code="3A001.a.1.a")
    assert entry.category == "3" and entry.control_reason == "防扩散"
    assert "5×10^3" in entry.parameters
    again = control_list_import(
        content=LIST_CSV.encode(), organisation=world.organisation, user=manager
    )
    assert again.version == first.version and again.created == 0  # idempotent

    changed = LIST_CSV.replace("抗辐射集成电路", "抗辐射集成电路（修订）").replace(
        "2B006.b,角位移", "2B007.a,机器人"
    )
    second = control_list_import(
        content=changed.encode(), organisation=world.organisation, user=manager
    )
    assert second.version.number == 2
    assert second.version.diff == {
        "added": ["2B007.a"],
        "removed": ["2B006.b"],
        "changed": ["3A001.a.1.a"],
    }
    assert not ControlListEntry.objects.get(
        organisation=world.organisation, code="2B006.b"
    ).is_active
    assert (
        EventLogEntry.objects.filter(
            organisation=world.organisation, action="list_imported"
        ).count()
        == 2
    )


def test_an_organisation_list_replaces_the_starter_set_for_it(world):
    control_list_load_starter_set()
    assert control_list_search(organisation=world.organisation, query="3C004.a").exists()
    control_list_import(
        content=LIST_CSV.encode(), organisation=world.organisation, user=world.users["manager"]
    )
    assert not control_list_search(organisation=world.organisation, query="3C004.a").exists()
    assert [
        e.code for e in control_list_search(organisation=world.organisation, query="3A001")
    ] == ["3A001.a.1.a"]
    # Search by Chinese words and by parameters.
    assert [
        e.code for e in control_list_search(organisation=world.organisation, query="抗辐射")
    ] == ["3A001.a.1.a"]
    assert [
        e.code for e in control_list_search(organisation=world.organisation, query="0.00025")
    ] == ["2B006.b"]


def test_control_list_import_is_all_or_nothing_with_every_bad_row(world):
    bad = (
        "code,description_zh,category\n"
        "3A001.a.1.a,抗辐射集成电路,3\n"
        "3A001.A,大写,3\n"
        "2B006.b,,2\n"
        "2B006.c,类别不符,3\n"
        "3A001.a.1.a,重复,3\n"
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        control_list_import(
            content=bad.encode(), organisation=world.organisation, user=world.users["manager"]
        )
    messages = caught.value.messages
    assert [m.split(":")[0] for m in messages] == ["Row 3", "Row 4", "Row 5", "Row 6"]
    assert not ControlListEntry.objects.filter(organisation=world.organisation).exists()
    assert not ControlListVersion.objects.exists()


def test_control_list_import_reads_xlsx_with_chinese_headings(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["管制编码", "中文描述", "英文描述", "技术参数", "管制理由"])
    sheet.append(["3A001.a.1.a", "抗辐射集成电路", "Rad-hard ICs", "≥5×10^3 Gy(Si)", "防扩散"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = control_list_import(
        content=buffer.getvalue(),
        filename="清单.xlsx",
        organisation=world.organisation,
        user=world.users["manager"],
    )
    assert outcome.created == 1
    assert ControlListEntry.objects.get(code="3A001.a.1.a").parameters == "≥5×10^3 Gy(Si)"


def test_only_compliance_managers_import_their_list(world):
    for role in ("staff", "auditor", "executive"):
        with pytest.raises(PermissionDenied):
            control_list_import(
                content=LIST_CSV.encode(), organisation=world.organisation, user=world.users[role]
            )
    with pytest.raises(PermissionDenied):
        control_list_import(content=LIST_CSV.encode(), user=world.users["manager"])  # shared


# --- customs catalogue ----------------------------------------------------------------------


def test_catalogue_import_and_hs_code_match(world):
    outcome = customs_catalogue_import(
        content=CATALOGUE_CSV.encode(),
        edition="2026",
        organisation=world.organisation,
        user=world.users["manager"],
    )
    assert outcome.created == 2 and outcome.version.edition == "2026"
    org = world.organisation
    assert customs_catalogue_match(organisation=org, hs_code="9031809090").hs_code == "9031809090"
    # An 8-digit catalogue line covers its 10-digit codes.
    assert customs_catalogue_match(organisation=org, hs_code="8542.3190.10").hs_code == "85423190"
    assert customs_catalogue_match(organisation=org, hs_code="9031499090") is None
    assert customs_catalogue_match(organisation=org, hs_code="9031") is None
    assert [e.hs_code for e in customs_catalogue_search(organisation=org, query="测量")] == [
        "9031809090"
    ]
    with pytest.raises(ValidationError) as caught:
        customs_catalogue_import(
            content=b"hs_code,description_zh,control_codes\n903180,short,\n85423190,ok,XX1\n",
            edition="2026",
            organisation=org,
            user=world.users["manager"],
        )
    assert len(caught.value.messages) == 2
    with pytest.raises(ValidationError):
        customs_catalogue_import(
            content=CATALOGUE_CSV.encode(), edition="", organisation=org, user=None
        )
    assert CustomsCatalogueEntry.objects.filter(organisation=org).count() == 2


def test_a_catalogue_hs_code_on_an_unlisted_item_is_flagged_and_needs_a_justification(world):
    item = classified_item(world)  # not listed, HS 9031809090, classified before the import
    assert item_catalogue_warning(item=item) == ""
    customs_catalogue_load_demo()
    item.refresh_from_db()
    with translation.override("en"):
        warning = item_catalogue_warning(item=item)
    assert "9031809090" in warning and "customs catalogue" in warning

    transaction = clean_transaction(world, item=item)
    with pytest.raises(ValidationError) as caught:
        transaction_approve(transaction=transaction, user=world.users["manager"])
    assert "customs catalogue" in " ".join(caught.value.messages)

    for justification in ("", "Below the threshold, clearly not listed."):
        with pytest.raises(ValidationError) as caught:
            item_classify(
                item=item,
                user=world.users["staff"],
                status="not_listed",
                rationale="Compared with 2B006.b: below the threshold.",
                catalogue_justification=justification,
            )
        assert "catalogue_justification" in caught.value.message_dict
    classification = item_classify(
        item=item,
        user=world.users["staff"],
        status="not_listed",
        rationale="Compared with 2B006.b: below the threshold.",
        catalogue_justification="Angular accuracy ±20 arcsec (0.0056°), worse than 0.00025°.",
    )
    assert classification.catalogue_hs_code == "9031809090"
    assert item_catalogue_warning(item=item) == ""


def test_an_item_outside_the_catalogue_needs_no_justification(world):
    customs_catalogue_load_demo()
    item = ItemFactory(organisation=world.organisation, hs_code="8466939000")
    classification = item_classify(
        item=item,
        user=world.users["staff"],
        status="not_listed",
        rationale="Spindle: no entry of category 2 covers it.",
    )
    assert classification.catalogue_hs_code == "" and not item_catalogue_warning(item=item)


# --- pages ----------------------------------------------------------------------------------


def _login(client, world, role):
    client.force_login(world.users[role])
    session = client.session
    session["organisation_id"] = world.organisation.pk
    session.save()


def test_consult_and_answer_pages_walk_the_enquiry(client, world):
    from django.urls import reverse

    item = classified_item(world)
    _login(client, world, "staff")
    url = reverse("transactions:item_consult", args=[item.pk])
    # Bad input: the message, what was typed kept, nothing changed.
    response = client.post(url, {"asked_on": "", "question": "Encoder 26 bit", "unsure_reason": ""})
    assert response.status_code == 200
    assert "Encoder 26 bit" in response.content.decode()
    item.refresh_from_db()
    assert item.current_classification.status == "not_listed"
    response = client.post(
        url,
        {
            "asked_on": timezone.localdate().isoformat(),
            "question": "Encoder 26 bit, accuracy ±1.5 arcsec, robot joints.",
            "unsure_reason": "The threshold is for systems, not kits.",
        },
    )
    assert response.status_code == 302
    detail = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="awaits-mofcom"' in detail
    consultation = item.consultations.get()
    answer_url = reverse("transactions:consultation_answer", args=[item.pk, consultation.pk])
    response = client.post(
        answer_url,
        {
            "answered_on": timezone.localdate().isoformat(),
            "answer": "不属于管制物项。",
            "outcome": "not_listed",
            "document": _upload(),
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.is_settled
    detail = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="awaits-mofcom"' not in detail and "不属于管制物项。" in detail


def test_import_pages_show_row_errors_and_the_versions(client, world):
    from django.urls import reverse

    _login(client, world, "manager")
    url = reverse("transactions:control_list_import")
    bad = SimpleUploadedFile("list.csv", b"code,description_zh\nXX,bad\n", content_type="text/csv")
    with translation.override("en"):
        response = client.post(url, {"file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        response.status_code == 200 and 'data-testid="import-problems"' in response.content.decode()
    )
    assert [(p.row, p.column) for p in response.context["preview"].problems] == [(2, "code")]
    good = SimpleUploadedFile("list.csv", LIST_CSV.encode(), content_type="text/csv")
    assert preview_and_confirm(client, url, {"file": good}).status_code == 302
    page = client.get(reverse("transactions:control_list") + "?q=抗辐射").content.decode()
    assert "3A001.a.1.a" in page and 'data-testid="list-versions"' in page

    url = reverse("transactions:customs_catalogue_import")
    good = SimpleUploadedFile("cat.csv", CATALOGUE_CSV.encode(), content_type="text/csv")
    assert preview_and_confirm(client, url, {"file": good, "edition": "2026"}).status_code == 302
    page = client.get(reverse("transactions:customs_catalogue") + "?q=9031").content.decode()
    assert "9031809090" in page and "85423190" not in page


def test_classify_page_warns_about_a_catalogue_hs_code(client, world):
    from django.urls import reverse

    item = classified_item(world)
    customs_catalogue_load_demo()
    _login(client, world, "staff")
    page = client.get(reverse("transactions:item_classify", args=[item.pk])).content.decode()
    assert 'data-testid="catalogue-warning"' in page and "catalogue_justification" in page
    assert 'data-testid="catalogue-warning"' in client.get(item.get_absolute_url()).content.decode()
    response = client.post(
        reverse("transactions:item_classify", args=[item.pk]),
        {
            "status": "not_listed",
            "rationale": "Compared with 2B006.b, below threshold.",
            "catch_all": "no_concern",
            "catalogue_justification": "",
        },
    )
    assert response.status_code == 200  # the justification is missing
    assert item.classifications.count() == 1


# --- Chinese -------------------------------------------------------------------------------


def test_row_errors_and_rules_speak_chinese(world):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        control_list_import(
            content=b"code,description_zh\n3A001.a.1.a,\n",
            organisation=world.organisation,
            user=world.users["manager"],
        )
    assert caught.value.messages == ["第 2 行：缺少描述。"]
    item = classified_item(world)
    consultation = _open(world, item)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        consultation_settle(
            consultation=consultation,
            user=world.users["staff"],
            answered_on=timezone.localdate(),
            answer="已答复。",
            outcome="unknown",
            document=_upload(),
        )
    assert caught.value.message_dict["outcome"] == ["请选择列管或非列管。"]


def test_the_approval_block_speaks_chinese(world):
    """Needs the merged Chinese catalogue (the new msgids are in /work/fills/h7.json)."""
    item = classified_item(world)
    transaction = clean_transaction(world, item=item)
    _open(world, item)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        transaction_approve(transaction=transaction, user=world.users["manager"])
    assert "正在等待商务部对归类咨询的答复" in " ".join(caught.value.messages)


def test_the_export_blockers_of_many_items_take_a_fixed_number_of_queries(
    world, django_assert_num_queries
):
    from trade.models import Item
    from trade.services.item import items_export_blockers

    customs_catalogue_load_demo()
    for _n in range(20):
        item = ItemFactory(organisation=world.organisation, hs_code="9031809090")
        item.current_classification = Classification.objects.create(
            organisation=world.organisation,
            item=item,
            status="not_listed",
            rationale="Below every threshold of category 2.",
            classified_by=world.users["staff"],
        )
        item.save()
    items = list(
        Item.objects.filter(organisation=world.organisation).select_related(
            "current_classification", "organisation"
        )
    )
    with django_assert_num_queries(2):
        problems = items_export_blockers(items=items)
    assert len(problems) == 20


def test_the_command_imports_the_catalogue_and_the_starter_sets(tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "catalogue.csv"
    path.write_text(CATALOGUE_CSV, encoding="utf-8")
    out = StringIO()
    call_command("import_control_list", str(path), catalogue="2026", stdout=out)
    assert "2 created" in out.getvalue()
    assert ControlListVersion.objects.get(organisation=None, kind="customs_catalogue").edition == (
        "2026"
    )
    call_command("import_control_list", starter=True, stdout=StringIO())
    assert ControlListEntry.objects.filter(organisation=None, code="3C004.a").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,description_zh\nXX,坏\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_control_list", str(bad), stdout=StringIO())
