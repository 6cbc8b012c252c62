"""The reference library moves from `icp` to this app: the models only, in Django's state.

The tables stay where they are (`db_table` keeps the old `icp_*` names) with every row, index and
constraint, so no database operation runs. `icp` 0012 removes the models from its own state after
trade and audits point their foreign keys here (state only as well).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables are created by icp's migrations; this state starts where icp's ends.
        ('icp', '0011_scenarios_unified'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReferenceFramework',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, verbose_name='code')),
                        ('version', models.CharField(max_length=20, verbose_name='version')),
                        ('name_en', models.TextField(verbose_name='name (English)')),
                        ('name_zh', models.TextField(verbose_name='name (Chinese)')),
                        ('source_file', models.CharField(max_length=200, verbose_name='source file')),
                        ('is_current', models.BooleanField(default=False, verbose_name='current version')),
                        ('notes_en', models.TextField(blank=True, verbose_name='notes (English)')),
                        ('notes_zh', models.TextField(blank=True, verbose_name='notes (Chinese)')),
                        ('loaded_at', models.DateTimeField(auto_now=True, verbose_name='loaded')),
                    ],
                    options={
                        'verbose_name': 'reference framework',
                        'verbose_name_plural': 'reference frameworks',
                        'db_table': 'icp_referenceframework',
                        'ordering': ['code', '-version'],
                        'constraints': [models.UniqueConstraint(fields=('code', 'version'), name='framework_version_unique'), models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('code',), name='one_current_framework')],
                    },
                ),
                migrations.CreateModel(
                    name='Element',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=4, verbose_name='code')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                        ('name_zh', models.CharField(max_length=200, verbose_name='name (Chinese)')),
                        ('summary_en', models.TextField(blank=True, verbose_name='summary (English)')),
                        ('summary_zh', models.TextField(blank=True, verbose_name='summary (Chinese)')),
                        ('new_in_2021', models.BooleanField(default=False, verbose_name='new in 2021')),
                        ('frequency_en', models.TextField(blank=True, verbose_name='frequency (English)')),
                        ('frequency_zh', models.TextField(blank=True, verbose_name='frequency (Chinese)')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='elements', to='reference.referenceframework')),
                    ],
                    options={
                        'verbose_name': 'ICP element',
                        'verbose_name_plural': 'ICP elements',
                        'db_table': 'icp_element',
                        'ordering': ['framework', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='AuditQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ref_id', models.CharField(max_length=30, verbose_name='id')),
                        ('text_en', models.TextField(verbose_name='text (English)')),
                        ('text_zh', models.TextField(blank=True, verbose_name='text (Chinese)')),
                        ('source', models.CharField(blank=True, max_length=20, verbose_name='source')),
                        ('zh_official', models.BooleanField(default=False, verbose_name='official Chinese text')),
                        ('basis', models.CharField(blank=True, max_length=30, verbose_name='basis')),
                        ('guidance_en', models.TextField(blank=True, verbose_name='guidance (English)')),
                        ('guidance_zh', models.TextField(blank=True, verbose_name='guidance (Chinese)')),
                        ('element', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='audit_questions', to='reference.element')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reference.referenceframework')),
                    ],
                    options={
                        'verbose_name': 'audit question',
                        'verbose_name_plural': 'audit questions',
                        'db_table': 'icp_auditquestion',
                        'ordering': ['ref_id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ReferenceSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=20, verbose_name='key')),
                        ('title', models.TextField(verbose_name='title')),
                        ('reference', models.TextField(verbose_name='where to find it')),
                        ('reliability', models.CharField(max_length=20, verbose_name='reliability')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='reference.referenceframework')),
                    ],
                    options={
                        'db_table': 'icp_referencesource',
                        'ordering': ['key'],
                    },
                ),
                migrations.CreateModel(
                    name='Requirement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ref_id', models.CharField(max_length=30, verbose_name='id')),
                        ('text_en', models.TextField(verbose_name='text (English)')),
                        ('text_zh', models.TextField(blank=True, verbose_name='text (Chinese)')),
                        ('source', models.CharField(blank=True, max_length=20, verbose_name='source')),
                        ('zh_official', models.BooleanField(default=False, verbose_name='official Chinese text')),
                        ('article', models.CharField(blank=True, max_length=100, verbose_name='legal provision')),
                        ('confidence', models.CharField(choices=[('verified', 'Verified against the law text (paraphrase, unofficial translation)'), ('secondary', 'From secondary sources (paraphrase, unofficial translation)'), ('text_2007', 'From the 2007 predecessor guidance (wording may differ)'), ('uncertain', 'Uncertain: check before relying on it')], max_length=20, verbose_name='confidence')),
                        ('element', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirements', to='reference.element')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reference.referenceframework')),
                    ],
                    options={
                        'verbose_name': 'requirement',
                        'verbose_name_plural': 'requirements',
                        'db_table': 'icp_requirement',
                        'ordering': ['ref_id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='RedFlag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ref_id', models.CharField(max_length=30, verbose_name='id')),
                        ('text_en', models.TextField(verbose_name='text (English)')),
                        ('text_zh', models.TextField(blank=True, verbose_name='text (Chinese)')),
                        ('source', models.CharField(blank=True, max_length=20, verbose_name='source')),
                        ('zh_official', models.BooleanField(default=False, verbose_name='official Chinese text')),
                        ('category', models.CharField(choices=[('screening', 'Screening lists'), ('end_use', 'End user and end use'), ('documents', 'Certificates and documents'), ('product', 'Item and configuration'), ('authority_contact', 'Requests from authorities'), ('customer', 'Customer'), ('shipping', 'Shipping and delivery'), ('destination', 'Destination'), ('payment', 'Payment')], max_length=40, verbose_name='theme')),
                        ('order', models.PositiveSmallIntegerField(default=0, help_text='Statutory triggers first, then by theme.', verbose_name='order')),
                        ('merged_into', models.CharField(blank=True, help_text='A near-duplicate no longer asked: the flag that asks the question now.', max_length=30, verbose_name='merged into')),
                        ('severity', models.CharField(choices=[('blocking', 'Blocking'), ('high', 'High'), ('medium', 'Medium')], default='medium', max_length=10, verbose_name='severity')),
                        ('legal_reference', models.CharField(blank=True, max_length=200, verbose_name='reference')),
                        ('verified', models.BooleanField(default=False, verbose_name='verified source')),
                        ('prefill', models.CharField(blank=True, max_length=60, verbose_name='answered from data by')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reference.referenceframework')),
                    ],
                    options={
                        'verbose_name': 'red flag',
                        'verbose_name_plural': 'red flags',
                        'db_table': 'icp_redflag',
                        'ordering': ['order', 'ref_id'],
                        'abstract': False,
                        'constraints': [models.UniqueConstraint(fields=('framework', 'ref_id'), name='redflag_id_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='LegalProvision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ref_id', models.CharField(max_length=30, verbose_name='id')),
                        ('text_en', models.TextField(verbose_name='text (English)')),
                        ('text_zh', models.TextField(blank=True, verbose_name='text (Chinese)')),
                        ('source', models.CharField(blank=True, max_length=20, verbose_name='source')),
                        ('zh_official', models.BooleanField(default=False, verbose_name='official Chinese text')),
                        ('law', models.CharField(max_length=20, verbose_name='law')),
                        ('article', models.CharField(max_length=30, verbose_name='article')),
                        ('topic', models.CharField(blank=True, max_length=40, verbose_name='topic')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reference.referenceframework')),
                    ],
                    options={
                        'verbose_name': 'legal provision',
                        'verbose_name_plural': 'legal provisions',
                        'db_table': 'icp_legalprovision',
                        'ordering': ['ref_id'],
                        'abstract': False,
                        'constraints': [models.UniqueConstraint(fields=('framework', 'ref_id'), name='provision_id_unique')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='element',
                    constraint=models.UniqueConstraint(fields=('framework', 'code'), name='element_code_unique'),
                ),
                migrations.AddConstraint(
                    model_name='auditquestion',
                    constraint=models.UniqueConstraint(fields=('framework', 'ref_id'), name='auditquestion_id_unique'),
                ),
                migrations.AddConstraint(
                    model_name='referencesource',
                    constraint=models.UniqueConstraint(fields=('framework', 'key'), name='source_key_unique'),
                ),
                migrations.AddConstraint(
                    model_name='requirement',
                    constraint=models.UniqueConstraint(fields=('framework', 'ref_id'), name='requirement_id_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]
