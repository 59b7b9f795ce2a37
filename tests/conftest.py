import pytest

from helpers import make_catalogue


@pytest.fixture
def base_catalogue(tmp_path):
    return make_catalogue(tmp_path)
