package io.pmemkit;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/*
 * A pool's records (Pool.register, newObject, newRecord; reading and
 * storing them): the registry from class names to the program's classes,
 * filled by the program only (a pool never names code to load), and the
 * records made, read and bound through it.
 */
final class Records {
    private final Pool pool;

    Records(Pool pool) {
        this.pool = pool;
    }

    /*
     * The registered class of a Java record, before anything changes (a
     * refusal inside the store's transaction would abort the caller's).
     */
    Registered registered(Record value) {
        Registered reg = byClass.get(value.getClass());
        if (reg == null)
            throw new ClassCastException("pmemkit cannot store a " + value.getClass().getName()
                    + " (a record class not registered: pool.register(" + value.getClass().getSimpleName()
                    + ".class))");
        return reg;
    }

    /*
     * A class registered for a record class name: a PersistentObject
     * subclass (made by `factory`, then bound) or a Java record class
     * (made by its canonical constructor from the attributes named as its
     * components).
     */
    static final class Registered {
        final String name;
        final Class<?> cls;
        final Supplier<? extends PersistentObject> factory;
        final Constructor<?> canonical;
        final RecordComponent[] components;
        final Method[] accessors;

        Registered(String name, Class<?> cls, Supplier<? extends PersistentObject> factory,
                Constructor<?> canonical, RecordComponent[] components, Method[] accessors) {
            this.name = name;
            this.cls = cls;
            this.factory = factory;
            this.canonical = canonical;
            this.components = components;
            this.accessors = accessors;
        }
    }

    /* the program's registry (never filled from the pool): by name and by class */
    private final Map<String, Registered> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, Registered> byClass = new ConcurrentHashMap<>();

    /* a class's record name: @PersistentClass, else its simple name */
    private static String className(Class<?> cls) {
        PersistentClass a = cls.getAnnotation(PersistentClass.class);
        return a != null ? a.value() : cls.getSimpleName();
    }

