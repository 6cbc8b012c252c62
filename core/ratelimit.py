"""A per-client limit on how often a login-free form may be used, counted in Django's cache.

A fixed window: the count for (scope, client) starts at the first attempt in each window and is
forgotten with it. With several web machines the cache must be shared (Redis in production).
"""

import time

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, client: str | None, limit: int, window: int) -> bool:
    """Count one attempt of `client` at `scope`; True when it is over `limit` attempts within
    `window` seconds. A request without a known client address is counted under one shared key,
    so that hiding the address does not lift the limit."""
    slot = int(time.time() // window)
    key = f"ratelimit:{scope}:{client or 'unknown'}:{slot}"
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this attempt opens a new window
            cache.add(key, 1, timeout=window)
            count = 1
    return count > limit
