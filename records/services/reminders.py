"""Reminders: a registry of sources, the daily run, the notification centre and the digest.

Each app contributes sources: small functions `(organisation, today) -> iterable of
ReminderItem` registered with `@reminder_source(kind, label)` (see records/reminder_sources.py;
audits register theirs the same way). The daily job (`reminders_run`) turns items into
notifications for the members they concern, once per item and state (the notification's `key`
is unique), then sends each member at most one digest e-mail a day, in their language. Running
it twice a day sends nothing twice.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, User
from core.alerts import Alert, alert_raise
from records.models import DigestDelivery, Notification, ReminderPreference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderItem:
    kind: str
    key: str  # names the thing and its state: created once per member
    message: Promise  # a lazy translatable text with %(name)s placeholders
    params: dict = field(default_factory=dict)
    url: str = ""
    due_on: datetime.date | None = None
    roles: frozenset = frozenset()  # every active member with one of these roles
    user_ids: frozenset = frozenset()  # and these members

    def render(self, language: str) -> str:
        with translation.override(language):
            params = {name: str(value) for name, value in self.params.items()}
            return (str(self.message) % params)[:500]


@dataclass(frozen=True)
class ReminderSource:
    kind: str
    label: Promise
    func: Callable[[Organisation, datetime.date], Iterable[ReminderItem]]


_SOURCES: dict[str, list[ReminderSource]] = {}
_KINDS: dict[str, Promise] = {}


def reminder_source(kind: str, label):
    """Register a function that returns the reminder items of one kind for an organisation."""

    def decorator(func):
        _KINDS.setdefault(kind, label)
        _SOURCES.setdefault(kind, []).append(ReminderSource(kind, label, func))
        return func

    return decorator


def reminder_kinds() -> list[tuple[str, Promise]]:
    return list(_KINDS.items())


def reminder_items(*, organisation, today: datetime.date) -> list[ReminderItem]:
    """Every source's items. A failing source is logged and skipped (in its own savepoint), so
    one app's broken data never silences the other reminders."""
    items: list[ReminderItem] = []
    for sources in _SOURCES.values():
        for source in sources:
            try:
                with transaction.atomic():
                    items.extend(source.func(organisation, today))
            except Exception:  # see the docstring: isolate each source
                logger.exception(
                    "reminder source %s.%s failed organisation=%s",
                    source.func.__module__,
                    source.func.__name__,
                    organisation.pk,
                )
    return items


def preference_for(user) -> ReminderPreference:
    preference = ReminderPreference.objects.filter(user=user).first()
    return preference or ReminderPreference(user=user)


@dataclass
class RunSummary:
    notifications: int = 0
    emails: int = 0


def _notify(organisation, memberships, items, preferences, new_items=None) -> int:
    created = 0
    for item in items:
        for membership in memberships:
            if membership.role not in item.roles and membership.user_id not in item.user_ids:
                continue
            preference = preferences.get(membership.user_id)
            if preference and item.kind in (preference.disabled_kinds or []):
                continue
            language = preference.language if preference else settings.LANGUAGE_CODE
            try:
                with transaction.atomic():
                    _notification, was_created = Notification.objects.get_or_create(
                        organisation=organisation,
                        user_id=membership.user_id,
                        key=item.key[:200],
                        defaults={
                            "kind": item.kind,
                            "title": item.render(language),
                            "url": item.url,
                            "due_on": item.due_on,
                        },
                    )
            except IntegrityError:  # a concurrent run created it first
                was_created = False
            created += was_created
            if was_created and new_items is not None and item not in new_items:
                new_items.append(item)
    return created


class _ItemTitles:
    """The new items' texts in the language active when the alert is rendered."""

    def __init__(self, items):
        self.items = items

    def __str__(self):
        language = translation.get_language() or settings.LANGUAGE_CODE
        lines = [f"- {item.render(language)}" for item in self.items[:MAX_ALERT_LINES]]
        if len(self.items) > MAX_ALERT_LINES:
            lines.append("…")
        return "\n".join(lines)


