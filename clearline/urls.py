from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path(settings.CLEARLINE_ADMIN_PATH, include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("telephony/", include("clearline.telephony.urls")),
    path("api/hsds/", include("clearline.directory.api_urls")),
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
