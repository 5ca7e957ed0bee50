import pytest
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def test_x(curriculum):
    from django.db import connection
    from django.contrib.contenttypes.models import ContentType
    print("HAS", hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "")), ContentType.objects.filter(model="page").values_list("pk", flat=True)[:1])

def test_y(curriculum):
    from django.db import connection
    from django.contrib.contenttypes.models import ContentType
    print("HAS2", hasattr(connection, "_test_serialized_contents"), ContentType.objects.filter(model="page").values_list("pk", flat=True)[:1])
