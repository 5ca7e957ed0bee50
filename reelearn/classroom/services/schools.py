"""What a school admin does to classes: hand a class over when its teacher leaves, and remove a
teacher only once their classes have new owners (reelearn.schools does the membership part)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reelearn.schools import services as schools
from reelearn.schools.models import SchoolMembership

from ..models import Classroom, ClassTeacher


@transaction.atomic
def classroom_owner_change(*, classroom: Classroom, new_owner) -> ClassTeacher:
    """Make `new_owner` the class's owner. The old owner leaves the class altogether (they are
    usually the one leaving the school); co-teachers stay co-teachers, and a co-teacher who
    becomes the owner keeps their one link, now as owner. Pupils, cards and work are untouched."""
    if not new_owner.is_verified_teacher:
        raise ValidationError({"teacher": [_("Only a verified teacher can own a class.")]})
    current = ClassTeacher.objects.select_for_update().filter(
        classroom=classroom, role=ClassTeacher.Role.OWNER
    )
    if any(link.teacher_id == new_owner.pk for link in current):
        raise ValidationError({"teacher": [_("That teacher already owns this class.")]})
    current.delete()
    link, created = ClassTeacher.objects.get_or_create(
        classroom=classroom, teacher=new_owner, defaults={"role": ClassTeacher.Role.OWNER}
    )
    if not created:
        ClassTeacher.objects.filter(pk=link.pk).update(role=ClassTeacher.Role.OWNER)
        link.role = ClassTeacher.Role.OWNER
    Classroom.objects.filter(pk=classroom.pk).update(last_activity_at=timezone.now())
    return link


def school_member_remove(*, membership: SchoolMembership, by) -> None:
    """A school admin removes a teacher: refused while the teacher still owns classes, so that
    no class is left without a teacher who may open it."""
    owned = ClassTeacher.objects.filter(
        teacher=membership.teacher_id, role=ClassTeacher.Role.OWNER
    ).count()
    if owned:
        raise ValidationError(
            ngettext(
                "%(name)s still owns %(count)d class: move it to another teacher first.",
                "%(name)s still owns %(count)d classes: move them to other teachers first.",
                owned,
            )
            % {"name": membership.teacher, "count": owned}
        )
    schools.membership_end(membership=membership, by=by)
