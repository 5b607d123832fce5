from __future__ import annotations

import pytest

from clearline.directory.demo import load_demo_facilities
from clearline.directory.models import Facility, Phone

pytestmark = pytest.mark.django_db


def test_an_operator_marks_a_phone_verified_and_it_records_who(client, operator, login_verified):
    load_demo_facilities()
    phone = Phone.objects.get(facility__source_id="demo-1")
    login_verified(operator)
    response = client.post(
        "/django-admin/directory/phone/", {"action": "mark_verified", "_selected_action": [phone.pk]}
    )
    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.is_verified and phone.verified_by == "dana"


def test_an_operator_can_open_a_facility(client, operator, login_verified):
    load_demo_facilities()
    login_verified(operator)
    facility = Facility.objects.get(source_id="demo-1")
    assert client.get(f"/django-admin/directory/facility/{facility.pk}/change/").status_code == 200
