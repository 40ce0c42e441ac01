from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="desk"),
    path("aanmelden/", views.intake, name="desk-intake"),
    path("bulk/", views.bulk, name="desk-bulk"),
    path("medewerkers/", views.employee_lookup, name="desk-employees"),
    path("meldingen/<str:number>/", views.workspace, name="desk-ticket"),
    path("meldingen/<str:number>/<str:action>/", views.act, name="desk-act"),
]
