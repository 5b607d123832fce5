from __future__ import annotations

import json
from functools import cache

import jsonschema
import pytest
from django.core.management import call_command

from clearline.directory.models import Facility, TaxonomyTerm

from .conftest import HSDS

pytestmark = pytest.mark.django_db
API = "/api/hsds"


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """One validator per HSDS schema. The compiled ones are ~1 MB: checking them against the meta-schema
    (as jsonschema.validate does on every call) takes seconds, and they are Open Referral's, not ours to check."""
    schema = json.loads((HSDS / name).read_text())
    return jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(data: dict, name: str) -> None:
    if not (HSDS / name).exists():
        pytest.skip(f"{HSDS / name} is missing")
    validator(name).validate(data)


def assert_valid_page(data: dict, item_schema: str) -> None:
    assert {"total_items", "total_pages", "page_number", "size", "contents"} <= data.keys()
    assert data["size"] == len(data["contents"])
    for item in data["contents"]:
        assert_valid(item, item_schema)


def test_every_list_endpoint_answers_with_valid_hsds(client, real_slice):
    assert_valid_page(client.get(f"{API}/services").json(), "compiled/service_list.json")
    assert_valid_page(
        client.get(f"{API}/service_at_locations").json(), "compiled/service_at_location_list.json"
    )
    assert_valid_page(client.get(f"{API}/organizations").json(), "compiled/organization_list.json")
    assert_valid_page(client.get(f"{API}/taxonomies").json(), "taxonomy.json")
    assert_valid_page(client.get(f"{API}/taxonomy_terms", {"per_page": 100}).json(), "taxonomy_term.json")


def test_every_detail_endpoint_answers_with_valid_hsds(client, real_slice):
    shelby = Facility.objects.select_related("organization").get(name="Shelby County Treatment Center")
    service = client.get(f"{API}/services/{shelby.service_uuid}").json()
    assert_valid(service, "compiled/service.json")
    assert "OTP" in {a["taxonomy_term"]["code"] for a in service["attributes"]}
    assert_valid(
        client.get(f"{API}/organizations/{shelby.organization.uuid}").json(), "compiled/organization.json"
    )
    sal_id = client.get(f"{API}/service_at_locations", {"postcode": "35007", "proximity": 3000}).json()
    sal = client.get(f"{API}/service_at_locations/{sal_id['contents'][0]['id']}").json()
    assert_valid(sal, "compiled/service_at_location.json")
    term = TaxonomyTerm.objects.get(code="OTP")
    assert_valid(client.get(f"{API}/taxonomy_terms/{term.uuid}").json(), "taxonomy_term.json")
    taxonomy_id = client.get(f"{API}/taxonomies").json()["contents"][0]["id"]
    assert_valid(client.get(f"{API}/taxonomies/{taxonomy_id}").json(), "taxonomy.json")


def test_proximity_search_by_postcode_finds_nearby_services_nearest_first(client, real_slice):
    data = client.get(f"{API}/service_at_locations", {"postcode": "35007", "proximity": 16093}).json()
    assert data["contents"][0]["location"]["name"] == "Shelby County Treatment Center"
    assert data["total_items"] >= 1


def test_a_taxonomy_term_filters_services(client, real_slice):
    otp = TaxonomyTerm.objects.get(code="OTP")
    data = client.get(
        f"{API}/service_at_locations", {"taxonomy_term_id": str(otp.uuid), "per_page": 100}
    ).json()
    assert data["total_items"] == Facility.objects.filter(service_codes__contains=" OTP ").count() > 0


def test_search_and_paging(client, real_slice):
    data = client.get(f"{API}/services", {"search": "shelby", "page": 1, "per_page": 1}).json()
    assert data["size"] == 1 and data["total_items"] >= 1 and data["first_page"] is True


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"proximity": "-5", "postcode": "35007"}, "proximity"),
        ({"proximity": "nan", "postcode": "35007"}, "proximity"),
        ({"proximity": "1000"}, "postcode"),
        ({"postcode": "abcde"}, "postcode"),
        ({"postcode": "00000"}, "postcode"),
        ({"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
        ({"taxonomy_term_id": "00000000-0000-4000-8000-000000000000"}, "taxonomy_term_id"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, db, query, parameter):
    response = client.get(f"{API}/service_at_locations", query)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_unknown_ids_are_404_json(client, db):
    for path in ("services/nope", "services/00000000-0000-4000-8000-000000000000", "organizations/x"):
        response = client.get(f"{API}/{path}")
        assert response.status_code == 404
        assert response.json() == {"error": "Not found."}


def test_the_api_is_read_only(client, db):
    assert client.post(f"{API}/services").status_code == 405


def test_the_openapi_schema_is_served(client, db):
    document = client.get(f"{API}/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/services", "/service_at_locations", "/organizations", "/taxonomy_terms"} <= document[
        "paths"
    ].keys()


def test_the_export_writes_valid_hsds_files(tmp_path, real_slice):
    call_command("export_hsds", str(tmp_path))
    services = json.loads((tmp_path / "services.json").read_text())
    assert len(services) == real_slice
    assert_valid(services[0], "compiled/service.json")
    organizations = json.loads((tmp_path / "organizations.json").read_text())
    assert_valid(organizations[0], "compiled/organization.json")
    assert len(json.loads((tmp_path / "taxonomy_terms.json").read_text())) == 256
