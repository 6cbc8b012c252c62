"""Who is knocking: the normalised username and the real client address, for lock-outs and rate
limits.

- The login name is an e-mail address, stored lower-case. django-axes counts failures by the
  name as typed unless told otherwise, so "A@X.com" would get its own five guesses and, logging
  in with the right password, clear the lock of "a@x.com". `axes_username` gives axes the same
  normalised name the login form and `UserManager.get_by_natural_key` use.
- Behind a reverse proxy every request comes from the proxy's address. `client_ip` reads the
  client from X-Forwarded-For, trusting only as many hops as `ICP_TRUSTED_PROXY_COUNT` says
  proxies stand in front of the app (0: the connection's own address, X-Forwarded-For ignored).
  The entries further left are written by the client and can be forged, so they are never used.

Lock-out policy (AXES_LOCKOUT_PARAMETERS = username + client address): five failures for one
user from one address lock that pair for AXES_COOLOFF_HOURS. Someone guessing from elsewhere
therefore cannot lock the real user out of their own office, which a lock on the username alone
would allow anybody to do to any colleague or to the compliance manager before an inspection.
A lock on the address alone would lock a whole office behind one NAT address after five typos
of different people. The cost, a distributed guesser getting five tries per address, is held
down by the password validators (10 characters, not common, not numeric).
"""

import ipaddress

from django.conf import settings


def normalise_username(value: str | None) -> str | None:
    """The e-mail address as stored: surrounding spaces removed, lower case."""
    if value is None:
        return None
    return str(value).strip().lower()


def axes_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalised login name from the credentials or the form."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field)
    return normalise_username(value)


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE and the password-reset rate limit).

    With N trusted proxies the connection comes from the last proxy and X-Forwarded-For ends with
    the addresses the proxies appended: the client is the N-th entry from the right. A request
    with fewer entries did not pass through every proxy, so the connection's address is used.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = getattr(settings, "ICP_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return _valid_ip(forwarded[-count]) or remote
