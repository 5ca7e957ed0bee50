from django import template

register = template.Library()


@register.inclusion_tag("quizzes/includes/quiz_slot.html")
def quiz_slot(page, value=None):
    """The quiz attached to a lesson (or its module-tier): filled in by the quizzes app."""
    return {"page": page, "heading": (value or {}).get("heading") or "Quiz", "quiz": None}
