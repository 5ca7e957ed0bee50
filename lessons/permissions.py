from .models import review_codename


def can_view_teacher_material(user) -> bool:
    """Teacher guides, answer keys and teacher packs: active teachers and editors only."""
    return bool(user and user.is_authenticated and user.can_see_teacher_material)


def can_view_translation_status(user) -> bool:
    """The translation status report: editors, moderators and translation reviewers (whoever
    may submit translations, wagtail-localize's permission)."""
    return bool(
        user
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
        and user.has_perm("wagtail_localize.submit_translation")
    )


def can_approve_translation(user, language_code: str) -> bool:
    """Approving a translation into `language_code`: that language's reviewer group (which
    holds the permission) or a superuser."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or user.has_perm(f"lessons.{review_codename(language_code)}"))
    )
