"""``Call.adapter``: which adapter carried the call (Twilio or the SIP controller). Existing rows are filled from
their CallSid: Twilio's start with ``CA``, the SIP controller's with ``SIP``; simulated and demo calls stay blank."""

from django.db import migrations, models


def fill_from_call_sid(apps, schema_editor):
    Call = apps.get_model("telephony", "Call")
    Call.objects.filter(call_sid__startswith="CA").update(adapter="twilio")
    Call.objects.filter(call_sid__startswith="SIP").update(adapter="sip")


class Migration(migrations.Migration):
    dependencies = [
        ("telephony", "0012_started_at_settable"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="adapter",
            field=models.CharField(
                blank=True, choices=[("twilio", "Twilio"), ("sip", "SIP")], default="", max_length=8
            ),
        ),
        migrations.RunPython(fill_from_call_sid, migrations.RunPython.noop),
    ]
