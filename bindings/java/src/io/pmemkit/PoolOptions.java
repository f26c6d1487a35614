package io.pmemkit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * How to create or open a pool: {@link Pool#create(String, PoolOptions)},
 * {@link Pool#open(String, PoolOptions)}. Immutable: each method returns
 * new options, so that a constant can be shared.
 *
 * <pre>{@code
 * Pool.create(path, PoolOptions.growing().maxSize(1L << 30).replica("/mnt/b/my.pool"));
 * Pool.create(path, PoolOptions.fixed(256L << 20).mode(0640).processDurable());
 * Pool.open(path, PoolOptions.defaults().readOnly());
 * Pool.open(path, PoolOptions.of(Map.of("readonly", true)));   // by the options' names
 * }</pre>
 *
 * <ul>
 * <li>{@code size} (create): the bytes of a fixed pool, at least
 * {@link Pool#MIN_SIZE}; 0, the default, makes a pool that grows on demand
 * (its first part 8 MiB, each next one an eighth of the pool then).
 * <li>{@code maxSize} (create): the most a growing pool may grow to;
 * setting it makes the pool grow, from {@code size} when that is set too.
 * 0, the default: the library's limit for a growing pool (32 GiB of
 * address space, not of disk), a fixed pool for a size.
 * <li>{@code mode} (create): the files' permission bits; 0, the default,
 * means 0600.
 * <li>{@code replica} (create): the path of a local replica, a full copy
 * written with every change ({@link Pool#repair(String)} rebuilds a
 * damaged copy from the other).
 * <li>the flags of pmemkit's table, {@link PoolFlag}: {@code readOnly}
 * (open), {@code processDurable} (create and open).
  * </ul>
 * Options a call does not take are {@code IllegalArgumentException} there,
 * nothing created or opened: open takes flags only, create no
 * {@code readOnly}.
 */
public final class PoolOptions {
    /* the option names of the fields, as every language spells them */
    private static final String SIZE = "size", MAX_SIZE = "max_size", MODE = "mode",
            REPLICA = "replica";

    private static final PoolOptions DEFAULTS =
            new PoolOptions(0, 0, 0, null, EnumSet.noneOf(PoolFlag.class));

    private final long size;
    private final long maxSize;
    private final int mode;
    private final String replica;
    private final EnumSet<PoolFlag> flags;

    private PoolOptions(long size, long maxSize, int mode, String replica, EnumSet<PoolFlag> flags) {
        this.size = size;
        this.maxSize = maxSize;
        this.mode = mode;
        this.replica = replica;
        this.flags = flags;
    }

    /** Every default: a growing pool (create), read-write (open). */
    public static PoolOptions defaults() {
        return DEFAULTS;
    }

    /** A pool that grows on demand: {@link #defaults()}, said so. */
    public static PoolOptions growing() {
        return DEFAULTS;
    }

    /** A pool of {@code size} bytes that never grows (unless given a {@link #maxSize}). */
    public static PoolOptions fixed(long size) {
        return DEFAULTS.size(size);
    }

    /**
     * Options from their names, as every language spells them: {@code
     * "size"}, {@code "max_size"}, {@code "mode"} (numbers),
     * {@code "replica"} (a String or Path, or null) and the flags'
     * {@link PoolFlag#option()} names ({@code "readonly"},
     * {@code "process_durable"}: Booleans), e.g. from a configuration file.
     *
     * @throws IllegalArgumentException for a name that is no option's, or a
     *         value of the wrong type
     */
    public static PoolOptions of(Map<String, ?> options) {
        PoolOptions o = DEFAULTS;
        for (Map.Entry<String, ?> e : options.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "option name");
            Object v = e.getValue();
            switch (name) {
            case SIZE -> o = o.size(number(name, v));
            case MAX_SIZE -> o = o.maxSize(number(name, v));
            case MODE -> {
                long m = number(name, v);
                if (m != (int) m)
                    throw new IllegalArgumentException("pmemkit: mode " + m + " is no permission bits");
                o = o.mode((int) m);
            }
            case REPLICA -> o = v == null ? o.noReplica() : o.replica(v instanceof Path p ? p.toString()
                    : text(name, v));
            default -> {
                PoolFlag f;
                try {
                    f = PoolFlag.forOption(name);
                } catch (IllegalArgumentException unknown) {
                    StringJoiner known = new StringJoiner(", ");
                    for (String n : new String[] {SIZE, MAX_SIZE, MODE, REPLICA})
                        known.add(n);
                    for (PoolFlag g : PoolFlag.values())
                        known.add(g.option());
                    throw new IllegalArgumentException("pmemkit: unknown pool option \"" + name
                            + "\" (known: " + known + ")");
                }
                if (!(v instanceof Boolean b))
                    throw new IllegalArgumentException("pmemkit: pool option \"" + name
                            + "\" takes a Boolean, not " + describe(v));
                o = o.flag(f, b);
            }
            }
        }
        return o;
    }

    private static long number(String name, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)
            return ((Number) v).longValue();
        throw new IllegalArgumentException("pmemkit: pool option \"" + name
                + "\" takes an integer, not " + describe(v));
    }

    private static String text(String name, Object v) {
        if (v instanceof String s)
            return s;
        throw new IllegalArgumentException("pmemkit: pool option \"" + name
                + "\" takes a String or Path, not " + describe(v));
    }

    private static String describe(Object v) {
        return v == null ? "null" : "a " + v.getClass().getName();
    }

    /**
     * Create: the pool's size in bytes; 0 for a pool that grows on demand.
     *
     * @throws IllegalArgumentException for a negative size or one below
     *         {@link Pool#MIN_SIZE} (but 0)
     */
    public PoolOptions size(long size) {
        if (size < 0 || (size != 0 && size < Pool.MIN_SIZE))
            throw new IllegalArgumentException("pmemkit: pool size " + size
                    + " is below the minimum " + Pool.MIN_SIZE + " (0 makes a pool that grows)");
        return new PoolOptions(size, maxSize, mode, replica, flags);
    }

    /**
     * Create: a pool that grows, up to {@code maxSize} bytes (from
     * {@link #size}, when set); 0 for the library's limit (a growing pool
     * when the size is 0). Filling it is {@code OutOfSpaceException}, as
     * for a full fixed pool, and the pool stays usable.
     *
     * @throws IllegalArgumentException for a negative maximum
     */
    public PoolOptions maxSize(long maxSize) {
        if (maxSize < 0)
            throw new IllegalArgumentException("pmemkit: negative maximum pool size " + maxSize);
        return new PoolOptions(size, maxSize, mode, replica, flags);
    }

    /**
     * Create: the permission bits of the pool's files ({@code 0640}); 0
     * means 0600.
     *
     * @throws IllegalArgumentException for bits outside 07777
     */
    public PoolOptions mode(int mode) {
        if ((mode & ~07777) != 0)
            throw new IllegalArgumentException("pmemkit: mode 0" + Integer.toOctalString(mode)
                    + " is no permission bits (0 to 07777)");
        return new PoolOptions(size, maxSize, mode, replica, flags);
    }

    /**
     * Create: keep a local replica of the pool at {@code replica}, written
     * in step with it; {@link Pool#repair(String)} rebuilds either copy
     * from the other.
     */
    public PoolOptions replica(String replica) {
        Objects.requireNonNull(replica, "replica");
        if (replica.isEmpty())
            throw new IllegalArgumentException("pmemkit: an empty replica path");
        return new PoolOptions(size, maxSize, mode, replica, flags);
    }

    /** {@link #replica(String)} of a {@link Path}. */
    public PoolOptions replica(Path replica) {
        return replica(Objects.requireNonNull(replica, "replica").toString());
    }

    private PoolOptions noReplica() {
        return new PoolOptions(size, maxSize, mode, null, flags);
    }

    /** {@code flag(PoolFlag.READONLY, true)}: open the pool read-only. */
    public PoolOptions readOnly() {
        return flag(PoolFlag.READONLY, true);
    }

    /** {@code flag(PoolFlag.PROCESS_DURABLE, true)} (see {@link PoolFlag#PROCESS_DURABLE}). */
    public PoolOptions processDurable() {
        return flag(PoolFlag.PROCESS_DURABLE, true);
    }

    /** These options with {@code flag} set or cleared. */
    public PoolOptions flag(PoolFlag flag, boolean on) {
        Objects.requireNonNull(flag, "flag");
        EnumSet<PoolFlag> f = EnumSet.copyOf(flags);
        if (on)
            f.add(flag);
        else
            f.remove(flag);
        return new PoolOptions(size, maxSize, mode, replica, f);
    }

    /** The size: 0 for a growing pool. */
    public long size() {
        return size;
    }

    /** The maximum of a growing pool: 0 for the library's limit. */
    public long maxSize() {
        return maxSize;
    }

    /** Whether create makes a pool that grows: no size, or a maximum. */
    public boolean isGrowing() {
        return size == 0 || maxSize != 0;
    }

    /** The permission bits: 0 for 0600. */
    public int mode() {
        return mode;
    }

    /** The replica's path, or null. */
    public String replica() {
        return replica;
    }

    /** The flags set (unmodifiable). */
    public Set<PoolFlag> flags() {
        return Collections.unmodifiableSet(flags);
    }

    /** Whether {@code flag} is set. */
    public boolean has(PoolFlag flag) {
        return flags.contains(flag);
    }

    /* the flags as the C library's bits */
    int bits() {
        int b = 0;
        for (PoolFlag f : flags)
            b |= f.bit;
        return b;
    }

    /* the options create takes, checked together; IllegalArgumentException else */
    void checkCreate() {
        if (flags.contains(PoolFlag.READONLY))
            throw new IllegalArgumentException("pmemkit: readonly is an option of open: "
                    + "creating a pool writes it");
        if (size != 0 && maxSize != 0 && maxSize < size)
            throw new IllegalArgumentException("pmemkit: maximum pool size " + maxSize
                    + " is below its size " + size);
    }

    /* the options open takes: flags only */
    void checkOpen() {
        if (flags.contains(PoolFlag.READONLY) && flags.contains(PoolFlag.PROCESS_DURABLE))
            throw new IllegalArgumentException("pmemkit: readonly and process_durable do not go "
                    + "together: a read-only pool is never written");
        StringJoiner bad = new StringJoiner(", ");
        if (size != 0)
            bad.add(SIZE);
        if (maxSize != 0)
            bad.add(MAX_SIZE);
        if (mode != 0)
            bad.add(MODE);
        if (replica != null)
            bad.add(REPLICA);
        if (bad.length() != 0)
            throw new IllegalArgumentException("pmemkit: open takes flags only, not " + bad
                    + " (options of create: a pool keeps what it was created with)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolOptions p && p.size == size && p.maxSize == maxSize
                && p.mode == mode && Objects.equals(p.replica, replica) && p.flags.equals(flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, maxSize, mode, replica, flags);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "PoolOptions{", "}");
        if (size != 0)
            j.add(SIZE + "=" + size);
        if (maxSize != 0)
            j.add(MAX_SIZE + "=" + maxSize);
        if (mode != 0)
            j.add(MODE + "=0" + Integer.toOctalString(mode));
        if (replica != null)
            j.add(REPLICA + "=" + replica);
        for (PoolFlag f : flags)
            j.add(f.option());
        return j.toString();
    }
}
