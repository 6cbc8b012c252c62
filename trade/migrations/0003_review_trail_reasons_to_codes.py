"""Review-trail sentences the system wrote before codes were stored (in the writer's language)
get their code and parameters, so that they show in the reader's language. A person's own
words, and sentences not recognised, stay as written."""

from django.db import migrations


def reasons_to_codes(apps, schema_editor):
    from trade.stored_text import parse

    def convert(model, text_field, code_field, params_field):
        rows = model.objects.filter(**{code_field: ""}).exclude(**{text_field: ""})
        for pk, text in rows.values_list("pk", text_field).iterator():
            parsed = parse(text)
            if parsed is not None:
                model.objects.filter(pk=pk).update(
                    **{code_field: parsed[0], params_field: parsed[1]}
                )

    convert(apps.get_model("trade", "TransactionEvent"), "reason", "reason_code", "reason_params")
    convert(
        apps.get_model("trade", "Transaction"),
        "state_reason",
        "state_reason_code",
        "state_reason_params",
    )
    convert(
        apps.get_model("trade", "Approval"),
        "superseded_reason",
        "superseded_reason_code",
        "superseded_reason_params",
    )


class Migration(migrations.Migration):
    dependencies = [("trade", "0002_review_evidence_codes_submitter")]

    operations = [migrations.RunPython(reasons_to_codes, migrations.RunPython.noop)]
