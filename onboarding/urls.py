from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("getting-started/", views.home, name="home"),
    path("getting-started/risk/", views.risk_questions, name="risk_questions"),
    path("getting-started/<slug:step>/skip/", views.step_skip, name="step_skip"),
    path("getting-started/<slug:step>/resume/", views.step_resume, name="step_resume"),
]
