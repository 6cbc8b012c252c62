"""Scoped reads of the programme, one module per subject."""

from .reference import element_get, element_list, provisions_for  # noqa: F401
