"""Reading SAMHSA's published file: the xlsx as SAMHSA ships it, or the same sheet saved as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

FACILITIES_SHEET = "Facilities List"
CODES_SHEET = "Service Code Reference"
Row = dict[str, str]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def read_xlsx(path: Path, sheet: str) -> Iterator[tuple[int, Row]]:
    """(spreadsheet row number, {header: text}) for every data row of the sheet."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook[sheet].iter_rows(values_only=True)
        header = [_text(cell).strip() for cell in next(rows)]
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or v == "" for v in values):
                continue
            yield number, {key: _text(value) for key, value in zip(header, values, strict=False) if key}
    finally:
        workbook.close()


def read_csv(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {key.strip(): value or "" for key, value in row.items() if key}


def facility_rows(path: Path) -> Iterator[tuple[int, Row]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, FACILITIES_SHEET)
    return read_csv(path)


def service_code_rows(path: Path, codes_path: Path | None) -> list[Row] | None:
    """The code reference: the xlsx's own sheet, an explicit CSV, or a `*service_codes*.csv` beside it."""
    if codes_path is None and path.suffix.lower() in (".xlsx", ".xlsm"):
        return [row for _, row in read_xlsx(path, CODES_SHEET)]
    if codes_path is None:
        siblings = sorted(path.parent.glob("*service_codes*.csv"))
        codes_path = siblings[0] if siblings else None
    if codes_path is None:
        return None
    return [row for _, row in read_csv(codes_path)]
