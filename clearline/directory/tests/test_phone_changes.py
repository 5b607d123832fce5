"""The numbers a listing number may ring: a changed number is unverified on every path, and every change is logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clearline.directory.models import Phone
from clearline.directory.services import verified_destination_for, verify_phone, withdraw_listing_consent
from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_saving_a_verified_phone_with_a_new_number_unverifies_it(facility):
    phone = facility.phones.get(kind="main")
    phone.number = "+13035550188"
    phone.save(update_fields=["number"])
    phone.refresh_from_db()
    assert (phone.verified_at, phone.verified_by) == (None, "")
    assert verified_destination_for(facility.pk) is None


def test_saving_a_verified_phone_unchanged_keeps_it_verified(facility):
    phone = facility.phones.get(kind="main")
    phone.position = 3
    phone.save()
    assert Phone.objects.get(pk=phone.pk).is_verified


def test_phone_changes_and_verifications_are_in_the_audit_log(facility):
    phone = facility.phones.get(kind="main")
    phone.number = "+13035550188"
    phone.save()
    verify_phone(phone.pk, "Lee at Clearline")
    entries = list(AuditEntry.objects.filter(action="directory.phone.updated").order_by("id"))
    assert entries[-2].data["number"] == {"before": "+13035550101", "after": "+13035550188"}
    assert entries[-2].data["verified_by"] == {"before": "Dana at Clearline", "after": ""}
    assert entries[-1].data["verified_by"] == {"before": "", "after": "Lee at Clearline"}
    assert verify_chain().first_broken_id is None


def test_consent_given_and_withdrawn_is_in_the_audit_log(facility):
    assert AuditEntry.objects.filter(action="directory.listing_consent.created").count() == 1
    assert withdraw_listing_consent(facility.pk) == 1
    withdrawn = AuditEntry.objects.get(action="directory.listing_consent.updated")
    assert withdrawn.data["withdrawn_at"]["before"] is None
    assert verified_destination_for(facility.pk) is None


def test_the_admin_verifies_phones_by_its_action_only_and_a_changed_number_needs_a_new_check(
    client, login_verified, operator, facility
):
    login_verified(operator)
    phone = facility.phones.get(kind="main")
    url = reverse("admin:directory_phone_change", args=[phone.pk])
    form = {"facility": facility.pk, "kind": "main", "number": "+13035550177", "extension": "", "position": 0}
    # The verification fields are read-only: posting them does not verify anything.
    response = client.post(
        url, form | {"verified_at_0": "2026-01-01", "verified_at_1": "10:00", "verified_by": "x"}
    )
    assert response.status_code == 302
    phone.refresh_from_db()
    assert (phone.number, phone.is_verified) == ("+13035550177", False)

    changelist = reverse("admin:directory_phone_changelist")
    client.post(changelist, {"action": "mark_verified", "_selected_action": [phone.pk]})
    phone.refresh_from_db()
    assert (phone.is_verified, phone.verified_by) == (True, "dana")
    entry = AuditEntry.objects.filter(action="directory.phone.updated").latest("id")
    assert (entry.actor, entry.data["verified_by"]["after"]) == ("dana", "dana")


def test_an_operators_edit_of_the_facility_is_kept_by_later_imports_and_logged(
    client, login_verified, operator, facility
):
    login_verified(operator)
    url = reverse("admin:directory_facility_change", args=[facility.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data |= {"street2": "Suite 400", "corrected_fields": "[]"}
    for prefix in ("phones", "listing_consents"):  # inline rows left as they are
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(url, data)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.street2, facility.corrected_fields) == ("Suite 400", ["street2"])
    entry = AuditEntry.objects.filter(action="directory.facility.updated").latest("id")
    assert entry.actor == "dana" and entry.data["street2"]["after"] == "Suite 400"
