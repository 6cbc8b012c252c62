"""Checklist templates point at the reference app's models (the same `icp_*` tables): state
only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0001_initial'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='checklisttemplate',
                    name='framework',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.referenceframework', verbose_name='framework version'),
                ),
                migrations.AlterField(
                    model_name='templatequestion',
                    name='element',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.element', verbose_name='element'),
                ),
                migrations.AlterField(
                    model_name='templatequestion',
                    name='reference_question',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.auditquestion', verbose_name='reference question'),
                ),
            ],
            database_operations=[],
        ),
    ]
