"""Loading the versioned ICP reference data (the nine elements, requirements, legal provisions,
red flags and audit questions) from the YAML files under `reference/data/`."""

from pathlib import Path

import yaml
from django.db import transaction

from .models import (
    AuditQuestion,
    Element,
    LegalProvision,
    RedFlag,
    ReferenceFramework,
    ReferenceSource,
    Requirement,
)
from .signals import framework_loaded

REFERENCE_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FRAMEWORK_FILE = REFERENCE_DIR / "mofcom-2021.yaml"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def _upsert(model, lookup: dict, values: dict):
    obj, _created = model.objects.update_or_create(**lookup, defaults=values)
    return obj


def _item_values(item: dict) -> dict:
    return {
        "text_en": item.get("text_en", "").strip(),
        "text_zh": (item.get("text_zh") or "").strip(),
        "source": item.get("source") or "",
        "zh_official": bool(item.get("zh_official", False)),
    }


@transaction.atomic
def reference_framework_load(*, path: Path = DEFAULT_FRAMEWORK_FILE) -> ReferenceFramework:
    """Load one framework file. Idempotent: loading the same file again changes nothing; a file
    with a new `meta.version` becomes a new framework version and the newest one is current."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    meta = data["meta"]
    framework = _upsert(
        ReferenceFramework,
        {"code": meta["framework_code"], "version": str(meta.get("version", "1"))},
        {
            "name_en": " ".join(meta["framework_name_en"].split()),
            "name_zh": meta["framework_name_zh"],
            "source_file": Path(path).name,
            "notes_en": " ".join(
                filter(None, [meta.get("major_gap", ""), meta.get("translation_note_en", "")])
            ),
            "notes_zh": meta.get("translation_note_zh", ""),
        },
    )
    for source in data.get("sources", []):
        _upsert(
            ReferenceSource,
            {"framework": framework, "key": source["key"]},
            {
                "title": source["title"],
                "reference": source.get("ref", ""),
                "reliability": source.get("reliability", ""),
            },
        )
    elements = {}
    for element in data["elements"]:
        frequency = element.get("frequency") or {}
        elements[element["code"]] = _upsert(
            Element,
            {"framework": framework, "code": element["code"]},
            {
                "order": element["order"],
                "name_en": element["name_en"],
                "name_zh": element["name_zh"],
                "summary_en": " ".join(element.get("summary_en", "").split()),
                "summary_zh": (element.get("summary_zh") or "").strip(),
                "new_in_2021": bool(element.get("new_in_2021")),
                "frequency_en": frequency.get("note", "") or "",
                "frequency_zh": frequency.get("note_zh", "") or "",
            },
        )
        for requirement in element.get("requirements", []):
            _upsert(
                Requirement,
                {"framework": framework, "ref_id": requirement["id"]},
                {
                    **_item_values(requirement),
                    "element": elements[element["code"]],
                    "article": requirement.get("article", "") or "",
                    "confidence": requirement.get("confidence", "uncertain"),
                },
            )
    provision_ids = []
    for provision in data.get("legal_provisions", []):
        provision_ids.append(provision["id"])
        _upsert(
            LegalProvision,
            {"framework": framework, "ref_id": provision["id"]},
            {
                **_item_values(provision),
                "law": provision["law"],
                "article": str(provision["article"]),
                "topic": provision.get("topic", ""),
            },
        )
    # A provision removed from the file (e.g. a research note that used to be filed as one) goes:
    # nothing refers to provisions, and the library must not keep showing it as the law.
    LegalProvision.objects.filter(framework=framework).exclude(ref_id__in=provision_ids).delete()
    for position, flag in enumerate(data.get("red_flags", []), start=1):
        _upsert(
            RedFlag,
            {"framework": framework, "ref_id": flag["id"]},
            {
                **_item_values(flag),
                "category": flag.get("category", ""),
                "order": position,
                "merged_into": flag.get("merged_into", "") or "",
                "severity": flag.get("severity", RedFlag.Severity.MEDIUM),
                "legal_reference": flag.get("ref", "") or "",
                "verified": bool(flag.get("verified", False)),
                "prefill": flag.get("prefill", "") or "",
            },
        )
    for group in data.get("audit_checklist", []):
        for question in group["questions"]:
            _upsert(
                AuditQuestion,
                {"framework": framework, "ref_id": question["id"]},
                {
                    **_item_values(question),
                    "element": elements[group["element"]],
                    "basis": question.get("basis", "") or "",
                    "guidance_en": question.get("guidance_en", "") or "",
                    "guidance_zh": question.get("guidance_zh", "") or "",
                },
            )
    _mark_current(framework.code)
    framework.refresh_from_db()
    if framework.is_current:
        # Rows that follow the current version (e.g. the destination risk reference, E3) belong to
        # the apps above; they load them from the same file, in this transaction.
        framework_loaded.send(sender=ReferenceFramework, framework=framework, data=data)
    return framework


def _mark_current(code: str) -> None:
    versions = list(ReferenceFramework.objects.filter(code=code))
    newest = max(versions, key=lambda f: _version_key(f.version))
    ReferenceFramework.objects.filter(code=code).exclude(pk=newest.pk).update(is_current=False)
    ReferenceFramework.objects.filter(pk=newest.pk).update(is_current=True)
