"""Fictional authors and medical reviewers for the demo site; ``fictional`` makes their articles say so."""

from clearline.demo.content._text import t

PEOPLE: list[dict] = [
    {
        "key": "dana-whitfield",
        "name": "Dana Whitfield",
        "credentials": "",
        "role": "author",
        "fictional": True,
        "bio": t(
            """Demo author — a fictional person for this demonstration site. Dana writes plain-language
            guides about substance use, treatment and recovery for people and families looking for help."""
        ),
    },
    {
        "key": "marcus-obi",
        "name": "Marcus Obi",
        "credentials": "MPH",
        "role": "author",
        "fictional": True,
        "bio": t(
            """Demo author — a fictional person for this demonstration site. Marcus writes about public
            health, overdose prevention and how to find and judge treatment programs."""
        ),
    },
    {
        "key": "elena-ruiz",
        "name": "Elena Ruiz",
        "credentials": "MD",
        "role": "reviewer",
        "fictional": True,
        "bio": t(
            """Demo medical reviewer — a fictional physician invented for this demonstration site. On a real
            Clearline site this would be a board-certified addiction medicine doctor who checks each article
            before it is published."""
        ),
    },
    {
        "key": "samuel-park",
        "name": "Samuel Park",
        "credentials": "RN, CARN",
        "role": "reviewer",
        "fictional": True,
        "bio": t(
            """Demo medical reviewer — a fictional nurse invented for this demonstration site. On a real
            Clearline site this would be a certified addictions registered nurse who reviews articles for
            accuracy and clarity."""
        ),
    },
]
