"""Snippets editors pick from: helpline numbers and the people who write and review articles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from clearline.lib.phone import format_national, validate_e164


class HelplineIntent(models.TextChoices):
    DETOX = "detox", _("detox")
    REHABILITATION = "rehabilitation", _("rehabilitation")
    HOTLINE = "hotline", _("hotline")


class HelplineKind(models.TextChoices):
    GENERAL = "general", _("general helpline (answered by a participating provider)")
    LISTING = "listing", _("listing number (rings one facility only)")


class Helpline(index.Indexed, models.Model):
    label = models.CharField(
        _("label"), max_length=80, help_text=_('Shown in the helpline bar, e.g. "Heroin Detox".')
    )
    label_es = models.CharField(_("label in Spanish"), max_length=80, blank=True)
    intent = models.CharField(_("intent"), max_length=20, choices=HelplineIntent.choices)
    number = models.CharField(
        _("number"),
        max_length=16,
        unique=True,
        validators=[validate_e164],
        help_text=_("E.164, e.g. +12065550100."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=HelplineKind.choices, default=HelplineKind.GENERAL
    )
    facility = models.ForeignKey(
        "directory.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listing_numbers",
        help_text=_("Listing numbers only: the one facility this number rings. It never rings anyone else."),
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("label_es"),
        FieldPanel("intent"),
        FieldPanel("number"),
        FieldPanel("kind"),
        FieldPanel("facility"),
    ]
    search_fields = [index.SearchField("label"), index.FilterField("kind")]

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} {self.display_number}"

    def clean(self) -> None:
        if self.kind == HelplineKind.LISTING and self.facility_id is None:
            raise ValidationError({"facility": _("A listing number must name the facility it rings.")})
        if self.kind == HelplineKind.GENERAL and self.facility_id is not None:
            raise ValidationError(
                {"facility": _("A general helpline number does not ring a single facility.")}
            )

    @property
    def display_label(self) -> str:
        """The label in the active language (Spanish when given, English otherwise)."""
        language = get_language() or "en"
        return self.label_es if language.startswith("es") and self.label_es else self.label

    @property
    def display_number(self) -> str:
        return format_national(self.number)

    @property
    def is_general(self) -> bool:
        return self.kind == HelplineKind.GENERAL


class PersonRole(models.TextChoices):
    AUTHOR = "author", _("author")
    REVIEWER = "reviewer", _("medical reviewer")


class Person(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(_("credentials"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    bio = models.TextField(_("short biography"), blank=True)
    is_fictional = models.BooleanField(
        _("fictional (demo content)"),
        default=False,
        help_text=_(
            "Tick for an invented person, as on the demo site: articles then say the person is fictional and "
            "that no real clinician reviewed them."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("is_fictional"),
    ]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def json_ld(self) -> dict[str, str]:
        """schema.org Person; an invented person says so, so no reader or search engine takes it as real."""
        data = {"@type": "Person", "name": str(self)}
        if self.is_fictional:
            data["description"] = gettext("A fictional person invented for a demonstration site.")
        return data
