"""What trade does when screening (below it in the layers) publishes an event; connected in
apps.py. See screening/signals.py."""

from .services.transaction import transactions_recheck_after_rescreen


def transactions_recheck_after_parties_rescreened(sender, *, organisation, **kwargs) -> None:
    """The organisation's parties were re-screened: approved transactions not yet shipped with a
    new undecided hit go back to review."""
    transactions_recheck_after_rescreen(organisation=organisation)
