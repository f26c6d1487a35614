package io.pmemkit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The pmemkit class name of a {@link PersistentObject} subclass or of a
 * Java {@code record} class: the name its records carry in the pool, which
 * every language maps to a class of its own.
 * {@link Pool#register(Class)} reads it (without it, the class's simple
 * name is used).
 *
 * <pre>{@code
 * @PersistentClass("Point")
 * public class Point extends PersistentObject { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(java.lang.annotation.ElementType.TYPE)
public @interface PersistentClass {
    /** The longest class name, in bytes of UTF-8 (pmemkit's PK_RECORD_CLASS_MAX). */
    int MAX_BYTES = 1024;

    /** The class name, 1 to 1024 bytes of UTF-8. */
    String value();
}
