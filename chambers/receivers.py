"""What chambers does when screening (below it) reports an event."""

from .services import subscribers_rescreen


def rescreen_subscribers(sender, version_id, **kwargs):
    """A new version of a list: its subscribing members' parties are re-screened."""
    subscribers_rescreen(version_id=version_id)
