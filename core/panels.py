"""Panels that apps above the programme add to its overview, without the overview importing
them (the registry pattern: a higher app registers, the lower page asks the registry).

A panel function receives the request and returns None (nothing to show) or a `Panel`: the
template to include and its context. A failing panel is logged and left out, so one app's
broken data never takes the overview down.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_PANELS: list[tuple[int, str, Callable]] = []


def overview_panel(order: int = 50):
    """Register `func(request) -> Panel | None` for the overview, shown in `order`."""

    def decorator(func):
        name = f"{func.__module__}.{func.__name__}"
        if all(existing != name for _order, existing, _func in _PANELS):
            _PANELS.append((order, name, func))
            _PANELS.sort(key=lambda entry: (entry[0], entry[1]))
        return func

    return decorator


def overview_panels(request) -> list[Panel]:
    panels = []
    for _order, name, func in _PANELS:
        try:
            panel = func(request)
        except Exception:  # see the module docstring: isolate each panel
            logger.exception("overview panel %s failed", name)
            continue
        if panel is not None:
            panels.append(panel)
    return panels
