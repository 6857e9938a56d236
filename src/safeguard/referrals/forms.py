"""Forms for referrals: one per kind, the children of a MARAC referral, and the coordinator's decision."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguard.meetings.models import Forum
from safeguard.offenders.models import MappaCategory
from safeguard.people.models import Person
from safeguard.rules import marac
from safeguard.rules.dash import DASH_2009
from safeguard.web.forms import GovukDateField, GovukForm
from safeguard.workforce.models import Agency, Area

from .models import Referral
from .services.drafts import CHOOSABLE_CRITERIA

YES_NO = [("yes", "Yes"), ("no", "No")]
LEVELS = [("2", "Level 2: multi-agency meetings"), ("3", "Level 3: senior multi-agency management")]


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "govuk-textarea"})


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def as_yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class ForumChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class MappaReferralForm(GovukForm):
    required_messages = {
        "mappa_category": "Select the MAPPA category",
        "level_sought": "Select the level the referral seeks",
        "reason": "Enter the reason for the referral",
        "risk_summary": "Enter a summary of the risk",
    }
    mappa_category = forms.ChoiceField(label="MAPPA category", choices=MappaCategory.choices)
    level_sought = forms.ChoiceField(label="Level the referral seeks", choices=LEVELS, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the referral", max_length=4000, widget=_textarea())
    risk_summary = forms.CharField(
        label="Summary of the risk",
        max_length=4000,
        widget=_textarea(6),
        help_text="Index offence and sentence, previous relevant offences, who is at risk and why now.",
    )

    def __init__(self, *args, supported: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mappa_category"]
        field.help_text = (
            f"The record supports Category {supported}." if supported else "The record supports no category by itself."
        )
        field.widget.attrs["aria-describedby"] = "id_mappa_category-hint"


class ChildForm(GovukForm):
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    relationship = forms.CharField(
        label="Relationship to the victim", max_length=120, required=False, help_text="For example son, stepdaughter."
    )
    school = forms.CharField(label="School or nursery", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        born = data.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", "The date of birth must be today or in the past")
        if (data.get("relationship") or data.get("school")) and not born and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Enter the child's date of birth")
        return data

    @property
    def child(self) -> dict | None:
        data = getattr(self, "cleaned_data", {}) or {}
        if not data.get("date_of_birth"):
            return None
        return {
            "date_of_birth": data["date_of_birth"].isoformat(),
            "relationship": data.get("relationship", "").strip(),
            "school": data.get("school", "").strip(),
        }


ChildFormSet = forms.formset_factory(ChildForm, extra=0, max_num=30, absolute_max=30)


class MaracReferralForm(GovukForm):
    required_messages = {
        "forum": "Select the MARAC",
        "incident_date": "Enter the date of the incident behind the referral",
        "victim_aware": "Select yes if the victim is aware of the referral",
        "victim_consents": "Select yes if the victim consents to the referral",
    }
    conditionally_required = frozenset({"no_consent_reason"})
    forum = ForumChoice(label="MARAC", queryset=Forum.objects.none(), empty_label=None)
    incident_date = GovukDateField(label="Date of the incident behind the referral")
    criteria = forms.MultipleChoiceField(
        label="Referral criteria the case meets",
        required=False,
        choices=[(c, marac.CRITERION_LABELS[c]) for c in CHOOSABLE_CRITERIA],
        widget=forms.CheckboxSelectMultiple,
        help_text="A repeat of a MARAC referral in the last 12 months is found automatically when you submit.",
    )
    dash_yes_count = forms.IntegerField(
        label="Yes answers on the DASH, if one was completed",
        required=False,
        min_value=0,
        max_value=len(DASH_2009["questions"]),
        help_text="Visible high risk needs 14 or more (or the MARAC's own setting).",
    )
    professional_judgement_reason = forms.CharField(
        label="Reason for your professional judgement", required=False, max_length=4000, widget=_textarea()
    )
    perpetrators = forms.ModelMultipleChoiceField(
        label="Perpetrators",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People the records connect with the victim. Record a person first if they are not listed.",
    )
    feared = forms.CharField(label="Whom the victim fears", required=False, max_length=2000, widget=_textarea(3))
    victim_aware = forms.ChoiceField(
        label="Is the victim aware of the referral?", choices=YES_NO, widget=forms.RadioSelect
    )
    victim_consents = forms.ChoiceField(
        label="Does the victim consent to the referral?", choices=YES_NO, widget=forms.RadioSelect
    )
    no_consent_reason = forms.CharField(
        label="If not, why",
        required=False,
        max_length=4000,
        widget=_textarea(3),
        help_text="Needed when the victim is not aware or does not consent.",
    )
    safe_contact = forms.CharField(
        label="Safe contact number, and whether it is safe to call", required=False, max_length=200
    )
    reason = forms.CharField(
        label="Anything else the MARAC needs to know", required=False, max_length=4000, widget=_textarea()
    )

    def __init__(self, *args, forums=None, perpetrators=None, from_dash: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums
        self.fields["perpetrators"].queryset = perpetrators
        self.fields["perpetrators"].label_from_instance = lambda p: (
            f"{p.full_name}{', born ' + p.date_of_birth.strftime('%-d %B %Y') if p.date_of_birth else ''}"
        )
        if from_dash:
            for name in ("criteria", "dash_yes_count", "professional_judgement_reason"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        aware, consents = yes_no(data.get("victim_aware")), yes_no(data.get("victim_consents"))
        if (aware is False or consents is False) and not (data.get("no_consent_reason") or "").strip():
            self.add_error("no_consent_reason", "Say why the victim is not aware or does not consent")
        return data


class MatacReferralForm(GovukForm):
    required_messages = {
        "forum": "Select the MATAC",
        "reason": "Enter the reason for the referral",
    }
    forum = ForumChoice(label="MATAC", queryset=Forum.objects.none(), empty_label=None)
    reason = forms.CharField(
        label="Reason for the referral",
        max_length=4000,
        widget=_textarea(),
        help_text="What your agency knows of the perpetrator's abuse. The RFG score is worked out from the records.",
    )

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class IomSelectionForm(GovukForm):
    required_messages = {
        "forum": "Select the IOM panel",
        "iom_cohort": "Select the cohort",
        "reason": "Enter the reason for the selection",
    }
    forum = ForumChoice(label="IOM panel", queryset=Forum.objects.none(), empty_label=None)
    iom_cohort = forms.ChoiceField(label="Cohort", choices=Referral.IomCohort.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the selection", max_length=4000, widget=_textarea())

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class NominateForm(GovukForm):
    person = forms.IntegerField(widget=forms.HiddenInput)


REASON_NEEDED = "Give the reason for this decision (at least 10 characters)"


class MoveForm(GovukForm):
    """One move from the referral page (submit, start screening, withdraw, de-list, de-select), by its prefix."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    rationale = forms.CharField(
        label="Reason",
        required=False,
        max_length=4000,
        widget=_textarea(3),
        error_messages={"required": REASON_NEEDED},
    )

    def __init__(self, *args, reason_label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_label:
            self.fields["rationale"].label = reason_label
            self.fields["rationale"].required = True


DECISIONS = [("accept", "Accept"), ("decline", "Decline")]


class ScreeningDecisionForm(GovukForm):
    """The coordinator's decision on a referral in screening; what it needs is the rule's (rules.referrals)."""

    required_messages = {
        "decision": "Select your decision",
    }
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Decision", choices=DECISIONS, widget=forms.RadioSelect)
    level_set = forms.ChoiceField(
        label="Management level to set",
        choices=LEVELS,
        widget=forms.RadioSelect,
        help_text="It may differ from the level sought. Not used if you decline.",
        error_messages={"required": "Set the management level: 2 or 3"},
    )
    local_area = forms.ModelChoiceField(
        label="Local area where the nominal will be managed", required=False, queryset=Area.objects.none()
    )
    lead_agency = forms.ModelChoiceField(label="Lead agency", required=False, queryset=Agency.objects.none())
    rationale = forms.CharField(
        label="Rationale for the decision",
        max_length=4000,
        widget=_textarea(5),
        help_text="Kept with the decision and, for MAPPA, as the reason for the nominal's new level.",
        error_messages={"required": REASON_NEEDED},
    )

    def __init__(self, *args, referral=None, needs_nominal: bool = False, mappa_area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if referral is None or referral.kind != Referral.Kind.MAPPA:
            del self.fields["level_set"]
        if not needs_nominal:
            del self.fields["local_area"]
            del self.fields["lead_agency"]
        else:
            self.fields["local_area"].queryset = Area.objects.filter(parent_id=mappa_area_id)
            self.fields["local_area"].empty_label = "Choose"
            self.fields["local_area"].help_text = "The person has no nominal: one is opened on acceptance."
            self.fields["lead_agency"].queryset = Agency.objects.filter(
                kind__in=list(Agency.RESPONSIBLE_AUTHORITY), area_id=mappa_area_id
            )
            self.fields["lead_agency"].empty_label = "Choose"
