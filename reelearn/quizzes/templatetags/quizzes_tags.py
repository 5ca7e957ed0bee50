from django import template
from django.db.models import Count
from django.utils.translation import gettext as _

from reelearn.quizzes.models import Quiz
from reelearn.quizzes.selectors import STEP, quiz_pupil_url

register = template.Library()


@register.inclusion_tag("quizzes/includes/quiz_slot.html")
def quiz_slot(page, value=None):
    """The quiz attached to a lesson (or its module-tier), the same for every reader.

    Rendered inside the lesson body's cache fragment, so nothing here depends on the user.
    One query: the live quiz on the page or its parent, with its question count.
    """
    heading = (value or {}).get("heading") or _("Quiz")
    path = getattr(page, "path", "") or ""
    quiz = None
    if path:
        paths = [path, path[:-STEP]] if len(path) > STEP else [path]
        quiz = (Quiz.objects.live().filter(page__path__in=paths)
                .annotate(question_count=Count("questions")).order_by("-page__depth").first())
    return {
        "page": page, "heading": heading, "quiz": quiz,
        "question_count": quiz.question_count if quiz else 0,
        "url": quiz_pupil_url(quiz.pk) if quiz else "",
    }
