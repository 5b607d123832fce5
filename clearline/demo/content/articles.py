"""Demo articles: English originals and their Spanish translations (every English article has one).

The articles are written in one private module per topic and language; this module only collects them in
order, English first (a translation is made from its original).
"""

from clearline.demo.content._articles_alcohol import ALCOHOL_WITHDRAWAL, CHOOSING_PROGRAM
from clearline.demo.content._articles_es import AUTOMEDICARSE, FAMILY_HEROIN_ES, HEROIN_DETOX_ES
from clearline.demo.content._articles_es_alcohol import ALCOHOL_WITHDRAWAL_ES, CHOOSING_PROGRAM_ES
from clearline.demo.content._articles_es_opioids import MOUD_ES, NALOXONE_ES
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
    HEROIN_DETOX_ES,
    FAMILY_HEROIN_ES,
    MOUD_ES,
    NALOXONE_ES,
    ALCOHOL_WITHDRAWAL_ES,
    CHOOSING_PROGRAM_ES,
]
