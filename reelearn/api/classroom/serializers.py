"""Classroom API serializers: inputs validate, outputs represent. None of them writes."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from lessons.models import Tier
from reelearn.classroom.models import Assignment, Membership
from reelearn.core.converters import MAX_ID

TIERS = Tier.values


# --- Inputs -------------------------------------------------------------------------------------


def _id() -> serializers.IntegerField:
    """An id in a list: more digits than a database id has are a 400, not a lookup."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ClassroomCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    year_group = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    default_tier = serializers.ChoiceField(choices=TIERS, default="t2")
    join_needs_approval = serializers.BooleanField(default=True)


class ClassroomUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    year_group = serializers.CharField(max_length=40, required=False, allow_blank=True)
    default_tier = serializers.ChoiceField(choices=TIERS, required=False)
    join_enabled = serializers.BooleanField(required=False)
    join_needs_approval = serializers.BooleanField(required=False)


class ArchiveInput(serializers.Serializer):
    archived = serializers.BooleanField(default=True)


class JoinCodeInput(serializers.Serializer):
    enabled = serializers.BooleanField(
        default=True, help_text="true: make a new code (and switch joining on); false: off."
    )


class CoTeacherInput(serializers.Serializer):
    teacher = serializers.CharField(max_length=254, help_text="Username or email.")


class BulkPupilsInput(serializers.Serializer):
    names = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=200),
        allow_empty=True,
        max_length=1000,
        help_text="Display names, e.g. “Amara K.” (at most REELEARN_BULK_PUPILS_MAX).",
    )


class JoinInput(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class GroupInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    pupils = serializers.ListField(child=_id(), required=False, default=list, max_length=500)


class GroupUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    pupils = serializers.ListField(child=_id(), required=False, max_length=500)


class AssignmentCreateInput(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="A live ModuleTierPage or LessonPage (or a ModulePage + tier).",
    )
    tier = serializers.ChoiceField(choices=TIERS, required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    instructions = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    audience = serializers.ChoiceField(
        choices=Assignment.Audience.choices, default=Assignment.Audience.CLASS
    )
    groups = serializers.ListField(child=_id(), required=False, default=list, max_length=200)
    pupils = serializers.ListField(child=_id(), required=False, default=list, max_length=500)
    open_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    quiz_settings = serializers.DictField(required=False, default=dict)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "The language pupils read it in: one the page is published in (default English; "
            "for a translated page given as `page`, that page's language)."
        ),
    )


class AssignmentUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    instructions = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    audience = serializers.ChoiceField(choices=Assignment.Audience.choices, required=False)
    groups = serializers.ListField(child=_id(), required=False, max_length=200)
    pupils = serializers.ListField(child=_id(), required=False, max_length=500)
    open_at = serializers.DateTimeField(required=False)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class AdjustInput(serializers.Serializer):
    due_at_override = serializers.DateTimeField(required=False, allow_null=True)
    extra_time_minutes = serializers.IntegerField(required=False, min_value=0, max_value=600)
    extra_attempts = serializers.IntegerField(required=False, min_value=0, max_value=20)


# --- Outputs ------------------------------------------------------------------------------------


class TeacherOutput(serializers.Serializer):
    display_name = serializers.CharField(source="teacher.__str__")
    role = serializers.CharField()


class ClassroomOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    year_group = serializers.CharField()
    default_tier = serializers.CharField()
    archived = serializers.BooleanField(source="is_archived")
    archived_at = serializers.DateTimeField(allow_null=True)
    role = serializers.SerializerMethodField(help_text="owner, co_teacher, or pupil")
    join_code = serializers.SerializerMethodField(help_text="Only for the class's teachers.")
    join_enabled = serializers.BooleanField()
    join_needs_approval = serializers.BooleanField()
    join_code_expires_at = serializers.SerializerMethodField()
    pupil_count = serializers.SerializerMethodField()
    pending_count = serializers.SerializerMethodField()

    def _manages(self, obj) -> bool:
        return bool(getattr(obj, "my_role", None))

    def get_role(self, obj) -> str:
        return getattr(obj, "my_role", None) or "pupil"

    def get_join_code(self, obj) -> str | None:
        return obj.join_code if self._manages(obj) else None

    def get_join_code_expires_at(self, obj) -> str | None:
        if not self._manages(obj) or obj.join_code_expires_at is None:
            return None
        return obj.join_code_expires_at.isoformat()

    def get_pupil_count(self, obj) -> int | None:
        return getattr(obj, "pupil_count", None) if self._manages(obj) else None

    def get_pending_count(self, obj) -> int | None:
        return getattr(obj, "pending_count", None) if self._manages(obj) else None


