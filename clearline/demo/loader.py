"""Turn an empty database into the full demo site; safe to run again (existing objects are kept as they are).

All text comes from ``clearline.demo.content``: our own writing, fictional people, providers and 555-01xx
numbers.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import (
    ArticlePage,
    Citation,
    DefaultHelpline,
    Helpline,
    HelplineIntent,
    HelplineKind,
    HelplineSettings,
    HomePage,
    LegalPage,
    Person,
    TopicHelpline,
    TopicPage,
)
from clearline.demo.content.articles import ARTICLES
from clearline.demo.content.legal import LEGAL_PAGES
from clearline.demo.content.people import PEOPLE
from clearline.demo.content.providers import FLAT_FEE, PROVIDERS
from clearline.demo.content.site import HOME, TOPICS
from clearline.demo.listing import ensure_listing_number
from clearline.directory.demo import load_samhsa_directory
from clearline.providers.models import Contract, Membership, MembershipRole, OpeningHours, Provider

logger = logging.getLogger(__name__)

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "clearline-demo"  # noqa: S105 - printed in README; demo only


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in. Every demo account has the password ``clearline-demo`` and a fixed authenticator key
    (20 bytes, written here in hex; apps take it in base32, which ``load_demo_data`` prints with an otpauth
    URI). These keys are public: the demo must never run on a real site (it refuses CLEARLINE_ENV=production)."""

    username: str
    key_hex: str
    provider_slug: str = ""  # empty: the operator
    role: str = ""

    @property
    def recovery_codes(self) -> list[str]:
        return [f"{self.username.replace('-', '')}{n}" for n in range(1, 4)]


def _demo_key(text: str) -> str:
    return text.encode().hex()


# Each key is a readable 20-byte text (so the docs can say where it comes from), hex-encoded.
DEMO_ACCOUNTS = (
    DemoAccount(ADMIN_USERNAME, _demo_key("clearline-demo-admin")),
    DemoAccount("cedar-admin", _demo_key("demo-cedar-admin-key"), "cedar-harbor", MembershipRole.ADMIN),
    DemoAccount("cedar-agent", _demo_key("demo-cedar-agent-key"), "cedar-harbor", MembershipRole.AGENT),
    DemoAccount("mesa-admin", _demo_key("demo-mesa-admin-key!"), "mesa-verde-health", MembershipRole.ADMIN),
    DemoAccount("mesa-agent", _demo_key("demo-mesa-agent-key!"), "mesa-verde-health", MembershipRole.AGENT),
)

# Fictional numbers (555-01xx) for the demo helplines. Keys: topic slug -> [(label, intent), ...]
HELPLINES: dict[str, list[tuple[str, str, str, str]]] = {
    "heroin": [
        ("Heroin Detox", "Desintoxicación de heroína", HelplineIntent.DETOX, "+12065550101"),
        ("Heroin Rehabilitation", "Rehabilitación de heroína", HelplineIntent.REHABILITATION, "+12065550102"),
        (
            "Heroin Addiction Hotline",
            "Línea de ayuda: adicción a la heroína",
            HelplineIntent.HOTLINE,
            "+12065550103",
        ),
    ],
    "opioids": [
        ("Opioid Detox", "Desintoxicación de opioides", HelplineIntent.DETOX, "+12065550111"),
        (
            "Opioid Addiction Hotline",
            "Línea de ayuda: adicción a los opioides",
            HelplineIntent.HOTLINE,
            "+12065550113",
        ),
    ],
    "alcohol": [
        ("Alcohol Detox", "Desintoxicación de alcohol", HelplineIntent.DETOX, "+12065550121"),
        (
            "Alcohol Addiction Hotline",
            "Línea de ayuda: adicción al alcohol",
            HelplineIntent.HOTLINE,
            "+12065550123",
        ),
    ],
}
DEFAULT_HELPLINE = (
    "Treatment Helpline",
    "Línea de ayuda para tratamiento",
    HelplineIntent.HOTLINE,
    "+12065550100",
)
TOPIC_DIRECTORY_QUERIES = {"heroin": "medication=otp", "opioids": "medication=buprenorphine", "alcohol": ""}
CITATION_MARKER = re.compile(r"\[(\d+)\]")
INTERNAL_LINK = re.compile(r'<a href="(/es)?/([a-z0-9-]+)/">')


