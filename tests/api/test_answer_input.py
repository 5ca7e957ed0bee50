"""The autosave's quick validation agrees with its serializer: it accepts only what the serializer
accepts, with the same validated data, and leaves the rest (and the error messages) to it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reelearn.api.quizzes.serializers import MAX_REVISION, AnswerSaveInput
from reelearn.quizzes.models import MAX_TEXT_ANSWER

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
revisions = st.integers(min_value=-5, max_value=MAX_REVISION + 5) | json_values
near_valid = st.fixed_dictionaries(
    {
        "response": st.none()
        | st.dictionaries(st.sampled_from(["choice", "text", "value"]), json_values, max_size=2),
        "revision": revisions,
    },
    optional={"check": st.booleans() | json_values, "extra": json_values},
)


def serializer_result(data):
    serializer = AnswerSaveInput(data=data)
    return serializer.validated_data if serializer.is_valid() else None


@settings(max_examples=400, deadline=None)
@given(data=near_valid | json_values)
def test_the_quick_check_accepts_nothing_the_serializer_refuses(data):
    quick = AnswerSaveInput.plainly_valid(data)
    if quick is not None:
        assert dict(serializer_result(data)) == quick


def test_an_ordinary_autosave_takes_the_quick_check():
    data = {"response": {"choice": "c3"}, "revision": 1764417600000}
    assert AnswerSaveInput.plainly_valid(data) == {**data, "check": False}
    assert AnswerSaveInput.plainly_valid({**data, "check": True})["check"] is True
    assert AnswerSaveInput.plainly_valid({"response": None, "revision": 0})["response"] is None


def test_what_it_leaves_to_the_serializer():
    too_long = {"text": "x" * (MAX_TEXT_ANSWER + 2001)}
    for data in (
        {"revision": 1},
        {"response": {}, "revision": True},
        {"response": {}, "revision": "5"},
        {"response": {}, "revision": -1},
        {"response": {}, "revision": MAX_REVISION + 1},
        {"response": {}, "revision": 1, "check": "yes"},
        {"response": ["a"], "revision": 1},
        {"response": too_long, "revision": 1},
        [],
        "text",
    ):
        assert AnswerSaveInput.plainly_valid(data) is None, data
    assert serializer_result({"response": too_long, "revision": 1}) is None
