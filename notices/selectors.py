"""Reads of an organisation's group robots, always scoped to it."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import WebhookChannel


def channel_list(*, organisation) -> QuerySet[WebhookChannel]:
    return WebhookChannel.objects.for_organisation(organisation)


def channel_get(*, organisation, pk) -> WebhookChannel:
    """The organisation's group robot `pk`, 404 for another organisation's."""
    return get_object_or_404(channel_list(organisation=organisation), pk=pk)
