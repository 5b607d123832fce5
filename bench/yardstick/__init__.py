"""The voice webhook's yardstick, measured in the same run as ours (``bench/webhooks.py --baseline``).

A Django project with the shape of Twilio's call-tracking sample: the inbound webhook looks up the number's
lead source, stores a lead, and answers a ``<Dial>`` (no signature check, no routing). Written here, not copied.
"""
