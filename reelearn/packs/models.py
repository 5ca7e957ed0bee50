"""Printable packs: one row per built (or building) PDF or zip.

A pack is identified by its slot — kind, target, edition, paper — plus the hash of everything it
renders. The "current" pack of a slot is the one whose hash matches what is published now; older
rows of the same slot are previous versions (the newest ready one is kept, older ones pruned).
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PackQuerySet(models.QuerySet):
    def visible_to(self, user) -> PackQuerySet:
        """Packs a user may read or download; everything else is hidden (404).

        Student editions of live, public pages: everyone. Teacher editions: teachers and
        editors. Class packs: the teachers of that class.
        """
        from wagtail.models import Page

        from .permissions import can_view_teacher_edition

        live_pages = Page.objects.live().public().values("pk")
        page_kinds = Q(kind__in=Pack.PAGE_KINDS, page__in=live_pages)
        allowed = page_kinds & Q(edition=Pack.Edition.STUDENT)
        if can_view_teacher_edition(user):
            allowed |= page_kinds & Q(edition=Pack.Edition.TEACHER)
        if user.is_authenticated and user.is_verified_teacher:
            allowed |= Q(kind=Pack.Kind.CLASS, assignment__classroom__teachers=user)
        return self.filter(allowed).distinct()

    def in_slot(self, *, kind: str, target: str, edition: str, paper: str) -> PackQuerySet:
        return self.filter(kind=kind, target=target, edition=edition, paper=paper)


class Pack(models.Model):
    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson")
        MODULE_TIER = "module_tier", _("Module")
        MODULE_ZIP = "module_zip", _("All lessons of a module (zip)")
        CLASS = "class", _("Class pack")

    class Edition(models.TextChoices):
        STUDENT = "student", _("Student edition")
        TEACHER = "teacher", _("Teacher edition")

    class Paper(models.TextChoices):
        A4 = "a4", _("A4")
        LETTER = "letter", _("US Letter")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    PAGE_KINDS = (Kind.LESSON, Kind.MODULE_TIER, Kind.MODULE_ZIP)
    FINAL = (Status.READY, Status.FAILED)

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # "page:<id>" or "assignment:<id>": one column for the unique key whatever the kind.
    target = models.CharField(max_length=40)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        "classroom.Assignment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="packs",
    )
    edition = models.CharField(max_length=8, choices=Edition.choices)
    paper = models.CharField(max_length=8, choices=Paper.choices)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="packs/", max_length=255, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # Claims so far (a claim is one worker starting the build); bounded by PACKS_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    objects = PackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "edition", "paper", "content_hash"],
                name="one_pack_per_slot_and_content",
            ),
            models.CheckConstraint(
                condition=Q(kind="class", assignment__isnull=False)
                | (~Q(kind="class") & Q(page__isnull=False)),
                name="pack_has_its_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "target", "edition", "paper", "status"], name="pack_slot_status"
            ),
            models.Index(fields=["status", "claimed_at"], name="pack_status_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target} {self.edition}/{self.paper}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def extension(self) -> str:
        return "zip" if self.kind == self.Kind.MODULE_ZIP else "pdf"

    @property
    def content_type(self) -> str:
        return "application/zip" if self.kind == self.Kind.MODULE_ZIP else "application/pdf"

    def slot(self) -> dict:
        return {
            "kind": self.kind,
            "target": self.target,
            "edition": self.edition,
            "paper": self.paper,
        }

    def download_name(self) -> str:
        """A readable file name: reelearn-<target slug>-<edition>-<paper>.<ext>."""
        from django.utils.text import slugify

        if self.kind == self.Kind.CLASS and self.assignment_id:
            base = f"class-pack-{self.assignment_id}"
        else:
            title = self.page.title if self.page_id else self.target
            # "Ages 7–11" → ages-7-11, not ages-711: slugify drops en and em dashes.
            title = re.sub(r"[\u2010-\u2015\u2212/]", "-", title)
            base = slugify(title)[:60] or "pack"
        edition = "" if self.kind == self.Kind.CLASS else f"-{self.edition}"
        return f"reelearn-{base}{edition}-{self.paper}.{self.extension}"
