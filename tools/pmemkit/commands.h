/*
 * commands.h -- the table of the pmemkit command's subcommands: the one
 * source of their usage and help texts (main.c prints them for --help,
 * and pmemkit(1) is written from them; `pmemkit --help-all` prints them
 * all). Each row is
 *   X(name, function, arguments, options, summary, description)
 * options: the option bits it takes (O_JSON, O_READONLY, O_LINES,
 * O_BATCH: --batch N, --skip N, --process-durable; O_REPLICA: --replica);
 * O_RO_DEFAULT when it opens the pool read-only whatever is given.
 */
#ifndef PK_COMMANDS_H
#define PK_COMMANDS_H 1

#define O_JSON 1
#define O_READONLY 2
#define O_LINES 4
#define O_RO_DEFAULT 8
#define O_BATCH 16
#define O_REPLICA 32
#define O_READ (O_JSON | O_READONLY | O_RO_DEFAULT)

#define PK_COMMANDS(X) \
	X(info, cmd_info, "POOL", O_READ, \
	  "show a pool's size, space, growth, replicas, state, containers", \
	  "Prints the pool's format version (and this library's), its size, the bytes\n" \
	  "used and free, whether it grows (and to what), its replicas, whether its last\n" \
	  "session closed cleanly, and how many containers of each kind it holds.") \
	X(ls, cmd_ls, "POOL [PATH]", O_READ, \
	  "list the entries of the container at PATH (default /)", \
	  "One line per entry: its full path, a tab, and its value (a scalar in the\n" \
	  "dump notation, cut at 120 bytes) or <kind, N entries> for a container.\n" \
	  "Maps, sets and records are listed sorted by key notation, the others in\n" \
	  "order. Every path printed parses back to the same key (doc/notation.md).") \
	X(tree, cmd_tree, "POOL [PATH]", O_READ, \
	  "show the containers and values under PATH, indented", \
	  "As ls, recursively: each entry's key and value, two spaces deeper per level.\n" \
	  "A container met a second time (shared, or a cycle) is shown once, then\n" \
	  "marked (shown above). Arrays, logs and block arrays show their length only.") \
	X(get, cmd_get, "POOL PATH", O_READ, \
	  "print the value at PATH in the dump notation", \
	  "Prints the value, containers with everything under them, as one line of\n" \
	  "the dump notation (doc/notation.md). Exit status 1 if there is no such path.") \
	X(set, cmd_set, "POOL PATH VALUE", 0, \
	  "store VALUE (dump notation) at PATH, atomically", \
	  "Stores VALUE, written in the dump notation, under the last key of PATH in\n" \
	  "the container the rest of PATH names: a map's or sorted map's key, a\n" \
	  "record's field, a list's index (its length appends), an array's element,\n" \
	  "a block, a set's element (VALUE true adds it), a log's length (appends).\n" \
	  "A scalar is stored with one library call, a container in one transaction:\n" \
	  "after a crash the old value or the new is there. Refused input leaves the\n" \
	  "pool untouched.") \
	X(rm, cmd_rm, "POOL PATH", 0, \
	  "remove the entry at PATH, atomically", \
	  "Removes a map's, sorted map's or record's entry, a list's element, a set's\n" \
	  "element, or zeroes a block, with one library call. Exit status 1 if there\n" \
	  "is no such path (the pool is then not opened for writing).") \
	X(dump, cmd_dump, "POOL [PATH]", O_READ | O_LINES, \
	  "write the pool (or what is under PATH) as JSON", \
	  "Writes the value at PATH (default: the root map) in the dump notation\n" \
	  "(doc/notation.md) on standard output: every value exactly, shared and\n" \
	  "cyclic containers with $id and $ref, maps and sets in a fixed order, so\n" \
	  "two dumps of equal pools are byte-identical. --lines writes JSON Lines:\n" \
	  "a header line {\"pmemkit\":\"dump\",\"format\":1}, then one line [key, value]\n" \
	  "for each entry of the map.") \
	X(load, cmd_load, "POOL [PATH] < FILE", O_LINES | O_BATCH, \
	  "read JSON (a dump) into the pool in one transaction", \
	  "Reads the dump notation from standard input. Into the root (no PATH) the\n" \
	  "input must be a map: its entries are put into the root map, replacing\n" \
	  "entries of the same keys and keeping the others. With PATH the input value\n" \
	  "is stored at PATH as set stores it (with --lines: the entries are put into\n" \
	  "the map at PATH). The whole input is parsed before the pool is opened, and\n" \
	  "loaded in one transaction: input it cannot represent (bad JSON, a value the\n" \
	  "pool cannot hold, no space) changes nothing. For large inputs, --lines\n" \
	  "--batch N commits every N entries, in bounded transactions; a load that\n" \
	  "stops says how many entries it committed, and --skip N resumes after them\n" \
	  "(the skipped entries' $ids are found in the pool). On a file that is not\n" \
	  "persistent memory every change waits for the disk (msync); with\n" \
	  "--process-durable the load writes without, and syncs at each commit:\n" \
	  "often 100 times faster, but a kernel crash or power loss during the load\n" \
	  "can damage the pool, data loaded before included (pk_pool_options).") \
	X(check, cmd_check, "POOL", O_READ, \
	  "check a pool: exit 0 healthy, 1 damaged, 2 cannot open", \
	  "Walks every object (pk_pool_check()) and reports the objects, those\n" \
	  "reachable, leaked, dangling references, wrong reference counts and\n" \
	  "damaged objects. Changes nothing. A pool that cannot be opened at all\n" \
	  "(damaged headers, truncated) exits 2.") \
	X(gc, cmd_gc, "POOL", 0, \
	  "free the containers no longer reachable from the root", \
	  "Runs pk_pool_gc() and prints how many objects it freed.") \
	X(stats, cmd_stats, "POOL", O_READ, \
	  "show space used, and each kind's containers and bytes", \
	  "Prints the pool's size, used and free bytes and objects, then for each\n" \
	  "container kind the number of containers and the bytes they hold.") \
	X(defrag, cmd_defrag, "POOL", 0, \
	  "move objects out of sparse runs so free space joins up", \
	  "Runs pk_pool_defrag() and prints the objects moved and the bytes freed.") \
	X(create, cmd_create, "POOL [SIZE]", O_REPLICA, \
	  "create a pool of SIZE (default 64M; 0 grows)", \
	  "SIZE takes a K, M or G suffix (powers of 1024) and must be at least 8M.\n" \
	  "SIZE 0 makes a pool that grows on demand (a poolset file POOL naming the\n" \
	  "directory POOL.parts). POOL must not exist. With --replica PATH the pool\n" \
	  "keeps a full copy at PATH, written with every change; POOL is then a\n" \
	  "poolset file and its data is in POOL.pmem (or POOL.parts).") \
	X(repair, cmd_repair, "POOL", 0, \
	  "rebuild a damaged copy of a replicated pool", \
	  "Runs pk_pool_repair() on the poolset file of a pool made with a replica.\n" \
	  "The pool must not be open.")

#endif
