from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from clearline.content.seo import robots_txt, sitemap_index, sitemap_section


def two_factor_login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.GET["next"]}) if request.GET.get("next") else ""
    return HttpResponseRedirect(reverse("accounts:login") + (f"?{query}" if query else ""))


urlpatterns = [
    # Both admins sign in through the two-factor login; their own password-only forms are not reachable.
    path(f"{settings.CLEARLINE_ADMIN_PATH}login/", two_factor_login_redirect),
    path("django-admin/login/", two_factor_login_redirect),
    path(settings.CLEARLINE_ADMIN_PATH, include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("clearline.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("telephony/", include("clearline.telephony.urls")),
    path("api/hsds/", include("clearline.directory.api_urls")),
    # For search engines (clearline/content/seo.py): a sitemap index of both languages, and robots.txt.
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap_section"),
]

# Pages people read: English at /, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", include("clearline.content.urls")),
    path("treatment/", include("clearline.directory.urls")),
    path("portal/", include("clearline.portal.urls")),
    path("transparency/", include("clearline.reports.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
