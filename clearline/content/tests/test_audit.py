"""The audit log: every provider, contract, number and disclosure change is chained; tampering is found."""

import pytest
from django.core.management import CommandError, call_command

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import Helpline
from clearline.content.tests.conftest import add_provider
from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry
from clearline.providers.models import Contract

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.values_list("action", flat=True))


def test_changes_to_providers_contracts_numbers_and_disclosures_are_logged():
    alder = add_provider("Alder Recovery")
    alder.name = "Alder Recovery Center"
    alder.save()
    Contract.objects.filter(provider=alder).first().delete()
    Helpline.objects.create(label="Heroin Detox", intent="detox", number="+12065550101")
    ensure_current_disclosure()
    logged = actions()
    for action in (
        "providers.provider.created",
        "providers.contract.created",
        "providers.provider.updated",
        "providers.contract.deleted",
        "content.helpline.created",
        "content.disclosure.created",
    ):
        assert action in logged, action
    renamed = AuditEntry.objects.get(action="providers.provider.updated")
    assert renamed.data["name"] == {"before": "Alder Recovery", "after": "Alder Recovery Center"}
    assert renamed.actor == "system"


def test_a_fresh_log_verifies_and_an_edited_row_is_pinpointed():
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    assert verify_chain().first_broken_id is None
    call_command("audit_verify")
    victim = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=victim.pk).update(data={"forged": True})  # a database console, say
    report = verify_chain()
    assert report.first_broken_id == victim.pk and "edited" in report.reason
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit_verify")


def test_a_removed_row_breaks_the_link():
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    entries = list(AuditEntry.objects.order_by("id"))
    AuditEntry.objects.filter(pk=entries[1].pk)._raw_delete(AuditEntry.objects.db)
    assert verify_chain().first_broken_id == entries[2].pk


def test_entries_cannot_be_changed_or_deleted_through_the_app():
    add_provider("Alder Recovery")
    entry = AuditEntry.objects.first()
    entry.actor = "someone else"
    with pytest.raises(RuntimeError, match="append-only"):
        entry.save()
    with pytest.raises(RuntimeError, match="append-only"):
        entry.delete()


def test_the_actor_is_the_signed_in_user(client, django_user_model, home, login_verified):
    from clearline.providers.models import Provider

    operator = django_user_model.objects.create_superuser("operator", "op@example.org", "pw")
    login_verified(operator)
    alder = add_provider("Alder Recovery")
    response = client.post(
        f"/admin/snippets/providers/provider/edit/{alder.pk}/",
        {
            "name": "Alder Recovery",
            "slug": alder.slug,
            "public_description": "x",
            "active": "",
            "phone": "",
            "timezone": "America/New_York",
            "lines": "1",
            "callback_minutes": "15",
            "states": "[]",
            "zip_prefixes": "[]",
            "languages": "[]",
            "intents": "[]",
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "closures-TOTAL_FORMS": "0",
            "closures-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Provider.objects.get(pk=alder.pk).active
    entry = AuditEntry.objects.filter(action="providers.provider.updated").last()
    assert entry.actor == "operator" and entry.data["active"] == {"before": True, "after": False}


def test_operators_can_read_the_audit_log_in_the_admin(client, django_user_model, home, login_verified):
    add_provider("Alder Recovery")
    login_verified(django_user_model.objects.create_superuser("operator", "op@example.org", "pw"))
    response = client.get("/admin/snippets/clearline_lib/auditentry/")
    assert response.status_code == 200 and b"providers.provider.created" in response.content
    assert client.get("/admin/snippets/clearline_lib/auditentry/add/").status_code in (302, 403)


def test_staff_without_the_audit_permission_cannot_read_the_log(
    client, django_user_model, home, login_verified
):
    from django.contrib.auth.models import Group, Permission

    add_provider("Alder Recovery")
    editors = Group.objects.create(name="Admin access only")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = django_user_model.objects.create_user("edith", "ed@example.org", "pw", is_staff=True)
    editor.groups.add(editors)
    login_verified(editor)
    entry = AuditEntry.objects.last()
    for url in (
        "/admin/snippets/clearline_lib/auditentry/",
        f"/admin/snippets/clearline_lib/auditentry/inspect/{entry.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403) and b"providers.provider" not in response.content, url

    editors.permissions.add(Permission.objects.get(codename="view_auditentry"))
    editor = django_user_model.objects.get(pk=editor.pk)  # permissions are cached per user object
    response = client.get("/admin/snippets/clearline_lib/auditentry/")
    assert response.status_code == 200 and b"providers.provider.created" in response.content


def test_nobody_can_type_a_disclosure_version_in_the_admin(client, django_user_model, home, login_verified):
    login_verified(django_user_model.objects.create_superuser("operator", "op@example.org", "pw"))
    assert client.get("/admin/snippets/content/disclosureversion/").status_code == 200
    assert client.get("/admin/snippets/content/disclosureversion/add/").status_code in (302, 403)


def test_operators_filter_the_audit_log_by_target_action_actor_and_day(
    client, django_user_model, home, login_verified
):
    alder = add_provider("Alder Recovery")
    birch = add_provider("Birch Health")
    login_verified(django_user_model.objects.create_superuser("operator", "op@example.org", "pw"))
    url = "/admin/snippets/clearline_lib/auditentry/"

    def ids(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["object_list"]}

    about_alder = set(
        AuditEntry.objects.filter(target_type="Provider", target_id=str(alder.pk)).values_list(
            "pk", flat=True
        )
    )
    assert AuditEntry.objects.count() < 20  # one page of the listing
    assert about_alder and ids(target_type="Provider", target_id=str(alder.pk)) == about_alder
    providers = set(AuditEntry.objects.filter(action__startswith="providers.").values_list("pk", flat=True))
    assert ids(action__startswith="providers.") == providers
    assert ids(actor="nobody-at-all") == set()
    from django.utils import timezone

    today = timezone.localdate(AuditEntry.objects.latest("id").created_at).isoformat()  # the admin's zone
    assert ids(created_at__date__gte=today, created_at__date__lte=today) == set(
        AuditEntry.objects.values_list("pk", flat=True)
    )
    assert str(birch.pk) in {e.target_id for e in AuditEntry.objects.filter(pk__in=ids(q="Provider"))}
