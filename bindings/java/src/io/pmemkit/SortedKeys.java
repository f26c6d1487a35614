package io.pmemkit;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.function.Predicate;

/*
 * PersistentSortedMap.navigableKeySet(): the keys of a sorted map (or of
 * one of its views) as a live NavigableSet, as TreeMap's keySet is. Every
 * call goes to the map; add is unsupported (a key needs a value).
 */
final class SortedKeys extends AbstractSet<Object> implements NavigableSet<Object> {
    private final PersistentSortedMap m;

    SortedKeys(PersistentSortedMap m) {
        this.m = m;
    }

    private static Object key(Map.Entry<Object, Object> e) {
        return e == null ? null : e.getKey();
    }

    @Override
    public Iterator<Object> iterator() {
        return m.keyIterator();
    }

    @Override
    public Iterator<Object> descendingIterator() {
        return m.descendingMap().keyIterator();
    }

    @Override
    public int size() {
        return m.size();
    }

    @Override
    public boolean isEmpty() {
        return m.isEmpty();
    }

    /** Whether the map holds the key; 1 finds 1L. */
    @Override
    public boolean contains(Object o) {
        return m.containsKey(o);
    }

    @Override
    public boolean remove(Object o) {
        return m.removeKey(o);
    }

    @Override
    public void clear() {
        m.clear();
    }

    /** In one transaction. */
    @Override
    public boolean removeIf(Predicate<? super Object> p) {
        return m.removeKeys(Objects.requireNonNull(p)::test);
    }

    @Override
    public Comparator<? super Object> comparator() {
        return m.comparator();
    }

    @Override
    public Object first() {
        return m.firstKey();
    }

    @Override
    public Object last() {
        return m.lastKey();
    }

    @Override
    public Object lower(Object e) {
        return m.lowerKey(e);
    }

    @Override
    public Object floor(Object e) {
        return m.floorKey(e);
    }

    @Override
    public Object ceiling(Object e) {
        return m.ceilingKey(e);
    }

    @Override
    public Object higher(Object e) {
        return m.higherKey(e);
    }

    @Override
    public Object pollFirst() {
        return key(m.pollFirstEntry());
    }

    @Override
    public Object pollLast() {
        return key(m.pollLastEntry());
    }

    @Override
    public NavigableSet<Object> descendingSet() {
        return new SortedKeys(m.descendingMap());
    }

    @Override
    public NavigableSet<Object> subSet(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        return new SortedKeys(m.subMap(from, fromInclusive, to, toInclusive));
    }

    @Override
    public NavigableSet<Object> headSet(Object to, boolean inclusive) {
        return new SortedKeys(m.headMap(to, inclusive));
    }

    @Override
    public NavigableSet<Object> tailSet(Object from, boolean inclusive) {
        return new SortedKeys(m.tailMap(from, inclusive));
    }

    @Override
    public NavigableSet<Object> subSet(Object from, Object to) {
        return subSet(from, true, to, false);
    }

    @Override
    public NavigableSet<Object> headSet(Object to) {
        return headSet(to, false);
    }

    @Override
    public NavigableSet<Object> tailSet(Object from) {
        return tailSet(from, true);
    }
}
