package io.pmemkit;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/**
 * An object whose attributes live in a pool: a pmemkit record (a named
 * class and a map from attribute names to values). Subclass it for a
 * class of your own, name the class, register it with the pool, and make
 * objects through the pool:
 *
 * <pre>{@code
 * @PersistentClass("Point")
 * public class Point extends PersistentObject {
 *     public long x() { return getLong("x"); }
 *     public void x(long x) { set("x", x); }      // atomic and durable
 * }
 *
 * pool.register(Point.class);                    // or pool.register(Point.class, Point::new)
 * Point p = pool.newObject(Point.class);         // a record of class "Point", bound to p
 * p.x(1);
 * root.put("p", p);                              // stores a reference
 * Point q = (Point) root.get("p");               // a Point bound to the same record
 * }</pre>
 *
 * <p>Every read and write goes to the pool: {@link #set} is atomic and
 * durable when it returns, a {@link Pool#transaction} groups several. An
 * object made with {@code new} is bound to nothing: its methods throw
 * {@code IllegalStateException}, and storing it throws
 * {@code IllegalArgumentException} (its writes could go nowhere). A
 * record whose class name no registered class has reads as a
 * {@link PersistentRecord}, with the same methods.
 *
 * <p>A missing attribute is {@code NoSuchElementException} from
 * {@link #get} and the typed getters ({@link #has} asks,
 * {@link #getOrDefault} does not throw); a {@code null} value is a value.
 * Two objects are {@code equals} when they are bound to the same record.
 * The methods of an object may be called from any number of threads, as
 * a container's. The unchecked methods throw
 * {@link PmemkitRuntimeException} for pmemkit's failures (closed pool,
 * out of space, ...), and for a value pmemkit does not store what a map's
 * {@code put} throws; the {@code ...Checked} methods throw the checked
 * {@link PmemkitException}s.
 */
public abstract class PersistentObject {
    private volatile Pool pool;
    private volatile NativeHandle<SWIGTYPE_p_pk_record> h;
    private Ref ref;
    private String className;

    /** An object bound to no record, until a pool binds it (see the class comment). */
    protected PersistentObject() {
    }

    /* Bind to a record: once, by the pool, before the object is handed out. */
    final void bind(Pool pool, NativeHandle<SWIGTYPE_p_pk_record> handle, Ref ref, String className) {
        if (this.h != null)
            throw new IllegalStateException("pmemkit: the object is bound already");
        this.ref = ref;
        this.className = className;
        this.pool = pool;
        this.h = handle;
    }

    private NativeHandle<SWIGTYPE_p_pk_record> h() {
        NativeHandle<SWIGTYPE_p_pk_record> x = h;
        if (x == null)
            throw unbound();
        return x;
    }

    IllegalStateException unbound() {
        return new IllegalStateException("pmemkit: this " + getClass().getSimpleName()
                + " was made with new and is in no pool: make it with pool.newObject("
                + getClass().getSimpleName() + ".class)");
    }

    /** Whether the object is bound to a record (made or read by a pool). */
    public final boolean isBound() {
        return h != null;
    }

    /** The pool the record lives in. */
    public final Pool pool() {
        h();
        return pool;
    }

    /* what to store for it: its reference */
    final Ref ref() {
        h();
        return ref;
    }

    /** The record's class name, as it is in the pool (fixed when it was made). */
    public final String className() {
        h();
        return className;
    }

    // ---- checked --------------------------------------------------------

    /**
     * The value of an attribute, containers live.
     *
     * @throws NotFoundException when the record has no such attribute
     */
    public final Object getChecked(String name) throws PmemkitException {
        Objects.requireNonNull(name, "name");
        Object[] out = new Object[1];
        h().run(r -> PmemkitNative.pk_record_get(out, r, name));
        return pool.wrap(out[0]);
    }

    /** Set an attribute (atomic and durable), adding it if there is none. */
    public final void setChecked(String name, Object value) throws PmemkitException {
        Objects.requireNonNull(name, "name");
        h().run(r -> pool.store(value, v -> PmemkitNative.pk_record_put(r, name, v)));
    }

    /**
     * Delete an attribute.
     *
     * @throws NotFoundException when the record has no such attribute
     */
    public final void removeChecked(String name) throws PmemkitException {
        Objects.requireNonNull(name, "name");
        h().run(r -> PmemkitNative.pk_record_remove(r, name));
    }

    /** The number of attributes, as a long. */
    public final long length() throws PmemkitException {
        long[] out = new long[1];
        h().run(r -> PmemkitNative.pk_record_length(out, r));
        return out[0];
    }

    // ---- unchecked ------------------------------------------------------