def link_citations(html: str) -> str:
    return CITATION_MARKER.sub(r'<a href="#citation-\1">[\1]</a>', html)


def _english_slugs() -> dict[str, str]:
    """Every slug a demo link may name, English or Spanish, and the slug of the English page it means."""
    slugs: dict[str, str] = {}
    for data in [*TOPICS, *LEGAL_PAGES]:
        slugs[data["slug"]] = data["slug"]
        slugs[data.get("es", {}).get("slug") or data["slug"]] = data["slug"]
    return slugs


def link_pages(html: str) -> str:
    """The demo's text links topics and policies by path ("/es/politica-editorial/"). Link the pages themselves
    instead (Wagtail page links, in the path's language), so a link follows its page whatever slug the page has
    in this database: a demo loaded before the Spanish pages had Spanish slugs keeps its English ones."""
    english_slugs = _english_slugs()

    def page_link(match: re.Match[str]) -> str:
        spanish, slug = match.group(1), match.group(2)
        page = (
            Page.objects.type(TopicPage, LegalPage)
            .filter(locale__language_code="en", depth=3, slug=english_slugs.get(slug, slug))
            .first()
        )
        if page is not None and spanish:
            page = page.get_translation_or_none(Locale.objects.get(language_code="es"))
        # A page not made yet (a policy linking the next one) keeps its path, which is the page's own.
        return f'<a linktype="page" id="{page.pk}">' if page is not None else match.group(0)

    return INTERNAL_LINK.sub(page_link, html)


def to_stream(blocks: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    stream: list[tuple[str, Any]] = []
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", RichText(link_pages(link_citations(value)))))
        else:
            stream.append((kind, value))
    return stream


def ensure_locales() -> tuple[Locale, Locale]:
    english, _ = Locale.objects.get_or_create(language_code="en")
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    return english, spanish


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def child_by_slug(parent: Page, slug: str) -> Page | None:
    return parent.get_children().filter(slug=slug).first()


def ensure_home(english: Locale) -> HomePage:
    home = HomePage.objects.filter(locale=english).first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = HomePage(title=HOME["title"], slug="clearline", intro=HOME["intro"], locale=english)
    root.add_child(instance=home)
    publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Clearline"
        )
    else:
        site.root_page, site.site_name = home, "Clearline"
        site.save()
    if old_root is not None and old_root.pk != home.pk and old_root.specific_class != HomePage:
        old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" page
    return HomePage.objects.get(pk=home.pk)


