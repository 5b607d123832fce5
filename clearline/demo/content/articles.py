"""Demo articles: English originals and Spanish translations.

The articles are written in one private module per topic; this module only collects them in order.
"""

from clearline.demo.content._articles_alcohol import ALCOHOL_WITHDRAWAL, CHOOSING_PROGRAM
from clearline.demo.content._articles_es import AUTOMEDICARSE
from clearline.demo.content._articles_heroin import FAMILY_HEROIN, HEROIN_DETOX, SELF_MEDICATING
from clearline.demo.content._articles_opioids import MOUD, NALOXONE

ARTICLES: list[dict] = [
    SELF_MEDICATING,
    HEROIN_DETOX,
    FAMILY_HEROIN,
    MOUD,
    NALOXONE,
    ALCOHOL_WITHDRAWAL,
    CHOOSING_PROGRAM,
    AUTOMEDICARSE,
]
