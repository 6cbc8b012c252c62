"""The content types of the party register follow it from `trade` to `screening`.

Attachments and comments point at a party through its content type, and the auth permissions
hang on it, so renaming the rows keeps every attachment, comment and group permission and leaves
no stale `trade.party` type behind. A row is renamed only when the new one does not exist yet (a
fresh database creates content types after all migrations, so it has neither). The event log
keeps the record type it wrote (`trade.party`): its entries are hashed in a chain and never
rewritten; core.registry reads the former label as the party's."""

from django.db import migrations

MODELS = ["party", "historicalparty"]


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
    _move(apps, schema_editor, source="trade", target="screening")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="screening", target="trade")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("screening", "0006_party_register_moved_from_trade"),
        ("trade", "0010_party_register_moved_to_screening"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
