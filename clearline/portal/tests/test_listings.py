"""Listing edits: members propose, nothing public changes until staff approve; scoped to the member's organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from clearline.directory.demo import load_demo_facilities
from clearline.directory.edits import listing_values
from clearline.directory.models import Facility
from clearline.directory.services import record_listing_consent, verified_destination_for, verify_phone
from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry
from clearline.lib.pagecache import current_generation
from clearline.portal.models import ListingEdit, ProviderListing
from clearline.portal.tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilities(alder, birch) -> dict[str, Facility]:
    load_demo_facilities()
    cedar = Facility.objects.get(source_id="demo-1")  # Cedar Hollow Recovery Center, Denver
    bluebird = Facility.objects.get(source_id="demo-2")  # Bluebird Outpatient Services, Denver
    unlinked = Facility.objects.get(source_id="demo-3")
    ProviderListing.objects.create(provider=alder.provider, facility=cedar)
    ProviderListing.objects.create(provider=birch.provider, facility=bluebird)
    return {"alder": cedar, "birch": bluebird, "unlinked": unlinked}


@pytest.fixture
def reviewer(db) -> Any:
    return make_user("reviewer", is_staff=True, is_superuser=True)


def form_data(facility: Facility, **changes: Any) -> dict[str, Any]:
    """The edit form as the browser sends it: every field at its current value, with ``changes`` applied."""
    data: dict[str, Any] = {
        key: value for key, value in listing_values(facility).items() if key != "services"
    }
    data["services"] = listing_values(facility)["services"]
    data.update(changes)
    return data


def propose(client: Client, facility: Facility, **changes: Any):
    return client.post(reverse("portal:listing_propose", args=[facility.pk]), form_data(facility, **changes))


def review(client: Client, edit: ListingEdit, **data: Any):
    return client.post(reverse("portal_listing_edit_review", args=[edit.pk]), data)


def public_page(facility: Facility) -> str:
    return Client().get(reverse("directory:facility", args=[facility.pk])).content.decode()


@pytest.mark.parametrize("role", ["admin", "agent"])
def test_a_proposal_is_public_only_after_staff_approve_it(
    client, login_verified, alder, facilities, reviewer, role
):
    cedar = facilities["alder"]
    login_verified(getattr(alder, role))
    response = propose(client, cedar, name="Cedar Hollow Recovery", note="See cedar.example.org")
    edit = ListingEdit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:listing_edit", args=[edit.pk]
    )
    assert (edit.status, edit.changes, edit.before) == (
        "pending",
        {"name": "Cedar Hollow Recovery"},
        {"name": "Cedar Hollow Recovery Center"},
    )
    assert edit.submitted_by == getattr(alder, role) and edit.provider == alder.provider
    assert "Cedar Hollow Recovery Center" in public_page(cedar)  # nothing public yet
    assert "Cedar Hollow Recovery<" not in public_page(cedar)

    generation = current_generation()
    client.logout()
    login_verified(reviewer)
    queue = client.get(reverse("portal_listing_edits")).content.decode()
    assert "Cedar Hollow Recovery Center" in queue and "Alder Recovery" in queue
    page = client.get(reverse("portal_listing_edit_review", args=[edit.pk])).content.decode()
    assert "Cedar Hollow Recovery Center" in page and "See cedar.example.org" in page
    assert review(client, edit, action="approve", note="Checked their site").status_code == 302

    edit.refresh_from_db()
    assert (edit.status, edit.reviewed_by, edit.review_note) == ("approved", reviewer, "Checked their site")
    assert current_generation() > generation
    assert "<h1>Cedar Hollow Recovery</h1>" in public_page(cedar)
    actions = list(
        AuditEntry.objects.filter(action__startswith="portal.listing_edit.").values_list("action", "actor")
    )
    assert actions == [
        ("portal.listing_edit.submitted", f"alder-{role}"),
        ("portal.listing_edit.approved", "reviewer"),
    ]
    approved = AuditEntry.objects.get(action="portal.listing_edit.approved")
    assert approved.data["changes"] == {
        "name": {"before": "Cedar Hollow Recovery Center", "after": "Cedar Hollow Recovery"}
    }
    assert verify_chain().first_broken_id is None


def test_the_member_sees_their_listings_and_pending_edits_only(
    client, login_verified, alder, birch, facilities
):
    login_verified(birch.agent)
    propose(client, facilities["birch"], city="Aurora", postal_code="80010")
    client.logout()
    login_verified(alder.agent)
    html = client.get(reverse("portal:listings")).content.decode()
    assert "Cedar Hollow Recovery Center" in html and "Bluebird" not in html
    assert reverse("portal:listing_propose", args=[facilities["alder"].pk]) in html
    assert "waiting for review" not in html
    client.logout()
    login_verified(birch.admin)
    html = client.get(reverse("portal:listings")).content.decode()
    assert "Bluebird Outpatient Services" in html and "A change is waiting for review" in html
    assert "Cedar Hollow" not in html


def test_rejection_needs_a_note_which_the_member_then_reads(
    client, login_verified, alder, facilities, reviewer
):
    cedar = facilities["alder"]
    login_verified(alder.agent)
    propose(client, cedar, website="https://cedar.example.org")
    edit = ListingEdit.objects.get()
    client.logout()
    login_verified(reviewer)
    response = review(client, edit, action="reject", note="")
    assert response.status_code == 400 and "Say why the edit is rejected" in response.content.decode()
    assert review(client, edit, action="reject", note="That site is not yours.").status_code == 302
    edit.refresh_from_db()
    assert edit.status == "rejected" and Facility.objects.get(pk=cedar.pk).organization.website == ""
    entry = AuditEntry.objects.get(action="portal.listing_edit.rejected")
    assert (entry.actor, entry.data["note"]) == ("reviewer", "That site is not yours.")
    # A decided edit cannot be decided again.
    assert review(client, edit, action="approve").status_code == 400
    client.logout()
    login_verified(alder.agent)
    html = client.get(reverse("portal:listing_edit", args=[edit.pk])).content.decode()
    assert "Rejected" in html and "That site is not yours." in html


def test_withdrawal(client, login_verified, alder, facilities, reviewer):
    cedar = facilities["alder"]
    login_verified(alder.agent)
    propose(client, cedar, hours="Mon-Fri 8-6")
    edit = ListingEdit.objects.get()
    # One proposal at a time: the form says so until this one is withdrawn.
    html = client.get(reverse("portal:listing_propose", args=[cedar.pk])).content.decode()
    assert "already waiting for review" in html and '<form class="staff-form"' not in html
    response = client.post(reverse("portal:listing_withdraw", args=[edit.pk]))
    assert response.status_code == 302
    edit.refresh_from_db()
    assert (edit.status, edit.withdrawn_by) == ("withdrawn", alder.agent)
    assert AuditEntry.objects.filter(action="portal.listing_edit.withdrawn", actor="alder-agent").count() == 1
    again = client.post(reverse("portal:listing_withdraw", args=[edit.pk]), follow=True)
    assert "Only a change waiting for review can be withdrawn." in again.content.decode()
    assert client.get(reverse("portal:listing_withdraw", args=[edit.pk])).status_code == 405
    client.logout()
    login_verified(reviewer)
    assert review(client, edit, action="approve").status_code == 400
    assert listing_values(Facility.objects.get(pk=cedar.pk))["hours"] == ""


def test_a_stale_edit_is_flagged_and_needs_confirmation(client, login_verified, alder, facilities, reviewer):
    cedar = facilities["alder"]
    login_verified(alder.agent)
    propose(client, cedar, name="Cedar Hollow Recovery")
    edit = ListingEdit.objects.get()
    Facility.objects.filter(pk=cedar.pk).update(name="Cedar Hollow (corrected by an operator)")
    assert (
        "The listing has changed since this was proposed"
        in client.get(reverse("portal:listing_edit", args=[edit.pk])).content.decode()
    )
    client.logout()
    login_verified(reviewer)
    assert "Stale: the listing changed since" in client.get(reverse("portal_listing_edits")).content.decode()
    page = client.get(reverse("portal_listing_edit_review", args=[edit.pk])).content.decode()
    assert "Stale edit." in page and "Cedar Hollow (corrected by an operator)" in page
    response = review(client, edit, action="approve")
    assert (
        response.status_code == 400
        and "has changed since this edit was proposed" in response.content.decode()
    )
    assert ListingEdit.objects.get().status == "pending"
    assert review(client, edit, action="approve", confirm_stale="on").status_code == 302
    assert Facility.objects.get(pk=cedar.pk).name == "Cedar Hollow Recovery"
    assert AuditEntry.objects.get(action="portal.listing_edit.approved").data["stale_fields"] == ["name"]


def test_another_organisations_facility_or_edit_is_404_and_nothing_is_written(
    client, login_verified, alder, birch, facilities
):
    login_verified(alder.agent)
    propose(client, facilities["alder"], name="Cedar Hollow Recovery")
    alder_edit = ListingEdit.objects.get()
    client.logout()
    login_verified(birch.admin)
    audit_before = AuditEntry.objects.count()
    for facility in (facilities["alder"], facilities["unlinked"]):
        assert client.get(reverse("portal:listing_propose", args=[facility.pk])).status_code == 404
        assert propose(client, facility, name="Hijacked").status_code == 404
    assert client.get(reverse("portal:listing_propose", args=[999999])).status_code == 404
    assert client.get(reverse("portal:listing_edit", args=[alder_edit.pk])).status_code == 404
    assert client.post(reverse("portal:listing_withdraw", args=[alder_edit.pk])).status_code == 404
    assert ListingEdit.objects.count() == 1 and ListingEdit.objects.get().status == "pending"
    assert AuditEntry.objects.count() == audit_before
    assert Facility.objects.get(pk=facilities["alder"].pk).name == "Cedar Hollow Recovery Center"


def test_people_who_are_not_members_get_404_and_anonymous_visitors_sign_in(
    client, login_verified, facilities, operator, outsider
):
    url = reverse("portal:listing_propose", args=[facilities["alder"].pk])
    assert client.get(url).status_code == 302 and "/accounts/" in client.get(url)["Location"]
    for person in (operator, outsider):
        login_verified(person)
        assert client.get(reverse("portal:listings")).status_code == 404
        assert client.post(url, form_data(facilities["alder"], name="X")).status_code == 404
        client.logout()
    assert not ListingEdit.objects.exists()


def test_a_changed_phone_is_normalised_and_stays_unverified_after_approval(
    client, login_verified, alder, facilities, reviewer
):
    cedar = facilities["alder"]
    record_listing_consent(cedar.pk, "Robin Ames", "Director", "Dana at Clearline")
    verify_phone(cedar.phones.get(kind="main").pk, "Dana at Clearline")
    assert verified_destination_for(cedar.pk) == "+13035550101"
    login_verified(alder.admin)
    form = client.get(reverse("portal:listing_propose", args=[cedar.pk])).content.decode()
    assert 'value="(303) 555-0101"' in form  # as people write it; the unchanged number is no change
    assert propose(client, cedar, phone="(303) 555-0101").status_code == 400
    bad = propose(client, cedar, phone="555-12")
    assert bad.status_code == 400 and "wrong number of digits" in bad.content.decode()
    assert "A listing needs a main phone number." in propose(client, cedar, phone="").content.decode()
    assert not ListingEdit.objects.exists()
    assert propose(client, cedar, phone="(303) 555-0199").status_code == 302
    edit = ListingEdit.objects.get()
    assert edit.changes == {"phone": "+13035550199"}
    assert verified_destination_for(cedar.pk) == "+13035550101"  # still the checked number until approval
    client.logout()
    login_verified(reviewer)
    assert (
        "Approving leaves this number unverified"
        in client.get(reverse("portal_listing_edit_review", args=[edit.pk])).content.decode()
    )
    review(client, edit, action="approve")
    phone = cedar.phones.get(kind="main")
    assert (phone.number, phone.is_verified) == ("+13035550199", False)
    assert verified_destination_for(cedar.pk) is None
    assert AuditEntry.objects.get(action="portal.listing_edit.approved").data["unverified_phones"] == [
        "+13035550199"
    ]


def test_bad_input_is_explained_and_nothing_is_saved(client, login_verified, alder, facilities):
    cedar = facilities["alder"]
    login_verified(alder.agent)
    cases = [
        ({"postal_code": "35007"}, "ZIP code 35007 is in Alabama, not Colorado."),
        ({"postal_code": "8020"}, "A ZIP code is five digits"),
        ({"postal_code": "00000"}, "We cannot find ZIP code 00000 on a map."),
        ({"website": "not a site"}, "Enter a valid URL."),
        ({"phone_extension": "abc"}, "An extension is digits only"),
        ({"intake_phone_extension": "12"}, "An extension needs a phone number."),
        (
            {"phone": "303-555-0101 x12", "phone_extension": "13"},
            "The number says extension 12; this field says",
        ),
        ({"name": ""}, "This field is required."),
        ({"services": ["DT"]}, "Select a valid choice."),
        ({}, "Nothing was changed, so there is nothing to review."),
    ]
    for changes, message in cases:
        response = propose(client, cedar, **changes)
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    assert not ListingEdit.objects.exists()


def test_an_extension_typed_with_the_number_goes_to_its_own_field(client, login_verified, alder, facilities):
    login_verified(alder.agent)
    assert propose(client, facilities["alder"], phone="(303) 555-0188 ext. 12").status_code == 302
    assert ListingEdit.objects.get().changes == {"phone": "+13035550188", "phone_extension": "12"}


def test_text_areas_are_stored_with_plain_line_ends(client, login_verified, alder, facilities):
    login_verified(alder.agent)
    assert propose(client, facilities["alder"], hours="Mon-Fri 8-6\r\nSat 9-1 ").status_code == 302
    assert ListingEdit.objects.get().changes == {"hours": "Mon-Fri 8-6\nSat 9-1"}


def test_services_are_proposed_as_codes_and_shown_as_names(
    client, login_verified, alder, facilities, reviewer
):
    cedar = facilities["alder"]
    login_verified(alder.agent)
    services = sorted({*listing_values(cedar)["services"], "SNR"} - {"MD"})
    assert propose(client, cedar, services=services).status_code == 302
    edit = ListingEdit.objects.get()
    html = client.get(reverse("portal:listing_edit", args=[edit.pk])).content.decode()
    assert "Add: Seniors" in html and "Remove: Medicaid" in html
    client.logout()
    login_verified(reviewer)
    review(client, edit, action="approve")
    cedar.refresh_from_db()
    assert cedar.has_code("SNR") and not cedar.has_code("MD") and cedar.has_code("DT")


def test_only_reviewers_reach_the_review_queue(client, login_verified, facilities):
    editor = make_user("editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_verified(editor)
    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    refused = client.get(reverse("portal_listing_edits"))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    group = Group.objects.create(name="Listing reviewers")
    group.permissions.add(Permission.objects.get(codename="review_listingedit"))
    editor.groups.add(group)
    assert client.get(reverse("portal_listing_edits")).status_code == 200


def test_approval_is_refused_once_the_provider_no_longer_manages_the_facility(
    client, login_verified, alder, facilities, reviewer
):
    login_verified(alder.agent)
    propose(client, facilities["alder"], name="Cedar Hollow Recovery")
    edit = ListingEdit.objects.get()
    ProviderListing.objects.filter(facility=facilities["alder"]).delete()
    client.logout()
    login_verified(reviewer)
    response = review(client, edit, action="approve")
    assert response.status_code == 400 and "no longer manages the facility" in response.content.decode()
    assert review(client, edit, action="reject", note="No longer yours").status_code == 302


def test_operators_link_a_facility_to_a_provider_in_the_admin_and_it_is_audited(
    client, login_verified, alder, reviewer
):
    load_demo_facilities()
    facility = Facility.objects.get(source_id="demo-4")
    login_verified(reviewer)
    chooser = client.get(reverse("facility_chooser:choose_results"), {"q": facility.postal_code})
    assert chooser.status_code == 200 and facility.name in chooser.content.decode()
    add_url = reverse("wagtailsnippets_portal_providerlisting:add")
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url, {"provider": alder.provider.pk, "facility": facility.pk, "note": "License"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = ProviderListing.objects.get()
    assert (link.provider, link.facility) == (alder.provider, facility)
    entry = AuditEntry.objects.get(action="portal.provider_listing.created")
    assert entry.actor == "reviewer" and entry.data["after"]["facility_id"] == facility.pk
    index = client.get(reverse("wagtailsnippets_portal_providerlisting:list"), {"q": facility.name[:6]})
    assert index.status_code == 200 and facility.name in index.content.decode()
    client.logout()
    login_verified(alder.agent)
    assert facility.name in client.get(reverse("portal:listings")).content.decode()


def test_the_listing_pages_render_in_spanish(client, login_verified, alder, facilities):
    login_verified(alder.agent)
    cedar = facilities["alder"]
    urls = [reverse("portal:listings"), reverse("portal:listing_propose", args=[cedar.pk])]
    data = form_data(cedar, phone="555-12")  # reversed first: a request under /es/ leaves Spanish active
    for url, title in zip(
        urls, ("Sus fichas", "Corregir la ficha de Cedar Hollow Recovery Center"), strict=True
    ):
        response = client.get("/es" + url)
        assert response.status_code == 200 and 'lang="es"' in response.content.decode()
        assert title in response.content.decode()
    bad = client.post("/es" + urls[1], data)
    assert "Este número de teléfono no tiene el número correcto de dígitos." in bad.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_listing_pages_pass_axe(page, live_server, alder, facilities, settings):
    from clearline.portal.tests.test_browser import assert_accessible, sign_in

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, live_server.url, alder.agent)
    page.get_by_role("navigation", name="Provider portal").get_by_role("link", name="Listings").click()
    assert_accessible(page, "listings")
    page.get_by_role("link", name="Propose a correction").click()
    assert_accessible(page, "proposal form")
    page.get_by_label("ZIP code").fill("35007")
    page.get_by_role("group", name="Payment accepted").get_by_label("Medicare").uncheck()
    page.get_by_role("button", name="Send for review").click()
    assert page.get_by_text("ZIP code 35007 is in Alabama, not Colorado.").is_visible()
    assert_accessible(page, "proposal form with an error")
    page.get_by_label("ZIP code").fill("80202")
    page.get_by_label("Main phone", exact=True).fill("303 555 0177")
    page.get_by_role("button", name="Send for review").click()
    assert page.get_by_text("Clearline staff will review your change").is_visible()
    assert_accessible(page, "proposed change")
    assert ListingEdit.objects.get().changes == {
        "phone": "+13035550177",
        "services": sorted(set(listing_values(facilities["alder"])["services"]) - {"MC"}),
    }
    page.get_by_role("button", name="Withdraw this change").click()
    assert page.get_by_text("The change was withdrawn.").is_visible()
    assert_accessible(page, "withdrawn change")
