/*
 * TodoList.java -- a persistent to-do list on pmemkit.
 *
 * Run it straight from the source (Java 11+ runs a single file), with the
 * jar and the JNI library built (make) or installed:
 *
 *   java -cp bindings/java/pmemkit.jar -Djava.library.path=bindings/java/jni \
 *       examples/java/TodoList.java /dev/shm/todo.pool add "water the plants"
 *   java ... TodoList.java /dev/shm/todo.pool done 1
 *   java ... TodoList.java /dev/shm/todo.pool list
 *
 * (PMEM_IS_PMEM_FORCE=1 in the environment makes a file on /dev/shm or a
 * disk behave as persistent memory.) The pool is created on first use;
 * every run sees what the earlier ones left, and each change is atomic:
 * killing the program mid-way leaves the list as it was before or after.
 */
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PmemkitException;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.Pool;
import java.util.ArrayList;
import java.util.Map;

public final class TodoList {
    private TodoList() {
    }

    private static Pool openOrCreate(String path) throws PmemkitException {
        try {
            return Pool.open(path);
        } catch (PmemkitIOException e) {
            if (!e.codeName().equals("ENOENT"))
                throw e;
            return Pool.create(path);   // grows on demand
        }
    }

    public static void main(String[] args) throws PmemkitException {
        if (args.length < 1) {
            System.err.println("usage: TodoList POOL [list | add TEXT | done N | clear]");
            System.exit(2);
        }
        String command = args.length > 1 ? args[1] : "list";
        try (Pool pool = openOrCreate(args[0])) {
            PersistentMap root = pool.root();
            // the stored list: computeIfAbsent returns the container it made
            PersistentList todo = (PersistentList) root.computeIfAbsent("todo", k -> new ArrayList<>());
            switch (command) {
            case "add":
                // one transaction: the item and the counter change together
                pool.transaction(() -> {
                    todo.add(Map.of("text", String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length)),
                            "done", false));
                    root.merge("added", 1, (a, b) -> (Long) a + (Integer) b);
                });
                break;
            case "done":
                todo.getMap(Integer.parseInt(args[2]) - 1).put("done", true);
                break;
            case "clear":
                todo.clear();
                break;
            case "list":
                int n = 0;
                for (Object o : todo) {
                    PersistentMap item = (PersistentMap) o;
                    System.out.printf("%d [%s] %s%n", ++n, Boolean.TRUE.equals(item.get("done")) ? "x" : " ",
                            item.get("text"));
                }
                System.out.printf("(%d items, %d added in all)%n", n, root.getOrDefault("added", 0L));
                break;
            default:
                System.err.println("TodoList: unknown command " + command);
                System.exit(2);
            }
        }
    }
}
