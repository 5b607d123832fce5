"""Routing settings are versioned and append-only: a change is a new row, old rows are never edited or deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry
from clearline.providers.routing_settings import RoutingSettings, current_routing_settings

pytestmark = pytest.mark.django_db


def new_version(**changes) -> RoutingSettings:
    version = RoutingSettings(note=changes.pop("note", "test"), **changes)
    version.save()
    return version


def test_before_any_version_the_defaults_with_the_configured_wave_size_apply(settings):
    settings.CLEARLINE_ROUTING_WAVE_SIZE = 3
    current = current_routing_settings()
    assert current.pk is None
    assert current.wave_size == 3
    assert current.to_policy().version == "settings-default"


def test_the_newest_version_is_in_force_and_names_itself_in_the_policy():
    first = new_version(wave_size=1)
    second = new_version(wave_size=3, ring_timeout_s=15)
    assert current_routing_settings() == second
    policy = current_routing_settings().to_policy(disclosure_version=7)
    assert (policy.version, policy.wave_size, policy.ring_timeout_s, policy.disclosure_version) == (
        f"settings-v{second.pk}",
        3,
        15,
        "7",
    )
    assert second.previous_version() == first
    assert second.changes_from(first) == {"wave_size": (1, 3), "ring_timeout_s": (13, 15)}


def test_an_old_version_cannot_be_edited_or_deleted():
    version = new_version(wave_size=2)
    version.wave_size = 4
    with pytest.raises(ValidationError, match="never edited"):
        version.save()
    with pytest.raises(ValidationError, match="never deleted"):
        version.delete()
    with pytest.raises(ValidationError, match="never edited"):
        RoutingSettings.objects.filter(pk=version.pk).update(wave_size=4)
    with pytest.raises(ValidationError, match="never deleted"):
        RoutingSettings.objects.all().delete()
    assert RoutingSettings.objects.get(pk=version.pk).wave_size == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"wave_size": 0}, "wave_size", "Ring between 1 and 5 providers at once."),
        ({"wave_size": 6}, "wave_size", "Ring between 1 and 5 providers at once."),
        ({"later_wave_size": 9}, "later_wave_size", "Ring between 1 and 5 providers at once."),
        ({"ring_timeout_s": 4}, "ring_timeout_s", "Ring each wave for 5 to 20 seconds"),
        ({"ring_timeout_s": 25}, "ring_timeout_s", "Ring each wave for 5 to 20 seconds"),
        ({"ring_timeout_s": 15, "ring_budget_s": 10}, "ring_budget_s", "at least one wave's ring time"),
        ({"callback_deadline_min": 0}, "callback_deadline_min", "at least 1 minute"),
        ({"auto_pause_after": 0}, "auto_pause_after", "at least 1 unanswered offer"),
        ({"callback_max_per_line": 0}, "callback_max_per_line", "Must be more than 0."),
    ],
)
def test_invalid_values_are_explained_on_their_field(changes, field, message):
    with pytest.raises(ValidationError) as error:
        new_version(**changes)
    assert field in error.value.message_dict
    assert any(message in text for text in error.value.message_dict[field])
    assert not RoutingSettings.objects.exists()


def test_a_version_needs_a_reason():
    with pytest.raises(ValidationError) as error:
        RoutingSettings(wave_size=2, note="").save()
    assert "note" in error.value.message_dict


def test_each_version_is_in_the_audit_log():
    new_version(wave_size=1, note="one at a time while we test")
    entry = AuditEntry.objects.get(action="providers.routing_settings.created")
    assert entry.data["after"]["wave_size"] == 1
    assert entry.data["after"]["note"] == "one at a time while we test"
    assert verify_chain().first_broken_id is None
