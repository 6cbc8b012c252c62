"""Demo data of trade: the transaction review (orders 36-37), then classification help (order
38). The demo parties they deal with are seeded by screening (screening/demo_parties.py)."""

from trade import demo_items, demo_transactions  # noqa: F401
