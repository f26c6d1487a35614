package io.pmemkit.test;

import io.pmemkit.FrozenSet;
import io.pmemkit.PersistentArray;
import io.pmemkit.PersistentBlocks;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentLog;
import io.pmemkit.PersistentClass;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentObject;
import io.pmemkit.PersistentSet;
import io.pmemkit.PersistentSortedMap;
import io.pmemkit.Pool;
import io.pmemkit.Tuple;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Java module's part of the cross-language test (tests/cross/README.md):
 * {@code Cross write POOL} stores the data set with Java's own idioms,
 * {@code Cross dump POOL} prints every value of a pool in the dump format.
 */
public final class Cross {
    private Cross() {
    }

    static void write(String path) throws Exception {
        try (Pool p = Pool.create(path, Pool.DEFAULT_SIZE)) {
            PersistentMap r = p.root();
            r.put("int", -7);                            // an int literal: an integer
            r.put("int64max", Long.MAX_VALUE);
            r.put("big", BigInteger.TWO.pow(100));       // Java has no big literal
            r.put("negbig", BigInteger.TWO.pow(70).negate());
            r.put("float", 2.5);
            r.put("ascii", "hello");
            r.put("text", "ünï €");
            r.put("digits", "12");
            r.put("nul", "a\0b");
            r.put("bytes", new byte[] {0, (byte) 0xff, 'A'});
            r.put("yes", true);
            r.put("no", false);
            r.put("nil", null);
            r.put("list", List.of(1, "two", 3.5, List.of(), Map.of()));
            r.put("map", Map.of("a", 1, "b", Map.of("c", Arrays.asList(true, null))));
            r.put("intkeys", Map.of(7, "seven", -1, "minus one"));
            r.put("i32", new int[] {1, -2, 3});          // int[] is an i32 array
            r.put("f64", new double[] {0.5, -1.25});     // double[] an f64 array
            r.put("log", p.newLog(List.of(new byte[0], new byte[] {'a', 0, 'b'},
                    "xyz".getBytes(StandardCharsets.UTF_8))));
            PersistentBlocks blocks = p.newBlocks(512, 2);
            blocks.set(0, "hello".getBytes(StandardCharsets.UTF_8));
            r.put("blocks", blocks);
            r.put("set", Set.of(7, "seven", new byte[] {7})); // a java.util.Set is a set
            r.put("tuplekeys", Map.of(Tuple.of(1, "a"), "x",      // Tuple: a composite key
                    Tuple.of(2, Tuple.of(3.5, new byte[] {4})), 2,
                    Set.of(2, "b"), 3));                   // a Set as a key: a frozen set
            p.register(Point.class);
            Point pt = p.newObject(Point.class);        // a record of class "Point"
            pt.x(1);
            pt.y(2.5);
            r.put("record", pt);
            PersistentSortedMap sorted = p.newSortedMap();  // (a TreeMap is stored as one too)
            r.put("sorted", sorted);
            sorted.put("b", 2);                          // kept in the library's order
            sorted.put(1, "one");
            sorted.put(new byte[] {1}, 2.5);
        }
    }

    /** The cross test's record class. */
    @PersistentClass("Point")
    public static final class Point extends PersistentObject {
        public long x() {
            return getLong("x");
        }

        public void x(long x) {
            set("x", x);
        }

        public double y() {
            return getDouble("y");
        }

        public void y(double y) {
            set("y", y);
        }
    }

    private static String hex(byte[] b) {
        if (b.length == 0)
            return "-";
        StringBuilder s = new StringBuilder();
        for (byte x : b)
            s.append(String.format("%02x", x & 0xff));
        return s.toString();
    }

