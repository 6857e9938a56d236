"""Forums as reference data of an area: every setting, member agencies, local areas heard, coordinators.

Administrators hold no personal records, so only forums are here: their
cases, meetings and plans are worked in the forum pages, through the gate.
"""

import datetime as dt

from django import forms
from django.contrib import admin

from safeguard.rules.competence import COURSES
from safeguard.workforce.models import Area, Staff

from .models import Forum

FORUM_FIELDS = (
    "name",
    "kind",
    "area",
    "covers",
    "member_agencies",
    "coordinators",
    "cadence",
    "first_meeting_on",
    "meeting_time",
    "meeting_minutes",
    "meeting_place",
    "confidentiality_statement",
    "reopen_within_hours",
    "chair_level",
    "chair_courses",
    "screening_target_days",
    "action_reminder_days_before",
    "action_escalate_days_overdue",
    "escalation_events",
    "escalation_months",
    "repeat_window_months",
    "repeat_definition",
    "dash_medium_from",
    "school_day_starts_at",
    "non_school_days",
)


class ForumAdminForm(forms.ModelForm):
    chair_courses = forms.MultipleChoiceField(
        choices=sorted(COURSES.items(), key=lambda kv: kv[1]),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Chair must also hold",
        help_text="Courses the chair must hold on the meeting day, besides the area's chair training.",
    )
    non_school_days = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Operation Encompass: non-school days",
        help_text="One date a line, as YYYY-MM-DD (school holidays and INSET days).",
    )

    class Meta:
        model = Forum
        fields = FORUM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["non_school_days"] = "\n".join(self.instance.non_school_days or [])
        self.fields["area"].queryset = Area.objects.filter(kind=Area.Kind.MAPPA)
        self.fields["covers"].queryset = Area.objects.exclude(kind=Area.Kind.MAPPA)
        self.fields["coordinators"].queryset = Staff.objects.filter(is_active=True).exclude(agency=None)

    def clean_non_school_days(self) -> list[str]:
        days = []
        for number, line in enumerate((self.cleaned_data.get("non_school_days") or "").splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                days.append(dt.date.fromisoformat(text).isoformat())
            except ValueError:
                raise forms.ValidationError(f"Line {number} is not a date as YYYY-MM-DD.") from None
        return sorted(set(days))

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        covers = cleaned.get("covers") or []
        if area is not None:
            outside = [a.name for a in covers if a.parent_id != area.pk]
            if outside:
                self.add_error("covers", f"These areas are not in {area}: {', '.join(outside)}.")
            coordinators = cleaned.get("coordinators") or []
            elsewhere = [str(s) for s in coordinators if s.mappa_area_id != area.pk]
            if elsewhere:
                self.add_error("coordinators", f"These staff do not work in {area}: {', '.join(elsewhere)}.")
        level = cleaned.get("chair_level")
        if level is not None and level not in (1, 2, 3):
            self.add_error("chair_level", "Choose MAPPA level 1, 2 or 3, or leave it empty.")
        if cleaned.get("cadence") and not cleaned.get("first_meeting_on"):
            self.add_error("first_meeting_on", "Give the day the cadence is counted from.")
        return cleaned


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    form = ForumAdminForm
    list_display = ("name", "kind", "area", "cadence", "meeting_time")
    list_filter = ("kind", "area", "cadence")
    search_fields = ("name",)
    filter_horizontal = ("member_agencies", "covers", "coordinators")
    fieldsets = (
        (None, {"fields": ("name", "kind", "area", "covers")}),
        ("Membership", {"fields": ("member_agencies", "coordinators")}),
        (
            "Meetings",
            {
                "fields": (
                    "cadence",
                    "first_meeting_on",
                    "meeting_time",
                    "meeting_minutes",
                    "meeting_place",
                    "confidentiality_statement",
                    "reopen_within_hours",
                )
            },
        ),
        ("Chair", {"fields": ("chair_level", "chair_courses")}),
        (
            "Referrals and actions",
            {"fields": ("screening_target_days", "action_reminder_days_before", "action_escalate_days_overdue")},
        ),
        (
            "MARAC",
            {
                "fields": (
                    "escalation_events",
                    "escalation_months",
                    "repeat_window_months",
                    "repeat_definition",
                    "dash_medium_from",
                ),
                "description": "Used by MARACs only. The defaults are SafeLives' national criteria.",
            },
        ),
        (
            "Daily triage (Operation Encompass)",
            {"fields": ("school_day_starts_at", "non_school_days")},
        ),
    )
