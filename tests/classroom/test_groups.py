"""Groups within a class, for differentiation: a pupil can be in several."""

from __future__ import annotations

import pytest

from reelearn.classroom.models import Group

from .factories import add_pupils

pytestmark = pytest.mark.django_db


def test_groups_are_made_and_a_pupil_can_be_in_several(client, teacher, classroom, pupil):
    (ben,) = add_pupils(classroom, 1)
    client.force_login(teacher)
    for name, members in (("Table 1", [pupil.pk, ben.pk]), ("Readers", [pupil.pk])):
        response = client.post(
            f"/classes/{classroom.pk}/groups/", {"name": name, "pupils": members}
        )
        assert response.status_code == 302
    assert set(pupil.class_groups.values_list("name", flat=True)) == {"Table 1", "Readers"}
    readers = Group.objects.get(name="Readers")
    client.post(
        f"/classes/{classroom.pk}/groups/{readers.pk}/",
        {"name": "Strong readers", "pupils": [ben.pk]},
    )
    readers.refresh_from_db()
    assert readers.name == "Strong readers" and list(readers.pupils.all()) == [ben]
    client.post(f"/classes/{classroom.pk}/groups/{readers.pk}/", {"action": "delete"})
    assert not Group.objects.filter(pk=readers.pk).exists()
    assert classroom.memberships.count() == 2  # pupils stay in the class


def test_a_duplicate_group_name_is_a_400(client, teacher, classroom):
    Group.objects.create(classroom=classroom, name="Table 1")
    client.force_login(teacher)
    response = client.post(f"/classes/{classroom.pk}/groups/", {"name": "Table 1"})
    assert response.status_code == 400
    assert "already has a group" in " ".join(response.context["form"].errors["name"])


def test_pupils_of_another_class_cannot_be_put_in_a_group(classroom, other_classroom, other_pupil):
    from django.core.exceptions import ValidationError

    from reelearn.classroom.services import group_create

    with pytest.raises(ValidationError) as error:
        group_create(classroom=classroom, name="Mixed", pupil_ids=[other_pupil.pk])
    assert "pupils" in error.value.message_dict
    assert not Group.objects.exists()
