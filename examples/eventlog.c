/*
 * eventlog.c -- an append-only event log in a pool
 *
 * Usage: eventlog POOL add EVENT...   append the events, as one unit
 *        eventlog POOL show [POS]     print the events (from a position)
 *        eventlog POOL clear          forget every event
 *
 * Each event is one record of the log kept under "events" in POOL
 * (created on first use). `add` appends all its events atomically: after
 * a crash either all are there or none, and once it has printed their
 * positions they survive any crash. `show` prints "POSITION EVENT" lines,
 * then "next POSITION": give that to a later `show` to see only what was
 * added since.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmemkit.h"

#define POOL_SIZE ((size_t)64 << 20)

static void
check(int rc, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "eventlog: %s: %s\n", what, pk_errormsg());
		exit(1);
	}
}

/* the pool at path, created if it is missing */
static pk_pool *
pool_open(const char *path)
{
	pk_pool *pool;
	int rc = pk_pool_open(&pool, path);

	if (rc == ENOENT)
		rc = pk_pool_create(&pool, path, POOL_SIZE, 0600);
	check(rc, path);
	return pool;
}

/* the log under "events", made in the same transaction as its key */
static pk_log *
events(pk_pool *pool, pk_map *root)
{
	pk_value key = pk_string("events", 6), val;
	pk_log *log;
	int rc = pk_map_get(&val, root, &key);

	if (rc == PK_NOTFOUND) {
		check(pk_tx_begin(pool), "begin");
		check(pk_log_new(&log, pool), "new log");
		val = pk_log_value(log);
		check(pk_map_put(root, &key, &val), "store the log");
		check(pk_tx_commit(pool), "commit");
		return log;
	}
	check(rc, "get");
	check(pk_log_open(&log, pool, &val), "open the log");
	return log;
}

int
main(int argc, char **argv)
{
	pk_pool *pool;
	pk_map *root;
	pk_log *log;

	if (argc < 3 || (strcmp(argv[2], "add") != 0 &&
			strcmp(argv[2], "show") != 0 &&
			strcmp(argv[2], "clear") != 0)) {
		fprintf(stderr, "usage: eventlog POOL add EVENT... | show [POS] "
				"| clear\n");
		return 2;
	}
	pool = pool_open(argv[1]);
	check(pk_pool_root(&root, pool), "root");
	log = events(pool, root);
	if (strcmp(argv[2], "add") == 0) {
		int n = argc - 3;
		pk_value *recs = calloc((size_t)(n > 0 ? n : 1), sizeof(*recs));
		uint64_t pos;
		if (recs == NULL)
			return 1;
		check(pk_log_tell(&pos, log), "tell");
		for (int i = 0; i < n; i++)
			recs[i] = pk_bytes(argv[i + 3], strlen(argv[i + 3]));
		check(pk_log_extend(log, recs, (size_t)n), "append");
		printf("added %d events from position %llu\n", n,
				(unsigned long long)pos);
		free(recs);
	} else if (strcmp(argv[2], "show") == 0) {
		uint64_t from = argc > 3 ? strtoull(argv[3], NULL, 10) : 0, end;
		pk_cursor *c;
		pk_value pos, rec;
		int rc;
		check(pk_log_cursor_at(&c, log, from), "position");
		while ((rc = pk_cursor_next(&pos, &rec, c)) == 0)
			printf("%lld %.*s\n", (long long)pos.u.i,
					(int)rec.u.buf.len,
					(const char *)rec.u.buf.ptr);
		if (rc != PK_ITEROVER)
			check(rc, "read");
		pk_cursor_free(c);
		check(pk_log_tell(&end, log), "tell");
		printf("next %llu\n", (unsigned long long)end);
	} else {
		check(pk_log_clear(log), "clear");
	}
	pk_log_close(log);
	pk_map_close(root);
	check(pk_pool_close(pool), "close");
	return 0;
}