    private static String utf8(String s) {
        return hex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String key(Object k) {
        if (k instanceof String s)
            return "s:" + utf8(s);
        if (k instanceof byte[] b)
            return "b:" + hex(b);
        if (k instanceof Long || k instanceof BigInteger)
            return "i:" + k;
        if (k instanceof Tuple t) {
            StringBuilder s = new StringBuilder("t:(");
            for (int i = 0; i < t.size(); i++)
                s.append(i > 0 ? "," : "").append(item(t.get(i)));
            return s.append(")").toString();
        }
        if (k instanceof FrozenSet f) {                 // members in the library's order
            StringBuilder s = new StringBuilder("fs:{");
            String sep = "";
            for (Object x : f) {
                s.append(sep).append(item(x));
                sep = ",";
            }
            return s.append("}").toString();
        }
        throw new IllegalArgumentException("a key of class " + k.getClass().getName());
    }

    /* a tuple's item: as a key, a float as f:HEX16, true, false, nil */
    private static String item(Object x) {
        if (x == null)
            return "nil";
        if (x instanceof Boolean b)
            return b.toString();
        if (x instanceof Double d)
            return String.format("f:%016x", Double.doubleToRawLongBits(d));
        return key(x);
    }

    private static String scalar(Object v) {
        if (v == null)
            return "nil";
        if (v instanceof Boolean b)
            return "bool " + b;
        if (v instanceof Long || v instanceof BigInteger)
            return "int " + v;
        if (v instanceof Double d)
            return String.format("float %016x", Double.doubleToRawLongBits(d));
        if (v instanceof String s)
            return "str " + utf8(s);
        if (v instanceof byte[] b)
            return "bytes " + hex(b);
        throw new IllegalArgumentException("a value of class " + v.getClass().getName());
    }

    static void dump(String path, Object v, List<String> out) {
        if (v instanceof PersistentSortedMap m) {
            out.add(path + " sorted " + m.size());
            int i = 0;
            for (Map.Entry<Object, Object> e : m.entrySet()) {
                out.add(path + "@" + i++ + " " + key(e.getKey()));
                dump(path + "/" + key(e.getKey()), e.getValue(), out);
            }
        } else if (v instanceof PersistentMap m) {
            out.add(path + " map " + m.size());
            for (Map.Entry<Object, Object> e : m.entrySet())
                dump(path + "/" + key(e.getKey()), e.getValue(), out);
        } else if (v instanceof PersistentList l) {
            out.add(path + " list " + l.size());
            int i = 0;
            for (Object x : l)
                dump(path + "[" + i++ + "]", x, out);
        } else if (v instanceof PersistentArray a) {
            out.add(path + " array " + a.elementType().name().toLowerCase(Locale.ROOT) + " " + a.size());
            int i = 0;
            for (Object x : a)
                out.add(path + "[" + i++ + "] " + scalar(x));
        } else if (v instanceof PersistentLog g) {
            out.add(path + " log " + g.size());
            int i = 0;
            for (byte[] rec : g)
                out.add(path + "[" + i++ + "] " + scalar(rec));
        } else if (v instanceof PersistentBlocks b) {
            out.add(path + " blocks " + b.blockSize() + " " + b.size());
            int i = 0;
            for (byte[] blk : b)
                out.add(path + "[" + i++ + "] " + scalar(blk));
        } else if (v instanceof PersistentObject o) {   // a Point when registered
            out.add(path + " record " + utf8(o.className()) + " " + o.size());
            for (Map.Entry<String, Object> e : o.toMap().entrySet())
                dump(path + "/" + key(e.getKey()), e.getValue(), out);
        } else if (v instanceof Tuple t) {
            out.add(path + " tuple " + t.size());
            int i = 0;
            for (Object x : t)
                dump(path + "[" + i++ + "]", x, out);
        } else if (v instanceof FrozenSet f) {
            out.add(path + " frozenset " + f.size());
            int i = 0;
            for (Object x : f)
                dump(path + "[" + i++ + "]", x, out);
        } else if (v instanceof PersistentSet s) {
            out.add(path + " set " + s.size());
            for (Object e : s)
                out.add(path + "/" + key(e) + " member");
        } else {
            out.add(path + " " + scalar(v));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("write") || args[0].equals("dump"))) {
            System.err.println("usage: Cross write|dump POOL");
            System.exit(2);
        }
        if (args[0].equals("write")) {
            write(args[1]);
            return;
        }
        List<String> out = new ArrayList<>();
        try (Pool p = Pool.open(args[1])) {
            p.register(Point.class);                    // records of "Point" read as Points
            dump(".", p.root(), out);
        }
        PrintStream o = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line : out)
            o.print(line + "\n");
        o.flush();
    }
}
