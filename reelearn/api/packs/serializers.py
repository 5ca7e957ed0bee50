from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from reelearn.core.converters import MAX_ID
from reelearn.packs.models import Pack
from reelearn.packs.permissions import visible_error


class PackRequestInputSerializer(serializers.Serializer):
    """Which pack: a page (lesson or module-tier) and an edition, or a class's assignment."""

    page = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A published lesson or module-tier page id.",
    )
    assignment = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="For a class pack (teachers of the class).",
    )
    edition = serializers.ChoiceField(choices=Pack.Edition.choices, default=Pack.Edition.STUDENT)
    paper = serializers.ChoiceField(choices=Pack.Paper.choices, default=Pack.Paper.A4)
    format = serializers.ChoiceField(
        choices=[("pdf", "PDF"), ("zip", "Zip of the module's lesson packs")], default="pdf"
    )

    def validate(self, data):
        if bool(data.get("page")) == bool(data.get("assignment")):
            raise serializers.ValidationError(
                {"page": "Give either a page or an assignment (not both)."}
            )
        if data.get("assignment") and data["format"] == "zip":
            raise serializers.ValidationError({"format": "A class pack is a PDF."})
        if data["format"] == "zip" and data["edition"] != Pack.Edition.STUDENT:
            raise serializers.ValidationError({"edition": "The zip holds student editions only."})
        return data


class PackSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = Pack
        fields = [
            "id",
            "kind",
            "page",
            "assignment",
            "edition",
            "paper",
            "status",
            "status_label",
            "content_hash",
            "page_count",
            "file_size",
            "error",
            "attempts",
            "created_at",
            "built_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_error(self, pack: Pack) -> str:
        """Why a build failed (the recorded error for editors, a plain sentence for others)."""
        request = self.context.get("request")
        return visible_error(request.user if request else None, pack)

    def get_download_url(self, pack: Pack) -> str | None:
        """Where to fetch the file once the pack is ready (the same access checks apply)."""
        if pack.status != Pack.Status.READY:
            return None
        return reverse("api:pack-download", args=[pack.pk])
