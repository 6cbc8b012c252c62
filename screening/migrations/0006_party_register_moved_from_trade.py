"""The party register moves from `trade` to this app: the models only, in Django's state.

The tables stay where they are (`db_table` keeps `trade_party` and `trade_historicalparty`) with
every row, index and constraint, so no database operation runs. `trade` 0010 points its foreign
keys here and removes the models from its own state (state only as well)."""

import django.db.models.deletion
import django_countries.fields
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        # The tables are created by trade's migrations; this state starts where trade's ends.
        ("trade", "0009_red_flag_from_reference_app"),
        ("accounts", "0004_members_invitations_history"),
        ("screening", "0005_alter_screening_source"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalParty",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="As the party writes it: 中文, Кириллица, العربية ...",
                                max_length=300,
                                verbose_name="name (original script)",
                            ),
                        ),
                        (
                            "name_latin",
                            models.CharField(
                                blank=True,
                                help_text="The English or transliterated name, if the original is not in Latin script.",
                                max_length=300,
                                verbose_name="name (Latin script)",
                            ),
                        ),
                        (
                            "party_type",
                            models.CharField(
                                choices=[
                                    ("customer", "Customer"),
                                    ("end_user", "End user"),
                                    ("consignee", "Consignee"),
                                    ("intermediate_consignee", "Intermediate consignee"),
                                    ("forwarder", "Freight forwarder"),
                                    ("bank", "Bank"),
                                    ("agent", "Agent or distributor"),
                                    ("supplier", "Supplier"),
                                    ("other", "Other"),
                                ],
                                default="customer",
                                max_length=32,
                                verbose_name="type",
                            ),
                        ),
                        (
                            "is_individual",
                            models.BooleanField(default=False, verbose_name="a natural person"),
                        ),
                        (
                            "military_user",
                            models.BooleanField(
                                default=False,
                                help_text="Armed forces, a defence ministry or agency, a defence contractor or a military research institute. Read by the question on MOFCOM bans on military users.",
                                verbose_name="military user",
                            ),
                        ),
                        (
                            "country",
                            django_countries.fields.CountryField(
                                blank=True, max_length=2, verbose_name="country"
                            ),
                        ),
                        (
                            "address",
                            models.CharField(blank=True, max_length=500, verbose_name="address"),
                        ),
                        (
                            "reference",
                            models.CharField(
                                blank=True,
                                help_text="The number in your ERP, if any.",
                                max_length=64,
                                verbose_name="customer or supplier number",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "screening_status",
                            models.CharField(
                                choices=[
                                    ("not_screened", "Not screened"),
                                    ("clear", "No match"),
                                    ("needs_review", "Potential match: needs a decision"),
                                    ("cleared", "Cleared (false positive)"),
                                    ("match", "Confirmed match"),
                                ],
                                db_index=True,
                                default="not_screened",
                                max_length=16,
                                verbose_name="screening status",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="accounts.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical party",
                        "verbose_name_plural": "historical parties",
                        "db_table": "trade_historicalparty",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Party",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="As the party writes it: 中文, Кириллица, العربية ...",
                                max_length=300,
                                verbose_name="name (original script)",
                            ),
                        ),
                        (
                            "name_latin",
                            models.CharField(
                                blank=True,
                                help_text="The English or transliterated name, if the original is not in Latin script.",
                                max_length=300,
                                verbose_name="name (Latin script)",
                            ),
                        ),
                        (
                            "party_type",
                            models.CharField(
                                choices=[
                                    ("customer", "Customer"),
                                    ("end_user", "End user"),
                                    ("consignee", "Consignee"),
                                    ("intermediate_consignee", "Intermediate consignee"),
                                    ("forwarder", "Freight forwarder"),
                                    ("bank", "Bank"),
                                    ("agent", "Agent or distributor"),
                                    ("supplier", "Supplier"),
                                    ("other", "Other"),
                                ],
                                default="customer",
                                max_length=32,
                                verbose_name="type",
                            ),
                        ),
                        (
                            "is_individual",
                            models.BooleanField(default=False, verbose_name="a natural person"),
                        ),
                        (
                            "military_user",
                            models.BooleanField(
                                default=False,
                                help_text="Armed forces, a defence ministry or agency, a defence contractor or a military research institute. Read by the question on MOFCOM bans on military users.",
                                verbose_name="military user",
                            ),
                        ),
                        (
                            "country",
                            django_countries.fields.CountryField(
                                blank=True, max_length=2, verbose_name="country"
                            ),
                        ),
                        (
                            "address",
                            models.CharField(blank=True, max_length=500, verbose_name="address"),
                        ),
                        (
                            "reference",
                            models.CharField(
                                blank=True,
                                help_text="The number in your ERP, if any.",
                                max_length=64,
                                verbose_name="customer or supplier number",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "screening_status",
                            models.CharField(
                                choices=[
                                    ("not_screened", "Not screened"),
                                    ("clear", "No match"),
                                    ("needs_review", "Potential match: needs a decision"),
                                    ("cleared", "Cleared (false positive)"),
                                    ("match", "Confirmed match"),
                                ],
                                db_index=True,
                                default="not_screened",
                                max_length=16,
                                verbose_name="screening status",
                            ),
                        ),
                        (
                            "last_screened_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last screened"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "last_screening",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="screening.screening",
                                verbose_name="last screening",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "party",
                        "verbose_name_plural": "parties",
                        "db_table": "trade_party",
                        "ordering": ["name"],
                    },
                ),
                migrations.AlterField(
                    model_name="screening",
                    name="party",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="screenings",
                        to="screening.party",
                        verbose_name="party",
                    ),
                ),
                migrations.AddIndex(
                    model_name="party",
                    index=models.Index(
                        fields=["organisation", "screening_status"],
                        name="trade_party_organis_b0e75f_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="party",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("reference", ""), _negated=True),
                        fields=("organisation", "reference"),
                        name="trade_party_reference_unique",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
