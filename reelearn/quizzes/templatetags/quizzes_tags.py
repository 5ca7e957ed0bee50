from decimal import Decimal

from django import template
from django.db.models import Count
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reelearn.quizzes.models import Quiz
from reelearn.quizzes.pages import quiz_for_page
from reelearn.quizzes.presentation import question_view
from reelearn.quizzes.selectors import quiz_pupil_url

register = template.Library()


@register.inclusion_tag("quizzes/includes/quiz_slot.html")
def quiz_slot(page, value=None):
    """The quiz attached to a lesson (or its module-tier), the same for every reader.

    Rendered inside the lesson body's cache fragment, so nothing here depends on the user.
    One query: the live quiz on the page or its parent, with its question count.
    """
    heading = (value or {}).get("heading") or _("Quiz")
    quiz = None
    if getattr(page, "path", ""):
        quiz = quiz_for_page(
            page, queryset=Quiz.objects.annotate(question_count=Count("questions"))
        )
    return {
        "page": page,
        "heading": heading,
        "quiz": quiz,
        "question_count": quiz.question_count if quiz else 0,
        "url": quiz_pupil_url(quiz.pk) if quiz else "",
    }


@register.simple_tag
def preview_questions(quiz) -> list:
    """The questions of a quiz as pupils see them, in authored order (editors' preview)."""
    return [
        question_view(q, n, seed=0, shuffle_choices=False)
        for n, q in enumerate(quiz.questions.filter(retired=False), start=1)
    ]


FRACTIONS = {
    Decimal("0.25"): "¼",
    Decimal("0.33"): "⅓",
    Decimal("0.5"): "½",
    Decimal("0.67"): "⅔",
    Decimal("0.75"): "¾",
}


@register.filter
def points(value) -> str:
    """Points as a child reads them: 3¾, ½, 7; other shares to one decimal place ("0.4").
    Screen readers say "three and three quarters"."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    whole, share = divmod(value, 1)
    share = share.quantize(Decimal("0.01"))
    if not share:
        return str(int(whole))
    if share in FRACTIONS:
        return f"{int(whole) or ''}{FRACTIONS[share]}"
    return number_format(value.quantize(Decimal("0.1")), decimal_pos=1)
