from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publicity', '0009_search_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(fields=['published_on', 'id'], name='publication_date_id'),
        ),
    ]
