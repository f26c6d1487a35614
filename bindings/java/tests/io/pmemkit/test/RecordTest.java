package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentClass;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentObject;
import io.pmemkit.PersistentRecord;
import io.pmemkit.PmemkitRuntimeException;
import io.pmemkit.Pool;
import io.pmemkit.Tuple;
import io.pmemkit.test.Cross.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.Test;

/** Records: PersistentObject subclasses (Cross.Point), PersistentRecord, Java records. */
public class RecordTest extends PoolFixture {
    /* a registered Point (1, 2.5) at root["p"] */
    private Point storedPoint() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        p.x(1);
        p.y(2.5);
        root.put("p", p);
        return p;
    }

    /* no annotation: its simple name, "Account"; a private constructor */
    static final class Account extends PersistentObject {
        private Account() {
        }

        long balance() {
            return getLong("balance");
        }
    }

    /** A Java record stored as a pmemkit record of its components. */
    @PersistentClass("Point")
    record Pt(long x, double y) {
    }

    @PersistentClass("Line")
    record Line(Pt from, Pt to, String label, List<Object> tags) {
    }

    record Unregistered(int a) {
    }

    record WithArray(long[] values) {
    }

    @Test
    public void aRegisteredClassReadsBackBoundToItsRecord() throws Exception {
        Point p = storedPoint();                           // root["p"]: a reference
        assertEquals("Point", p.className());
        Point q = (Point) root.get("p");
        assertEquals(p, q);                                // the same record
        assertEquals(p.hashCode(), q.hashCode());
        q.x(7);                                            // writes through
        assertEquals(7, p.x());
        assertEquals("Point{x=7, y=2.5}", p.toString().replace("{y=2.5, x=7}", "{x=7, y=2.5}"));
        root.put("again", p);                              // two references to one record
        reopen();
        pool.register(Point.class);                        // the registry is the pool object's
        Point r = (Point) root.get("p");
        assertEquals(7, r.x());
        assertEquals(2.5, r.y(), 0);
        assertEquals(r, root.get("again"));
        assertEquals(Set.of("x", "y"), r.attributes());
        assertEquals(2, r.size());
    }

    @Test
    public void aFactoryOrAnExplicitName() throws Exception {
        pool.register(Account.class, Account::new);
        Account a = pool.newObject(Account.class);
        assertEquals("Account", a.className());
        a.set("balance", 10);
        root.put("a", a);
        assertEquals(10, ((Account) root.get("a")).balance());
        pool.register("Konto", PersistentPoint.class);
        assertEquals("Konto", pool.newObject(PersistentPoint.class).className());
    }

    public static final class PersistentPoint extends PersistentObject {
    }

    @Test
    public void anUnregisteredClassNameReadsAsAPersistentRecord() throws Exception {
        storedPoint();
        reopen();                                          // nothing registered now
        PersistentRecord r = (PersistentRecord) root.get("p");
        assertEquals("Point", r.className());
        assertEquals(1L, r.get("x"));
        assertEquals(2.5, r.get("y"));
        assertEquals(Map.of("x", 1L, "y", 2.5), r.toMap());
        assertThrows(UnsupportedOperationException.class, () -> r.toMap().put("x", 5));  // a copy: loud
        assertThrows(UnsupportedOperationException.class, () -> r.attributes().remove("x"));
        r.toJava().put("x", 5);                            // a plain copy, yours
        assertEquals(1L, r.get("x"));
        r.set("x", 3);                                     // writable too
        r.set("label", "origin");
        assertTrue(r.has("label"));
        assertEquals(3, r.size());
        assertTrue(r.remove("label"));
        assertFalse(r.remove("label"));
        assertFalse(r.has("label"));
        reopen();
        assertEquals(3L, ((PersistentObject) root.get("p")).get("x"));
        PersistentObject made = pool.newRecord("Thing", Map.of("n", 1));
        assertTrue(made instanceof PersistentRecord);
        assertEquals("Thing", made.className());
        assertEquals(1L, made.get("n"));
    }

    @Test
    public void aMissingAttributeIsNoSuchElement() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        assertThrows(NoSuchElementException.class, p::x);
        assertThrows(NoSuchElementException.class, () -> p.get("z"));
        assertEquals("none", p.getOrDefault("z", "none"));
        p.set("z", null);                                  // null is a value
        assertNull(p.get("z"));
        assertTrue(p.has("z"));
        assertThrows(NullPointerException.class, () -> p.getLong("z"));
        p.set("s", "text");
        assertThrows(ClassCastException.class, () -> p.getLong("s"));
    }

    @Test
    public void anObjectMadeWithNewFailsLoudly() throws Exception {
        Point p = new Point();
        assertFalse(p.isBound());
        assertThrows(IllegalStateException.class, () -> p.x(1));
        assertThrows(IllegalStateException.class, p::x);
        assertThrows(IllegalArgumentException.class, () -> root.put("p", p));
        assertFalse(root.containsKey("p"));                // nothing stored
        assertEquals("Point[unbound]", p.toString());
        assertThrows(IllegalArgumentException.class, () -> pool.newObject(Point.class));  // not registered
    }

    @Test
    public void registrationsMustAgree() throws Exception {
        pool.register(Point.class);
        pool.register(Point.class);                        // again: a no-op
        assertThrows(IllegalArgumentException.class, () -> pool.register("Point", PersistentPoint.class));
        assertThrows(IllegalArgumentException.class, () -> pool.register("Other", Point.class));
        assertThrows(IllegalArgumentException.class, () -> pool.register(String.class));
        assertThrows(IllegalArgumentException.class, () -> pool.register(PersistentRecord.class));
        assertThrows(IllegalArgumentException.class, () -> pool.register(WithArray.class));  // a copy on reading
        assertThrows(IllegalArgumentException.class, () -> pool.newRecord(""));
        assertThrows(IllegalArgumentException.class, () -> pool.newRecord("x".repeat(1025)));
    }

    @Test
    public void aTransactionGroupsAttributeWrites() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        root.put("p", p);
        p.x(1);
        p.y(1);
        assertThrows(IllegalStateException.class, () -> pool.transaction(() -> {
            p.x(5);
            p.y(6);
            throw new IllegalStateException("undo");
        }));
        assertEquals(1, p.x());
        assertEquals(1.0, p.y(), 0);
    }

    @Test
    public void attributesHoldContainersTuplesAndOtherRecords() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        root.put("p", p);
        p.set("tags", List.of("a"));                       // a new list, live on reading
        ((PersistentList) p.get("tags")).add("b");
        assertEquals(List.of("a", "b"), p.get("tags"));
        p.set("at", Tuple.of(1, 2));
        assertEquals(Tuple.of(1, 2), p.get("at"));
        Point q = pool.newObject(Point.class);
        p.set("next", q);
        q.x(9);
        assertEquals(9, ((Point) p.get("next")).x());
        p.set("self", p);                                  // a reference: cycles are fine
        assertEquals(p, p.get("self"));
        assertThrows(ClassCastException.class, () -> p.set("bad", new Object()));
        assertFalse(p.has("bad"));
    }

    @Test
    public void replacingARecordReturnsAPlainCopy() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        p.x(1);
        root.put("p", p);
        Object old = root.put("p", 2);
        assertEquals(Map.of("x", 1L), old);                // the record was freed with its last reference
        assertThrows(PmemkitRuntimeException.class, p::x);
        assertThrows(IllegalArgumentException.class, () -> root.asMap(String.class, Point.class));

        root.put("l", List.of(1));
        root.getList("l").add(pool.newObject(Point.class));
        assertTrue(root.getList("l").get(1) instanceof Point);
    }

    @Test
    public void javaRecordsAreStoredAsRecordsOfTheirComponents() throws Exception {
        pool.register(Pt.class);
        pool.register(Line.class);
        root.put("pt", new Pt(1, 2.5));
        Line line = new Line(new Pt(0, 0), new Pt(3, 4), "diag", List.of("a", Tuple.of(1, 2)));
        root.put("line", line);
        Pt back = (Pt) root.get("pt");
        assertEquals(new Pt(1, 2.5), back);                 // a new instance, equal
        root.put("m", Map.of("a", new Pt(1, 2)));
        Map<String, Pt> pts = root.getMap("m").asMap(String.class, Pt.class);
        assertEquals(new Pt(1, 2), pts.put("a", new Pt(3, 4)));   // a Java record is a value
        assertEquals(new Pt(3, 4), pts.get("a"));
        reopen();
        pool.register(Pt.class);
        pool.register(Line.class);
        Line l = (Line) root.get("line");
        assertEquals(line.from(), l.from());
        assertEquals(line.to(), l.to());
        assertEquals("diag", l.label());
        assertEquals(List.of("a", Tuple.of(1L, 2L)), l.tags());
        assertTrue(l.tags() instanceof PersistentList);     // a list component reads live
        reopen();                                          // unregistered: generic records
        PersistentRecord r = (PersistentRecord) root.get("pt");
        assertEquals("Point", r.className());
        assertEquals(Map.of("x", 1L, "y", 2.5), r.toMap());
    }

    @Test
    public void aRecordWrittenThroughAnObjectReadsAsAJavaRecord() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        p.x(4);
        p.set("y", 2);                                     // an integer: y is a double component
        root.put("p", p);
        reopen();
        pool.register(Pt.class);
        assertEquals(new Pt(4, 2.0), root.get("p"));
        pool.newRecord("Point", Map.of("x", 1));          // no y
        root.put("q", pool.newRecord("Point", Map.of("x", 1)));
        assertThrows(NoSuchElementException.class, () -> root.get("q"));
    }

    @Test
    public void anUnregisteredJavaRecordIsRefused() throws Exception {
        assertThrows(ClassCastException.class, () -> root.put("u", new Unregistered(1)));
        assertFalse(root.containsKey("u"));
        assertThrows(ClassCastException.class, () -> root.put("l", List.of(1, new Unregistered(1))));
        assertFalse(root.containsKey("l"));
    }

    @Test
    public void unreferencedRecordsAreCollected() throws Exception {
        pool.register(Point.class);
        long before = pool.stats().objects();
        pool.newObject(Point.class).x(1);
        root.put("p", pool.newObject(Point.class));
        pool.gc();
        root.remove("p");
        pool.gc();
        assertEquals(before, pool.stats().objects());
    }

    @Test
    public void closedPool() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        pool.close();
        assertThrows(PmemkitRuntimeException.class, () -> p.x(1));
        assertEquals("Point[closed]", p.toString());
        pool = Pool.open(path);
    }

    @Test
    public void threadsWriteOneRecord() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        root.put("p", p);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            ts.add(new Thread(() -> {
                for (int i = 0; i < 50; i++)
                    p.set("a" + id + "_" + i, i);
            }));
        }
        for (Thread t : ts)
            t.start();
        for (Thread t : ts)
            t.join();
        assertEquals(200, p.size());
        assertNotEquals(p, pool.newObject(Point.class));
        assertSame(Point.class, root.get("p").getClass());
    }
}
