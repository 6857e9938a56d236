"""Reference data: agencies, areas, teams and staff.

Staff is the custom user model from the first migration. Roles are a set of
named capabilities held by a member of staff; what a role allows is decided in
`safeguard.access`, never here.
"""

import functools
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


def _mappa_default(name: str):
    from safeguard.rules.mappa import MappaSettings

    return getattr(MappaSettings(), name)


def _notification_default(name: str):
    from safeguard.rules.notification import NotificationSettings

    return getattr(NotificationSettings(), name)


def _retention_default(name: str):
    from safeguard.rules.retention import RetentionSettings

    return getattr(RetentionSettings(), name)


def _caseload_default(name: str):
    from safeguard.rules.workload import DEFAULT_CASELOAD_SETTINGS

    return getattr(DEFAULT_CASELOAD_SETTINGS, name)


def _competence_default(name: str):
    from safeguard.rules.competence import DEFAULT_COMPETENCE_SETTINGS

    value = getattr(DEFAULT_COMPETENCE_SETTINGS, name)
    return dict(value) if isinstance(value, tuple) else value


def _point_table_default() -> dict:
    from safeguard.rules.workload import DEFAULT_POINT_TABLE

    return DEFAULT_POINT_TABLE.to_dict()


def _chair_equivalents_default() -> dict:
    return _competence_default("probation_equivalents")


def _refresh_months_default() -> dict:
    return _competence_default("refresh_months")


def _rfg_default() -> dict:
    from safeguard.rules.rfg import RfgConfig

    return RfgConfig().to_dict()


class Area(models.Model):
    """A geographic unit: a MAPPA area contains local authority areas and police divisions."""

    class Kind(models.TextChoices):
        MAPPA = "mappa", "MAPPA area"
        LOCAL_AUTHORITY = "local_authority", "Local authority area"
        POLICE_DIVISION = "police_division", "Police division"

    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The MAPPA area that contains a local authority area or police division.",
    )
    latitude = models.FloatField(
        null=True, blank=True, help_text="A point near the middle of the area (degrees), for nearness in allocation."
    )
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.MAPPA and self.parent_id:
            raise ValidationError({"parent": "A MAPPA area is not inside another area."})
        if self.kind != self.Kind.MAPPA and (self.parent is None or self.parent.kind != self.Kind.MAPPA):
            raise ValidationError({"parent": "Choose the MAPPA area this area belongs to."})

    @property
    def mappa_area(self) -> "Area":
        return self if self.kind == self.Kind.MAPPA else self.parent


