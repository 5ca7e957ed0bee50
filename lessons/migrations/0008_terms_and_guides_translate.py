"""Glossary terms and teacher guides translate (wagtail-localize).

Existing rows become English (the default locale), each with its own translation key
(Wagtail's bootstrap for models made translatable after the fact).
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0007_content_locales"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="term",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="term",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        BootstrapTranslatableModel("lessons.term"),
        migrations.AlterField(
            model_name="term",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="term",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="term", unique_together={("translation_key", "locale")}
        ),
        migrations.AlterField(
            model_name="term", name="slug", field=models.SlugField(max_length=60)
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="term_slug_per_locale"
            ),
        ),
        migrations.AddField(
            model_name="teacherguide",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="teacherguide",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        BootstrapTranslatableModel("lessons.teacherguide"),
        migrations.AlterField(
            model_name="teacherguide",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="teacherguide",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="teacherguide", unique_together={("translation_key", "locale")}
        ),
    ]
