"""The admin's share page: earlier recipients, new ones, an optional expiry, e-mail or not."""

from __future__ import annotations

from django import forms
from django.conf import settings

from newsroom.sharing.models import Recipient
from newsroom.sharing.services import RecipientData


class NewRecipientForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False, label="E-mail")
    outlet = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("outlet")) and not data.get("email"):
            self.add_error("email", "An e-mail address is needed to share with someone.")
        return data

    def recipient(self) -> RecipientData | None:
        data = self.cleaned_data
        if not data.get("email"):
            return None
        return RecipientData(email=data["email"], name=data["name"], outlet=data["outlet"])


NewRecipientFormSet = forms.formset_factory(NewRecipientForm, extra=3, max_num=50)


class ShareForm(forms.Form):
    earlier = forms.ModelMultipleChoiceField(
        queryset=Recipient.objects.all(),
        required=False,
        label="Earlier recipients",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (⌘ on a Mac) to pick several.",
    )
    expires_at = forms.DateTimeField(
        required=False,
        label="Expires earlier, at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    send_email = forms.BooleanField(
        required=False, initial=True, label="Send each recipient their link by e-mail"
    )

    def __init__(self, *args, default_expiry: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "expires_at"
        ].help_text = f"Optional; {default_expiry}. Times are in {settings.TIME_ZONE}."
