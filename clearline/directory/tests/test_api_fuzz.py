"""Schemathesis drives every operation of our OpenAPI document with generated input: no server errors, and
every response matches the document."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clearline.directory.demo import load_demo_facilities
from clearline.directory.openapi import openapi_document

# The document as /api/hsds/openapi.json serves it (tested in test_api.py), loaded without a request so that
# collecting this module needs no database; the calls go through the whole WSGI stack.
schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = get_wsgi_application()


@pytest.fixture
def demo_directory(db):
    load_demo_facilities()
    # Schemathesis calls the WSGI handler directly, whose request signals would close the test's database
    # connection (and its transaction) after each request; Django's own test client unhooks them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_hsds_api_answers_any_input_without_a_server_error(case, demo_directory):
    # A well-formed id of a term that does not exist, or a ZIP code nobody uses, is a 400 naming the parameter:
    # the schema cannot say which ids exist, so schemathesis's "valid input must be accepted" check is left out.
    # Real clients decode gzip; schemathesis's WSGI transport asks for it (requests' default headers) but does
    # not decode it, so it asks for the body as is.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )
