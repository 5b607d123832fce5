import json
import re

import pytest
from django.core.exceptions import ValidationError

from clearline.content.models import Helpline
from clearline.content.tests.conftest import add_provider

pytestmark = pytest.mark.django_db

# Canonical and hreflang links are absolute on the site's own host (the test client's "testserver").
THIRD_PARTY = re.compile(r"""(?:src|href|action)=["'](?:https?:)?//(?!findtreatment\.gov|testserver/)""")


def test_the_article_page_shows_its_topics_three_helplines_as_tel_links(client, article):
    html = client.get(article.url).content.decode()
    for number in ("+12065550101", "+12065550102", "+12065550103"):
        assert f'href="tel:{number}"' in html
    for label in ("Heroin Detox", "Heroin Rehabilitation", "Heroin Addiction Hotline"):
        assert label in html
    assert html.count("Paid advertiser") == 3
    # With nobody able to answer, each paid link says truthfully where its calls go now.
    assert html.count("goes to the free SAMHSA National Helpline right now") == 3
    add_provider("Alder Recovery")
    html = client.get(article.url).content.decode()
    assert (
        html.count(
            "answered or returned by Alder Recovery, a paid advertiser on the same flat fee as any other, or else the "
            "free SAMHSA National Helpline"
        )
        == 3
    )


def test_every_page_offers_the_crisis_and_free_options(client, article, topic, home):
    for url in (home.url, topic.url, article.url, "/where-do-calls-go/"):
        html = client.get(url).content.decode()
        assert 'href="tel:988"' in html and 'href="sms:988"' in html
        assert "In an emergency, call 911." in html
        assert 'href="tel:+18006624357"' in html
        assert "https://findtreatment.gov/" in html
        assert 'href="tel:911"' not in html


def test_pages_outside_a_topic_fall_back_to_the_site_default_helplines(client, home):
    from clearline.content.models import DefaultHelpline, HelplineSettings

    default = Helpline.objects.create(label="Treatment Helpline", intent="hotline", number="+12065550100")
    DefaultHelpline.objects.create(settings=HelplineSettings.load(), helpline=default, sort_order=0)
    html = client.get(home.url).content.decode()
    assert 'href="tel:+12065550100"' in html


def test_a_listing_number_is_not_labelled_as_a_paid_advertiser(client, topic, listing_helpline):
    from clearline.content.models import TopicHelpline

    TopicHelpline.objects.filter(topic=topic).delete()
    TopicHelpline.objects.create(topic=topic, helpline=listing_helpline, sort_order=0)
    html = client.get(topic.url).content.decode()
    assert 'href="tel:+12065550150"' in html
    assert "rings the listed facility only" in html
    assert "Paid advertiser" not in html


def test_the_disclosure_dialog_and_its_standalone_page_name_the_live_roster(client, article, terms):
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    for url in (article.url, "/where-do-calls-go/"):
        html = client.get(url).content.decode()
        assert "Alder Recovery (callers anywhere; any time; in English); Birch Health (" in html
        assert f'href="{terms.url}"' in html
    html = client.get(article.url).content.decode()
    assert 'id="where-calls-go-dialog"' in html
    assert 'href="/where-do-calls-go/" data-dialog="where-calls-go-dialog"' in html


def test_the_standalone_disclosure_page_is_in_spanish_under_es(client, home, heroin_helplines):
    add_provider("Alder Recovery")
    html = client.get("/es/where-do-calls-go/").content.decode()
    assert '<html lang="es">' in html
    assert "¿Adónde van las llamadas?" in html
    assert "la misma tarifa fija mensual" in html


def test_the_article_page_carries_medical_web_page_json_ld(client, article):
    html = client.get(article.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-10-01"
    assert data["reviewedBy"]["name"] == "Rae Reviewer, MD"
    assert data["citation"][0]["url"] == "https://nida.nih.gov/publications/drugfacts/heroin"


def test_json_ld_cannot_close_its_script_element(rf, article):
    article.title = "</script><script>alert(1)</script>"
    assert "</script>" not in article.json_ld(rf.get("/"))


def test_the_article_shows_authorship_review_date_and_numbered_sources(client, article):
    html = client.get(article.url).content.decode()
    assert "Written by Ann Author" in html
    assert "Medically reviewed by Rae Reviewer, MD" in html
    assert '<time datetime="2026-10-01">' in html
    assert 'id="citation-1"' in html


def test_pages_load_nothing_from_other_origins(client, article, topic, home):
    for url in (home.url, topic.url, article.url, "/where-do-calls-go/"):
        response = client.get(url)
        html = response.content.decode()
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "http" not in csp
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]*>", html):
            assert not THIRD_PARTY.search(tag), tag


def test_the_admin_gets_its_own_policy_but_still_no_other_origins(
    client, home, django_user_model, login_verified
):
    login_verified(django_user_model.objects.create_superuser("operator", "op@example.org", "pw"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "http" not in response["Content-Security-Policy"]


def test_a_helpline_number_must_be_valid_e164():
    helpline = Helpline(label="Bad", intent="detox", number="206-555-010")
    with pytest.raises(ValidationError):
        helpline.full_clean()
    helpline.number = "(206) 555-0101"
    with pytest.raises(ValidationError, match=r"\+12065550101"):
        helpline.full_clean()
    helpline.number = "+12065550101"
    helpline.full_clean()


def test_the_language_switch_leads_to_a_spanish_notice_when_no_translation_exists(client, article):
    html = client.get(article.url).content.decode()
    assert f'href="/es/not-translated/{article.pk}/" hreflang="es"' in html
