"""``Call.started_at`` and ``CallbackRequest.created_at``: set by the service that makes the row (to the moment it
was given), no longer always the clock at insert. The columns do not change (neither kind of default is a database
default), so only Django's state changes: no table is rebuilt on SQLite."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("telephony", "0011_attempt_leg_sid"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="call",
                    name="started_at",
                    field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                migrations.AlterField(
                    model_name="callbackrequest",
                    name="created_at",
                    field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
            ],
            database_operations=[],
        ),
    ]
