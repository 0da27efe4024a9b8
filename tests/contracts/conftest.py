from tests.contracts.test_contract_path import published_listing  # noqa: F401
from tests.contracts.test_sealing import world  # noqa: F401
