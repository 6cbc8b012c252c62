"""Chambers of commerce and industry associations (商会/行业协会) and what they share with members.

A chamber is an organisation like any other (its people hold memberships and roles in it); the
`Chamber` row marks it as one. It invites member organisations, which accept and may leave, and
publishes regulatory updates and templates they read. It never reaches a member's records: the
members' view reads only the programme status of members that consent (see selectors.py).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationScopedModel


class Chamber(models.Model):
    """An organisation that is a chamber of commerce or an industry association."""

    class Kind(models.TextChoices):
        CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
        INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="chamber",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        _("kind of chamber"), max_length=32, choices=Kind.choices, default=Kind.CHAMBER_OF_COMMERCE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chamber")
        verbose_name_plural = _("chambers")

    def __str__(self):
        return str(self.organisation)


class ChamberMembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class ChamberMembership(OrganisationScopedModel):
    """A member organisation of a chamber (`organisation` is the chamber's organisation).

    One row per chamber and member: a new invitation after a member left or declined reuses
    it, and every step is in the event log of both organisations. `shares_status` is the
    member's consent that the chamber sees its programme status (never its records)."""

    member = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="chamber_memberships",
        verbose_name=_("member organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChamberMembershipStatus.choices,
        default=ChamberMembershipStatus.INVITED,
    )
    shares_status = models.BooleanField(
        _("shares its programme status with the chamber"), default=False
    )
    invited_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"))
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("answered by"),
    )
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chamber membership")
        verbose_name_plural = _("chamber memberships")
        ordering = ["organisation_id", "member__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member"], name="chamber_membership_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("member")),
                name="chamber_membership_not_itself",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.organisation}"


class PublicationKind(models.TextChoices):
    REGULATORY_UPDATE = "regulatory_update", _("Regulatory update")
    POLICY_TEMPLATE = "policy_template", _("Policy statement template")
    RESPONSE_PLAN_TEMPLATE = "response_plan_template", _("Response plan template")
    CONTROL_LIST = "control_list", _("Control list version")
    CUSTOMS_CATALOGUE = "customs_catalogue", _("Customs catalogue version")
    TRAINING_COURSE = "training_course", _("Training course")
    MANUAL_SETTINGS = "manual_settings", _("Recommended manual settings")


# What a member takes into its own programme (an adoption), as opposed to what it reads.
ADOPTABLE_KINDS = (
    PublicationKind.CONTROL_LIST,
    PublicationKind.CUSTOMS_CATALOGUE,
    PublicationKind.TRAINING_COURSE,
    PublicationKind.MANUAL_SETTINGS,
)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Publication(OrganisationScopedModel):
    """What a chamber shares with its members: a regulatory update (an announcement with its
    number, date, summary and what members should do) or a template. Published content is not
    changed afterwards; a correction is a new publication."""

    kind = models.CharField(_("kind"), max_length=32, choices=PublicationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    announcement_number = models.CharField(
        _("announcement number"),
        max_length=100,
        blank=True,
        help_text=_("As the authority numbered it, e.g. 商务部 海关总署公告2024年第51号."),
    )
    announcement_date = models.DateField(_("announcement date"), null=True, blank=True)
    effective_date = models.DateField(_("in force from"), null=True, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    action_zh = models.TextField(_("what members should do (Chinese)"), blank=True)
    action_en = models.TextField(_("what members should do (English)"), blank=True)
    body_zh = models.TextField(_("template text (Chinese)"), blank=True)
    body_en = models.TextField(_("template text (English)"), blank=True)
    list_version = models.ForeignKey(
        "trade.ControlListVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version of the chamber's list"),
    )
    # What a member adopts, fixed when the draft is made so that a member adopting later gets
    # exactly what was published: the list's entries, the course's pages and quiz, the settings.
    content = models.JSONField(_("shared content"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chamber publication")
        verbose_name_plural = _("chamber publications")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "-published_at"])]

    def __str__(self):
        return self.title_zh

    @property
    def is_regulatory_update(self) -> bool:
        return self.kind == PublicationKind.REGULATORY_UPDATE

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def is_adoptable(self) -> bool:
        return self.kind in ADOPTABLE_KINDS

    def get_absolute_url(self):
        return reverse("chambers:publication_detail", args=[self.pk])


class AnnouncementStatus(models.TextChoices):
    """Where the announcement behind a list update stands: MOFCOM suspends listings as well as
    removing them (e.g. the measures of 2025 No. 21 were suspended from 10 November 2025)."""

    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class ListUpdate(OrganisationScopedModel):
    """A version of one of the chamber's screening lists, published to its members with the
    announcement behind it (`organisation` is the chamber). The version itself is made with
    the screening list pages; publishing it tells the members, and its announcement's status
    is kept current by the chamber (every change in the history)."""

    screening_list = models.ForeignKey(
        "screening.ScreeningList",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screening list"),
    )
    version = models.ForeignKey(
        "screening.ListVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("list version"),
    )
    announcement_number = models.CharField(
        _("announcement number"),
        max_length=100,
        help_text=_("As the authority numbered it, e.g. 商务部公告2025年第51号."),
    )
    announcement_date = models.DateField(_("announcement date"))
    status = models.CharField(
        _("status of the announcement"),
        max_length=16,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.IN_FORCE,
    )
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list update")
        verbose_name_plural = _("list updates")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="chamber_list_update_one_per_version")
        ]

    def __str__(self):
        return f"{self.announcement_number} · {self.screening_list.name}"


class ListSubscription(OrganisationScopedModel):
    """A member's choice to screen its parties against a list its chamber keeps
    (`organisation` is the member). Effective only while the member belongs to the chamber;
    the member ends it as it started it, and both steps are in its history."""

    screening_list = models.ForeignKey(
        "screening.ScreeningList",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screening list"),
    )
    is_active = models.BooleanField(_("screened against"), default=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list subscription")
        verbose_name_plural = _("list subscriptions")
        ordering = ["organisation_id", "screening_list_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "screening_list"], name="chamber_list_subscription_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.screening_list}"


class Adoption(OrganisationScopedModel):
    """A member's decision to take a chamber's publication into its own programme
    (`organisation` is the member): a control list or customs catalogue version becomes a
    version of the member's own list, a course one of its courses, recommended manual settings
    its settings. What was made is the member's own record and stays when the member leaves the
    chamber; `record_type` and `object_id` name it."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name=_("chamber publication"),
    )
    adopted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("adopted by")
    )
    adopted_at = models.DateTimeField(_("adopted"))
    record_type = models.CharField(_("record made"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption of a chamber publication")
        verbose_name_plural = _("adoptions of chamber publications")
        ordering = ["-adopted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "publication"], name="chamber_adoption_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.publication}"
