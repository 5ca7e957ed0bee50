"""Editors and Moderators may manage sources, glossary terms and teacher guides in the admin."""

from django.db import migrations

MODELS = ["source", "term", "teacherguide"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    perms = []
    for model in MODELS:
        ctype, _ = ContentType.objects.get_or_create(app_label="lessons", model=model)
        for action in ACTIONS:
            perm, _ = Permission.objects.get_or_create(
                content_type=ctype, codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"})
            perms.append(perm)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0002_hero_alt"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
