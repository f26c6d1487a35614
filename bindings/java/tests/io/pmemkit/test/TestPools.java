package io.pmemkit.test;

import java.io.File;
import org.junit.rules.TemporaryFolder;

/**
 * Where a test puts its pools: a directory of its own, removed after the
 * test, inside the one the runner made under $PK_TEST_DIR and passes as
 * -Dpmemkit.testdir. Use it as a {@code @Rule}.
 */
final class TestPools extends TemporaryFolder {
    TestPools() {
        super(dir());
    }

    static File dir() {
        String d = System.getProperty("pmemkit.testdir");
        if (d == null || d.isEmpty())
            throw new IllegalStateException("run the tests with -Dpmemkit.testdir=DIR (bindings/java/run-java-test)");
        return new File(d);
    }

    /** A path for a new pool file. */
    String path(String name) {
        return new File(getRoot(), name + ".pool").getPath();
    }
}
