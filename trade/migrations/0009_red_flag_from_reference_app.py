"""The red flag answers point at `reference.RedFlag` (the same table, `icp_redflag`): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reference', '0001_initial'),
        ('trade', '0008_red_flag_note_codes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalredflaganswer',
                    name='red_flag',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.redflag', verbose_name='red flag'),
                ),
                migrations.AlterField(
                    model_name='redflaganswer',
                    name='red_flag',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.redflag', verbose_name='red flag'),
                ),
            ],
            database_operations=[],
        ),
    ]
