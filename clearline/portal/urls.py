from django.urls import URLPattern, URLResolver, include, path

from clearline.portal import availability_views, figures_views, team_views, views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("calls/", views.calls, name="calls"),
    path("disclosures/<int:number>/", views.disclosure, name="disclosure"),
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/<int:callback_id>/claim/", views.callback_claim, name="callback_claim"),
    path("callbacks/<int:callback_id>/reveal/", views.callback_reveal, name="callback_reveal"),
    path("callbacks/<int:callback_id>/outcome/", views.callback_outcome, name="callback_outcome"),
    path("availability/", availability_views.availability_page, name="availability"),
    path("availability/pause/", availability_views.pause, name="pause"),
    path("availability/resume/", availability_views.resume, name="resume"),
    path("availability/hours/", availability_views.set_hours, name="set_hours"),
    path("availability/closures/", availability_views.add_closure, name="add_closure"),
    path(
        "availability/closures/<int:closure_id>/remove/",
        availability_views.remove_closure,
        name="remove_closure",
    ),
    path("availability/lines/", availability_views.set_lines, name="set_lines"),
    path("availability/beds/", availability_views.set_beds, name="set_beds"),
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.invite, name="invite"),
    path("team/invitations/<int:invitation_id>/revoke/", team_views.revoke, name="revoke_invitation"),
    path("team/members/<int:membership_id>/remove/", team_views.remove, name="remove_member"),
    path("figures/", views.figures, name="figures"),
    path("figures/calls/", figures_views.call_figures, name="call_figures"),
    # Listing edits (staff-reviewed) live in their own module; their names are in this namespace too.
    path("listings/", include("clearline.portal.listing_urls")),
]
