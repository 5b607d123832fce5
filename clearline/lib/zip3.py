"""The state of a three-digit ZIP prefix, from a small built-in table (no data file, no package load).

The helpline's ZIP prompt keeps only the first three digits a caller types (DESIGN.md rule 7); this turns them into
the two-letter state the routing engine compares with a provider's states. The table is our own writing of the
USPS's public allocation of three-digit prefixes to states (facts, not a copied data set): each range below is a
run of prefixes that all belong to one state. Prefixes that are unassigned, that USPS shares between states (for
example 063, 205, 739, 834, 967, 969) or that are military mail (AA, AE, AP) are left out, so ``state_for_zip3``
answers ``None`` for them rather than guessing. ``clearline/lib/tests/test_zip3.py`` checks the table against the
GeoNames ZIP list the directory already ships (the ``zipcodes`` package).
"""

from __future__ import annotations

import re
from functools import cache

# "first-last:ST" runs of prefixes, in order. Written out once; read into a dict the first time it is needed.
_RANGES = """
005:NY 006-007:PR 008:VI 009:PR 010-027:MA 028-029:RI 030-038:NH 039-049:ME 050-054:VT 055:MA 056-059:VT
060-062:CT 064-069:CT 070-089:NJ 100-149:NY 150-196:PA 197-199:DE 200:DC 201:VA 202-204:DC 206-212:MD
214-219:MD 220-246:VA 247-268:WV 270-289:NC 290-299:SC 300-319:GA 320-339:FL 341-342:FL 344:FL 346-347:FL
349:FL 350-352:AL 354-369:AL 370-385:TN 386-397:MS 398-399:GA 400-418:KY 420-427:KY 430-459:OH 460-479:IN
480-499:MI 500-516:IA 520-528:IA 530-532:WI 534-535:WI 537-549:WI 550-551:MN 553-567:MN 569:DC 570-577:SD
580-588:ND 590-599:MT 600-620:IL 622-629:IL 630-631:MO 633-641:MO 644-658:MO 660-662:KS 664-679:KS 680-681:NE
683-693:NE 700-701:LA 703-708:LA 710-714:LA 716-725:AR 727-729:AR 730-731:OK 733:TX 734-738:OK 740-741:OK
743-749:OK 750-770:TX 772-799:TX 800-816:CO 820-831:WY 832-833:ID 835-838:ID 840-847:UT 850-853:AZ 855-857:AZ
859-860:AZ 863-865:AZ 870-871:NM 873-884:NM 885:TX 888:DC 889-891:NV 893-895:NV 897-898:NV 900-908:CA
910-928:CA 930-961:CA 968:HI 970-979:OR 980-986:WA 988-994:WA 995-999:AK
"""

ZIP3 = re.compile(r"[0-9]{3}")


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for run in _RANGES.split():
        span, state = run.split(":")
        first, _, last = span.partition("-")
        for prefix in range(int(first), int(last or first) + 1):
            table[f"{prefix:03d}"] = state
    return table


def state_for_zip3(zip3: str) -> str | None:
    """The two-letter state (or PR, VI, DC) of a three-digit ZIP prefix; ``None`` when unknown or shared."""
    if not ZIP3.fullmatch(zip3):
        return None
    return _table().get(zip3)
