"""Demo data: each app contributes a seeder in its own `demo.py`; `seed_demo` runs them in order.

A seeder is idempotent (get_or_create on natural keys) and receives the shared `DemoContext`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_SEEDERS: list[tuple[int, str, Callable]] = []


@dataclass
class DemoContext:
    password: str | None
    log: Callable[[str], None]
    organisations: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def demo_seeder(order: int):
    def decorator(func):
        _SEEDERS.append((order, f"{func.__module__}.{func.__name__}", func))
        return func

    return decorator


def demo_seeders() -> list[Callable]:
    return [func for _order, _name, func in sorted(_SEEDERS, key=lambda s: (s[0], s[1]))]
