from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from core.history import restore_history_after_save, skip_unchanged_history

        # Every model's history receivers are connected by now (class_prepared), so ours run
        # after django-simple-history's post_save.
        pre_save.connect(skip_unchanged_history, dispatch_uid="core.history.skip_unchanged")
        post_save.connect(restore_history_after_save, dispatch_uid="core.history.restore")

        from core.i18n import install_country_sorting

        install_country_sorting()

        from accounts.signals import mail_queued
        from core.mail import mail_queued_receiver

        mail_queued.connect(mail_queued_receiver, dispatch_uid="core.mail.mail_queued")
