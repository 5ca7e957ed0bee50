"""Every teacher account made before schools existed moves into a school named from its old
free-text `school_name`: one pending school per distinct name (compared without case or extra
spaces), with the teachers in it as unverified requests. REElearn's editors then approve the
schools they recognise and verify one teacher of each as its admin (Wagtail admin → Schools).
Editors and pupils are untouched."""

import re

from django.db import migrations
from django.utils import timezone


def normalised(name: str) -> str:
    return re.sub(r"\s+", " ", name or "").strip()


def teachers_into_schools(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    School = apps.get_model("schools", "School")
    SchoolMembership = apps.get_model("schools", "SchoolMembership")
    now = timezone.now()
    schools = {}
    teachers = (
        User.objects.filter(role="teacher", school_membership__isnull=True)
        .order_by("date_joined", "pk")
        .only("pk", "username", "display_name", "first_name", "last_name", "school_name")
    )
    for teacher in teachers.iterator():
        name = normalised(teacher.school_name)[:150]
        if name:
            key = name.casefold()
            if key not in schools:
                schools[key] = School.objects.create(name=name, status="pending", requested_at=now)
            school = schools[key]
        else:
            who = (
                normalised(teacher.display_name)
                or normalised(f"{teacher.first_name} {teacher.last_name}")
                or teacher.username
            )
            school = School.objects.create(
                name=f"Unnamed school of {who}"[:150], status="pending", requested_at=now
            )
        SchoolMembership.objects.create(
            school=school,
            teacher=teacher,
            role="teacher",
            status="requested",
            via="migration",
            requested_at=now,
        )
    # A school vouches for its teachers from now on: nobody is verified until it does.
    User.objects.filter(role="teacher").update(verified_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_verified_and_auth_epoch"),
        ("schools", "0001_initial"),
    ]

    operations = [migrations.RunPython(teachers_into_schools, migrations.RunPython.noop)]
