"""The partnership, its agencies and subgroups, and the people who sign in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from safeguarding.email_canonical import canonical_email, email_key
from safeguarding.uploads import word_key


def tidy_name(text: str) -> str:
    """A name as stored: surrounding spaces removed, runs of spaces (and tabs, newlines) made one."""
    return " ".join(str(text or "").split())


def name_key(text: str) -> str:
    """What two agency names are compared by: ``tidy_name``, curly quotes and dashes read as the
    plain ones, then case-folded, so "NHS  trust" and "nhs trust" are the same name (issue 12.7),
    and so are "Children’s Services" (as Word writes it) and "Children's Services". Uploads match
    names and aliases by it too; it is ``safeguarding.uploads.word_key``."""
    return word_key(text)


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(max_length=120, blank=True, help_text="The local authority area it covers.")
    # Separation of duties (issue 11.5): by default the person who submitted a return cannot
    # accept it. A very small partnership, where one person must do both, may allow it; every
    # such acceptance is then written to the audit log as one.
    submitter_may_accept = models.BooleanField(
        default=False, verbose_name="The person who submitted a return may also accept it",
        help_text="Leave this off unless one person must both submit and accept returns: each time it "
                  "happens, the audit log says so.")
    attendance_target = models.DecimalField(
        max_digits=4, decimal_places=1, default=75, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="The share of its meetings (0–100%) each board seat is expected to attend; the annual "
                  "report compares attendance with it (issue 12.3).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyType(models.TextChoices):
    LA_CHILDRENS_SOCIAL_CARE = "la_csc", "Local authority children's social care"
    EDUCATION = "education", "Education"
    HEALTH_COMMISSIONER = "health_commissioner", "Health commissioner (ICB)"
    ACUTE_TRUST = "acute_trust", "Acute hospital trust"
    COMMUNITY_HEALTH = "community_health", "Community health provider"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    PRIMARY_CARE = "primary_care", "Primary care / GP"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


# The agency types a designated professional acts for: the local health economy.
HEALTH_AGENCY_TYPES = frozenset({
    AgencyType.HEALTH_COMMISSIONER,
    AgencyType.ACUTE_TRUST,
    AgencyType.COMMUNITY_HEALTH,
    AgencyType.MENTAL_HEALTH_TRUST,
    AgencyType.PRIMARY_CARE,
})


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day),
                           Q(active_to__isnull=True) | Q(active_to__gte=day))

    def health(self):
        return self.filter(agency_type__in=HEALTH_AGENCY_TYPES)


class Agency(models.Model):
    class Membership(models.TextChoices):
        STATUTORY_PARTNER = "statutory", "Statutory partner"
        RELEVANT_AGENCY = "relevant", "Relevant agency"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    agency_type = models.CharField(max_length=30, choices=AgencyType.choices)
    membership = models.CharField(max_length=20, choices=Membership.choices,
                                  default=Membership.RELEVANT_AGENCY)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", help_text="The organisation this one is part of.")
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaces")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="agency_unique_slug"),
            # Names are unique whatever their case; services store names with their spacing
            # tidied (tidy_name), so spacing cannot make a second one either (issue 12.7).
            models.UniqueConstraint(
                "partnership", Lower("name"), name="agency_unique_name_ci",
                violation_error_message="There is already an agency with this name in the partnership "
                                        "(names are compared ignoring capitals and spacing).",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="agency_active_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_health(self) -> bool:
        return self.agency_type in HEALTH_AGENCY_TYPES

    @property
    def is_statutory_partner(self) -> bool:
        return self.membership == self.Membership.STATUTORY_PARTNER

    def is_active_on(self, day) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or self.active_to >= day
        )


class AgencyAlias(models.Model):
    """Another name an agency is known by (an old name, an abbreviation) for matching uploads."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="alias_unique_per_agency")]

    def __str__(self) -> str:
        return self.name


