"""HTML views: pupils take quizzes (without JavaScript too); teachers read and mark results.

Each view parses input, fetches through a scoped queryset, calls one service and renders.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lessons.i18n import live_translation
from reelearn.classroom.models import AssignmentPupil
from reelearn.core.dbrouter import replica_report

from . import attempts, marking, pages, permissions, practice, presentation, reports, selectors
from .answer_shapes import client_response_from_form, response_display, response_from_client
from .errors import AttemptClosed, NothingAnswered, QuizError, TimeUp
from .forms import MarkForm, paper_marks_from_post
from .models import Answer, Attempt, Question, Quiz
from .policy import policy_resolve
from .translations import quiz_in


def _pupil_required(request) -> None:
    if not request.user.is_pupil:
        raise PermissionDenied(_("Only pupils take quizzes."))


# --- Pupils ---------------------------------------------------------------------------------


def _pupil_link(request, quiz: Quiz) -> AssignmentPupil | None:
    """The assignment this visit is for: ?link=, else the pupil's soonest-due one, else none."""
    raw = request.GET.get("link") or request.POST.get("link")
    if not request.user.is_pupil:
        return None
    if raw:
        if not raw.isdecimal():
            raise Http404
        link = get_object_or_404(
            AssignmentPupil.objects.select_related("assignment__page"),
            pk=int(raw),
            pupil=request.user,
        )
        if not pages.link_covers_quiz(link, quiz):
            raise Http404
        return link
    links = pages.pupil_links_for_quiz(pupil=request.user, quiz=quiz)
    return links[0] if links else None


@login_required
@never_cache
@require_GET
def quiz_detail(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.live().select_related("page"), pk=quiz_id)
    link = _pupil_link(request, quiz)
    policy = policy_resolve(quiz=quiz, link=link)
    taken = (
        selectors.pupil_quiz_attempts(pupil=request.user, quiz=quiz, link=link)
        if request.user.is_pupil
        else []
    )
    open_attempt = (
        Attempt.objects.in_progress().filter(pupil=request.user, quiz=quiz).first()
        if request.user.is_pupil
        else None
    )
    submitted = [a for a in taken if a.status == Attempt.Status.SUBMITTED]
    shown = _pupil_quiz(quiz, request.LANGUAGE_CODE)  # its words in the reader's language
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            **shown,
            "lesson": _lesson_in(quiz.page, request.LANGUAGE_CODE, shown["translation"]),
            "link": link,
            "policy": policy,
            "attempts": submitted,
            "open_attempt": open_attempt,
            "question_count": quiz.questions.filter(retired=False).count(),
            "attempts_left": policy.attempts_left(len(taken)),
            "graded": selectors.graded_score(submitted, policy.grading_method),
            "can_take": permissions.can_take_quiz(request.user, quiz)
            and (link is not None or permissions.can_practise_quiz(request.user, quiz)),
        },
    )


@login_required
@require_POST
def quiz_start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.live(), pk=quiz_id)
    _pupil_required(request)
    link = _pupil_link(request, quiz)
    try:
        attempt, _created = attempts.attempt_start(quiz=quiz, pupil=request.user, link=link)
    except QuizError as error:
        messages.error(request, error.message)
        return redirect(selectors.quiz_pupil_url(quiz.pk, link.pk if link else None))
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


