from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    # the chamber's events
    path("chamber/events/", views.event_list, name="event_list"),
    path("chamber/events/new/", views.event_create, name="event_create"),
    path("chamber/events/<int:pk>/", views.event_detail, name="event_detail"),
    path("chamber/events/<int:pk>/edit/", views.event_update, name="event_update"),
    path("chamber/events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("chamber/events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    # a member's events
    path("events/", views.member_event_list, name="member_event_list"),
    path("events/<int:pk>/", views.member_event_detail, name="member_event_detail"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path(
        "events/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "events/registrations/<int:pk>/certificate/",
        views.registration_certificate,
        name="registration_certificate",
    ),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    # the case library
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_update, name="case_update"),
    path("cases/<int:pk>/publish/", views.case_publish, name="case_publish"),
    path("cases/from-chambers/<int:pk>/", views.member_case_detail, name="member_case_detail"),
]
