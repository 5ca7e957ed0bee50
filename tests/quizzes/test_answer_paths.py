"""The usual autosave's one-statement SQL path, and batches of answers, keep the careful
path's rules.

Three pupils take the same quiz; the same sequence of saves (answers and revisions, stale and
repeated ones included) goes to one through `answers.answer_save_fast` (falling back to the
careful path when it declines, as `attempts.answer_save` does), to another through
`attempts.attempt_answers_save` alone, and to the third in batches (`attempts.answers_save`,
what the batch endpoint calls), cut wherever Hypothesis likes, so a batch may hold a question
twice. Whatever the sequence and the cuts, all three store the same answers with the same
revisions, and agree on which saves applied.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelearn.quizzes import answers, attempts
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.models import Answer, Question, choice_token

from ..factories import PupilFactory
from .factories import make_quiz

pytestmark = pytest.mark.django_db
Kind = Question.Kind

SAVE = st.tuples(
    st.sampled_from([Kind.SHORT_TEXT, Kind.SINGLE]),
    st.integers(min_value=1, max_value=40),  # revision: repeats and stale ones on purpose
    st.sampled_from(["Neodymium", "Nd", "", "Iron", 0, 1, 2]),  # text, or a choice's index
)


def _client(question, attempt, value) -> dict:
    if question.kind == Kind.SINGLE:
        choices = list(question.choices.all())
        if isinstance(value, str):
            return (
                {"choice": None}
                if not value
                else {"choice": choice_token(attempt.seed, choices[len(value) % len(choices)].pk)}
            )
        return {"choice": choice_token(attempt.seed, choices[value].pk)}
    return {"text": value if isinstance(value, str) else str(value)}


def _stored(attempt) -> dict:
    return {a.question_id: (a.response, a.revision) for a in Answer.objects.filter(attempt=attempt)}


@pytest.fixture
def two_kinds(lesson):
    return make_quiz(lesson, kinds=[Kind.SHORT_TEXT, Kind.SINGLE], attempts_allowed=0)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    saves=st.lists(SAVE, min_size=1, max_size=8),
    cuts=st.sets(st.integers(min_value=1, max_value=7), max_size=4),
)
def test_the_fast_path_and_batches_apply_exactly_what_the_careful_path_does(
    saves, cuts, pupil, other_pupil, batching_pupil, two_kinds
):
    quiz = two_kinds
    questions = {q.kind: q for q in quiz.questions.prefetch_related("choices")}
    fast, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    careful, _ = attempts.attempt_start(quiz=quiz, pupil=other_pupil)
    batched, _ = attempts.attempt_start(quiz=quiz, pupil=batching_pupil)
    careful_applied = []
    for kind, revision, value in saves:
        question = questions[kind]
        took_fast = answers.answer_save_fast(
            pupil=pupil,
            attempt_id=fast.pk,
            question_id=question.pk,
            response=_client(question, fast, value),
            revision=revision,
        )
        if took_fast is None:  # declined (a cleared answer, nothing newer): the careful way
            (fast_result,) = attempts.attempt_answers_save(
                attempt=fast,
                answers=[
                    (
                        question,
                        response_from_client(
                            question,
                            _client(question, fast, value),
                            seed=fast.seed,
                            choices=list(question.choices.all()),
                        ),
                    )
                ],
                revision=revision,
            )
            applied_fast = fast_result.applied
        else:
            applied_fast = took_fast.applied
        (careful_result,) = attempts.attempt_answers_save(
            attempt=careful,
            answers=[
                (
                    question,
                    response_from_client(
                        question,
                        _client(question, careful, value),
                        seed=careful.seed,
                        choices=list(question.choices.all()),
                    ),
                )
            ],
            revision=revision,
        )
        assert applied_fast == careful_result.applied, (kind, revision, value)
        careful_applied.append(careful_result.applied)
    batch_applied = []
    bounds = [0, *sorted(c for c in cuts if c < len(saves)), len(saves)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        _attempt, results = attempts.answers_save(
            pupil=batching_pupil,
            attempt_id=batched.pk,
            answers=[
                (questions[kind].pk, _client(questions[kind], batched, value), revision)
                for kind, revision, value in saves[start:end]
            ],
        )
        assert all(r.error is None for r in results)
        batch_applied += [r.applied for r in results]
    try:
        assert batch_applied == careful_applied, saves
        assert _stored(fast) == _stored(careful) == _stored(batched)
    finally:  # the next example starts new attempts
        attempts.attempt_submit(attempt=fast)
        attempts.attempt_submit(attempt=careful)
        attempts.attempt_submit(attempt=batched)


@pytest.fixture
def batching_pupil(db):
    return PupilFactory(username="batcher", display_name="Bo T.")
