"""The trade app's background job kinds (imported from `TradeConfig.ready()`)."""

from trade import jobs_imports  # noqa: F401  (control-list and customs-catalogue imports)
