from django.urls import path

from . import views

app_name = "chambers"

urlpatterns = [
    # the chamber's own pages
    path("chamber/", views.home, name="home"),
    path("chamber/members/", views.members_view, name="members_view"),
    path("chamber/publications/", views.publication_list, name="publication_list"),
    path("chamber/publications/new/", views.publication_create, name="publication_create"),
    path("chamber/publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path(
        "chamber/publications/<int:pk>/publish/",
        views.publication_publish,
        name="publication_publish",
    ),
    path("chamber/lists/", views.list_updates, name="list_updates"),
    path("chamber/lists/<int:pk>/status/", views.list_update_status, name="list_update_status"),
    # a member's pages
    path("chambers/", views.my_chambers, name="my_chambers"),
    path("chambers/<int:pk>/accept/", views.membership_accept, name="membership_accept"),
    path("chambers/<int:pk>/decline/", views.membership_decline, name="membership_decline"),
    path("chambers/<int:pk>/leave/", views.membership_leave, name="membership_leave"),
    path("chambers/<int:pk>/consent/", views.membership_consent, name="membership_consent"),
    path("chambers/updates/<int:pk>/", views.update_detail, name="update_detail"),
    path("chambers/updates/<int:pk>/adopt/", views.publication_adopt, name="publication_adopt"),
    path("chambers/lists/", views.shared_lists, name="shared_lists"),
    path(
        "chambers/lists/<int:pk>/subscription/",
        views.list_subscription,
        name="list_subscription",
    ),
]