def translate(page: Page, spanish: Locale, fields: dict[str, Any]) -> Page:
    existing = page.get_translation_or_none(spanish)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(spanish, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return publish(translated)


def ensure_helplines() -> dict[str, list[Helpline]]:
    by_topic: dict[str, list[Helpline]] = {}
    for topic, rows in HELPLINES.items():
        by_topic[topic] = [
            Helpline.objects.get_or_create(
                number=number,
                defaults={
                    "label": label,
                    "label_es": label_es,
                    "intent": intent,
                    "kind": HelplineKind.GENERAL,
                },
            )[0]
            for label, label_es, intent, number in rows
        ]
    label, label_es, intent, number = DEFAULT_HELPLINE
    default, _ = Helpline.objects.get_or_create(
        number=number, defaults={"label": label, "label_es": label_es, "intent": intent}
    )
    settings_row = HelplineSettings.load()
    if not settings_row.default_helplines.exists():
        DefaultHelpline.objects.create(settings=settings_row, helpline=default, sort_order=0)
    return by_topic


def ensure_topics(
    home: HomePage, spanish: Locale, helplines: dict[str, list[Helpline]]
) -> dict[str, TopicPage]:
    topics: dict[str, TopicPage] = {}
    for data in TOPICS:
        page = child_by_slug(home, data["slug"])
        if page is None:
            page = TopicPage(
                title=data["title"],
                slug=data["slug"],
                intro=data["intro"],
                show_in_menus=True,
                search_description=data.get("search_description", ""),
                directory_query=TOPIC_DIRECTORY_QUERIES.get(data["slug"], ""),
                directory_link_text=data.get("directory_link_text", ""),
            )
            for order, helpline in enumerate(helplines.get(data["slug"], [])):
                page.helpline_assignments.add(TopicHelpline(helpline=helpline, sort_order=order))
            home.add_child(instance=page)
            publish(page)
        topics[data["slug"]] = page.specific
        es = data.get("es")
        if es:
            translate(
                page.specific,
                spanish,
                {
                    "title": es["title"],
                    "slug": es.get("slug", data["slug"]),
                    "intro": es["intro"],
                    "search_description": es.get("search_description", ""),
                    "directory_link_text": es.get("directory_link_text", ""),
                },
            )
    return topics


def ensure_people() -> dict[str, Person]:
    people = {}
    for data in PEOPLE:
        person, _ = Person.objects.get_or_create(
            name=data["name"],
            defaults={
                "credentials": data["credentials"],
                "role": data["role"],
                "bio": data["bio"],
                "is_fictional": data["fictional"],
            },
        )
        if data["fictional"] and not person.is_fictional:
            # A demo loaded before the flag existed: the person was invented all along, so pages must say so.
            person.is_fictional = True
            person.save(update_fields=["is_fictional"])
        people[data["key"]] = person
    return people


def build_article(data: dict[str, Any], people: dict[str, Person]) -> ArticlePage:
    page = ArticlePage(
        title=data["title"],
        slug=data["slug"],
        intro=data["intro"],
        search_description=data["summary"],
        body=to_stream(data["body"]),
        author=people.get(data["author"]),
        medical_reviewer=people.get(data["reviewer"]),
        last_reviewed=dt.date.fromisoformat(data["last_reviewed"]),
    )
    for order, citation in enumerate(data["citations"]):
        page.citations.add(
            Citation(
                sort_order=order,
                **{k: citation.get(k) or "" for k in ("title", "publisher", "url")},
                year=citation.get("year"),
            )
        )
    return page


def ensure_articles(topics: dict[str, TopicPage], spanish: Locale, people: dict[str, Person]) -> int:
    created = 0
    english_by_slug: dict[str, ArticlePage] = {}
    for data in (a for a in ARTICLES if a["locale"] == "en"):
        topic = topics[data["topic"]]
        page = child_by_slug(topic, data["slug"])
        if page is None:
            page = build_article(data, people)
            topic.add_child(instance=page)
            publish(page)
            created += 1
        english_by_slug[data["slug"]] = page.specific
    for data in (a for a in ARTICLES if a["locale"] == "es"):
        source = english_by_slug[data["translation_of"]]
        if source.get_translation_or_none(spanish) is not None:
            continue
        translated = source.copy_for_translation(spanish, copy_parents=True)
        fresh = build_article(data, people)
        for name in ("title", "slug", "intro", "search_description", "body", "last_reviewed"):
            setattr(translated, name, getattr(fresh, name))
        translated.citations.set(
            [
                Citation(
                    sort_order=c.sort_order, title=c.title, publisher=c.publisher, url=c.url, year=c.year
                )
                for c in fresh.citations.all()
            ]
        )
        translated.save()
        publish(translated)
        created += 1
    return created


def ensure_legal_pages(home: HomePage, spanish: Locale) -> None:
    for data in LEGAL_PAGES:
        page = child_by_slug(home, data["slug"])
        if page is None:
            page = LegalPage(
                title=data["title"],
                slug=data["slug"],
                kind=data["kind"],
                intro=data["intro"],
                body=to_stream(data["body"]),
            )
            home.add_child(instance=page)
            publish(page)
        es = data.get("es")
        if es:
            translate(
                page.specific,
                spanish,
                {
                    "title": es["title"],
                    "slug": es.get("slug", data["slug"]),
                    "intro": es["intro"],
                    "body": to_stream(es["body"]),
                },
            )


WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def provider_operations(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "phone": data["phone"],
        "timezone": data["timezone"],
        "states": data["states"],
        "languages": data["languages"],
        "intents": data["intents"],
        "open_24_7": data["hours"] == "24/7",
        "lines": 2,
        "license_number": f"DEMO-{data['key'].upper()}",
        "license_expires_on": timezone.localdate().replace(month=12, day=31) + dt.timedelta(days=366),
        "certification_expires_on": timezone.localdate().replace(month=12, day=31) + dt.timedelta(days=366),
    }


def ensure_providers() -> None:
    # The operator's date, as `Provider.objects.participating()` reads it (not the machine's: on the 1st of a
    # month in UTC it is still the last day of the previous month in New York, and a contract starting "today"
    # would not run yet). They start on the first of last month: the demo's calls (``clearline.demo.calls``) fill
    # last month and this one.
    today = timezone.localdate()
    starts_on = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for data in PROVIDERS:
        provider, created = Provider.objects.get_or_create(
            slug=data["key"],
            defaults={
                "name": data["name"],
                "public_description": data["public_description"],
                **provider_operations(data),
            },
        )
        if created and data["hours"] != "24/7":
            for weekday, key in enumerate(WEEKDAY_KEYS):
                for opens, closes in data["hours"].get(key, []):
                    OpeningHours.objects.create(
                        provider=provider,
                        weekday=weekday,
                        opens=dt.time.fromisoformat(opens),
                        closes=dt.time.fromisoformat(closes),
                    )
        if created or not provider.contracts.exists():
            Contract.objects.create(
                provider=provider,
                amount=Decimal(FLAT_FEE["amount"]),
                currency=FLAT_FEE["currency"],
                period=FLAT_FEE["period"],
                starts_on=starts_on,
            )


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    password: str
    who: str
    key_base32: str
    otpauth_uri: str
    recovery_codes: list[str]


def ensure_demo_accounts() -> list[DemoSignIn]:
    """The operator and, for two demo providers, an administrator and an agent, each with a confirmed
    authenticator on a fixed demo key and three recovery codes. Existing accounts and devices are kept as
    they are (a code already used stays used)."""
    user_model = get_user_model()
    sign_ins = []
    for account in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=account.username).first()
        if user is None:
            # The operator (no provider) is a superuser; the provider accounts are plain users with a membership.
            create = (
                user_model.objects.create_user
                if account.provider_slug
                else user_model.objects.create_superuser
            )
            user = create(account.username, f"{account.username}@example.invalid", ADMIN_PASSWORD)
        who = "Clearline operator (the whole back office)"
        if account.provider_slug:
            provider = Provider.objects.get(slug=account.provider_slug)
            Membership.objects.get_or_create(user=user, defaults={"provider": provider, "role": account.role})
            who = f"{MembershipRole(account.role).label} at {provider.name} (provider portal)"
        device, created = TOTPDevice.objects.get_or_create(
            user=user, name="demo authenticator", defaults={"key": account.key_hex, "confirmed": True}
        )
        if created:
            codes, _made = StaticDevice.objects.get_or_create(
                user=user, name="recovery codes", defaults={"confirmed": True}
            )
            StaticToken.objects.bulk_create(
                StaticToken(device=codes, token=code) for code in account.recovery_codes
            )
        sign_ins.append(
            DemoSignIn(
                username=account.username,
                password=ADMIN_PASSWORD,
                who=who,
                key_base32=base64.b32encode(bytes.fromhex(account.key_hex)).decode(),
                otpauth_uri=device.config_url,
                recovery_codes=account.recovery_codes,
            )
        )
    return sign_ins