    /* a class name as the pool takes it: 1 to 1024 bytes of UTF-8 */
    private static void checkClassName(String name) {
        Objects.requireNonNull(name, "className");
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > PersistentClass.MAX_BYTES)
            throw new IllegalArgumentException("pmemkit: a class name is 1 to "
                    + PersistentClass.MAX_BYTES + " bytes of UTF-8, not " + n);
        /* passed as JNI's modified UTF-8, which differs for these */
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || Character.isSurrogate(c))
                throw new IllegalArgumentException("pmemkit: a class name without NUL or "
                        + "characters outside the BMP");
        }
    }

    void register(Class<?> cls) {
        register(className(Objects.requireNonNull(cls, "cls")), cls);
    }

    <T extends PersistentObject> void register(Class<T> cls, Supplier<? extends T> factory) {
        Objects.requireNonNull(cls, "cls");
        Objects.requireNonNull(factory, "factory");
        String name = className(cls);
        checkClassName(name);
        add(new Registered(name, cls, factory, null, null, null));
    }

    void register(String className, Class<?> cls) {
        Objects.requireNonNull(cls, "cls");
        checkClassName(className);
        try {
            if (cls.isRecord()) {
                RecordComponent[] cs = cls.getRecordComponents();
                Class<?>[] types = new Class<?>[cs.length];
                Method[] accessors = new Method[cs.length];
                for (int i = 0; i < cs.length; i++) {
                    types[i] = cs[i].getType();
                    if (types[i].isArray() && types[i] != byte[].class)
                        throw new IllegalArgumentException("pmemkit: the component " + cs[i].getName()
                                + " of " + cls.getName() + " is an array, which would read back as a "
                                + "copy whose writes were lost: make it a List");
                    accessors[i] = cs[i].getAccessor();
                    accessors[i].setAccessible(true);
                }
                Constructor<?> c = cls.getDeclaredConstructor(types);
                c.setAccessible(true);
                add(new Registered(className, cls, null, c, cs, accessors));
                return;
            }
            if (!PersistentObject.class.isAssignableFrom(cls) || cls == PersistentRecord.class
                    || Modifier.isAbstract(cls.getModifiers()))
                throw new IllegalArgumentException("pmemkit: a registered class is a PersistentObject "
                        + "subclass or a Java record, not " + cls.getName());
            Constructor<?> c = cls.getDeclaredConstructor();
            c.setAccessible(true);
            add(new Registered(className, cls, () -> (PersistentObject) construct(c), null, null, null));
        } catch (NoSuchMethodException | RuntimeException e) {
            if (e instanceof IllegalArgumentException i)
                throw i;
            throw new IllegalArgumentException("pmemkit: cannot make instances of " + cls.getName()
                    + " (a PersistentObject needs a constructor without parameters)", e);
        }
    }

    private synchronized void add(Registered r) {
        Registered n = byName.get(r.name), c = byClass.get(r.cls);
        if ((n != null && n.cls != r.cls) || (c != null && !c.name.equals(r.name)))
            throw new IllegalArgumentException("pmemkit: " + r.cls.getName() + " as \"" + r.name
                    + "\": " + (n != null && n.cls != r.cls ? "the name is " + n.cls.getName() + "'s"
                            : "the class is registered as \"" + c.name + "\""));
        byName.put(r.name, r);
        byClass.put(r.cls, r);
    }

    <T extends PersistentObject> T newObject(Class<T> cls) throws PmemkitException {
        Registered r = byClass.get(Objects.requireNonNull(cls, "cls"));
        if (r == null || r.factory == null)
            throw new IllegalArgumentException("pmemkit: " + cls.getName()
                    + " is not registered with the pool: pool.register(" + cls.getSimpleName() + ".class)");
        return cls.cast(bindNew(instance(r), r.name));
    }

    PersistentObject newRecord(String className) throws PmemkitException {
        checkClassName(className);
        Registered r = byName.get(className);
        if (r != null && r.factory != null)
            return bindNew(instance(r), className);
        return bindNew(new PersistentRecord(), className);
    }

    PersistentObject newRecord(String className, Map<String, ?> attributes) throws PmemkitException {
        Objects.requireNonNull(attributes, "attributes");
        return pool.inTransaction(() -> {
            PersistentObject o = newRecord(className);
            for (Map.Entry<String, ?> e : attributes.entrySet())
                o.setChecked(e.getKey(), e.getValue());
            return o;
        });
    }

    /* a new unbound instance of a registered PersistentObject class */
    private static PersistentObject instance(Registered r) {
        PersistentObject o = r.factory.get();
        if (o == null || o.getClass() != r.cls || o.isBound())
            throw new IllegalStateException("pmemkit: the factory of " + r.cls.getName() + " made "
                    + (o == null ? "null" : o.isBound() ? "an object bound already"
                            : "a " + o.getClass().getName()));
        return o;
    }

    private PersistentObject bindNew(PersistentObject o, String className) throws PmemkitException {
        NativeHandle<SWIGTYPE_p_pk_record> h = newRecordHandle(className);
        o.bind(pool, h, (Ref) h.call(PmemkitNative::pk_record_value), className);
        return o;
    }

    private NativeHandle<SWIGTYPE_p_pk_record> newRecordHandle(String className) throws PmemkitException {
        SWIGTYPE_p_pk_record ptr = pool.call(p -> {
            SWIGTYPE_p_pk_record[] out = new SWIGTYPE_p_pk_record[1];
            PmemkitNative.pk_record_new(out, p, className,
                    className.getBytes(StandardCharsets.UTF_8).length);
            return out[0];
        });
        return pool.track(ptr, PmemkitNative::pk_record_close);
    }

    /* A record read: an instance of its registered class, or a PersistentRecord. */
    Object read(Ref ref) throws PmemkitException {
        SWIGTYPE_p_pk_record ptr = pool.call(p -> {
            SWIGTYPE_p_pk_record[] out = new SWIGTYPE_p_pk_record[1];
            PmemkitNative.pk_record_open(out, p, ref);
            return out[0];
        });
        NativeHandle<SWIGTYPE_p_pk_record> h = pool.track(ptr, PmemkitNative::pk_record_close);
        Object[] cls = new Object[1];
        h.run(r -> PmemkitNative.pk_record_class(cls, r));
        String name = (String) cls[0];
        Registered reg = byName.get(name);
        if (reg != null && reg.canonical != null) {
            try {
                return javaRecord(reg, h);
            } finally {
                h.release();
            }
        }
        PersistentObject o = reg != null ? instance(reg) : new PersistentRecord();
        o.bind(pool, h, ref, name);
        return o;
    }

    /* A Java record made of a record's attributes, through its canonical constructor. */
    private Object javaRecord(Registered reg, NativeHandle<SWIGTYPE_p_pk_record> h) throws PmemkitException {
        Object[] args = new Object[reg.components.length];
        for (int i = 0; i < args.length; i++) {
            String name = reg.components[i].getName();
            Object[] out = new Object[1];
            try {
                h.run(r -> PmemkitNative.pk_record_get(out, r, name));
            } catch (NotFoundException e) {
                NoSuchElementException x = new NoSuchElementException("pmemkit: the " + reg.name
                        + " has no attribute \"" + name + "\" for " + reg.cls.getName());
                x.initCause(e);
                throw x;
            }
            args[i] = component(reg.components[i].getType(), pool.wrap(out[0]), reg, name);
        }
        return construct(reg.canonical, args);
    }

    /* a new instance through a registered class's constructor; what it throws, unchecked */
    private static Object construct(Constructor<?> c, Object... args) {
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r)
                throw r;
            if (t instanceof Error r)
                throw r;
            throw new IllegalStateException(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(long.class, Long.class,
            int.class, Integer.class, short.class, Short.class, byte.class, Byte.class,
            double.class, Double.class, float.class, Float.class, boolean.class, Boolean.class,
            char.class, Character.class);

    /* an attribute's value as a component's type: converted as get(key, Class) does */
    private static Object component(Class<?> type, Object v, Registered reg, String name) {
        Class<?> boxed = type.isPrimitive() ? BOXES.get(type) : type;
        if (v == null && type.isPrimitive())
            throw new ClassCastException("pmemkit: the attribute \"" + name + "\" of the " + reg.name
                    + " is null, and " + reg.cls.getName() + "'s component is a " + type);
        if (v instanceof Long l && (boxed == Double.class || boxed == Float.class))
            v = l.doubleValue();
        return Containers.as(boxed, v);
    }

    /* A new record of a registered Java record's components; in the caller's transaction. */
    Object build(Registered reg, Object value) throws PmemkitException {
        NativeHandle<SWIGTYPE_p_pk_record> h = newRecordHandle(reg.name);
        try {
            for (int i = 0; i < reg.components.length; i++) {
                Object c;
                try {
                    c = reg.accessors[i].invoke(value);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                String name = reg.components[i].getName();
                h.run(r -> pool.store(c, v -> PmemkitNative.pk_record_put(r, name, v)));
            }
            return h.call(PmemkitNative::pk_record_value);
        } finally {
            h.release();
        }
    }
}
