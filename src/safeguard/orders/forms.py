"""Forms for a nominal's orders, breaches and outcomes. The models validate; these collect."""

from __future__ import annotations

from django import forms

from safeguard.web.forms import GovukDateField, GovukModelForm

from .models import Order, OrderBreach, Outcome


class OrderForm(GovukModelForm):
    made_on = GovukDateField(
        label="Date the order was made",
        help_text="For example, 14 2 2026",
        error_messages={"required": "Enter the date the order was made"},
    )
    ends_on = GovukDateField(required=False, label="Date the order ends", help_text="Leave blank: until further order.")

    class Meta:
        model = Order
        fields = ["kind", "made_on", "ends_on", "court", "conditions", "foreign_travel_restriction"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Choose the kind of order"},
            "conditions": {"required": "Enter the order's prohibitions and conditions"},
        }


class BreachForm(GovukModelForm):
    occurred_on = GovukDateField(
        label="Date of the breach",
        help_text="For example, 14 2 2026",
        error_messages={"required": "Enter the date of the breach"},
    )

    class Meta:
        model = OrderBreach
        fields = ["occurred_on", "disposal", "made_subject_to_notification", "note"]
        widgets = {"disposal": forms.RadioSelect}
        error_messages = {"disposal": {"required": "Choose what was done about the breach"}}


class OutcomeForm(GovukModelForm):
    occurred_on = GovukDateField(
        label="Date it happened",
        help_text="For example, 14 2 2026",
        error_messages={"required": "Enter the date it happened"},
    )

    class Meta:
        model = Outcome
        fields = ["kind", "occurred_on", "custody_reason", "order", "disposal", "note"]
        widgets = {"kind": forms.RadioSelect, "custody_reason": forms.RadioSelect, "disposal": forms.RadioSelect}
        error_messages = {"kind": {"required": "Choose what happened"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = Order.objects.filter(nominal_id=self.instance.nominal_id)
        self.fields["order"].empty_label = "No order"
        self.fields["custody_reason"].choices = [c for c in self.fields["custody_reason"].choices if c[0]]
        self.fields["disposal"].choices = [c for c in self.fields["disposal"].choices if c[0]]
