"""DRF permission classes; each calls the owning app's predicates."""

from rest_framework.permissions import BasePermission


class IsTeacher(BasePermission):
    """Verified teachers: an account its school has not confirmed gets no teacher endpoint."""

    message = "Only verified teachers can do this: ask your school to verify you (/schools/)."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_verified_teacher)


class IsPupil(BasePermission):
    message = "Only pupils can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_pupil)


class CanSeeTeacherMaterial(BasePermission):
    message = "Only teachers and editors can see this."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.can_see_teacher_material)
