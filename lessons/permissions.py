def can_view_teacher_material(user) -> bool:
    """Teacher guides, answer keys and teacher packs: active teachers and editors only."""
    return bool(user and user.is_authenticated and user.can_see_teacher_material)
