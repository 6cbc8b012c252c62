"""Events the screening app publishes for the apps above it (see the import-linter contract in
pyproject.toml): trade subscribes in its `AppConfig.ready()` (trade/receivers.py)."""

from django.dispatch import Signal

# A list version became current and has committed (keyword argument: version_id). Trade
# re-screens the parties of every organisation that sees the list.
list_version_current = Signal()

# A compliance manager decided a hit (keyword arguments: hit, adjudication). Sent inside the
# decision's transaction; trade refreshes the screening badge of the hit's party.
hit_decided = Signal()
