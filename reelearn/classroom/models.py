"""Classes, pupils' memberships, groups, assignments and per-pupil progress.

`classroom` points at lessons (assignments target a module-tier or lesson page). Quizzes point at
classroom (an attempt may belong to an assignment), never the other way round.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import Tier

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: codes are read aloud and copied from a board.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8


class ClassroomQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClassroomQuerySet:
        """Classes a user may read: verified teachers their own (owner or co-teacher), pupils
        their own. A teacher not (or no longer) verified sees none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_verified_teacher:
            return self.filter(teachers=user).distinct()
        if user.is_pupil:
            return self.filter(
                memberships__pupil=user, memberships__status=Membership.Status.ACTIVE
            ).distinct()
        return self.none()

    def active(self) -> ClassroomQuerySet:
        return self.filter(archived_at__isnull=True)


class Classroom(models.Model):
    name = models.CharField(_("name"), max_length=100)
    year_group = models.CharField(_("year group"), max_length=40, blank=True)
    default_tier = models.CharField(
        _("default tier"), max_length=2, default=Tier.T2, choices=Tier.choices
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ClassTeacher", related_name="teaching_classes"
    )
    join_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    join_code_expires_at = models.DateTimeField(null=True, blank=True)
    join_enabled = models.BooleanField(_("pupils can join with the code"), default=True)
    join_needs_approval = models.BooleanField(_("teacher approves pupils who join"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def join_code_display(self) -> str:
        """ABCD-EFGH: easier to read aloud and copy from a board; input ignores the dash."""
        code = self.join_code or ""
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    def join_code_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.join_code
            and self.join_enabled
            and not self.is_archived
            and (self.join_code_expires_at is None or self.join_code_expires_at > now)
        )

    def accepts_pupils(self, now=None) -> bool:
        """The code works and the class's owner is a verified teacher: a code from an account
        no school has vouched for makes no pupil accounts (one query, after the cheap checks)."""
        return (
            self.join_code_usable(now)
            and self.class_teachers.filter(
                role=ClassTeacher.Role.OWNER,
                teacher__is_active=True,
                teacher__role="teacher",
                teacher__verified_at__isnull=False,
            ).exists()
        )


class ClassTeacher(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        CO_TEACHER = "co_teacher", _("Co-teacher")

    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="class_teachers"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_teacher_links"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OWNER)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "teacher"], name="one_link_per_teacher_and_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of class {self.classroom_id}"


class Membership(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pupil__display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "pupil"], name="one_membership_per_pupil_and_class"
            )
        ]

    def __str__(self) -> str:  # ids only: this may end up in logs
        return f"membership {self.pk} of class {self.classroom_id}"


class Group(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=80)
    pupils = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="class_groups"
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "name"], name="unique_group_name_per_class"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ASSIGNED = "assigned", _("Assigned")

    class Audience(models.TextChoices):
        CLASS = "class", _("The whole class")
        GROUPS = "groups", _("Chosen groups")
        PUPILS = "pupils", _("Chosen pupils")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A module-tier page or a single lesson."),
    )
    tier = models.CharField(max_length=2)
    # What pupils read: the page's live translation in this language where it has one (the
    # page itself is always the English one).
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.CLASS)
    groups = models.ManyToManyField(Group, blank=True, related_name="assignments")
    # The chosen pupils when the audience is "pupils" (drafts have no AssignmentPupil rows yet).
    pupils = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="chosen_for_assignments"
    )
    open_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    # Quiz settings that override the quiz's own for this assignment (see quizzes.settings).
    quiz_settings = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gt=models.F("open_at")),
                name="due_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_other_language(self) -> bool:
        """Read in another language than English (the page's own)."""
        return self.language != settings.LANGUAGE_CODE


class AssignmentPupil(models.Model):
    """One pupil's copy of an assignment: status, dates and personal adjustments."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        TURNED_IN = "turned_in", _("Turned in")
        RETURNED = "returned", _("Returned")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="pupil_links")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment_links"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    due_at_override = models.DateTimeField(_("extended due date"), null=True, blank=True)
    extra_time_minutes = models.PositiveSmallIntegerField(default=0)
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    turned_in_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # What was done when the pupil turned the work in (lessons_done, lessons_total,
    # quizzes_done, quizzes_total), so the teacher sees a turn-in of unread work for what it is.
    turned_in_work = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "pupil"], name="one_link_per_assignment_and_pupil"
            )
        ]

    def __str__(self) -> str:
        return f"assignment {self.assignment_id} for pupil {self.pupil_id}"

    @property
    def due_at(self):
        return self.due_at_override or self.assignment.due_at

    def is_late(self, now=None) -> bool:
        now = now or timezone.now()
        due = self.due_at
        if due is None:
            return False
        if self.turned_in_at:
            return self.turned_in_at > due
        return now > due

    def is_missing(self, now=None) -> bool:
        now = now or timezone.now()
        due = self.due_at
        return bool(
            due and now > due and self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)
        )


class LessonProgress(models.Model):
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "page"], name="one_progress_per_pupil_and_page"
            )
        ]

    def __str__(self) -> str:
        return f"progress of pupil {self.pupil_id} on page {self.page_id}"


class ArchiveEncoder(DjangoJSONEncoder):
    """JSON for archived rows that reads back exactly: datetimes with their microseconds
    (DjangoJSONEncoder keeps milliseconds), decimals as text."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ClassArchive(models.Model):
    """A class whose pupils' work has left the hot tables (`manage.py archive_classes`).

    The class itself, its teachers, memberships, groups and assignments stay where they were;
    each pupil's rows from the work tables (their assignment links and progress, and what the
    apps above add, such as quiz attempts and answers) wait in an ArchivedWork row until the
    class is restored. The class export reads them and erasure deletes them
    (`services.archive`).
    """

    classroom = models.OneToOneField(
        Classroom, on_delete=models.CASCADE, related_name="work_archive"
    )
    archived_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, blank=True)  # rows moved, per table

    def __str__(self) -> str:
        return f"archive of class {self.classroom_id}"


class ArchivedWork(models.Model):
    """One pupil's rows of an archived class, per table: {"quizzes.answer": [{...}, …], …}.

    Deleted with the pupil's account (CASCADE), so every erasure removes it."""

    archive = models.ForeignKey(ClassArchive, on_delete=models.CASCADE, related_name="work")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="archived_work"
    )
    tables = models.JSONField(default=dict, encoder=ArchiveEncoder)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["archive", "pupil"], name="one_archived_work_per_pupil_and_class"
            )
        ]

    def __str__(self) -> str:
        return f"archived work of pupil {self.pupil_id} in class archive {self.archive_id}"
