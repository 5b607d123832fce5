"""Editors manage helpline numbers and authors/reviewers as snippets in the Wagtail admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clearline.content.models import DisclosureVersion, Helpline, Person


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

    def get_permissions_policy(self):
        from wagtail.permissions import ModelPermissionPolicy

        class ReadOnly(ModelPermissionPolicy):
            def user_has_permission(self, user, action):
                return action in {"view", "inspect"} and user.is_staff

        return ReadOnly(self.model)


register_snippet(HelplineViewSet)
register_snippet(PersonViewSet)
register_snippet(DisclosureVersionViewSet)
