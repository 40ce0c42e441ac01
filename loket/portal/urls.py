from django.contrib.auth import views as auth_views
from django.urls import path

from . import catalog_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("meldingen/", views.my_requests, name="my-requests"),
    path("meldingen/<str:number>/", views.ticket_detail, name="ticket-detail"),
    path("meldingen/<str:number>/akkoord/", views.accept_resolution, name="ticket-accept"),
    path("meldingen/<str:number>/heropenen/", views.reopen, name="ticket-reopen"),
    path("meldingen/<str:number>/beoordelen/", views.rate, name="ticket-rate"),
    path("meldingen/<str:number>/reageren/", views.reply, name="ticket-reply"),
    path("gezondheid/", views.health, name="health"),
    path("producten/", catalog_views.catalog_index, name="catalog"),
    path("producten/vraag/", catalog_views.general_request, name="general-request"),
    path("producten/thema/<str:code>/", catalog_views.catalog_theme, name="catalog-theme"),
    path("producten/<str:code>/", catalog_views.catalog_item, name="catalog-item"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/sleutels/", views.token_create, name="token-create"),
    path("profiel/sleutels/<int:pk>/intrekken/", views.token_revoke, name="token-revoke"),
]
