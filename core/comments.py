from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Comment


def comment_add(*, membership, target, body: str) -> Comment:
    """Add a comment by the member to a record of their organisation."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("A comment cannot be empty."))
    if target.organisation_id != membership.organisation_id:
        raise ValidationError(_("This record belongs to another organisation."))
    return Comment.objects.create(
        organisation=membership.organisation,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        author=membership.user,
        body=body,
    )


def comments_for(target):
    return (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            organisation_id=target.organisation_id,
        )
        .select_related("author")
        .order_by("created_at")
    )
