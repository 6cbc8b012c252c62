# Party tests screen against the same small lists as the screening tests.
from tests.screening.conftest import _fresh_index_cache, private_list, public_list  # noqa: F401
