"""Demo data: each app contributes a seeder in its own `demo.py`; `seed_demo` runs them in order.

A seeder is idempotent (get_or_create on natural keys) and receives the shared `DemoContext`.
"""

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

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


def discover_demo_modules() -> None:
    """Import every app's `demo` module; when it is a package, each of its modules too."""
    _register_accounts_seeder()
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{name}.{info.name}")


def _register_accounts_seeder() -> None:
    """accounts is the bottom layer and imports no app of ours (pyproject.toml), so it cannot
    use `demo_seeder`: its seeder (organisations and users, first) is registered from here."""
    from accounts.demo import seed_organisations_and_users  # loads models: after app loading

    if all(func is not seed_organisations_and_users for _order, _name, func in _SEEDERS):
        demo_seeder(order=10)(seed_organisations_and_users)


def demo_seeders() -> list[Callable]:
    return [func for _order, _name, func in sorted(_SEEDERS, key=lambda s: (s[0], s[1]))]
