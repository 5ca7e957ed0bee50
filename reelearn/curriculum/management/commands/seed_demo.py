"""A demo school: an approved school with a verified teacher and a school admin, an editor who
submits for review and a moderator who approves, a Year 10 class of 25 pupils in two groups and
two assignments at the class's tier, one past due and one current, with the pupils' work (read,
answered, turned in on time, late, partly or not at all) and some of it marked.

Idempotent: a second run finds everything by name, changes nothing and prints the same sign-ins.
Demo passwords are derived from SECRET_KEY and a fixed demo seed, so they are stable for one
installation and differ between installations (demo accounts on a public server are not
guessable from this source code).

It lives with the curriculum loader, above quizzes, because the pupils' work goes through the
quiz services (classroom may not name quizzes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lessons.models import ModuleTierPage
from reelearn.accounts import cards
from reelearn.classroom import services
from reelearn.classroom.models import Assignment, Classroom, ClassTeacher, Group, Membership
from reelearn.classroom.selectors import sign_in_url
from reelearn.classroom.services.pupils import hash_generated_password
from reelearn.curriculum.demo_activity import class_activity, current_plans, past_plans
from reelearn.schools.models import School, SchoolMembership
from reelearn.schools.services import teachers_verification_sync

DEMO_SEED = "reelearn-demo-2026"
CLASS_NAME = "Demo class 10R"
YEAR_GROUP, TIER = "Year 10", "t3"  # ages 14–16: the tier whose quizzes have open questions
SCHOOL_NAME = "REElearn Demo School"
PUPIL_NAMES = [
    "Amara K.",
    "Ben T.",
    "Chen L.",
    "Dara M.",
    "Eli S.",
    "Fatima H.",
    "Gabriel O.",
    "Hana Y.",
    "Isla R.",
    "Jamal B.",
    "Kofi A.",
    "Lena W.",
    "Mateo G.",
    "Nia P.",
    "Omar F.",
    "Priya N.",
    "Quinn D.",
    "Rosa V.",
    "Sami E.",
    "Tomasz J.",
    "Uma C.",
    "Victor Z.",
    "Wren I.",
    "Yusuf Q.",
    "Zoe U.",
]


def _rng(purpose: str) -> random.Random:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{DEMO_SEED}:{purpose}".encode(), hashlib.sha256
    ).digest()
    return random.Random(int.from_bytes(digest, "big"))  # noqa: S311 - demo data, not secrets


def demo_password(username: str) -> str:
    return cards.memorable_password(_rng(f"password:{username}"))


class Command(BaseCommand):
    help = (
        "Create (once) a demo school with a teacher, a school admin, an editor and a moderator, "
        "a class of 25 pupils, two assignments and the pupils' work on them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print only the sign-ins as JSON on stdout."
        )

    def handle(self, *args, **options):
        as_json = options["json"]
        note = self.stderr.write if as_json else self.stdout.write
        with transaction.atomic():
            teacher = self._user(
                "teacher",
                role="teacher",
                display_name="Ms Demo",
                email="teacher@demo.reelearn.invalid",
            )
            editor, moderator = self._editors(note)
            school_admin = self._user(
                "schooladmin",
                role="teacher",
                display_name="Mr Demo Head",
                email="head@demo.reelearn.invalid",
            )
            self._school(editor=editor, teacher=teacher, school_admin=school_admin)
            classroom = self._classroom(teacher)
            pupils = self._pupils(classroom)
            self._groups(classroom, pupils)
            made = self._assignments(classroom, teacher)
        if made is None:
            note(
                "No published module-tier pages for ages 14–16 yet: skipped the assignments "
                "(run load_curriculum, then seed_demo again)."
            )
        credentials = {
            "teacher": self._sign_in(teacher),
            "school_admin": self._sign_in(school_admin),
            "editor": self._sign_in(editor),
            "moderator": self._sign_in(moderator),
            "pupils": [self._sign_in(p) for p in pupils],
            "class": {"id": classroom.pk, "join_code": classroom.join_code},
        }
        if as_json:
            self.stdout.write(json.dumps(credentials))
            return
        self._print(credentials, pupils, classroom)

    @staticmethod
    def _sign_in(user) -> dict:
        return {"username": user.username, "password": demo_password(user.username)}

    def _user(self, username: str, *, role: str, **fields):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, school_name="REElearn Demo School", **fields)
            user.set_password(demo_password(username))
            user.save()
        return user

    def _editors(self, note) -> tuple:
        """An editor in Wagtail's Editors group (no publish permission: their pages go to
        review) and a moderator in its Moderators group, who approves them."""
        groups = {g.name: g for g in AuthGroup.objects.filter(name__in=["Editors", "Moderators"])}
        if len(groups) < 2:
            note("Wagtail's Editors and Moderators groups are missing: run migrate.")
        people = []
        for username, name, group in (
            ("editor", "Demo Editor", "Editors"),
            ("moderator", "Demo Moderator", "Moderators"),
        ):
            user = self._user(
                username,
                role="editor",
                display_name=name,
                email=f"{username}@demo.reelearn.invalid",
                is_staff=True,
            )
            wanted = [groups[group]] if group in groups else []
            if set(user.groups.all()) != set(wanted):  # an older demo editor also moderated
                user.groups.set(wanted)
            people.append(user)
        return tuple(people)

    def _school(self, *, editor, teacher, school_admin) -> School:
        """The demo school, approved, with the teacher verified and a verified school admin.
        An installation migrated from before schools has the school already, pending (moved
        from the demo teacher's old school field): it is approved here."""
        now = timezone.now()
        school = School.objects.filter(name=SCHOOL_NAME).order_by("pk").first()
        if school is None:
            school = School.objects.create(name=SCHOOL_NAME, town="Demo Town", requested_at=now)
        if school.status != School.Status.APPROVED:
            School.objects.filter(pk=school.pk).update(
                status=School.Status.APPROVED, decided_by=editor, decided_at=now
            )
        for user, role in ((teacher, "teacher"), (school_admin, "admin")):
            wanted = {"school": school, "role": role, "status": SchoolMembership.Status.VERIFIED}
            if not SchoolMembership.objects.filter(teacher=user, **wanted).exists():
                SchoolMembership.objects.update_or_create(
                    teacher=user,
                    defaults={
                        **wanted,
                        "via": SchoolMembership.Via.STAFF,
                        "decided_by": editor,
                        "decided_at": now,
                    },
                )
        teachers_verification_sync(teacher_ids=[teacher.pk, school_admin.pk])
        return school

    def _classroom(self, teacher) -> Classroom:
        link = (
            ClassTeacher.objects.filter(
                teacher=teacher, classroom__name=CLASS_NAME, role=ClassTeacher.Role.OWNER
            )
            .select_related("classroom")
            .first()
        )
        if link:
            return link.classroom
        return services.classroom_create(
            teacher=teacher,
            name=CLASS_NAME,
            year_group=YEAR_GROUP,
            default_tier=TIER,
            join_needs_approval=True,
        )

    def _pupils(self, classroom: Classroom) -> list:
        User = get_user_model()
        existing = {
            m.pupil.display_name: m.pupil
            for m in Membership.objects.filter(classroom=classroom).select_related("pupil")
        }
        new = []
        for name in PUPIL_NAMES:
            if name in existing:
                continue
            stem, rng = cards.username_stem(name), _rng(f"username:{name}")
            username = f"{stem}{rng.randrange(100, 1000)}"
            while User.objects.filter(username=username).exists():
                username = f"{stem}{rng.randrange(100, 1000)}"
            user = User.objects.create(
                username=username,
                display_name=name,
                role=User.Role.PUPIL,
                email="",
                password=hash_generated_password(demo_password(username)),
            )
            Membership.objects.create(classroom=classroom, pupil=user)
            existing[name] = user
            new.append((user, demo_password(username)))
        if new:
            cards.card_store(users_passwords=new)
        return [existing[name] for name in PUPIL_NAMES]

    def _groups(self, classroom: Classroom, pupils: list) -> None:
        half = len(pupils) // 2 + 1
        for name, members in (("Group A", pupils[:half]), ("Group B", pupils[half:])):
            group, created = Group.objects.get_or_create(classroom=classroom, name=name)
            if created:
                group.pupils.set(members)

    def _assignments(self, classroom: Classroom, teacher) -> int | None:
        """Two modules at the class's tier: one due six days ago, one due in five days. The
        pupils' work on each is made once, when the assignment is."""
        pages = list(
            ModuleTierPage.objects.live()
            .public()
            .filter(tier=classroom.default_tier)
            .order_by("path")[:2]
        )
        if not pages:
            return None
        now = timezone.now().replace(microsecond=0)
        made = 0
        for page, opened, due, plans in (
            (pages[0], -20, -6, past_plans),
            (pages[-1], -4, 5, current_plans),
        ):
            if Assignment.objects.filter(classroom=classroom, page=page).exists():
                continue
            assignment = services.assignment_create(
                classroom=classroom,
                created_by=teacher,
                page=page,
                instructions="Read each lesson, then take the quiz.",
                open_at=now + timedelta(days=opened),
                due_at=(now + timedelta(days=due)).replace(
                    hour=16, minute=0, second=0, microsecond=0
                ),
            )
            services.assignment_assign(assignment=assignment)
            Assignment.objects.filter(pk=assignment.pk).update(assigned_at=assignment.open_at)
            class_activity(
                assignment=assignment,
                plans=plans(len(PUPIL_NAMES)),
                teacher=teacher,
                rng=_rng(f"activity:{page.pk}"),
                now=now,
            )
            made += 1
        return made

    def _print(self, credentials: dict, pupils: list, classroom: Classroom) -> None:
        out = self.stdout.write
        out(self.style.MIGRATE_HEADING("REElearn demo sign-ins") + f"  ({sign_in_url()})")
        for label, key, where in (
            ("teacher", "teacher", "(/classes/)"),
            ("school", "school_admin", "(school admin: /school/)"),
            ("editor", "editor", "(/admin/: submits pages for review)"),
            ("moderator", "moderator", "(/admin/: approves them)"),
        ):
            row = credentials[key]
            out(f"  {label:<9} {row['username']:<14} {row['password']:<24} {where}")
        out(
            f"  class     {classroom.name} (id {classroom.pk}), join code "
            f"{classroom.join_code_display()}"
        )
        for pupil, row in zip(pupils, credentials["pupils"], strict=True):
            out(f"  pupil     {row['username']:<14} {row['password']:<24} {pupil.display_name}")
