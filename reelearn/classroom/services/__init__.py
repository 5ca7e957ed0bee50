"""Classroom workflows (keyword-only, typed). Other apps import from here:

* ``assignment_pupil_start(*, link)`` and ``assignment_pupil_turn_in(*, link)`` (quizzes)
* ``pupils_create``, ``pupil_password_reset``, ``classroom_join`` … (views and API)
"""

from .archive import classroom_work_archive, classroom_work_restore
from .assignments import (
    assignable_page,
    assignment_assign,
    assignment_create,
    assignment_delete,
    assignment_pupil_adjust,
    assignment_update,
    route_assign_drafts,
)
from .classes import (
    classes_archive_stale,
    classes_inactive,
    classroom_archive,
    classroom_create,
    classroom_join_code_regenerate,
    classroom_join_disable,
    classroom_teacher_add,
    classroom_teacher_remove,
    classroom_touch,
    classroom_unarchive,
    classroom_update,
)
from .groups import group_create, group_delete, group_update
from .privacy import classroom_counts, classroom_erase, classroom_export, pupil_erase
from .progress import (
    assignment_pupil_return,
    assignment_pupil_start,
    assignment_pupil_turn_in,
    lesson_progress_complete,
    lesson_progress_open,
    lesson_progress_view,
)
from .pupils import (
    Credential,
    JoinLocked,
    classroom_join,
    clean_pupil_names,
    membership_approve,
    names_from_text,
    pupil_password_reset,
    pupils_create,
)
from .schools import classroom_owner_change, school_member_remove

__all__ = [
    "Credential",
    "JoinLocked",
    "assignable_page",
    "assignment_assign",
    "assignment_create",
    "route_assign_drafts",
    "assignment_delete",
    "assignment_pupil_adjust",
    "assignment_pupil_return",
    "assignment_pupil_start",
    "assignment_pupil_turn_in",
    "assignment_update",
    "classes_archive_stale",
    "classes_inactive",
    "classroom_archive",
    "classroom_counts",
    "classroom_create",
    "classroom_erase",
    "classroom_export",
    "classroom_join",
    "classroom_join_code_regenerate",
    "classroom_join_disable",
    "classroom_owner_change",
    "classroom_teacher_add",
    "classroom_teacher_remove",
    "classroom_touch",
    "classroom_unarchive",
    "classroom_update",
    "classroom_work_archive",
    "classroom_work_restore",
    "clean_pupil_names",
    "group_create",
    "group_delete",
    "group_update",
    "lesson_progress_complete",
    "lesson_progress_open",
    "lesson_progress_view",
    "membership_approve",
    "names_from_text",
    "pupil_erase",
    "pupil_password_reset",
    "pupils_create",
    "school_member_remove",
]
