import pytest
from wagtail.models import Page
from django.contrib.contenttypes.models import ContentType

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_worker():
    print("DEBUG-after", ContentType.objects.count(), list(Page.objects.values_list("pk", flat=True)))
    assert Page.objects.filter(depth=1).exists()
