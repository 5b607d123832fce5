"""Fictional participating treatment providers (paid advertisers) for the demo site.

All three pay the same flat periodic fee. Nothing here prices a call, lead or admission.
"""

from clearline.demo.content._text import t

FLAT_FEE: dict = {"amount": "1500.00", "currency": "USD", "period": "monthly"}

_WEEKDAYS_8_TO_8 = [["08:00", "20:00"]]

PROVIDERS: list[dict] = [
    {
        "key": "cedar-harbor",
        "name": "Cedar Harbor Recovery (demo)",
        "public_description": t(
            """A fictional provider for this demonstration site. Cedar Harbor offers medically supervised
            withdrawal and residential treatment in the Seattle, Washington area, with medications for opioid
            use disorder available on site."""
        ),
        "timezone": "America/Los_Angeles",
        "states": [],  # residential care in Seattle for callers from any state: the other two are regional
        "languages": ["en"],
        "intents": ["detox", "rehabilitation", "hotline"],
        "phone": "+12065550142",
        "hours": "24/7",
    },
    {
        "key": "mesa-verde-health",
        "name": "Mesa Verde Health Services (demo)",
        "public_description": t(
            """A fictional provider for this demonstration site. Mesa Verde offers outpatient and intensive
            outpatient care, including buprenorphine treatment and counseling, in Phoenix and Tucson, Arizona.
            Staff speak English and Spanish."""
        ),
        "timezone": "America/Phoenix",
        "states": ["AZ", "NM"],
        "languages": ["en", "es"],
        "intents": ["rehabilitation", "hotline"],
        "phone": "+16025550117",
        "hours": {
            "mon": _WEEKDAYS_8_TO_8,
            "tue": _WEEKDAYS_8_TO_8,
            "wed": _WEEKDAYS_8_TO_8,
            "thu": _WEEKDAYS_8_TO_8,
            "fri": _WEEKDAYS_8_TO_8,
            "sat": [["09:00", "14:00"]],
            "sun": [],
        },
    },
    {
        "key": "riverbend-center",
        "name": "Riverbend Treatment Center (demo)",
        "public_description": t(
            """A fictional provider for this demonstration site. Riverbend offers inpatient detox for alcohol
            and opioids, followed by residential and outpatient programs, near Columbus, Ohio. It also treats
            co-occurring mental health conditions."""
        ),
        "timezone": "America/New_York",
        "states": ["OH", "KY", "IN"],
        "languages": ["en", "es"],
        "intents": ["detox", "rehabilitation"],
        "phone": "+16145550163",
        "hours": {
            "mon": [["07:00", "22:00"]],
            "tue": [["07:00", "22:00"]],
            "wed": [["07:00", "22:00"]],
            "thu": [["07:00", "22:00"]],
            "fri": [["07:00", "22:00"]],
            "sat": [["09:00", "17:00"]],
            "sun": [["09:00", "17:00"]],
        },
    },
]