MAX_ALERT_LINES = 10


def _alert(organisation, new_items) -> None:
    """Tell the other channels (group robots, core/alerts.py) what newly fell due."""
    if not new_items:
        return
    alert_raise(
        sender="records",
        alert=Alert(
            organisation_id=organisation.pk,
            kind="reminders",
            message=_("New reminders in the compliance workbench:\n%(items)s"),
            params={"items": _ItemTitles(new_items)},
            path=reverse("records:notification_list"),
        ),
    )


def reminders_notify(*, organisation, today: datetime.date | None = None) -> int:
    """Create the notifications of one organisation for today; returns how many are new."""
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.active().filter(organisation=organisation).select_related("user")
    )
    preferences = {
        preference.user_id: preference
        for preference in ReminderPreference.objects.filter(
            user_id__in=[m.user_id for m in memberships]
        )
    }
    items = reminder_items(organisation=organisation, today=today)
    new_items: list[ReminderItem] = []
    created = _notify(organisation, memberships, items, preferences, new_items)
    _alert(organisation, new_items)
    return created


def digest_send(*, user, today: datetime.date | None = None) -> bool:
    """Send the member's digest of notifications not yet e-mailed; at most one per day."""
    today = today or timezone.localdate()
    preference = preference_for(user)
    unsent = Notification.objects.filter(
        user=user, emailed_at__isnull=True, organisation__is_active=True
    ).select_related("organisation")
    if preference.disabled_kinds:
        unsent = unsent.exclude(kind__in=preference.disabled_kinds)
    pending = list(unsent.order_by("organisation_id", "due_on", "pk"))
    if not pending or not preference.email_digest:
        return False
    try:
        with transaction.atomic():
            delivery, created = DigestDelivery.objects.get_or_create(user=user, day=today)
    except IntegrityError:
        return False
    if not created:
        return False
    with translation.override(preference.language):
        context = {
            "user": user,
            "notifications": pending,
            "today": today,
            "site_url": settings.ICP_SITE_URL,
        }
        subject = render_to_string("emails/records/digest_subject.txt", context).strip()
        text = render_to_string("emails/records/digest.txt", context)
        html = render_to_string("emails/records/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    now = timezone.now()
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        sent_at=now, notification_count=len(pending)
    )
    return True


def reminders_run(*, today: datetime.date | None = None) -> RunSummary:
    """The daily job: notifications for every active organisation, then one digest per member.

    Idempotent for a day: notifications are unique per member and key, digests per member and
    day.
    """
    today = today or timezone.localdate()
    summary = RunSummary()
    for organisation in Organisation.objects.filter(is_active=True):
        try:
            summary.notifications += reminders_notify(organisation=organisation, today=today)
        except Exception:  # one organisation's broken data must not stop everyone's reminders
            logger.exception("reminders organisation=%s failed", organisation.pk)
    users = (
        Notification.objects.filter(emailed_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )

    for user in User.objects.filter(pk__in=list(users), is_active=True):
        summary.emails += digest_send(user=user, today=today)
    return summary


def notifications_unread_count(*, user, organisation) -> int:
    return Notification.objects.filter(
        user=user, organisation=organisation, read_at__isnull=True
    ).count()


def notification_mark_read(*, user, organisation, pk=None) -> int:
    """Mark one (or, without pk, every) unread notification of the member as read."""
    notifications = Notification.objects.filter(
        user=user, organisation=organisation, read_at__isnull=True
    )
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    return notifications.update(read_at=timezone.now())


def preference_save(
    *, user, language: str, email_digest: bool, disabled_kinds
) -> ReminderPreference:
    known = set(_KINDS)
    preference = preference_for(user)
    preference.language = language
    preference.email_digest = email_digest
    preference.disabled_kinds = sorted(set(disabled_kinds) & known)
    preference.full_clean()
    preference.save()
    return preference
