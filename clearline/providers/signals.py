"""Every change to providers, their contracts, hours and documents goes to the audit log (DESIGN.md rule 9)."""

from clearline.lib.audit import track_changes
from clearline.providers.models import (
    ClosureDay,
    Contract,
    Invitation,
    Membership,
    OpeningHours,
    Provider,
    RoutingSettings,
)

track_changes(Provider, "providers.provider")
track_changes(Contract, "providers.contract")
track_changes(OpeningHours, "providers.hours")
track_changes(ClosureDay, "providers.closure")
track_changes(Membership, "providers.membership")
track_changes(Invitation, "providers.invitation")
track_changes(RoutingSettings, "providers.routing_settings")
