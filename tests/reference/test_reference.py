"""The reference library: loading versions, what it tells the apps above, its element pages."""

from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from reference.models import AuditQuestion, Element, RedFlag, ReferenceFramework, Requirement
from reference.services import DEFAULT_FRAMEWORK_FILE, reference_framework_load
from reference.signals import framework_loaded

pytestmark = pytest.mark.django_db


def _counts():
    return (
        ReferenceFramework.objects.count(),
        Element.objects.count(),
        Requirement.objects.count(),
        RedFlag.objects.count(),
        AuditQuestion.objects.count(),
    )


def test_reference_data_loads_the_nine_elements_in_both_languages(reference):
    elements = list(Element.objects.filter(framework=reference).order_by("order"))
    assert [element.code for element in elements] == [f"E{i}" for i in range(1, 10)]
    assert elements[0].name_zh == "拟定政策声明"
    assert all(requirement.text_zh for requirement in Requirement.objects.all())
    assert all(question.text_zh for question in AuditQuestion.objects.all())
    assert Requirement.objects.get(ref_id="E5-R2").confidence == "verified"


def test_loading_twice_changes_nothing(reference):
    before = _counts()
    reference_framework_load()
    assert _counts() == before


def test_a_newer_version_is_added_beside_the_old_one(reference, tmp_path):
    data = yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))
    data["meta"]["version"] = "2099.1"
    data["elements"][0]["requirements"][0]["text_en"] = "Reworded requirement."
    newer_file = tmp_path / "newer.yaml"
    newer_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    newer = reference_framework_load(path=newer_file)

    reference.refresh_from_db()
    assert newer.is_current and not reference.is_current
    old = Requirement.objects.get(framework=reference, ref_id="E1-R1")
    new = Requirement.objects.get(framework=newer, ref_id="E1-R1")
    assert old.text_en != "Reworded requirement." and new.text_en == "Reworded requirement."


def test_element_page_shows_requirements_with_source_and_confidence(world, reference):
    client = world.client("staff")
    response = client.get(reverse("icp:element_detail", args=["E5"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "REGS Art. 25" in html or "Art. 25" in html
    assert "Verified against the law text" in html


def test_element_page_in_chinese(world, reference):
    client = world.client("manager")
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        response = client.get(
            reverse("icp:element_detail", args=["E1"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert "拟定政策声明" in response.content.decode()


def test_unknown_element_is_404(world, reference):
    assert world.client("manager").get("/elements/E99/").status_code == 404


def _newer_file(tmp_path) -> Path:
    data = yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))
    data["meta"]["version"] = "2099.1"
    path = tmp_path / "newer.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_apps_above_hear_of_the_current_version_only(reference, tmp_path):
    heard = []

    def receiver(sender, *, framework, data, **kwargs):
        heard.append((framework.version, data["meta"]["version"]))

    framework_loaded.connect(receiver, weak=False)
    try:
        newer = reference_framework_load(path=_newer_file(tmp_path))
        reference_framework_load()  # the older file again, beside the newer one: not current
    finally:
        framework_loaded.disconnect(receiver)

    assert newer.is_current
    assert heard == [("2099.1", "2099.1")]


def test_the_models_keep_the_tables_they_had_in_icp():
    """Moving the models changed no table: a new name would be a new, empty table."""
    assert {model._meta.db_table for model in apps.get_app_config("reference").get_models()} == {
        "icp_referenceframework",
        "icp_referencesource",
        "icp_element",
        "icp_requirement",
        "icp_legalprovision",
        "icp_redflag",
        "icp_auditquestion",
    }
    assert ContentType.objects.get_for_model(RedFlag).app_label == "reference"
    assert not ContentType.objects.filter(app_label="icp", model="redflag").exists()
