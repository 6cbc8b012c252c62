"""Alerts that other channels may carry besides the e-mail and the notification centre.

An app that raises something a person must act on (new screening hits to decide, reminders of
approvals or tasks falling due) sends `alert_raised` with an `Alert`. Apps that deliver alerts
elsewhere (the notices app: WeCom and DingTalk group robots) connect a receiver; the sending apps
never import them. The message is a lazy translatable text with %(name)s placeholders, rendered
in each channel's language; it must carry no internal identifiers.
"""

from dataclasses import dataclass, field

from django.dispatch import Signal
from django.utils import translation
from django.utils.functional import Promise

# sender: the sending app's label; kwargs: alert=Alert
alert_raised = Signal()


@dataclass(frozen=True)
class Alert:
    organisation_id: int
    kind: str  # the sender's own name of the event, never shown
    message: Promise
    params: dict = field(default_factory=dict)
    path: str = ""  # the page to open, a path on this site

    def render(self, language: str) -> str:
        with translation.override(language):
            params = {name: str(value) for name, value in self.params.items()}
            return str(self.message) % params if params else str(self.message)


def alert_raise(*, sender: str, alert: Alert) -> None:
    """Tell every connected channel; a failing receiver never stops the sender's own work."""
    alert_raised.send_robust(sender=sender, alert=alert)