class Agency(models.Model):
    """A Responsible Authority or a Duty-to-Co-operate agency (CJA 2003 s.325)."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police force"
        PROBATION = "probation", "Probation delivery unit"
        PRISON = "prison", "Prison"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        HOUSING = "housing", "Housing"
        HEALTH = "health", "Health"
        IDVA_SERVICE = "idva_service", "IDVA service"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        JOB_CENTRE = "job_centre", "Job centre"

    RESPONSIBLE_AUTHORITY = frozenset({Kind.POLICE, Kind.PROBATION, Kind.PRISON})

    name = models.CharField(max_length=160)
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agencies")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_responsible_authority(self) -> bool:
        return self.kind in self.RESPONSIBLE_AUTHORITY


class Team(models.Model):
    name = models.CharField(max_length=120)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    base_latitude = models.FloatField(
        null=True, blank=True, help_text="Where the team works from (degrees), for nearness in allocation."
    )
    base_longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Role(models.TextChoices):
    OFFENDER_MANAGER = "offender_manager", "Offender manager"
    MAPPA_COORDINATOR = "mappa_coordinator", "MAPPA coordinator"
    MARAC_COORDINATOR = "marac_coordinator", "MARAC coordinator"
    IDVA = "idva", "IDVA"
    CHAIR = "chair", "Chair"
    SUPERVISOR = "supervisor", "Supervisor"
    ANALYST = "analyst", "Analyst"
    ADMINISTRATOR = "administrator", "Administrator"
    PARTNER = "partner", "Partner agency practitioner"


class Staff(AbstractUser):
    """A member of staff of one agency. Sign-in needs a password and a TOTP code."""

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    rank_or_grade = models.CharField(
        max_length=60,
        blank=True,
        help_text="Police rank (for example Detective Constable, Inspector) or probation grade (PO, SPO).",
    )
    roles = models.JSONField(default=list, blank=True, help_text="Role codes; see Role.")
    contracted_hours = models.DecimalField(
        "contracted hours a week",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For the probation workload model; empty means the grade's default hours.",
    )
    reduction_hours = models.DecimalField(
        "reduction hours a week",
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text="Hours taken off case work (training, union duties, phased return).",
    )

    class Meta:
        verbose_name = "member of staff"
        verbose_name_plural = "staff"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        unknown = set(self.roles or []) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": f"Unknown role code: {', '.join(sorted(unknown))}."})

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles or [] if r in Role.values]

    @property
    def mappa_area_id(self) -> int | None:
        if self.agency_id is None:
            return None
        area = self.agency.area
        return area.id if area.kind == Area.Kind.MAPPA else area.parent_id


class AreaSettings(models.Model):
    """The settings of one MAPPA area for the rules Safeguard applies.

    Each field's default is the rule's own default from ``safeguard.rules``
    (where it is cited, with whether its source is confirmed); an area changes
    a value here, and every change is kept in the history. Nothing the domain
    files mark [R] or [L] is a constant buried in code.
    """

    area = models.OneToOneField(
        Area, on_delete=models.PROTECT, related_name="settings", limit_choices_to={"kind": Area.Kind.MAPPA}
    )
    level2_review_weeks = models.PositiveSmallIntegerField(
        "Level 2 review at least every (weeks)", default=_mappa_default("level2_review_weeks")
    )
    level3_review_weeks = models.PositiveSmallIntegerField(
        "Level 3 review at least every (weeks)", default=_mappa_default("level3_review_weeks")
    )
    level_before_release_months = models.PositiveSmallIntegerField(
        "level set at least this many months before release", default=_mappa_default("level_before_release_months")
    )
    identify_within_days_of_sentence = models.PositiveSmallIntegerField(
        "eligible offenders identified within (days of sentence)",
        default=_mappa_default("identify_within_days_of_sentence"),
    )
    travel_fallback_hours = models.PositiveSmallIntegerField(
        "foreign travel: notice when details are not known 7 days ahead (hours)",
        default=_notification_default("travel_fallback_hours"),
    )
    travel_return_days = models.PositiveSmallIntegerField(
        "foreign travel: notify on return within (days)", default=_notification_default("travel_return_days")
    )
    group1_retain_until_age = models.PositiveSmallIntegerField(
        "retention group 1: retain until the subject is (years old)",
        default=_retention_default("group1_retain_until_age"),
    )
    group1_review_years = models.PositiveSmallIntegerField(
        "retention group 1: review every (years)", default=_retention_default("group1_review_years")
    )
    group2_clear_years = models.PositiveSmallIntegerField(
        "retention group 2: clear period (years)", default=_retention_default("group2_clear_years")
    )
    group3_clear_years = models.PositiveSmallIntegerField(
        "retention group 3: clear period (years)", default=_retention_default("group3_clear_years")
    )
    minimum_retention_years = models.PositiveSmallIntegerField(
        "minimum retention (years)", default=_retention_default("minimum_retention_years")
    )
    rfg_config = models.JSONField(
        "RFG scoring", default=_rfg_default, help_text="Recency, frequency, gravity and victim weights (JSON)."
    )
    # Caseloads (rules.workload): every value an area setting, the defaults the West Midlands' [L].
    ratio_cases_per_officer = models.PositiveSmallIntegerField(
        "caseload ratio: nominals per offender manager", default=_caseload_default("ratio_cases_per_officer")
    )
    high_risk_cap_percent = models.PositiveSmallIntegerField(
        "high-risk cap: at most this per cent of a caseload at high or very high RoSH",
        default=_caseload_default("high_risk_cap_percent"),
    )
    weight_community = models.DecimalField(
        "case weight: community", max_digits=5, decimal_places=2, default=_caseload_default("weight_community")
    )
    weight_custody = models.DecimalField(
        "case weight: custody", max_digits=5, decimal_places=2, default=_caseload_default("weight_custody")
    )
    weight_approved_premises = models.DecimalField(
        "case weight: Approved Premises",
        max_digits=5,
        decimal_places=2,
        default=_caseload_default("weight_approved_premises"),
    )
    weight_level_2 = models.DecimalField(
        "case weight: Level 2", max_digits=5, decimal_places=2, default=_caseload_default("weight_level_2")
    )
    weight_level_3 = models.DecimalField(
        "case weight: Level 3", max_digits=5, decimal_places=2, default=_caseload_default("weight_level_3")
    )
    # Probation workload model (rules.workload): points per case by type and tier, grade targets.
    probation_point_table = models.JSONField(
        "probation points per case (by case type, then tier)",
        default=_point_table_default,
        help_text="The shipped table is Safeguard's placeholder, not HMPPS's: load the area's own.",
    )
    probation_grade_targets = models.JSONField(
        "probation grades: nominal target points and default weekly hours",
        default=dict,
        blank=True,
        help_text='For example {"po": {"nominal_target": 100, "default_contracted_hours": 37}}. '
        "No national figures are shipped: a grade with none set shows no capacity.",
    )
    # Competence (rules.competence): chair ranks, probation equivalents, refresh periods [L].
    chair_min_rank_level_1 = models.CharField(
        "chair of Level 1 meetings: lowest rank", max_length=30, default=_competence_default("chair_min_rank_level_1")
    )
    chair_min_rank_level_2 = models.CharField(
        "chair of Level 2 meetings: lowest rank", max_length=30, default=_competence_default("chair_min_rank_level_2")
    )
    chair_min_rank_level_3 = models.CharField(
        "chair of Level 3 meetings: lowest rank", max_length=30, default=_competence_default("chair_min_rank_level_3")
    )
    chair_probation_equivalents = models.JSONField(
        "probation grades treated as police ranks for chairing",
        default=_chair_equivalents_default,
        blank=True,
    )
    course_refresh_months = models.JSONField(
        "course refresh periods (months, by course code)",
        default=_refresh_months_default,
        blank=True,
        help_text="No national refresh periods exist: a course with none set does not expire.",
    )
    due_soon_days = models.PositiveSmallIntegerField(
        "show work as due soon this many days ahead",
        default=28,
        help_text="Safeguard's choice for 'my work'; no guidance sets it.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "area settings"
        verbose_name_plural = "area settings"

    def __str__(self) -> str:
        return f"Settings for {self.area}"

    @classmethod
    def for_area(cls, area_id: int | None) -> "AreaSettings":
        """The settings of a MAPPA area; the national defaults (unsaved) when it has none. Read afresh each time,
        in SQL written once a process (accounts.rows): the pages most opened ask for them on every request."""
        if area_id is not None:
            found = _settings_of_area().one(area_id)
            if found is not None:
                return found
        return cls(area_id=area_id)

    def mappa_settings(self):
        from safeguard.rules.mappa import MappaSettings

        return MappaSettings(
            level2_review_weeks=self.level2_review_weeks,
            level3_review_weeks=self.level3_review_weeks,
            level_before_release_months=self.level_before_release_months,
            identify_within_days_of_sentence=self.identify_within_days_of_sentence,
        )

    def notification_settings(self):
        from safeguard.rules.notification import NotificationSettings

        return NotificationSettings(
            travel_fallback_hours=self.travel_fallback_hours, travel_return_days=self.travel_return_days
        )

    def retention_settings(self):
        from safeguard.rules.retention import RetentionSettings

        return RetentionSettings(
            group1_retain_until_age=self.group1_retain_until_age,
            group1_review_years=self.group1_review_years,
            group2_clear_years=self.group2_clear_years,
            group3_clear_years=self.group3_clear_years,
            minimum_retention_years=self.minimum_retention_years,
        )

    def rfg(self):
        from safeguard.rules.rfg import RfgConfig

        return RfgConfig.from_dict(self.rfg_config)

    def clean(self) -> None:
        """Refuse settings the rules cannot use, naming the field."""
        from safeguard.rules.working import RuleInputError

        for build, field_for in (
            (self.caseload_settings, lambda name: name),
            (
                self.competence_settings,
                {"probation_equivalents": "chair_probation_equivalents", "refresh_months": "course_refresh_months"}.get,
            ),
            (self.point_table, lambda name: "probation_point_table"),
        ):
            try:
                build()
            except RuleInputError as err:
                field = field_for(err.field) or err.field
                raise ValidationError({field if hasattr(self, field) else "__all__": err.message}) from None
        try:
            self.grade_targets()
        except RuleInputError as err:
            raise ValidationError({"probation_grade_targets": err.message}) from None

    def grade_targets(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Each probation grade's (nominal target points, default weekly hours), as the area set them."""
        from safeguard.rules.competence import PROBATION_GRADES
        from safeguard.rules.working import RuleInputError

        targets = {}
        data = self.probation_grade_targets or {}
        if not isinstance(data, dict):
            raise RuleInputError("probation_grade_targets", "Give the targets by grade code")
        for grade, values in data.items():
            if grade not in PROBATION_GRADES:
                raise RuleInputError(
                    "probation_grade_targets", f"Use the probation grade codes: {', '.join(PROBATION_GRADES)}"
                )
            try:
                target = Decimal(str(values["nominal_target"]))
                hours = Decimal(str(values["default_contracted_hours"]))
            except (KeyError, TypeError, ArithmeticError):
                raise RuleInputError(
                    "probation_grade_targets",
                    f"Give {grade} a nominal_target and default_contracted_hours as numbers",
                ) from None
            if target <= 0 or hours <= 0:
                raise RuleInputError("probation_grade_targets", f"{grade}: targets and hours must be more than 0")
            targets[grade] = (target, hours)
        return targets

    def caseload_settings(self):
        from safeguard.rules.workload import CaseloadSettings

        return CaseloadSettings(
            ratio_cases_per_officer=self.ratio_cases_per_officer,
            high_risk_cap_percent=self.high_risk_cap_percent,
            weight_community=Decimal(self.weight_community),
            weight_custody=Decimal(self.weight_custody),
            weight_approved_premises=Decimal(self.weight_approved_premises),
            weight_level_2=Decimal(self.weight_level_2),
            weight_level_3=Decimal(self.weight_level_3),
        )

    def competence_settings(self):
        from safeguard.rules.competence import CompetenceSettings

        return CompetenceSettings(
            chair_min_rank_level_1=self.chair_min_rank_level_1,
            chair_min_rank_level_2=self.chair_min_rank_level_2,
            chair_min_rank_level_3=self.chair_min_rank_level_3,
            probation_equivalents=dict(self.chair_probation_equivalents or {}),
            refresh_months=dict(self.course_refresh_months or {}),
        )

    def point_table(self):
        from safeguard.rules.workload import PointTable

        return PointTable.from_dict(self.probation_point_table or {})


@functools.cache
def _settings_of_area():
    from safeguard.accounts.rows import Statement  # accounts builds on workforce's models

    return Statement(AreaSettings, keys=("area",))
