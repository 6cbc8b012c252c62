"""Connects the group robots to the alerts other apps raise (core/alerts.py); no app imports
this module."""

from django.dispatch import receiver

from core.alerts import alert_raised

from .services import alert_enqueue


@receiver(alert_raised, dispatch_uid="notices.alert_enqueue")
def on_alert(sender, alert, **kwargs):
    alert_enqueue(alert=alert)