def _own_attempt(request, attempt_id: int) -> Attempt:
    _pupil_required(request)
    try:
        return selectors.pupil_attempt(pupil=request.user, attempt_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404 from None


def _answers_from_post(post, detail) -> tuple[list, dict[int, str], dict[int, dict]]:
    """Validated (question, stored response) pairs, errors per question, typed values."""
    shown = {int(v) for v in post.getlist("shown") if v.isdecimal()}
    answers, errors, typed = [], {}, {}
    for view in detail.questions:
        question = view.question
        if question.pk not in shown or view.locked:
            continue
        choices = list(question.choices.all())
        try:
            client = client_response_from_form(
                question, post, choices=choices, seed=detail.attempt.seed
            )
            typed[question.pk] = client
            answers.append(
                (
                    question,
                    response_from_client(
                        question, client, seed=detail.attempt.seed, choices=choices
                    ),
                )
            )
        except ValidationError as error:
            errors[question.pk] = " ".join(error.message_dict.get("response", error.messages))
    return answers, errors, typed


def _pupil_quiz(quiz, language: str) -> dict:
    """A pupil's quiz in the language they read it in, and the translation lending its words
    (its draft notice shows until that language's reviewers approve it)."""
    shown, translation = quiz_in(quiz, language)
    return {"quiz": shown, "quiz_name": pages.quiz_name(shown), "translation": translation}


def _lesson_in(page, language: str, translation):
    """The quiz's page in the language its words are read in (where that page is live),
    for the way back to it; the English page otherwise. A query only for a translation."""
    if translation is None:
        return page
    return live_translation(page, language) or page


def _render_attempt(request, detail, *, errors=None, typed=None, status=200):
    for view in detail.questions:
        view.error = (errors or {}).get(view.question.pk, "")
        if typed and view.question.pk in typed:
            view.response = typed[view.question.pk]
    attempt = detail.attempt
    return render(
        request,
        "quizzes/attempt.html",
        {
            **_pupil_quiz(attempt.quiz, attempt.language),
            "attempt": attempt,
            "detail": detail,
            "errors": errors or {},
            "now": timezone.now(),
            "seconds_left": attempt.seconds_left(),
            "immediate": detail.visibility.checked_feedback,
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attempt_take(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        if request.method == "POST":
            messages.info(request, _("This attempt had already been submitted."))
        return redirect("quizzes:result", attempt_id=attempt.pk)
    if attempt.is_expired():
        attempts.attempt_close_expired(attempt=attempt)
        messages.info(request, _("Time was up. The answers saved before then were submitted."))
        return redirect("quizzes:result", attempt_id=attempt.pk)
    detail = presentation.attempt_detail(attempt)
    if request.method == "GET":
        return _render_attempt(request, detail)
    action = request.POST.get("action", "save")
    answers, errors, typed = _answers_from_post(request.POST, detail)
    if errors:
        return _render_attempt(request, detail, errors=errors, typed=typed, status=400)
    try:
        if action == "submit":
            result = attempts.attempt_submit(
                attempt=attempt, answers=answers, blank_ok=bool(request.POST.get("confirm_blank"))
            )
            if result.timed_out:
                messages.warning(
                    request, _("Time was up. The answers saved before then were submitted.")
                )
            elif result.submitted_now:
                messages.success(request, _("Your answers have been submitted."))
            else:
                messages.info(request, _("This attempt had already been submitted."))
            return redirect("quizzes:result", attempt_id=attempt.pk)
        check = frozenset()
        if action.startswith("check-") and action[6:].isdecimal():
            check = frozenset({int(action[6:])})
        attempts.attempt_answers_save(attempt=attempt, answers=answers, check=check)
    except NothingAnswered:
        messages.error(
            request,
            _("You have not answered any question. Tick the box if you really want to hand it in."),
        )
        return redirect("quizzes:submit-review", attempt_id=attempt.pk)
    except AttemptClosed:
        messages.info(request, _("This attempt had already been submitted."))
        return redirect("quizzes:result", attempt_id=attempt.pk)
    except TimeUp as error:
        messages.warning(request, error.message)
        return redirect("quizzes:result", attempt_id=attempt.pk)
    if action == "review":
        return redirect("quizzes:submit-review", attempt_id=attempt.pk)
    messages.success(
        request,
        _("Answers saved at %(time)s.") % {"time": time_format(timezone.localtime(), "H:i")},
    )
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return redirect(f"{url}#q{next(iter(check))}" if check else url)


@login_required
@never_cache
@require_GET
def attempt_submit_review(request, attempt_id: int):
    """Before handing in: what is still unanswered, with links back, and the one Submit button
    (a blank attempt needs a ticked box). Works the same with and without JavaScript."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("quizzes:result", attempt_id=attempt.pk)
    if attempt.is_expired():
        attempts.attempt_close_expired(attempt=attempt)
        messages.info(request, _("Time was up. The answers saved before then were submitted."))
        return redirect("quizzes:result", attempt_id=attempt.pk)
    detail = presentation.attempt_detail(attempt, with_feedback=False)
    return render(
        request,
        "quizzes/review.html",
        {
            **_pupil_quiz(attempt.quiz, attempt.language),
            "attempt": attempt,
            "detail": detail,
            "unanswered": detail.unanswered,
            "blank": len(detail.unanswered) == len(detail.questions),
            "seconds_left": attempt.seconds_left(),
        },
    )


@login_required
@never_cache
@require_GET
def attempt_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    detail = presentation.attempt_detail(attempt)
    context = selectors.pupil_quiz_attempts(
        pupil=request.user, quiz=attempt.quiz, link=attempt.assignment_pupil
    )
    left = detail.policy.attempts_left(len(context))
    return render(
        request,
        "quizzes/result.html",
        {
            **_pupil_quiz(attempt.quiz, attempt.language),
            "attempt": attempt,
            "detail": detail,
            "can_practise": practice.practice_open(detail),
            "missed_count": len(practice.missed(detail)),
            "attempts_left": left,
            "visibility": detail.visibility,
            "quiz_url": selectors.quiz_pupil_url(attempt.quiz_id, attempt.assignment_pupil_id),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attempt_practice(request, attempt_id: int):
    """Try the missed questions again once the key is out; nothing is stored or scored."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    detail = presentation.attempt_detail(attempt)
    if not practice.practice_open(detail):
        raise Http404  # no key yet (or nothing missed): no practice to show
    post = request.POST if request.method == "POST" else None
    views, errors = practice.practice_questions(detail, post)
    for view in views:
        view.error = errors.get(view.question.pk, "")
    return render(
        request,
        "quizzes/practice.html",
        {
            **_pupil_quiz(attempt.quiz, attempt.language),
            "attempt": attempt,
            "questions": views,
            "errors": errors,
            "checked": post is not None and not errors,
        },
        status=400 if errors else 200,
    )


# --- Teachers -------------------------------------------------------------------------------


@login_required
@require_GET
@replica_report
def gradebook(request, class_id: int):
    classroom = reports.results_classroom(request.user, class_id)
    return render(
        request,
        "quizzes/teacher/gradebook.html",
        {"classroom": classroom, "book": reports.gradebook(classroom)},
    )


@login_required
@require_GET
@replica_report
def gradebook_csv(request, class_id: int):
    classroom = reports.results_classroom(request.user, class_id)
    return reports.csv_response(
        reports.gradebook_csv_rows(reports.gradebook(classroom)),
        f"gradebook-{slugify(classroom.name) or classroom.pk}.csv",
    )


@login_required
@require_GET
@replica_report
def quiz_results(request, class_id: int, quiz_id: int):
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    report = reports.quiz_report(classroom, quiz, assignments=assignments)
    return render(
        request,
        "quizzes/teacher/results.html",
        {
            "classroom": classroom,
            "quiz": quiz,
            "report": report,
            "assignments": assignments,
            "to_mark": sum(1 for a in report.attempts if a.needs_marking),
        },
    )


@login_required
@require_GET
@replica_report
def quiz_analysis(request, class_id: int, quiz_id: int):
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    report = reports.quiz_report(classroom, quiz, assignments=assignments)
    return render(
        request,
        "quizzes/teacher/analysis.html",
        {"classroom": classroom, "quiz": quiz, "analysis": reports.item_analysis(report)},
    )


@login_required
@require_GET
@replica_report
def quiz_export(request, class_id: int, quiz_id: int, kind: str):
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    report = reports.quiz_report(classroom, quiz, assignments=assignments)
    rows = reports.detail_csv_rows(report) if kind == "detail" else reports.summary_csv_rows(report)
    name = slugify(f"{classroom.name}-{quiz.title}")[:80] or f"quiz-{quiz.pk}"
    return reports.csv_response(rows, f"{name}-{kind}.csv")


@login_required
@require_http_methods(["GET", "POST"])
def quiz_marking(request, class_id: int, quiz_id: int):
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    if not permissions.can_mark_answers(request.user, classroom):
        raise PermissionDenied
    report = reports.quiz_report(classroom, quiz, assignments=assignments)
    answers = [
        (attempt, report.answer(attempt, q))
        for attempt in report.attempts
        for q in report.questions
        if q.kind == Question.Kind.OPEN
        and report.answer(attempt, q) is not None
        and attempt.status == Attempt.Status.SUBMITTED
        and not attempt.is_paper
    ]
    errors, form_for = {}, None
    if request.method == "POST":
        by_id = {a.pk: a for _attempt, a in answers}
        raw = request.POST.get("answer", "")
        answer = by_id.get(int(raw)) if raw.isdecimal() else None
        if answer is None:
            raise Http404
        form = MarkForm(request.POST, max_points=answer.question.points)
        if form.is_valid():
            try:
                marking.answer_mark(
                    answer=answer,
                    teacher=request.user,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(request, _("Mark saved."))
                url = reverse("quizzes:marking", args=[classroom.pk, quiz.pk])
                return redirect(f"{url}#answer-{answer.pk}")
        else:
            errors = form.errors
        form_for = answer.pk
    return render(
        request,
        "quizzes/teacher/marking.html",
        {
            "classroom": classroom,
            "quiz": quiz,
            "answers": answers,
            "errors": errors,
            "form_for": form_for,
            "posted": request.POST if request.method == "POST" else None,
            "status": 400 if errors else 200,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def quiz_regrade(request, class_id: int, quiz_id: int):
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    if not permissions.can_mark_answers(request.user, classroom):
        raise PermissionDenied
    changed = marking.quiz_regrade(
        quiz=quiz, attempts=Attempt.objects.filter(assignment_pupil__assignment__in=assignments)
    )
    messages.success(request, _("Regraded: %(n)s attempts changed.") % {"n": changed})
    return redirect("quizzes:results", class_id=classroom.pk, quiz_id=quiz.pk)


@login_required
@require_http_methods(["GET", "POST"])
def paper_marks(request, class_id: int, quiz_id: int, assignment_id: int):
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    if not permissions.can_mark_answers(request.user, classroom):
        raise PermissionDenied
    assignment = next((a for a in assignments if a.pk == assignment_id), None)
    if assignment is None:
        raise Http404
    report = reports.quiz_report(classroom, quiz, assignments=[assignment])
    errors = {}
    if request.method == "POST":
        marks = paper_marks_from_post(request.POST, report)
        try:
            count = marking.paper_marks_save(
                assignment=assignment, quiz=quiz, teacher=request.user, marks=marks
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Paper marks saved for %(n)s pupils.") % {"n": count})
            return redirect("quizzes:results", class_id=classroom.pk, quiz_id=quiz.pk)
    paper = {a.assignment_pupil_id: a for a in report.attempts if a.is_paper}
    rows = []
    for link in report.links:
        attempt = paper.get(link.pk)
        cells = []
        for question in report.questions:
            name = f"mark-{link.pk}-{question.pk}"
            if request.method == "POST":
                value = request.POST.get(name, "")
            else:
                answer = report.answer(attempt, question) if attempt else None
                value = "" if answer is None or answer.score is None else answer.score
            cells.append(
                {
                    "name": name,
                    "value": value,
                    "question": question,
                    "error": " ".join(errors.get(name, [])),
                }
            )
        rows.append((link, cells))
    return render(
        request,
        "quizzes/teacher/paper_marks.html",
        {
            "classroom": classroom,
            "quiz": quiz,
            "assignment": assignment,
            "report": report,
            "rows": rows,
            "errors": errors,
            "general_errors": errors.get("marks", []),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def attempt_review(request, class_id: int, quiz_id: int, attempt_id: int):
    """A teacher reads one pupil's attempt with the key."""
    classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz", "pupil", "assignment_pupil__assignment"),
        pk=attempt_id,
        quiz=quiz,
        assignment_pupil__assignment__in=assignments,
    )
    detail = presentation.attempt_detail(attempt, with_feedback=False)
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    rows = []
    for view in detail.questions:
        answer = answers.get(view.question.pk)
        rows.append(
            (
                view,
                answer,
                response_display(
                    view.question,
                    answer.response if answer else None,
                    list(view.question.choices.all()),
                ),
            )
        )
    return render(
        request,
        "quizzes/teacher/attempt_review.html",
        {"classroom": classroom, "quiz": quiz, "attempt": attempt, "rows": rows},
    )


def bench_ping(request):
    """A trivial view for the benches (registered only when REELEARN_BENCH=1).

    It names the worker process, so a bench can wait until every gunicorn worker has loaded.
    """
    return HttpResponse(f"ok {os.getpid()}", content_type="text/plain")
