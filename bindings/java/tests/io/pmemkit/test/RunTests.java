package io.pmemkit.test;

import org.junit.internal.TextListener;
import org.junit.runner.JUnitCore;
import org.junit.runner.Request;
import org.junit.runner.Result;

/**
 * Runs the test classes named on the command line (all of them by
 * default) with JUnit 4 and ends with the line scripts/test reads:
 * "java: N passed, M failed".
 */
public final class RunTests {
    private static final Class<?>[] ALL = {
        PoolTest.class, ValueTest.class, MapTest.class, ListTest.class,
        ArrayTest.class, TransactionTest.class, ErrorTest.class, InteropTest.class,
        IdiomTest.class, ThreadTest.class, NativeLibraryTest.class, LogTest.class,
        BlocksTest.class, RegionTest.class, SetTest.class, TupleTest.class, RecordTest.class,
        FrozenSetTest.class, SpaceTest.class, PoolOptionsTest.class, DurableTest.class, ReadOnlyTest.class,
        GrowingPoolTest.class, ReplicaTest.class, DefragTest.class, SortedMapTest.class,
    };

    private RunTests() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        Class<?>[] classes = ALL;
        if (args.length > 0) {
            classes = new Class<?>[args.length];
            for (int i = 0; i < args.length; i++)
                classes[i] = Class.forName(args[i].contains(".") ? args[i]
                        : RunTests.class.getPackageName() + "." + args[i]);
        }
        JUnitCore core = new JUnitCore();
        core.addListener(new TextListener(System.out));
        Result r = core.run(Request.classes(classes));
        int failed = r.getFailureCount();
        int skipped = r.getIgnoreCount() + r.getAssumptionFailureCount();
        int passed = r.getRunCount() - failed - r.getAssumptionFailureCount();
        System.out.printf("java: %d passed, %d failed, %d skipped%n", passed, failed, skipped);
        System.exit(failed == 0 ? 0 : 1);
    }
}
