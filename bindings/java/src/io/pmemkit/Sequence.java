package io.pmemkit;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.UnaryOperator;

/*
 * What PersistentList and PersistentArray share as java.util.Lists:
 * lookups by equality that normalise numbers as storing does (1 finds
 * 1L), sort and replaceAll in one transaction, toString after close.
 */
abstract class Sequence extends AbstractList<Object> implements RandomAccess {
    /** The pool the container lives in. */
    public abstract Pool pool();

    /** Whether an element equals {@code o}; 1 finds 1L, 0.5f finds 0.5. */
    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        Object n = Containers.normalize(o);
        int i = 0;
        for (Object x : this) {
            if (Objects.equals(n, x))
                return i;
            i++;
        }
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        return super.lastIndexOf(Containers.normalize(o));
    }

    /** In one transaction: after a crash the elements are as they were or sorted. */
    @Override
    public void sort(Comparator<? super Object> c) {
        Containers.atomically(pool(), () -> super.sort(c));
    }

    /** In one transaction. */
    @Override
    public void replaceAll(UnaryOperator<Object> op) {
        Containers.atomically(pool(), () -> super.replaceAll(op));
    }

    /** The elements, or {@code PersistentList[closed]} once the pool is closed. */
    @Override
    public String toString() {
        return Containers.toString(getClass().getSimpleName(), super::toString);
    }
}
