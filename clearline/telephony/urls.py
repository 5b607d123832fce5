from django.urls import path

from clearline.telephony import simulator_views, views

app_name = "telephony"
urlpatterns = [
    path("twilio/voice", views.voice, name="voice"),
    path("twilio/place", views.place, name="place"),
    path("twilio/status", views.status, name="status"),
    path("twilio/menu", views.menu, name="menu"),
    path("twilio/dial", views.dial, name="dial"),
    path("twilio/wave-keys", views.wave_keys, name="wave_keys"),
    path("twilio/wave-hold", views.wave_hold, name="wave_hold"),
    path("twilio/wave-hold-keys", views.wave_hold_keys, name="wave_hold_keys"),
    path("twilio/wave-left", views.wave_left, name="wave_left"),
    path("twilio/wave-leg-status", views.wave_leg_status, name="wave_leg_status"),
    path("twilio/whisper", views.whisper, name="whisper"),
    path("twilio/whisper/accept", views.whisper_accept, name="whisper_accept"),
    path("twilio/callback", views.callback, name="callback"),
    path("twilio/number", views.number, name="number"),
    path("twilio/options", views.options, name="options"),
    path("twilio/fallback-crisis.xml", views.fallback_crisis, name="fallback_crisis"),
    path("twilio/fallback-free-helpline.xml", views.fallback_free_helpline, name="fallback_free_helpline"),
    path("simulator/", simulator_views.simulator, name="simulator"),
]
