package io.pmemkit;

/**
 * The body of {@link Pool#transaction(Transactional)}: it may throw any
 * exception, which aborts the transaction and propagates as it is.
 *
 * @param <E> the checked exception the body may throw
 */
@FunctionalInterface
public interface Transactional<E extends Exception> {
    void run() throws E;
}