class Subgroup(models.Model):
    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        TWICE_YEARLY = "twice_yearly", "Twice a year"
        ANNUAL = "annual", "Annually"
        AS_NEEDED = "as_needed", "As needed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="subgroups")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=80)
    remit = models.TextField(blank=True)
    chair = models.ForeignKey("partners.User", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="chaired_subgroups")
    chair_name = models.CharField(max_length=200, blank=True,
                                  help_text="For a chair who does not sign in to the portal.")
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", help_text="The body it reports to.")
    is_board = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_board", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="subgroup_unique_slug"),
            models.UniqueConstraint(fields=["partnership", "name"], name="subgroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def chair_display(self) -> str:
        if self.chair_id:
            return self.chair.full_name
        return self.chair_name


class Role(models.TextChoices):
    """A person's one role in their partnership (issue 11.1 for the administrator's meaning).

    ``ADMIN`` is the partnership's administrator: a business manager who may also grant and
    remove the administrator role, keep other administrators' accounts and reset second
    factors. It never opens the Django admin: that belongs to platform operators
    (``is_staff``/``is_superuser``), who belong to no partnership.
    """

    AGENCY_SUBMITTER = "submitter", "Agency submitter"
    DESIGNATED_PROFESSIONAL = "designated", "Designated professional"
    PCI_MEMBER = "pci", "PCI subgroup member"
    BUSINESS_MANAGER = "manager", "Business manager"
    ADMIN = "admin", "Administrator"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        """A platform operator (``createsuperuser``): opens the Django admin, belongs to no
        partnership, so no partnership's pages or people are theirs (issue 11.1)."""
        if extra.get("partnership") or extra.get("partnership_id"):
            raise ValueError("A platform operator belongs to no partnership.")
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        """The account whose stored (canonical) address equals ``username``'s canonical form
        (issue 11.2): the same key as the lockout's, an exact match on the unique index."""
        return self.get(**{self.model.USERNAME_FIELD: email_key(username)})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    A person has one role in one partnership; an agency submitter acts for the agencies listed
    in ``agencies`` (one or more), a designated professional for every health agency.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    partnership = models.ForeignKey(Partnership, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="people")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENCY_SUBMITTER)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="people")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can open the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            # Platform operators (Django admin) are never members of a partnership, so no
            # partnership role can make someone an operator (issue 11.1).
            models.CheckConstraint(
                condition=Q(is_staff=False, is_superuser=False) | Q(partnership__isnull=True),
                name="user_operator_outside_partnerships",
                violation_error_message="A platform operator (staff or superuser) cannot belong to a "
                                        "partnership.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @classmethod
    def normalize_username(cls, username):
        """Django's ``AbstractBaseUser.clean`` normalises the address with this: the canonical form."""
        return email_key(username)

    def clean(self):
        """Store the canonical address; refuse one with characters outside ASCII (issue 11.2)."""
        super().clean()
        try:
            self.email = canonical_email(self.email)
        except ValidationError as error:
            raise ValidationError({"email": error.messages}) from None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Role questions are asked in one place so views and services never compare strings.
    @property
    def is_submitter(self) -> bool:
        return self.role == Role.AGENCY_SUBMITTER

    @property
    def is_designated(self) -> bool:
        return self.role == Role.DESIGNATED_PROFESSIONAL

    @property
    def is_pci(self) -> bool:
        return self.role == Role.PCI_MEMBER

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.BUSINESS_MANAGER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """The partnership's administrator (a role), not a platform operator."""
        return self.role == Role.ADMIN and self.partnership_id is not None

    @property
    def is_operator(self) -> bool:
        """A platform operator: opens the Django admin, belongs to no partnership."""
        return bool(self.is_staff or self.is_superuser) and self.partnership_id is None

    @property
    def reads_everything(self) -> bool:
        """PCI members, business managers and admins read the whole partnership's data."""
        return self.role in (Role.PCI_MEMBER, Role.BUSINESS_MANAGER, Role.ADMIN)
