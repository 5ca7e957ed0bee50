"""Quizzes in the Wagtail admin: a snippet with drafts, revisions, preview and inline questions.

Questions are an InlinePanel on the quiz; their choices (or items in order, or pairs) are a
second, nested InlinePanel. `QuizAdminForm` checks each question's key is consistent for its
type before anything is saved, and refuses to delete a question pupils have answered.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lessons.models import LessonPage, ModuleTierPage
from reelearn.core.zawgyi import RefuseZawgyiMixin

from .marking import quiz_regrade
from .models import Answer, Question, Quiz
from .permissions import can_regrade_quiz

Kind = Question.Kind


def question_errors(data: dict, choices: list[dict]) -> dict[str, str]:
    """Problems with one question's key, by field ("__all__" for the choices)."""
    kind = data.get("kind")
    correct = [c for c in choices if c.get("is_correct")]
    errors = {}
    if kind == Kind.SINGLE and (len(choices) < 2 or len(correct) != 1):
        errors["__all__"] = _(
            "A single-choice question needs 2 or more choices, exactly one of them correct."
        )
    elif kind == Kind.MULTIPLE and (len(choices) < 2 or not correct):
        errors["__all__"] = _(
            "A multiple-choice question needs 2 or more choices, at least one of them correct."
        )
    elif kind == Kind.ORDERING and len(choices) < 2:
        errors["__all__"] = _("Add 2 or more items, in the correct order.")
    elif kind == Kind.MATCHING and (
        len(choices) < 2 or any(not c.get("match_text") for c in choices)
    ):
        errors["__all__"] = _("Add 2 or more pairs, each with the text it matches.")
    elif kind == Kind.TRUE_FALSE and data.get("answer_bool") is None:
        errors["answer_bool"] = _("Say whether the statement is true or false.")
    elif kind == Kind.SHORT_TEXT and not (data.get("accepted_answers") or "").strip():
        errors["accepted_answers"] = _("Give at least one accepted answer.")
    elif kind == Kind.NUMERIC and data.get("numeric_answer") is None:
        errors["numeric_answer"] = _("Give the correct number.")
    if kind == Kind.OPEN and not (data.get("marking_guide") or "").strip():
        errors["marking_guide"] = _("Give teachers a marking guide.")
    if data.get("image") and not (data.get("image_alt") or "").strip():
        errors["image_alt"] = _("Describe the picture for pupils who cannot see it.")
    return errors


class QuizAdminForm(RefuseZawgyiMixin, WagtailAdminModelForm):
    """Zawgyi is refused in the quiz, its questions and their choices (RefuseZawgyiMixin)."""

    def clean_page(self):
        page = self.cleaned_data.get("page")
        if page is not None and not isinstance(page.specific, LessonPage | ModuleTierPage):
            raise ValidationError(_("Attach the quiz to a lesson or a module at one age tier."))
        return page

    def is_valid(self):
        valid = super().is_valid()
        return self._check_questions() and valid

    def _check_questions(self) -> bool:
        formset = self.formsets.get("questions")
        if formset is None or not hasattr(formset, "cleaned_data"):
            return True
        ok = True
        deleted = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        answered = (
            set(
                Answer.objects.filter(question_id__in=deleted).values_list("question_id", flat=True)
            )
            if deleted
            else set()
        )
        for form in formset.forms:
            if form.instance.pk in answered and form in formset.deleted_forms:
                form.add_error(
                    None,
                    _(
                        "Pupils have answered this question, so it cannot be "
                        "deleted. Correct it instead, then regrade."
                    ),
                )
                ok = False
            if form in formset.deleted_forms or not getattr(form, "cleaned_data", None):
                continue
            choice_forms = form.formsets["choices"]
            choices = [
                c.cleaned_data
                for c in choice_forms.forms
                if getattr(c, "cleaned_data", None)
                and c not in choice_forms.deleted_forms
                and c.cleaned_data.get("text")
            ]
            for field, message in question_errors(form.cleaned_data, choices).items():
                form.add_error(None if field == "__all__" else field, message)
                ok = False
        return ok


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = gettext_lazy("Quizzes")
    menu_name = "quizzes"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "page", "live", UpdatedAtColumn()]
    list_filter = ["live", "grading_method"]
    search_fields = ["title"]
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizAdminForm)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("regrade/<int:pk>/", self.regrade_view, name="regrade"),
        ]

    def regrade_view(self, request, pk: int):
        """Recompute every attempt's automatic scores after a question was corrected."""
        if not can_regrade_quiz(request.user):
            raise PermissionDenied
        quiz = get_object_or_404(Quiz, pk=pk)
        if request.method == "POST":
            changed = quiz_regrade(quiz=quiz)
            messages.success(
                request,
                _("Regraded “%(title)s”: %(n)s attempts changed.")
                % {"title": quiz.title, "n": changed},
            )
            return redirect(self.get_url_name("list"))
        return TemplateResponse(
            request,
            "quizzes/admin/regrade_confirm.html",
            {
                "quiz": quiz,
                "attempts": quiz.attempts.filter(status="submitted").count(),
                "action": reverse(self.get_url_name("regrade"), args=[quiz.pk]),
                "cancel": reverse(self.get_url_name("list")),
            },
        )


quiz_viewset = QuizViewSet()
register_snippet(quiz_viewset)


@hooks.register("register_snippet_listing_buttons")
def quiz_regrade_button(snippet, user, next_url=None):
    if isinstance(snippet, Quiz) and can_regrade_quiz(user):
        yield Button(
            _("Regrade attempts"),
            reverse(quiz_viewset.get_url_name("regrade"), args=[snippet.pk]),
            icon_name="resubmit",
            priority=60,
        )
