from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clearline.directory import api, hsds
from clearline.directory.models import Facility, Organization, TaxonomyTerm


class Command(BaseCommand):
    help = "Write the whole directory as HSDS 3.0 JSON: services (fully nested), organizations, taxonomy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["directory"]
        out.mkdir(parents=True, exist_ok=True)
        terms = api.terms_by_code()
        facilities = Facility.objects.select_related("organization").prefetch_related("phones").order_by("pk")
        with (out / "services.json").open("w", encoding="utf-8") as handle:
            self._write_array(handle, (hsds.service(f, terms, full=True) for f in facilities.iterator(2000)))
        organizations = Organization.objects.prefetch_related("facilities__phones").order_by("pk")
        with (out / "organizations.json").open("w", encoding="utf-8") as handle:
            self._write_array(handle, (self._organization(o) for o in organizations.iterator(2000)))
        (out / "taxonomies.json").write_text(json.dumps([hsds.taxonomy()], indent=1))
        all_terms = TaxonomyTerm.objects.select_related("parent").order_by("position")
        (out / "taxonomy_terms.json").write_text(
            json.dumps(
                [hsds.taxonomy_term(t, t.parent.uuid if t.parent else None) for t in all_terms], indent=1
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote HSDS JSON to {out}."))

    @staticmethod
    def _organization(org: Organization) -> dict[str, Any]:
        data = hsds.organization(org)
        data["locations"] = [hsds.location(f) for f in org.facilities.all()]
        return data

    @staticmethod
    def _write_array(handle: Any, items: Any) -> None:
        handle.write("[\n")
        for n, item in enumerate(items):
            handle.write((",\n" if n else "") + json.dumps(item, ensure_ascii=False))
        handle.write("\n]\n")
