"""Reads for school pages: a teacher's membership, the school an admin runs, its people."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import School, SchoolDomain, SchoolInvitation, SchoolMembership


def membership_of(user) -> SchoolMembership | None:
    if not (user.is_authenticated and user.is_teacher):
        return None
    return SchoolMembership.objects.filter(teacher=user).select_related("school").first()


def administered_school(user) -> School | None:
    """The approved school this user is a verified admin of, or None."""
    if not (user.is_authenticated and user.is_verified_teacher):
        return None
    membership = (
        SchoolMembership.objects.filter(
            teacher=user,
            role=SchoolMembership.Role.ADMIN,
            status=SchoolMembership.Status.VERIFIED,
            school__status=School.Status.APPROVED,
        )
        .select_related("school")
        .first()
    )
    return membership.school if membership else None


def is_school_admin(user) -> bool:
    """One indexed query, only for verified teachers (the two-factor rule, accounts.mfa)."""
    if not (user.is_authenticated and user.is_verified_teacher):
        return False
    return SchoolMembership.objects.filter(
        teacher=user,
        role=SchoolMembership.Role.ADMIN,
        status=SchoolMembership.Status.VERIFIED,
    ).exists()


def schools_matching(query: str, *, limit: int = 20) -> QuerySet[School]:
    """Approved schools whose name contains `query`: name and place only, for the request form."""
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return School.objects.none()
    return (
        School.objects.approved()
        .filter(name__icontains=query)
        .only("name", "town", "country", "status")[:limit]
    )


def school_members(school: School) -> QuerySet[SchoolMembership]:
    return (
        SchoolMembership.objects.filter(school=school)
        .select_related("teacher")
        .order_by("status", "teacher__display_name", "teacher__username")
    )


def school_invitations(school: School) -> QuerySet[SchoolInvitation]:
    return SchoolInvitation.objects.filter(school=school).order_by("-created_at", "-pk")


def school_domains(school: School) -> QuerySet[SchoolDomain]:
    return SchoolDomain.objects.filter(school=school).order_by("domain")


def pending_schools() -> QuerySet[School]:
    """For REElearn's editors: schools waiting for a decision, with the people in them."""
    return (
        School.objects.pending()
        .select_related("requested_by")
        .prefetch_related("memberships__teacher")
        .order_by("requested_at", "pk")
    )
