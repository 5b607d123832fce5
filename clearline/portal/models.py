"""Listings a provider manages, and the corrections its staff propose to them (public only once staff approve).

`ProviderListing` links a directory facility to the provider organisation that runs it; operators create the link
in the back office after checking who runs the facility. `ListingEdit` is one proposed correction: the changed
fields (`changes`) and, captured at submission, the values they replace (`before`), so a reviewer sees a diff and
an edit made against values that have changed since is flagged as stale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProviderListing(models.Model):
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.CASCADE, related_name="listings", verbose_name=_("provider")
    )
    facility = models.OneToOneField(
        "directory.Facility",
        on_delete=models.CASCADE,
        related_name="provider_listing",
        verbose_name=_("facility"),
        help_text="A facility is managed by one provider at most.",
    )
    note = models.TextField(blank=True, help_text="How we know this provider runs the facility.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider__name", "facility__name"]
        verbose_name = _("provider listing")
        verbose_name_plural = _("provider listings")

    def __str__(self) -> str:
        return f"{self.facility} — {self.provider}"


class ListingEdit(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="listing_edits")
    facility = models.ForeignKey("directory.Facility", on_delete=models.CASCADE, related_name="listing_edits")
    changes = models.JSONField(help_text="Field key -> proposed value (clearline.directory.edits.FIELDS).")
    before = models.JSONField(help_text="Field key -> the facility's value when the edit was submitted.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitter_note = models.TextField(_("note for the reviewer"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("listing edit")
        verbose_name_plural = _("listing edits")
        permissions = [("review_listingedit", "Can approve or reject listing edits")]
        constraints = [
            # One open proposal per facility: a second would be reviewed against values the first may change.
            models.UniqueConstraint(
                fields=["facility"], condition=Q(status="pending"), name="listing_edit_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="listing_edit_queue")]

    def __str__(self) -> str:
        return f"Edit {self.pk} to {self.facility_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def _track_audit() -> None:
    # Operators link and unlink facilities in the Wagtail admin: every change goes to the audit log (rule 9).
    from clearline.lib.audit import track_changes

    track_changes(ProviderListing, "portal.provider_listing")


_track_audit()
