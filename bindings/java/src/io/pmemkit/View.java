package io.pmemkit;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/*
 * A collection view (a map's keySet, values, entrySet; a typed view's),
 * each operation given as a function: the views of PersistentMap and of
 * asMap/asList differ only in those. contains and remove may be null:
 * AbstractCollection's then, which iterate.
 */
class View<T> extends AbstractCollection<T> {
    /* removeIf of the container: one transaction */
    @FunctionalInterface
    interface RemoveIf<T> {
        boolean removeIf(Predicate<? super T> p);
    }

    private final Supplier<Iterator<T>> iterator;
    private final IntSupplier size;
    private final Runnable clear;
    private final RemoveIf<T> removeIf;
    private final Predicate<Object> contains;
    private final Predicate<Object> remove;

    View(Supplier<Iterator<T>> iterator, IntSupplier size, Runnable clear, RemoveIf<T> removeIf,
            Predicate<Object> contains, Predicate<Object> remove) {
        this.iterator = iterator;
        this.size = size;
        this.clear = clear;
        this.removeIf = removeIf;
        this.contains = contains;
        this.remove = remove;
    }

    @Override
    public Iterator<T> iterator() {
        return iterator.get();
    }

    @Override
    public int size() {
        return size.getAsInt();
    }

    @Override
    public void clear() {
        clear.run();
    }

    /** In one transaction. */
    @Override
    public boolean removeIf(Predicate<? super T> p) {
        return removeIf.removeIf(java.util.Objects.requireNonNull(p));
    }

    @Override
    public boolean contains(Object o) {
        return contains != null ? contains.test(o) : super.contains(o);
    }

    @Override
    public boolean remove(Object o) {
        return remove != null ? remove.test(o) : super.remove(o);
    }

    /* The same as a Set (a keySet or entrySet): AbstractSet's equals and hashCode. */
    static final class AsSet<T> extends View<T> implements Set<T> {
        AsSet(Supplier<Iterator<T>> iterator, IntSupplier size, Runnable clear, RemoveIf<T> removeIf,
                Predicate<Object> contains, Predicate<Object> remove) {
            super(iterator, size, clear, removeIf, contains, remove);
        }

        @Override
        public boolean equals(Object o) {
            if (o == this)
                return true;
            if (!(o instanceof Set<?> s) || s.size() != size())
                return false;
            try {
                return containsAll(s);
            } catch (ClassCastException | NullPointerException e) {
                return false;
            }
        }

        @Override
        public int hashCode() {
            int h = 0;
            for (T t : this)
                if (t != null)
                    h += t.hashCode();
            return h;
        }
    }

    /* An iterator giving f of each element of it; remove() removes from it. */
    static <S, T> Iterator<T> map(Iterator<S> it, Function<S, T> f) {
        return new Iterator<T>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return f.apply(it.next());
            }

            @Override
            public void remove() {
                it.remove();
            }
        };
    }
}
