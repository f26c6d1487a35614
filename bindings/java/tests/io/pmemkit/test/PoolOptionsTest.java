package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PmemkitIOException;
import io.pmemkit.Pool;
import io.pmemkit.PoolFlag;
import io.pmemkit.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;

/**
 * Options of create and open, and their errors: by name as every language
 * spells them, bad sizes, open taking flags only, a mode.
 */
public class PoolOptionsTest {
    @Rule
    public final TestPools pools = new TestPools();

    @Test
    public void optionsByNameAsEveryLanguageSpellsThem() {
        PoolOptions o = PoolOptions.of(Map.of("max_size", 1L << 30, "mode", 0640,
                "replica", "/x/r.pool", "process_durable", true));
        assertEquals(PoolOptions.growing().maxSize(1L << 30).mode(0640).replica("/x/r.pool")
                .processDurable(), o);
        assertEquals(0, o.size());
        assertEquals(Set.of(PoolFlag.PROCESS_DURABLE), o.flags());
        assertEquals(PoolOptions.defaults().readOnly(), PoolOptions.of(Map.of("readonly", true)));
        assertEquals(PoolOptions.defaults(), PoolOptions.of(Map.of("readonly", false)));
        assertEquals(PoolFlag.READONLY, PoolFlag.forOption("readonly"));
        assertEquals("process_durable", PoolFlag.PROCESS_DURABLE.option());
        assertEquals("PoolOptions{size=8388608, mode=0640, readonly}",
                PoolOptions.fixed(Pool.MIN_SIZE).mode(0640).readOnly().toString());
    }

    @Test
    public void unknownOptionsAndWrongTypesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolOptions.of(Map.of("read_only", true)));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown pool option \"read_only\""));
        assertTrue(e.getMessage(), e.getMessage().contains("readonly"));
        e = assertThrows(IllegalArgumentException.class, () -> PoolOptions.of(Map.of("readonly", "yes")));
        assertTrue(e.getMessage(), e.getMessage().contains("takes a Boolean"));
        e = assertThrows(IllegalArgumentException.class, () -> PoolOptions.of(Map.of("size", 1.5)));
        assertTrue(e.getMessage(), e.getMessage().contains("takes an integer"));
        assertThrows(IllegalArgumentException.class, () -> PoolFlag.forOption("sync"));
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().mode(010000));
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().maxSize(-1));
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().replica(""));
        assertThrows(NullPointerException.class, () -> Pool.create("x", (PoolOptions) null));
    }

    @Test
    public void badSizesAreRefusedAndCreateNothing() {
        String path = pools.path("bad");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, Pool.MIN_SIZE - 1));
        assertTrue(e.getMessage(), e.getMessage().contains("below the minimum"));
        assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE - 1)));
        assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, PoolOptions.fixed(-1)));
        e = assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, PoolOptions.fixed(2 * Pool.MIN_SIZE).maxSize(Pool.MIN_SIZE)));
        assertTrue(e.getMessage(), e.getMessage().contains("below its size"));
        e = assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).readOnly()));
        assertTrue(e.getMessage(), e.getMessage().contains("option of open"));
        assertEquals(0, pools.getRoot().list().length);
    }

    @Test
    public void openTakesFlagsOnly() throws Exception {
        String path = pools.path("flags");
        Pool.create(path, Pool.MIN_SIZE).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pool.open(path, PoolOptions.fixed(Pool.MIN_SIZE).mode(0600)));
        assertTrue(e.getMessage(), e.getMessage().contains("open takes flags only, not size, mode"));
        assertThrows(IllegalArgumentException.class,
                () -> Pool.open(path, PoolOptions.defaults().replica("/x")));
        e = assertThrows(IllegalArgumentException.class,
                () -> Pool.open(path, PoolFlag.READONLY, PoolFlag.PROCESS_DURABLE));
        assertTrue(e.getMessage(), e.getMessage().contains("do not go together"));
        try (Pool pool = Pool.open(path, PoolOptions.defaults())) {
            assertFalse(pool.isReadOnly());
            pool.root().put("k", 1);
        }
    }

    @Test
    public void anExistingPathIsEEXIST() throws Exception {
        String path = pools.path("exists");
        Pool.create(path, Pool.MIN_SIZE).close();
        PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.create(path, Pool.MIN_SIZE));
        assertEquals("EEXIST", e.codeName());
    }

    @Test
    public void aFixedPoolWithAModeHasItsBits() throws Exception {
        String path = pools.path("mode");
        try (Pool pool = Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).mode(0640))) {
            assertEquals(Pool.MIN_SIZE, pool.stats().size());
        }
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(Path.of(path))));
    }
}
