package io.pmemkit;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;

/*
 * PersistentList.asList(E): the list seen as a List<E>. Everything goes to
 * the PersistentList; what comes back is converted with Containers.as,
 * what goes in is checked as Collections.checkedList does.
 */
final class TypedList<E> extends AbstractList<E> implements RandomAccess {
    private final PersistentList list;
    private final Class<E> type;

    TypedList(PersistentList list, Class<E> type) {
        Containers.checkViewType(type);
        this.list = list;
        this.type = Objects.requireNonNull(type);
    }

    /* the container seen */
    PersistentList persistent() {
        return list;
    }

    private E val(Object v) {
        return Containers.as(type, v);
    }

    private E given(E e) {
        if (e != null && !type.isInstance(e))
            throw new ClassCastException("pmemkit: a " + e.getClass().getName() + " given for a " + type.getName());
        return e;
    }

    @Override
    public int size() {
        return list.size();
    }

    @Override
    public E get(int index) {
        return val(list.get(index));
    }

    @Override
    public E set(int index, E e) {
        return val(list.set(index, given(e)));
    }

    @Override
    public boolean add(E e) {
        return list.add(given(e));
    }

    @Override
    public void add(int index, E e) {
        list.add(index, given(e));
    }

    @Override
    public E remove(int index) {
        return val(list.remove(index));
    }

    @Override
    public boolean remove(Object o) {
        return list.remove(o);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        c.forEach(this::given);
        return list.addAll(c);
    }

    @Override
    public boolean contains(Object o) {
        return list.contains(o);
    }

    @Override
    public int indexOf(Object o) {
        return list.indexOf(o);
    }

    @Override
    public boolean removeIf(Predicate<? super E> p) {
        return list.removeIf(x -> p.test(val(x)));
    }

    @Override
    public void clear() {
        list.clear();
    }

    @Override
    protected void removeRange(int from, int to) {
        list.subList(from, to).clear();
    }

    @Override
    public Iterator<E> iterator() {
        return View.map(list.iterator(), this::val);
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
