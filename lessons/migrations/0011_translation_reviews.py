"""Translation reviews (lessons.TranslationReview) and a reviewer group per translated language.

Each "Translation reviewers: <language>" group may use the admin, submit translations
(wagtail-localize's permission), edit glossary terms and teacher guides, approve translations
into its language, and edit and publish the pages of its language's tree (from the translated
home page; later ones get it as they are made, lessons.signals).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.translation import get_language_info

PREFIX = "Translation reviewers: "


def translated_languages():
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def create_reviewer_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    def permission(app_label, model, codename, name):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        found, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        return found

    common = [
        permission("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        permission(
            "wagtail_localize", "translation", "submit_translation", "Can submit translations"
        ),
    ] + [
        permission("lessons", model, f"{action}_{model}", f"Can {action} {model}")
        for model in ("term", "teacherguide")
        for action in ("view", "change")
    ]
    page_permissions = [
        permission("wagtailcore", "page", "change_page", "Change any page"),
        permission("wagtailcore", "page", "publish_page", "Publish any page"),
    ]
    for code in translated_languages():
        name = get_language_info(code)["name"]
        group, _ = Group.objects.get_or_create(name=PREFIX + name)
        review = permission(
            "lessons",
            "translationreview",
            "review_" + code.replace("-", "_"),
            f"Can approve translations into {name}",
        )
        group.permissions.add(*common, review)
        for home in Page.objects.filter(depth=2, locale__language_code=code, alias_of=None):
            for page_permission in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=page_permission
                )


def remove_reviewer_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lessons", "0010_module_code_per_locale"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TranslationReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField()),
                ("version", models.CharField(max_length=80)),
                ("approved_at", models.DateTimeField()),
                (
                    "approved_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.locale",
                    ),
                ),
            ],
            options={
                "permissions": [
                    ("review_my", "Can approve translations into Burmese"),
                    ("review_kac", "Can approve translations into Jingpho"),
                    ("review_zh_hans", "Can approve translations into Simplified Chinese"),
                    ("review_es", "Can approve translations into Spanish"),
                    ("review_pt", "Can approve translations into Portuguese"),
                ],
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "translation_key", "locale"),
                        name="one_review_per_translation",
                    )
                ],
            },
        ),
        migrations.RunPython(create_reviewer_groups, remove_reviewer_groups),
    ]
