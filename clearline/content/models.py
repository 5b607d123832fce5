"""Wagtail pages: home, topic hubs (which own their helpline numbers), articles and legal pages."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from clearline.content.seo import absolute_url, page_path
from clearline.content.snippets import Helpline, HelplineIntent, HelplineKind, Person, PersonRole
from clearline.lib.pagecache import mark_cacheable

__all__ = [
    "ArticlePage",
    "Helpline",
    "HelplineIntent",
    "HelplineKind",
    "HelplineSettings",
    "HomePage",
    "LegalPage",
    "Person",
    "PersonRole",
    "TopicPage",
]

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]
# Search engines show about this many characters of a description.
META_DESCRIPTION_CHARS = 160


def script_json(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> block: <, > and & escaped so no text can close it."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


class CalloutBlock(blocks.TextBlock):
    class Meta:
        icon = "warning"
        template = "content/blocks/callout.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", template="content/blocks/heading.html")
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    callout = CalloutBlock(help_text=_("A safety or crisis note, shown highlighted."))


class HelplinePage(Page):
    """A page that shows a helpline bar. Subclasses say which numbers (topic, or the site default)."""

    class Meta:
        abstract = True

    def get_helplines(self) -> list[Helpline]:
        return HelplineSettings.load().helplines()

    @property
    def meta_description(self) -> str:
        """The page's summary for search engines: its search description, else the start of its intro."""
        text = self.search_description or strip_tags(str(getattr(self, "intro", "") or ""))
        return Truncator(" ".join(text.split())).chars(META_DESCRIPTION_CHARS)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # Public pages are the same for every anonymous visitor: lib/pagecache.py may reuse this response.
        return mark_cacheable(super().serve(request, *args, **kwargs))


class HomePage(HelplinePage):
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.TopicPage", "content.LegalPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicPage.objects.child_of(self).live().public().specific()
        context["json_ld"] = self.json_ld(request)
        return context

    def json_ld(self, request: HttpRequest) -> str:
        """schema.org WebSite with its search, so search engines can offer the site's own search."""
        with translation.override(self.locale.language_code):
            search = absolute_url(request, reverse("content:search"))
        return script_json(
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": "Clearline",
                "url": absolute_url(request, page_path(self, request)),
                "inLanguage": self.locale.language_code,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
                    "query-input": "required name=search_term_string",
                },
            }
        )


class TopicPage(HelplinePage):
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    directory_query = models.CharField(
        _("treatment search filters"),
        max_length=200,
        blank=True,
        help_text=_('Query string for the treatment search link, e.g. "medication=otp".'),
    )
    directory_link_text = models.CharField(
        _("treatment search link text"),
        max_length=100,
        blank=True,
        help_text=_(
            'The words of the treatment search button, e.g. "Find heroin treatment near you". Empty: "Find '
            'treatment near you".'
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("helpline_assignments", label=_("Helpline numbers for this topic")),
        FieldPanel("directory_query"),
        FieldPanel("directory_link_text"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_description"),
        index.SearchField("intro"),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage"]

    def get_helplines(self) -> list[Helpline]:
        own = [a.helpline for a in self.helpline_assignments.select_related("helpline").all()]
        return own or super().get_helplines()

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = ArticlePage.objects.child_of(self).live().public().order_by("title")
        return context


class TopicHelpline(Orderable):
    topic = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="helpline_assignments")
    helpline = models.ForeignKey(Helpline, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("helpline")]


class ArticlePage(HelplinePage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), use_json_field=True)
    author = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"role": PersonRole.AUTHOR},
    )
    medical_reviewer = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"role": PersonRole.REVIEWER},
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("medical_reviewer"), FieldPanel("last_reviewed")],
            heading=_("Authorship and medical review"),
        ),
        InlinePanel("citations", label=_("Citations (numbered in this order)")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_description"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.TopicPage"]
    subpage_types: list[str] = []

    @property
    def topic(self) -> TopicPage | None:
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    def get_helplines(self) -> list[Helpline]:
        topic = self.topic
        if isinstance(topic, TopicPage):
            return topic.get_helplines()
        return super().get_helplines()

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["json_ld"] = self.json_ld(request)
        return context

    def json_ld(self, request: HttpRequest) -> str:
        """schema.org MedicalWebPage, serialised safely for a <script type="application/ld+json"> block."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": self.title,
            "headline": self.title,
            "description": self.search_description or self.intro,
            "url": absolute_url(request, page_path(self, request)),
            "inLanguage": self.locale.language_code,
            "citation": [
                {"@type": "CreativeWork", "name": c.title, "publisher": c.publisher, "url": c.url}
                for c in self.citations.all()
            ],
        }
        if self.last_reviewed:
            data["lastReviewed"] = self.last_reviewed.isoformat()
        if self.author:
            data["author"] = self.author.json_ld()
        if self.medical_reviewer:
            data["reviewedBy"] = self.medical_reviewer.json_ld()
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        return script_json(data)


class Citation(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="citations")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)

    panels = [FieldPanel("title"), FieldPanel("publisher"), FieldPanel("year"), FieldPanel("url")]


class LegalKind(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy")
    ADVERTISING = "advertising", _("Advertising and routing policy")
    EDITORIAL = "editorial", _("Editorial policy")


class LegalPage(HelplinePage):
    kind = models.CharField(max_length=20, choices=LegalKind.choices)
    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock(), use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []


@register_setting(icon="phone")
class HelplineSettings(ClusterableModel, BaseGenericSetting):
    """The helpline numbers shown on pages that belong to no topic."""

    panels = [InlinePanel("default_helplines", label=_("Default helpline numbers"))]

    class Meta:
        verbose_name = _("default helpline numbers")

    def helplines(self) -> list[Helpline]:
        return [row.helpline for row in self.default_helplines.select_related("helpline").all()]


class DefaultHelpline(Orderable):
    settings = ParentalKey(HelplineSettings, on_delete=models.CASCADE, related_name="default_helplines")
    helpline = models.ForeignKey(Helpline, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("helpline")]


class DisclosureVersion(models.Model):
    """One published wording of "Where do calls go?", generated from the roster; never edited by hand.

    A new version is stored whenever the generated text changes (a provider joins, leaves or is renamed, a
    contract starts or ends, the routing wave size or the template changes). Telephony records on each call the
    version the caller heard.
    """

    number = models.PositiveIntegerField(unique=True)
    template_version = models.CharField(max_length=20)
    roster = models.JSONField(help_text="[{id, name}] of the participating providers named in this version.")
    content_hash = models.CharField(max_length=64)
    text_en = models.TextField()
    text_es = models.TextField()
    spoken_en = models.TextField()
    spoken_es = models.TextField()
    claims = models.JSONField(
        default=dict, blank=True, help_text="The typed claims every sentence was rendered from, per number."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self) -> str:
        return f"Disclosure v{self.number}"

    def text_for(self, language: str) -> str:
        return self.text_es if language.startswith("es") else self.text_en

    def paragraphs_for(self, language: str) -> list[str]:
        return [p for p in self.text_for(language).split("\n\n") if p]
