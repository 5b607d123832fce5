"""Demo articles: English originals and Spanish translations.

The articles are written in one private module per topic; this module only collects them in order.
"""

from clearline.demo.content._articles_heroin import FAMILY_HEROIN, HEROIN_DETOX, SELF_MEDICATING

ARTICLES: list[dict] = [
    SELF_MEDICATING,
    HEROIN_DETOX,
    FAMILY_HEROIN,
]
