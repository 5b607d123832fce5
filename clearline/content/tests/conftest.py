"""A small site built explicitly: home -> Heroin topic (three helplines) -> one article; a terms page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from wagtail.models import Locale, Page, Site

from clearline.content.models import (
    ArticlePage,
    Citation,
    Helpline,
    HelplineKind,
    HomePage,
    LegalPage,
    Person,
    TopicHelpline,
    TopicPage,
)
from clearline.providers.models import Contract, Provider


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def in_spanish(page: Page, **fields) -> Page:
    """Publish a Spanish version of ``page`` with ``fields`` changed (its parents must have theirs already)."""
    translated = page.copy_for_translation(Locale.objects.get(language_code="es"))
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return publish(translated)


@pytest.fixture
def home(db) -> HomePage:
    english, _ = Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")
    # Transactional (browser) tests flush the tables after each test, the migration-made root page included.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=english)
    )
    home = HomePage(title="Clearline test home", slug="test-home", intro="<p>Welcome</p>")
    root.add_child(instance=home)
    publish(home)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def heroin_helplines(db) -> list[Helpline]:
    return [
        Helpline.objects.create(label="Heroin Detox", intent="detox", number="+12065550101"),
        Helpline.objects.create(
            label="Heroin Rehabilitation", intent="rehabilitation", number="+12065550102"
        ),
        Helpline.objects.create(label="Heroin Addiction Hotline", intent="hotline", number="+12065550103"),
    ]


@pytest.fixture
def topic(home, heroin_helplines) -> TopicPage:
    topic = TopicPage(title="Heroin", slug="heroin", intro="<p>About heroin</p>", show_in_menus=True)
    for order, helpline in enumerate(heroin_helplines):
        topic.helpline_assignments.add(TopicHelpline(helpline=helpline, sort_order=order))
    home.add_child(instance=topic)
    return publish(topic)


@pytest.fixture
def article(topic) -> ArticlePage:
    author = Person.objects.create(name="Ann Author", role="author")
    reviewer = Person.objects.create(name="Rae Reviewer", credentials="MD", role="reviewer")
    article = ArticlePage(
        title="Heroin detox explained",
        slug="heroin-detox",
        intro="What withdrawal is like.",
        body=[("heading", "Why supervised detox"), ("paragraph", "<p>Withdrawal is hard [1].</p>")],
        author=author,
        medical_reviewer=reviewer,
        last_reviewed=dt.date(2026, 10, 1),
    )
    article.citations.add(
        Citation(
            sort_order=0,
            title="Heroin DrugFacts",
            publisher="NIDA",
            year=2024,
            url="https://nida.nih.gov/publications/drugfacts/heroin",
        )
    )
    topic.add_child(instance=article)
    return publish(article)


@pytest.fixture
def terms(home) -> LegalPage:
    page = LegalPage(title="Terms of use", slug="terms-of-use", kind="terms", intro="Terms.", body=[])
    home.add_child(instance=page)
    return publish(page)


def add_provider(
    name: str, *, active: bool = True, starts_on: dt.date | None = None, ends_on: dt.date | None = None
) -> Provider:
    # Licensed, certified and open around the clock: a provider the disclosure names (it names only providers
    # that could be rung), unless a test takes one of those away.
    valid = dt.date(dt.date.today().year + 5, 1, 1)
    provider = Provider.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        public_description=f"{name} offers care.",
        active=active,
        open_24_7=True,
        license_expires_on=valid,
        certification_expires_on=valid,
    )
    Contract.objects.create(
        provider=provider,
        amount=Decimal("1500.00"),
        period="monthly",
        starts_on=starts_on or dt.date(2026, 1, 1),
        ends_on=ends_on,
    )
    return provider


@pytest.fixture
def listing_helpline(db) -> Helpline:
    return Helpline.objects.create(
        label="Harbor House intake", intent="rehabilitation", number="+12065550150", kind=HelplineKind.LISTING
    )


@pytest.fixture
def long_article(topic) -> ArticlePage:
    """An article long enough to scroll, with a link in every paragraph for keyboard tests."""
    body = []
    for n in range(1, 31):
        body.append(("paragraph", f'<p>Paragraph {n} with <a href="#citation-1">a source link [1]</a>.</p>'))
    article = ArticlePage(title="A long article", slug="long-article", intro="Long.", body=body)
    topic.add_child(instance=article)
    return publish(article)
