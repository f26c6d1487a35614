# Fixtures for the pmemkit Python tests: pools in a fresh directory on
# $PK_TEST_DIR (default /dev/shm) with emulated persistent memory.
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("PMEM_IS_PMEM_FORCE", "1")
import pmemkit  # noqa: E402


@pytest.fixture
def tmp_path():
    d = tempfile.mkdtemp(prefix="pmemkit-py-",
                         dir=os.environ.get("PK_TEST_DIR", "/dev/shm"))
    try:
        import pathlib
        yield pathlib.Path(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "test.pool")


@pytest.fixture
def pool(path):
    p = pmemkit.Pool.create(path, size=32 << 20)
    try:
        yield p
    finally:
        try:
            p.close()
        except BufferError:
            import gc
            gc.collect()
            p.close()
