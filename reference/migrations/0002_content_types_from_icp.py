"""The content types of the moved models follow them from `icp` to `reference`.

Only the auth permissions point at them today (no comment, attachment, history or event-log
entry names a reference model), so renaming the rows keeps every group's permissions and leaves no
stale `icp.*` types behind. A row is renamed only when the new one does not exist yet (a fresh
database creates content types after all migrations, so it has neither)."""

from django.db import migrations

MODELS = [
    "referenceframework",
    "referencesource",
    "element",
    "requirement",
    "legalprovision",
    "redflag",
    "auditquestion",
]


def _move(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db)
        .filter(app_label=target, model__in=MODELS)
        .values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label=source, model__in=MODELS).exclude(
        model__in=taken
    ).update(app_label=target)


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source="icp", target="reference")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="reference", target="icp")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reference", "0001_initial"),
        ("icp", "0016_reference_library_moved_to_reference_app"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
