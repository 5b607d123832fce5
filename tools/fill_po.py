"""Fill msgstr entries of a .po file from a JSON object {msgid: msgstr} (plural: {msgid: [one, many]}).

Usage: python tools/fill_po.py clearline/locale/es/LC_MESSAGES/django.po translations.json
Only empty or fuzzy entries are filled (a fuzzy entry is gettext's unreviewed guess, which msgfmt ignores), so
reviewed hand edits in the .po file win. Fuzzy flags and previous-msgid comments on filled entries are removed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"') :]) for line in lines if '"' in line)


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def plural_count(po_text: str) -> int:
    match = re.search(r"nplurals=(\d+)", po_text)
    return int(match.group(1)) if match else 2


def fill(po_text: str, table: dict[str, object]) -> tuple[str, int]:
    nplurals = plural_count(po_text)
    entries = po_text.split("\n\n")
    filled = 0
    out = []
    for entry in entries:
        lines = entry.split("\n")
        keys = [
            i for i, line in enumerate(lines) if re.match(r"^(msgid|msgid_plural|msgstr(\[\d\])?) ", line)
        ]
        fields: dict[str, list[str]] = {}
        for n, start in enumerate(keys):
            end = keys[n + 1] if n + 1 < len(keys) else len(lines)
            name = lines[start].split(" ", 1)[0]
            fields[name] = [lines[start].split(" ", 1)[1], *lines[start + 1 : end]]
        msgid = unquote(fields["msgid"]) if "msgid" in fields else ""
        if not msgid or msgid not in table:
            out.append(entry)
            continue
        value = table[msgid]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines[: keys[0]])
        head = [line for line in lines[: keys[0]] if line != "#, fuzzy" and not line.startswith("#| ")]
        head = [line.replace(", fuzzy", "") for line in head]
        if "msgid_plural" in fields:
            if not fuzzy and all(unquote(fields.get(f"msgstr[{i}]", ['""'])) for i in range(nplurals)):
                out.append(entry)
                continue
            # [singular, plural]: every form after the first (e.g. Spanish "many" and "other") takes the plural.
            one, many = value if isinstance(value, list) else (value, value)
            body = [f"msgid {quote(msgid)}", f"msgid_plural {quote(unquote(fields['msgid_plural']))}"]
            body += [f"msgstr[{i}] {quote(one if i == 0 else many)}" for i in range(nplurals)]
        else:
            if not fuzzy and unquote(fields.get("msgstr", ['""'])):
                out.append(entry)
                continue
            body = [f"msgid {quote(msgid)}", f"msgstr {quote(str(value))}"]
        out.append("\n".join(head + body))
        filled += 1
    return "\n\n".join(out), filled


def main() -> int:
    po_path, table_path = Path(sys.argv[1]), Path(sys.argv[2])
    text, count = fill(po_path.read_text(), json.loads(table_path.read_text()))
    po_path.write_text(text)
    print(f"filled {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