def refuse_in_production() -> None:
    if settings.CLEARLINE_ENV == "production":
        raise ImproperlyConfigured(
            "load_demo_data refuses to run with CLEARLINE_ENV=production: it creates accounts whose passwords "
            "and authenticator keys are published."
        )


def load_demo_facilities() -> int:
    try:
        from clearline.directory.demo import load_demo_facilities as load
    except ImportError:  # the directory app ships its own demo facilities
        return 0
    return load()


@transaction.atomic
def load_demo_data() -> dict[str, Any]:
    refuse_in_production()
    english, spanish = ensure_locales()
    home = ensure_home(english)
    translate(home, spanish, {"title": HOME["es"]["title"], "intro": HOME["es"]["intro"]})
    helplines = ensure_helplines()
    topics = ensure_topics(home, spanish, helplines)
    people = ensure_people()
    ensure_legal_pages(home, spanish)  # before the articles, which link them
    articles = ensure_articles(topics, spanish, people)
    ensure_providers()
    sign_ins = ensure_demo_accounts()
    facilities = load_demo_facilities()
    load_samhsa_directory()
    ensure_listing_number()  # before the disclosure, whose claims cover every number
    version = ensure_current_disclosure()
    return {
        "articles_created": articles,
        "facilities": facilities,
        "disclosure_version": version.number,
        "sign_ins": sign_ins,
    }