    /**
     * The value of an attribute, containers live.
     *
     * @throws NoSuchElementException when the record has no such attribute
     */
    public final Object get(String name) {
        return unchecked(() -> {
            try {
                return getChecked(name);
            } catch (NotFoundException e) {
                NoSuchElementException x = new NoSuchElementException("pmemkit: the "
                        + className + " has no attribute \"" + name + "\"");
                x.initCause(e);
                throw x;
            }
        });
    }

    /** The value of an attribute, or {@code def} when the record has none. */
    public final Object getOrDefault(String name, Object def) {
        return unchecked(() -> {
            try {
                return getChecked(name);
            } catch (NotFoundException e) {
                return def;
            }
        });
    }

    /**
     * An attribute as a {@code type}, converted as {@link PersistentMap#get(Object, Class)} does.
     *
     * @throws NoSuchElementException when the record has no such attribute
     * @throws ClassCastException when the value is of another class
     */
    public final <T> T get(String name, Class<T> type) {
        return Containers.as(type, get(name));
    }

    /** An integer attribute ({@code NullPointerException} for a null one). */
    public final long getLong(String name) {
        return notNull(name, get(name, Long.class));
    }

    /** A number attribute as a double (an integer too). */
    public final double getDouble(String name) {
        Object v = get(name);
        if (v instanceof Long l)
            return l;
        return notNull(name, Containers.as(Double.class, v));
    }

    /** A boolean attribute. */
    public final boolean getBoolean(String name) {
        return notNull(name, get(name, Boolean.class));
    }

    /** A text attribute (null for a null one). */
    public final String getString(String name) {
        return get(name, String.class);
    }

    private <T> T notNull(String name, T v) {
        if (v == null)
            throw new NullPointerException("pmemkit: the attribute \"" + name + "\" of the "
                    + className + " is null");
        return v;
    }

    /**
     * Set an attribute, atomic and durable when it returns: a plain
     * collection becomes a new container (deeply, in one transaction), a
     * container or object of the pool is stored as a reference.
     */
    public final void set(String name, Object value) {
        unchecked(() -> {
            setChecked(name, value);
            return null;
        });
    }

    /** Delete an attribute; whether the record had it. */
    public final boolean remove(String name) {
        return unchecked(() -> {
            try {
                removeChecked(name);
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /** Whether the record has an attribute. */
    public final boolean has(String name) {
        Objects.requireNonNull(name, "name");
        return unchecked(() -> {
            int[] out = new int[1];
            h().run(r -> PmemkitNative.pk_record_contains(out, r, name));
            return out[0] != 0;
        });
    }

    /** The number of attributes. */
    public final int size() {
        return unchecked(() -> Containers.size(length()));
    }

    /**
     * The attributes' names, now, in no particular order: an unmodifiable
     * copy (removing from it could not remove an attribute: {@link #remove}).
     */
    public final Set<String> attributes() {
        Set<String> names = new LinkedHashSet<>();
        forEach((k, v) -> names.add((String) k));
        return Collections.unmodifiableSet(names);
    }

    /**
     * The attributes and their values, now: an unmodifiable copy (a put
     * into it could not reach the pool: {@link #set}); containers in it are
     * live.
     */
    public final Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        forEach((k, v) -> m.put((String) k, pool.wrap(v)));
        return Collections.unmodifiableMap(m);
    }

    /** A plain copy, yours to change: the attributes, containers in them copied deeply. */
    public final Map<String, Object> toJava() throws PmemkitException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : toMap().entrySet())
            m.put(e.getKey(), Containers.plain(e.getValue()));
        return m;
    }

    @FunctionalInterface
    private interface Entry {
        void accept(Object name, Object value) throws PmemkitException;
    }

    private void forEach(Entry fn) {
        unchecked(() -> {
            Iterator<Object[]> it = h().call(r -> {
                SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
                PmemkitNative.pk_record_cursor(out, r);
                return new CursorIterator<>(pool, out[0], (k, v) -> new Object[] {k, v});
            });
            while (it.hasNext()) {
                Object[] kv = it.next();
                fn.accept(kv[0], kv[1]);
            }
            return null;
        });
    }

    /** Whether o is an object bound to the same record (of the same pool). */
    @Override
    public boolean equals(Object o) {
        if (o == this)
            return true;
        if (!(o instanceof PersistentObject p) || h == null || p.h == null)
            return false;
        return pool == p.pool && ref.off == p.ref.off && ref.gen == p.ref.gen;
    }

    @Override
    public int hashCode() {
        return h == null ? System.identityHashCode(this) : Long.hashCode(ref.off);
    }

    /**
     * {@code Point{x=1, y=2.5}}; {@code Point[closed]} once the pool is
     * closed, {@code Point[unbound]} for an object made with new.
     */
    @Override
    public String toString() {
        if (h == null)
            return getClass().getSimpleName() + "[unbound]";
        return Containers.toString(className, () -> className + toMap());
    }
}
