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


@pytest.fixture
def demo(db):
    from wagtail.models import Locale

    english, _ = Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:  # test tables built without Wagtail's data migration
        Page.add_root(instance=Page(title="Root", slug="root", locale=english))
    call_command("load_demo_data", verbosity=0)


def test_it_builds_the_whole_demo_site(demo, client, login_verified):
    assert TopicPage.objects.filter(locale__language_code="en").count() == 3
    assert ArticlePage.objects.filter(locale__language_code="en").count() >= 6
    assert ArticlePage.objects.filter(locale__language_code="es").count() >= 1
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
    call_command("load_demo_data", verbosity=0)
    assert counts() == before


def check_the_demo_pages_answer(client):
    for url in (
        "/",
        "/heroin/",
        "/heroin/self-medicating-with-heroin/",
        "/where-do-calls-go/",
        "/es/",
        "/es/heroin/automedicarse-con-heroina/",
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
