"""What an import did, and every row or value it refused, with the file's line number and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str
    field: str = ""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_corrections: int = (
        0  # listings whose reviewed corrections were kept over different values in the file
    )
    rejected: list[Problem] = field(default_factory=list)  # rows not imported
    warnings: list[Problem] = field(default_factory=list)  # rows imported without one bad value

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        text = (
            f"{self.rows} rows read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected, {len(self.warnings)} values dropped."
        )
        if self.kept_corrections:
            text += (
                f" {self.kept_corrections} listings kept their reviewed corrections where the file differs."
            )
        return text

    def lines(self) -> list[str]:
        out = [f"line {p.line}: rejected: {p.reason}" for p in self.rejected]
        out += [f"line {p.line}: {p.field} dropped: {p.reason}" for p in self.warnings]
        return sorted(out, key=lambda text: int(text.split(":")[0].split()[1]))