class CredentialOutput(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    display_name = serializers.CharField()
    username = serializers.CharField()
    password = serializers.CharField(help_text="Shown once here; also on the login card.")


class JoinOutput(serializers.Serializer):
    """The class joined and the place's status; a new account's credentials, once."""

    class_ = serializers.CharField(help_text="The class's name.")
    status = serializers.CharField(help_text="active, or pending the teacher's approval")
    id = serializers.IntegerField(required=False, help_text="Only for a new account.")
    display_name = serializers.CharField(required=False, help_text="Only for a new account.")
    username = serializers.CharField(required=False, help_text="Only for a new account.")
    password = serializers.CharField(
        required=False, help_text="Only for a new account; shown once."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("class_")
        return fields


class PupilOutput(serializers.Serializer):
    """A membership. A pending pupil is only a name to approve or refuse: no username (half of
    a sign-in) and nothing about their account."""

    id = serializers.IntegerField(source="pupil_id")
    display_name = serializers.CharField(source="pupil.display_name")
    username = serializers.CharField(
        source="pupil.username", allow_null=True, help_text="null while pending"
    )
    status = serializers.CharField(help_text="active or pending")
    joined_at = serializers.DateTimeField()
    last_login = serializers.DateTimeField(
        source="pupil.last_login", allow_null=True, help_text="null while pending"
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.status != Membership.Status.ACTIVE:
            data["username"] = data["last_login"] = None
        return data


class GroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    pupils = serializers.SerializerMethodField()

    def get_pupils(self, obj) -> list[int]:
        return sorted(p.pk for p in obj.pupils.all())


class PageRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str | None:
        return obj.get_url()


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    classroom = serializers.IntegerField(source="classroom_id")
    title = serializers.CharField()
    page = PageRefOutput()
    tier = serializers.CharField()
    language = serializers.CharField()
    status = serializers.CharField()
    audience = serializers.CharField()
    instructions = serializers.CharField()
    open_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    quiz_settings = serializers.DictField()
    groups = serializers.SerializerMethodField()
    pupils = serializers.SerializerMethodField()

    def get_groups(self, obj) -> list[int]:
        return sorted(g.pk for g in obj.groups.all())

    def get_pupils(self, obj) -> list[int]:
        return sorted(p.pk for p in obj.pupils.all())


class GuidanceNoteOutput(serializers.Serializer):
    kind = serializers.CharField()
    note = serializers.CharField()


class GuidanceOutput(serializers.Serializer):
    lesson = PageRefOutput()
    supervision = serializers.CharField()
    supervision_label = serializers.CharField()
    notes = GuidanceNoteOutput(many=True)


class StatusOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    late = serializers.BooleanField()
    missing = serializers.BooleanField()


class LinkOutput(serializers.Serializer):
    pupil = serializers.IntegerField(source="pupil.pk")
    display_name = serializers.CharField(source="pupil.display_name")
    status = StatusOutput()
    due_at = serializers.DateTimeField(allow_null=True)
    due_at_override = serializers.DateTimeField(source="link.due_at_override", allow_null=True)
    extra_time_minutes = serializers.IntegerField(source="link.extra_time_minutes")
    extra_attempts = serializers.IntegerField(source="link.extra_attempts")
    started_at = serializers.DateTimeField(source="link.started_at", allow_null=True)
    turned_in_at = serializers.DateTimeField(source="link.turned_in_at", allow_null=True)
    returned_at = serializers.DateTimeField(source="link.returned_at", allow_null=True)


class LessonProgressOutput(serializers.Serializer):
    id = serializers.IntegerField(source="page.pk", help_text="The English lesson's id.")
    title = serializers.CharField(help_text="In the language it is read in.")
    url = serializers.CharField(
        allow_null=True, help_text="Its translation in the assignment's language, else English."
    )
    language = serializers.CharField(help_text="The language of `title` and `url`.")
    opened = serializers.BooleanField()
    completed = serializers.BooleanField()


class QuizOutput(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    percent = serializers.IntegerField(allow_null=True)


class MyAssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="link.pk")
    assignment = serializers.IntegerField(source="assignment.pk")
    title = serializers.CharField(source="assignment.title")
    instructions = serializers.CharField(source="assignment.instructions")
    class_name = serializers.CharField(source="assignment.classroom.name")
    tier = serializers.CharField(source="assignment.tier")
    language = serializers.CharField(source="assignment.language")
    open_at = serializers.DateTimeField(source="assignment.open_at")
    due_at = serializers.DateTimeField(allow_null=True)
    status = StatusOutput()
    lessons = LessonProgressOutput(many=True)
    quizzes = QuizOutput(many=True, source="work")


class CellOutput(serializers.Serializer):
    assignment = serializers.IntegerField()
    status = StatusOutput(allow_null=True)


class ProgressRowOutput(serializers.Serializer):
    pupil = serializers.IntegerField()
    display_name = serializers.CharField()
    cells = CellOutput(many=True)


class ProgressOutput(serializers.Serializer):
    assignments = serializers.ListField(child=serializers.DictField())
    pupils = ProgressRowOutput(many=True)
