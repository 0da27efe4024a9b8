from tests.contracts.test_contract_path import published_listing  # noqa: F401
