from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from loket.api.api import api

admin.site.site_header = _("Loket beheer")
admin.site.site_title = _("Loket beheer")
admin.site.index_title = _("Configuratie")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("api/v1/", api.urls),
    path("desk/", include("loket.desk.urls")),
    path("", include("loket.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "loket.portal.views.not_found"
handler500 = "loket.portal.views.server_error"
