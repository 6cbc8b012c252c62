"""The reference library now lives in the `reference` app (its tables keep their names and rows):
the models leave icp's state only, after every foreign key points at the new app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('icp', '0015_incident_event_text_codes'),
        ('audits', '0002_checklist_fks_to_reference_app'),
        ('trade', '0009_red_flag_from_reference_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='element',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='requirement',
                    name='element',
                ),
                migrations.RemoveField(
                    model_name='legalprovision',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='redflag',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='requirement',
                    name='framework',
                ),
                migrations.RemoveField(
                    model_name='referencesource',
                    name='framework',
                ),
                migrations.DeleteModel(
                    name='AuditQuestion',
                ),
                migrations.DeleteModel(
                    name='Element',
                ),
                migrations.DeleteModel(
                    name='LegalProvision',
                ),
                migrations.DeleteModel(
                    name='RedFlag',
                ),
                migrations.DeleteModel(
                    name='Requirement',
                ),
                migrations.DeleteModel(
                    name='ReferenceFramework',
                ),
                migrations.DeleteModel(
                    name='ReferenceSource',
                ),
            ],
            database_operations=[],
        ),
    ]
