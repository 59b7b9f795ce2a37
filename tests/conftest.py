import os
import tempfile

import pytest

from helpers import make_catalogue

# Tests read thutuc's English messages, whatever the machine's locale (test_i18n switches on purpose).
os.environ["LC_ALL"] = "C.UTF-8"
# Commands started by tests (and their subprocesses) cache into a throwaway folder, never ~/.cache.
os.environ.setdefault("THUTUC_CACHE_DIR", tempfile.mkdtemp(prefix="thutuc-test-cache-"))


@pytest.fixture
def base_catalogue(tmp_path):
    return make_catalogue(tmp_path)
