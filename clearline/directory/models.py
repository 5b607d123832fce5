"""Treatment facilities, shaped after the Open Referral HSDS 3.0 objects.

HSDS splits a place of care into organization, location, service and service_at_location. SAMHSA's directory
lists one program per address, so a `Facility` row is the HSDS location *and* its one service (the API edge
produces both objects from it, with stable ids stored here). Service codes are kept on the facility as a
space-padded string (" SA DT OP ") rather than ~850,000 link rows: it keeps the full import fast and lets
search filter with an indexed-prefiltered LIKE; `TaxonomyTerm` holds SAMHSA's 31 categories and 225 codes.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.db import models
from django.utils.translation import gettext_lazy as _

SAMHSA_2022 = "samhsa-2022"
SOURCE_CITATIONS = {
    SAMHSA_2022: _("SAMHSA National Directory 2022"),
    "ca-dhcs": _("California Department of Health Care Services (CC BY 4.0)"),
    "demo": _("Clearline demo data (fictional)"),
}


class TaxonomyTerm(models.Model):
    """A SAMHSA category (no parent) or service code (parent = its category)."""

    uuid = models.UUIDField(unique=True, default=uuid4, editable=False)
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    plain_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def display_name(self) -> str:
        return self.plain_name or self.name


class Organization(models.Model):
    uuid = models.UUIDField(unique=True, default=uuid4, editable=False)
    name = models.CharField(max_length=300)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    class Status(models.TextChoices):
        UNCLAIMED = "unclaimed", _("Not claimed")
        CLAIMED = "claimed", _("Claimed by the facility")
        VERIFIED = "verified", _("Verified")

    uuid = models.UUIDField(unique=True, default=uuid4, editable=False)  # HSDS location id
    service_uuid = models.UUIDField(unique=True, default=uuid4, editable=False)  # HSDS service id
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(max_length=300)
    alternate_name = models.CharField(max_length=300, blank=True)
    street1 = models.CharField(max_length=200, blank=True)
    street2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    county = models.CharField(max_length=100, blank=True)
    # Null when neither the file nor the ZIP code locates the facility (Yap, FM, in 2022): it is then listed
    # in its state's results but not found by distance.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geo_source = models.CharField(max_length=40, blank=True, help_text="How the coordinates were found.")
    service_codes = models.TextField(blank=True, help_text='Space-padded SAMHSA codes: " SA DT OP ".')

    source = models.CharField(max_length=40)
    source_id = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNCLAIMED)
    last_verified = models.DateField(null=True, blank=True)
    verified_by = models.CharField(max_length=200, blank=True)
    license_number = models.CharField(max_length=40, blank=True)
    license_expires = models.DateField(null=True, blank=True)
    capacity_beds = models.PositiveIntegerField(null=True, blank=True)
    corrected_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Listing fields corrected here (by a reviewed listing edit or in this admin): a later import "
        'keeps their values. Remove a key, e.g. "phone", to let the source file decide it again.',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "facilities"
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="facility_source_key")]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="facility_lat_lon"),
            models.Index(fields=["state", "city"], name="facility_state_city"),
            models.Index(fields=["license_number"], name="facility_license"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}, {self.state}"

    @property
    def codes(self) -> list[str]:
        return self.service_codes.split()

    def has_code(self, code: str) -> bool:
        return f" {code} " in self.service_codes

    @property
    def citation(self) -> str:
        return str(SOURCE_CITATIONS.get(self.source, self.source))

    @property
    def shows_badge(self) -> bool:
        return self.status in (self.Status.CLAIMED, self.Status.VERIFIED)


def pad_codes(codes: list[str] | set[str]) -> str:
    """The stored form of a facility's codes, sorted so an unchanged row compares equal."""
    return " " + " ".join(sorted(set(codes))) + " " if codes else ""


class Phone(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", _("Main")
        INTAKE = "intake", _("Intake")
        HOTLINE = "hotline", _("Hotline")

    uuid = models.UUIDField(unique=True, default=uuid4, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.CharField(max_length=20, help_text="E.164")
    extension = models.CharField(max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Directory phones are unverified until a person confirms them (SAMHSA data predates 2022).
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A verified phone whose number or extension changes is unverified again, whoever changes it."""
        update_fields = kwargs.get("update_fields")
        # A save that writes neither the number nor the extension (verify_phone's, a new position) cannot change
        # them: no need to read the stored row.
        writes_number = update_fields is None or not {"number", "extension"}.isdisjoint(update_fields)
        if self.pk is not None and self.verified_at is not None and writes_number:
            stored = Phone.objects.filter(pk=self.pk).values_list("number", "extension").first()
            if stored is not None and stored != (self.number, self.extension):
                self.verified_at, self.verified_by = None, ""
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "verified_at", "verified_by"}
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def display(self) -> str:
        number = self.number
        if len(number) == 12 and number.startswith("+1") and number[1:].isdigit():
            # NANP numbers directly: parsing with phonenumbers costs ~0.3 ms a number, 20 on a results page.
            text = f"({number[2:5]}) {number[5:8]}-{number[8:]}"
        else:
            from clearline.lib.phone import format_national

            text = format_national(number)
        return f"{text} ext. {self.extension}" if self.extension else text


class Schedule(models.Model):
    """Opening hours (HSDS schedule). SAMHSA's file has none; claimed facilities may add them."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 = Monday … 7 = Sunday")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]

    def __str__(self) -> str:
        return self.description or f"{self.weekday} {self.opens_at}-{self.closes_at}"


class ListingConsent(models.Model):
    """The facility's written consent to a listing number that rings it (and only it)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="listing_consents")
    person_name = models.CharField(max_length=200)
    person_role = models.CharField(max_length=200)
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    document_note = models.TextField(blank=True, help_text="Where the signed consent is kept.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.person_role}) for {self.facility_id}"
