from django.urls import path

from clearline.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify_view, name="verify"),
    path("login/set-up/", views.enrol_view, name="enrol"),
    path("recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.landing_view, name="landing"),
    path("invitation/<str:token>/", views.accept_invitation_view, name="accept_invitation"),
]
