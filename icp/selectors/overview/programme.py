"""The programme overview: the nine elements' statuses in order."""

from .assurance import _audits, _records, _training
from .common import ElementStatus, _programme_owner
from .governance import _manual, _organisation, _policy
from .operations import _emergency, _risk, _transaction_review


def programme_overview(*, organisation) -> list[ElementStatus]:
    owner = _programme_owner(organisation)
    return [
        _policy(organisation, owner),
        _organisation(organisation, owner),
        _risk(organisation, owner),
        _transaction_review(organisation, owner),
        _emergency(organisation, owner),
        _training(organisation, owner),
        _audits(organisation),
        _records(organisation, owner),
        _manual(organisation, owner),
    ]
