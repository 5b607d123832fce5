"""Editors manage helpline numbers and authors/reviewers as snippets in the Wagtail admin."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clearline.content.models import DisclosureVersion, Helpline, Person
from clearline.lib.models import AuditEntry


class HelplineViewSet(SnippetViewSet):
    model = Helpline
    icon = "phone"
    menu_label = "Helpline numbers"
    list_display = ["label", "number", "intent", "kind"]
    list_filter = ["kind", "intent"]
    add_to_admin_menu = True
    menu_order = 200


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "Authors and reviewers"
    list_display = ["name", "credentials", "role"]


class DisclosureVersionViewSet(SnippetViewSet):
    """Read-only: versions are generated from the roster, never typed."""

    model = DisclosureVersion
    icon = "doc-full"
    menu_label = "Disclosure versions"
    list_display = ["number", "template_version", "created_at"]
    inspect_view_enabled = True


class AuditEntryViewSet(SnippetViewSet):
    """Read-only: the audit log is append-only and hash-chained (clearline audit_verify)."""

    model = AuditEntry
    inspect_view_enabled = True
    icon = "history"
    menu_label = "Audit log"
    list_display = ["id", "created_at", "action", "actor", "target_type", "target_id"]
    # "Everything that happened to provider 7", "what did dana do last week", "every providers.contract.* entry".
    list_filter = {
        "action": ["exact", "startswith"],
        "actor": ["exact"],
        "target_type": ["exact"],
        "target_id": ["exact"],
        "created_at": ["date__gte", "date__lte"],
    }
    search_fields = ["action", "actor", "target_type", "target_id"]
    search_backend_name = None  # plain database filtering: the log is not in the search index


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff may list and inspect; nobody (superusers included) may add, edit or delete through the admin."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and user.is_active and user.is_staff


class AuditLogPolicy(ReadOnlyPolicy):
    """The audit log holds contract terms, invitation addresses, license numbers and who did what: read only by
    staff with its view permission ("Can view audit entry"; superusers have it), not by every editor."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) and user.has_perm(self._get_permission_name("view"))


register_permission_policy(DisclosureVersion, ReadOnlyPolicy(DisclosureVersion))
register_permission_policy(AuditEntry, AuditLogPolicy(AuditEntry))
register_snippet(HelplineViewSet)
register_snippet(PersonViewSet)
register_snippet(DisclosureVersionViewSet)
register_snippet(AuditEntryViewSet)
