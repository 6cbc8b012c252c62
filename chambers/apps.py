from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChambersConfig(AppConfig):
    name = "chambers"
    verbose_name = _("Chambers of commerce")

    def ready(self):
        # Registrations: the delivery jobs, the member's reminders and the overview panel.
        from icp.services.training_library import shared_course_source_register
        from screening.hooks import shared_list_source
        from screening.signals import list_version_current

        from . import hooks, jobs  # noqa: F401
        from .content import COURSE_CODE_PREFIX, shared_course
        from .receivers import rescreen_subscribers
        from .selectors import subscribed_list_ids

        # The lists a member screens against through its chambers (screening does not import
        # chambers), and their new versions re-screen the members' parties.
        shared_list_source(subscribed_list_ids)
        list_version_current.connect(
            rescreen_subscribers, dispatch_uid="chambers.rescreen_subscribers"
        )
        # The courses members add from their chambers: the course library reads their material
        # and quiz from the publication (icp does not import chambers).
        shared_course_source_register(COURSE_CODE_PREFIX, shared_course)

        # The change history shows that a publication's content changed, not the stored JSON.
        from core.history import history_field_register

        from .models import Publication

        history_field_register(Publication, "content")
