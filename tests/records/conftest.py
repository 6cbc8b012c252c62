# Bundle tests build real transactions, screened against the screening tests' small lists.
from tests.screening.conftest import _fresh_index_cache, private_list, public_list  # noqa: F401
