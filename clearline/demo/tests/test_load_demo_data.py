"""`clearline load_demo_data` turns an empty database into the whole demo site, and running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from clearline.content.models import ArticlePage, DisclosureVersion, Helpline, LegalPage, TopicPage
from clearline.demo.loader import ADMIN_USERNAME
from clearline.providers.models import Contract, Provider

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "helplines": Helpline.objects.count(),
        "providers": Provider.objects.count(),
        "contracts": Contract.objects.count(),
        "disclosures": DisclosureVersion.objects.count(),
    }


def test_it_refuses_to_run_in_production(db, settings):
    # First in the module: it needs a database without the demo (see _demo_loaded_for_the_module).
    from django.core.management.base import CommandError

    settings.CLEARLINE_ENV = "production"
    with pytest.raises(CommandError, match="refuses to run with CLEARLINE_ENV=production"):
        call_command("load_demo_data", verbosity=0)
    assert not get_user_model().objects.exists()


def test_it_builds_the_whole_demo_site(demo, client, login_verified):
    assert TopicPage.objects.filter(locale__language_code="en").count() == 3
    assert ArticlePage.objects.filter(locale__language_code="en").count() >= 6
    # Every article has its Spanish version.
    assert (
        ArticlePage.objects.filter(locale__language_code="es").count()
        == ArticlePage.objects.filter(locale__language_code="en").count()
    )
    assert ArticlePage.objects.filter(slug="self-medicating-with-heroin").exists()
    assert set(LegalPage.objects.values_list("kind", flat=True)) == {
        "terms",
        "privacy",
        "advertising",
        "editorial",
    }
    heroin = TopicPage.objects.get(slug="heroin", locale__language_code="en")
    assert [h.label for h in heroin.get_helplines()] == [
        "Heroin Detox",
        "Heroin Rehabilitation",
        "Heroin Addiction Hotline",
    ]
    assert all(h.number[5:10] == "55501" for h in Helpline.objects.all())
    assert Provider.objects.participating().count() == 3
    assert get_user_model().objects.get(username=ADMIN_USERNAME).is_superuser
    version = DisclosureVersion.objects.latest()
    assert len(version.roster) == 3
    # Loading the demo takes seconds, so one test walks the pages and the editor's path on the same data.
    check_the_demo_pages_answer(client)
    check_an_editor_can_open_the_admin_forms(client, login_verified)
    check_an_editor_can_publish_an_article(client, login_verified)


def test_running_it_again_changes_nothing(demo):
    before = counts()
    call_command("load_demo_data", "--no-calls", verbosity=0)
    assert counts() == before


def check_the_demo_pages_answer(client):
    for url in (
        "/",
        "/heroin/",
        "/heroin/self-medicating-with-heroin/",
        "/where-do-calls-go/",
        "/es/",
        "/es/heroina/automedicarse-con-heroina/",
        "/terms-of-use/",
    ):
        assert client.get(url).status_code == 200, url


def check_an_editor_can_open_the_admin_forms(client, login_verified):
    login_verified(get_user_model().objects.get(username=ADMIN_USERNAME))
    heroin = TopicPage.objects.get(slug="heroin", locale__language_code="en")
    article = ArticlePage.objects.get(slug="self-medicating-with-heroin")
    for url in (
        "/admin/",
        f"/admin/pages/add/content/articlepage/{heroin.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        "/admin/snippets/content/helpline/",
        "/admin/snippets/providers/provider/",
        "/admin/snippets/content/disclosureversion/",
    ):
        assert client.get(url).status_code == 200, url


def check_an_editor_can_publish_an_article(client, login_verified):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    login_verified(get_user_model().objects.get(username=ADMIN_USERNAME))
    heroin = TopicPage.objects.get(slug="heroin", locale__language_code="en")
    data = nested_form_data(
        {
            "title": "Talking to a doctor about heroin use",
            "slug": "talking-to-a-doctor",
            "intro": "What to expect.",
            "body": streamfield(
                [("heading", "Before the visit"), ("paragraph", rich_text("<p>Doctors can help.</p>"))]
            ),
            "citations": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/add/content/articlepage/{heroin.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug="talking-to-a-doctor")
    assert page.live
    assert client.get(page.url).status_code == 200


def test_demo_sign_ins_work_with_their_published_keys(demo, client):
    import base64

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clearline.demo.loader import DEMO_ACCOUNTS
    from clearline.providers.models import Membership

    assert TOTPDevice.objects.filter(confirmed=True).count() == len(DEMO_ACCOUNTS) == 5
    memberships = {
        (m.user.username, m.provider.slug, m.role)
        for m in Membership.objects.select_related("user", "provider")
    }
    assert memberships == {
        ("cedar-admin", "cedar-harbor", "admin"),
        ("cedar-agent", "cedar-harbor", "agent"),
        ("mesa-admin", "mesa-verde-health", "admin"),
        ("mesa-agent", "mesa-verde-health", "agent"),
    }
    # The operator signs in with the key as printed (base32), the way an authenticator app would.
    key = base64.b32decode("MNWGKYLSNRUW4ZJNMRSW23ZNMFSG22LO")
    assert key == b"clearline-demo-admin"
    client.post("/accounts/login/", {"username": "admin", "password": "clearline-demo"})
    response = client.post("/accounts/login/verify/", {"token": f"{totp(key):06d}"})
    assert response["Location"] == "/accounts/"
    # A provider agent signs in with a recovery code.
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "mesa-agent", "password": "clearline-demo"})
    assert client.post("/accounts/login/verify/", {"token": "mesaagent1"})["Location"] == "/accounts/"


def test_running_it_again_keeps_the_accounts_and_their_devices(demo):
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    StaticToken.objects.filter(token="cedaradmin1").delete()  # a recovery code used meanwhile
    before = (get_user_model().objects.count(), TOTPDevice.objects.count(), StaticToken.objects.count())
    call_command("load_demo_data", "--no-calls", verbosity=0)  # the month of calls: test_demo_calls.py
    assert (
        get_user_model().objects.count(),
        TOTPDevice.objects.count(),
        StaticToken.objects.count(),
    ) == before


def test_the_command_prints_how_to_sign_in(demo):
    from io import StringIO

    out = StringIO()
    call_command("load_demo_data", "--no-calls", stdout=out)
    text = out.getvalue()
    assert "admin / clearline-demo" in text
    assert "key: MNWGKYLSNRUW4ZJNMRSW23ZNMFSG22LO" in text
    assert "otpauth://totp/Clearline%3Aadmin?secret=MNWGKYLSNRUW4ZJNMRSW23ZNMFSG22LO" in text
    assert "cedar-agent / clearline-demo" in text


def test_the_demo_contracts_run_on_the_operators_date_even_when_utc_is_a_day_ahead(db, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from clearline.demo.loader import ensure_providers

    # 02:00 UTC on 1 March is still 28 February in New York (CLEARLINE_TIME_ZONE).
    moment = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    Contract.objects.all().delete()  # (another test of this module may have loaded the demo already)
    ensure_providers()
    # The first of the month before, in New York: the demo's calls fill that month and this one.
    assert {c.starts_on for c in Contract.objects.all()} == {dt.date(2027, 1, 1)}
    assert Provider.objects.participating().count() == 3
