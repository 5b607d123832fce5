"""Search filters, matching FindTreatment.gov's, each mapped to the SAMHSA service codes that satisfy it.

A facility matches a filter value when it has ANY of the value's codes; it must match EVERY value chosen.
The keys are the query parameters of /treatment/ (documented in docs/directory.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Choice:
    value: str
    label: str | Promise
    codes: tuple[str, ...]


@dataclass(frozen=True)
class FilterGroup:
    param: str
    label: str | Promise
    choices: tuple[Choice, ...]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


FILTER_GROUPS: tuple[FilterGroup, ...] = (
    FilterGroup("care", _("Type of care"), (
        Choice("substance_use", _("Substance use"), ("SA",)),
        Choice("mental_health", _("Mental health"), ("MHS",)),
        Choice("co_occurring", _("Co-occurring substance use and mental health"), ("SUMH", "CO")),
        Choice("detox", _("Detox"), ("DT", "HID", "OD", "RD")),
    )),
    FilterGroup("setting", _("Setting"), (
        Choice("detox", _("Detox"), ("DT", "HID", "OD", "RD")),
        Choice("residential_short", _("Residential, short term"), ("RS",)),
        Choice("residential_long", _("Residential, long term"), ("RL",)),
        Choice("residential", _("Residential, any length"), ("RES", "RS", "RL", "RD")),
        Choice("hospital_inpatient", _("Hospital inpatient"), ("HI", "HID", "HIT")),
        Choice("outpatient", _("Outpatient"), ("OP", "ORT", "OD", "OMB")),
        Choice("intensive_outpatient", _("Intensive outpatient"), ("OIT",)),
        Choice("partial_hospitalization", _("Partial hospitalization / day treatment"), ("ODT",)),
        Choice("telehealth", _("Telehealth"), ("TELE",)),
    )),
    FilterGroup("medication", _("Medications for opioid use disorder"), (
        Choice("otp", _("Opioid treatment program (OTP)"), ("OTP",)),
        Choice("methadone", _("Methadone"), ("MU", "METH", "MM", "MMW", "DM")),
        Choice("buprenorphine", _("Buprenorphine"), ("BU", "UB", "BUM", "BMW", "DB", "BWN", "BWON", "BERI")),
        Choice("naltrexone", _("Naltrexone"), ("NU", "UN", "RPN", "NXN", "VTRL")),
    )),
    FilterGroup("payment", _("Payment accepted"), (
        Choice("medicaid", _("Medicaid"), ("MD",)),
        Choice("medicare", _("Medicare"), ("MC",)),
        Choice("private", _("Private health insurance"), ("PI",)),
        Choice("cash", _("Cash or self-payment"), ("SF",)),
        Choice("sliding_scale", _("Sliding fee scale"), ("SS",)),
        Choice("payment_assistance", _("Payment assistance"), ("PA",)),
        Choice("free", _("Free or no payment"), ("NP",)),
        Choice("military", _("Military insurance (TRICARE)"), ("MI",)),
        Choice("state_insurance", _("State-financed insurance"), ("SI",)),
        Choice("ihs", _("IHS/Tribal/Urban funds"), ("ITU",)),
    )),
    FilterGroup("age", _("Age groups"), (
        Choice("adults", _("Adults"), ("ADLT",)),
        Choice("young_adults", _("Young adults"), ("YAD",)),
        Choice("adolescents", _("Children and adolescents"), ("CHLD",)),
        Choice("seniors", _("Seniors"), ("SNR",)),
    )),
    FilterGroup("language", _("Languages"), (
        Choice("spanish", _("Spanish"), ("SP",)),
        Choice("asl", _("Sign language (ASL)"), ("AH",)),
        Choice("native", _("American Indian or Alaska Native languages"), ("NX", "N24", "N40")),
        Choice("chinese", _("Chinese"), ("F17",)),
        Choice("vietnamese", _("Vietnamese"), ("F92",)),
        Choice("korean", _("Korean"), ("F47",)),
        Choice("russian", _("Russian"), ("F70",)),
        Choice("arabic", _("Arabic"), ("F4",)),
        Choice("french", _("French"), ("F28",)),
        Choice("creole", _("Creole"), ("F19",)),
        Choice("tagalog", _("Tagalog"), ("F81",)),
        Choice("other", _("Other languages"), ("FX",)),
    )),
    FilterGroup("population", _("Special programs"), (
        Choice("veterans", _("Veterans"), ("VET",)),
        Choice("lgbtq", _("LGBTQ+ people"), ("GL",)),
        Choice("pregnant", _("Pregnant or postpartum women"), ("PW",)),
        Choice("adolescents", _("Adolescents"), ("AD",)),
        Choice("young_adults", _("Young adults"), ("TAY",)),
        Choice("women", _("Women"), ("WN",)),
        Choice("men", _("Men"), ("MN",)),
        Choice("seniors", _("Seniors or older adults"), ("SE",)),
        Choice("military", _("Active duty military and families"), ("ADM", "MF")),
        Choice("criminal_justice", _("Criminal justice clients"), ("CJ",)),
        Choice("trauma", _("People who have experienced trauma"), ("TRMA", "XA", "DV")),
        Choice("hiv", _("People with HIV or AIDS"), ("HV",)),
        Choice("dui", _("DUI/DWI programs"), ("DU",)),
    )),
)  # fmt: skip
GROUPS_BY_PARAM = {group.param: group for group in FILTER_GROUPS}


def labels_for(service_codes: str, param: str) -> list[str]:
    """The labels of a filter group's choices this facility meets ("Medicaid", "Cash or self-payment", …)."""
    return labels_for_codes(set(service_codes.split()), param)


def labels_for_codes(codes: set[str], param: str) -> list[str]:
    return [str(c.label) for c in GROUPS_BY_PARAM[param].choices if not codes.isdisjoint(c.codes)]
