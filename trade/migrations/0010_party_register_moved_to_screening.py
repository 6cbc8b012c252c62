"""The party register now lives in the `screening` app (its tables keep their names and rows):
the transactions and licences point at `screening.Party` (the same table, `trade_party`) and the
models leave trade's state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0006_party_register_moved_from_trade"),
        ("trade", "0009_red_flag_from_reference_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="party",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="party",
                    name="last_screening",
                ),
                migrations.RemoveField(
                    model_name="party",
                    name="organisation",
                ),
                migrations.AlterField(
                    model_name="transactionparty",
                    name="party",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="screening.party",
                        verbose_name="party",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicallicence_end_users",
                    name="party",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="screening.party",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicaltransactionparty",
                    name="party",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="screening.party",
                        verbose_name="party",
                    ),
                ),
                migrations.AlterField(
                    model_name="licence",
                    name="end_users",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Leave empty only for a general licence not limited to named end users.",
                        related_name="licences",
                        to="screening.party",
                        verbose_name="end users",
                    ),
                ),
                migrations.DeleteModel(
                    name="HistoricalParty",
                ),
                migrations.DeleteModel(
                    name="Party",
                ),
            ],
            database_operations=[],
        ),
    ]
