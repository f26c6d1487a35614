package io.pmemkit.test;

import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;

/**
 * A test class's fixture: a new pool for each test (at {@code path}, of
 * {@link #poolSize()} bytes, in a directory of the test's own), open as
 * {@code pool} with its root map {@code root}, closed after the test.
 */
abstract class PoolFixture {
    @Rule
    public final TestPools pools = new TestPools();

    protected String path;
    protected Pool pool;
    protected PersistentMap root;

    /** The size of the pool each test gets. */
    protected long poolSize() {
        return Pool.DEFAULT_SIZE;
    }

    @Before
    public void createPool() throws Exception {
        path = pools.path(getClass().getSimpleName());
        pool = Pool.create(path, poolSize());
        root = pool.root();
    }

    /* what the pool holds after closing and opening it again */
    protected void reopen() throws Exception {
        pool.close();
        pool = Pool.open(path);
        root = pool.root();
    }

    @After
    public void closePool() throws Exception {
        pool.close();
    }
}
