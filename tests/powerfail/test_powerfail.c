/*
 * test_powerfail.c -- power failure at every drain point of every
 * mutating operation (see pf.h for the method)
 *
 * Each test runs a scenario in a worker under the simulator; every
 * operation bracketed by pf_begin()/pf_end() is checked at every drain
 * point it goes through. First the tool is shown to catch deliberately
 * broken operations; then maps, lists, arrays, nesting, user
 * transactions, gc and the pool's own create/close/open/recovery, once
 * more with libpmemobj on its msync path. main prints the counts per
 * operation kind.
 */
#include <sys/wait.h>

#include "../common.h"
#include "../../lib/internal.h"
#include "pf_ops.h"
#include "pmemsim.h"

static void
run(void (*scenario)(struct pf_ctx *), int msync, size_t pool_size)
{
	struct pf_opts o = { 0 };
	struct pf_result r;

	o.msync = msync;
	o.pool_size = pool_size;
	test_setup();
	pf_run(scenario, &o, &r);
	test_teardown();
	ck_assert_uint_gt(r.images, 0);
	if (msync)
		ck_assert_msg(r.msyncs > 0, "libpmemobj took no msync path");
}

/* ---------------------------------------------------------------------- */
/* the tool catches broken operations */

/* find -- the pool bytes holding pat (a value stored inline) */
static uint8_t *
find(pk_pool *pool, const void *pat, size_t len)
{
	return memmem(pool->base, pool->size, pat, len);
}

static void
broken_ops(struct pf_ctx *c)
{
	pk_map *m;
	pk_value k, v;
	const char mark[] = "MARK-0123456789";

	pf_create(c);
	W(pk_map_new(&m, c->pool));
	k = pk_string("m", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	k = pk_string("victim", 6);
	v = pk_bytes(mark, sizeof(mark) - 1);
	W(pk_map_put(m, &k, &v));
	struct pk_obj_hdr *h = (struct pk_obj_hdr *)(c->pool->base + m->h.off);

	/* 1: a store into a container header, never flushed */
	pf_begin(c, "broken.unflushed-header", PF_BROKEN);
	h->flags = 0x1234;
	pf_end(c);

	/* 2: the same store flushed at once, not snapshotted, inside a
	 * transaction that goes on: a crash rolls back all but it */
	pf_begin(c, "broken.unsnapshotted-header", PF_BROKEN);
	W(pk_tx_begin(c->pool));
	k = pk_int(1);
	v = pk_int(2);
	W(pk_map_put(c->root, &k, &v));
	h->flags = 0x4321;
	pmemobj_persist(c->pool->pop, &h->flags, sizeof(h->flags));
	k = pk_int(3);
	W(pk_map_put(m, &k, &v));
	W(pk_tx_commit(c->pool));
	pf_end(c);

	/* 3: a map slot's value changed in place, persisted, unsnapshotted */
	uint8_t *slot = find(c->pool, mark, sizeof(mark) - 1);
	if (slot == NULL)
		pf_fail("the inline value is not in the pool");
	pf_begin(c, "broken.unsnapshotted-slot", PF_BROKEN);
	W(pk_tx_begin(c->pool));
	memcpy(slot, "MARK-XXXX", 9);
	pmemobj_persist(c->pool->pop, slot, 9);
	k = pk_int(4);
	W(pk_map_put(m, &k, &v));
	W(pk_tx_commit(c->pool));
	pf_end(c);
	pk_map_close(m);
}

START_TEST(test_tool_catches_broken_operations)
{
	struct pf_opts o = { 0 };
	struct pf_result r;

	test_setup();
	pf_run(broken_ops, &o, &r);
	test_teardown();
	ck_assert_uint_eq(r.broken_ops, 3);
	/* each broken operation gave at least one violation: the counts
	 * per kind are printed; here, all three together */
	ck_assert_uint_ge(r.violations, 3);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* maps */

static void
map_ops(struct pf_ctx *c, int keys, int check_every)
{
	pk_map *m, *sub;
	pk_value k, v;
	uint8_t buf[200];
	char kb[32];

	pf_create(c);
	W(pk_map_new(&m, c->pool));
	k = pk_string("m", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	/* growth: new keys, inline and out of line, splits, segments and
	 * (past 640 keys) the directory */
	for (int i = 0; i < keys; i++) {
		k = pf_key(kb, (unsigned)i);
		v = i % 4 == 3 ? pf_bytes(buf, 60 + i % 100, (uint32_t)i) :
			pk_int(i);
		if (i % check_every == 0 || (i >= 636 && i <= 642))
			pf_map_put(c, m, v.type == PK_INT ? "map.put.new" :
					"map.put.new-ext", &k, &v);
		else
			W(pk_map_put(m, &k, &v));
	}
	/* replacing: inline by inline, inline by out of line and back, a
	 * scalar by a reference and a reference by a scalar */
	for (int i = 0; i < 8; i++) {
		k = pf_key(kb, (unsigned)i);
		v = pk_int(-i);
		pf_map_put(c, m, "map.put.replace", &k, &v);
		v = pf_bytes(buf, 120, (uint32_t)i + 1000);
		pf_map_put(c, m, "map.put.replace-ext", &k, &v);
		W(pk_map_new(&sub, c->pool));
		v = pk_map_value(sub);
		pf_map_put(c, m, "map.put.ref", &k, &v);
		k = pk_int(i);
		W(pk_map_put(sub, &k, &k));
		pk_map_close(sub);
	}
	/* shrinking: removes, merges, freed segments, directory shrink */
	for (int i = keys - 1; i >= 0; i--) {
		k = pf_key(kb, (unsigned)i);
		if (i % check_every == 0 || (i >= 250 && i <= 258) || i < 40)
			pf_map_remove(c, m, i < 8 ? "map.remove.ref" :
					i % 4 == 3 ? "map.remove.ext" :
					"map.remove", &k);
		else
			W(pk_map_remove(m, &k));
	}
	/* clear */
	for (int i = 0; i < 30; i++) {
		k = pf_key(kb, (unsigned)i);
		v = pf_bytes(buf, 10 + i * 3, (uint32_t)i);
		W(pk_map_put(m, &k, &v));
	}
	pf_begin(c, "map.clear", 0);
	W(pk_map_clear(m));
	pf_end(c);
	pk_map_close(m);
}

static void
map_scenario(struct pf_ctx *c)
{
	map_ops(c, 660, 20);
}

START_TEST(test_map)
{
	run(map_scenario, 0, (size_t)32 << 20);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* lists */

static void
list_ops(struct pf_ctx *c, int n)
{
	pk_list *l;
	pk_map *sub;
	pk_value k, v, vals[10];
	uint8_t buf[64], bufs[10][40];

	pf_create(c);
	W(pk_list_new(&l, c->pool));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	/* append: inline, out of line (over 14 bytes), references; growth
	 * to new segments at 8, 24, 56, 120 elements */
	for (int i = 0; i < n; i++) {
		const char *kind = "list.append";
		if (i % 7 == 3) {
			v = pf_bytes(buf, 15 + i % 40, (uint32_t)i);
			kind = "list.append-ext";
		} else if (i % 11 == 5) {
			W(pk_map_new(&sub, c->pool));
			v = pk_map_value(sub);
			pk_map_close(sub);
			kind = "list.append-ref";
		} else {
			v = pk_int(i);
		}
		if (i == 8 || i == 24 || i == 56 || i == 120)
			kind = "list.append-segment";
		if (i < 30 || i % 5 == 0 || i == 56 || i == 120) {
			pf_begin(c, kind, 0);
			W(pk_list_append(l, &v));
			pf_end(c);
		} else {
			W(pk_list_append(l, &v));
		}
	}
	for (int i = 0; i < 6; i++) {
		v = i % 2 ? pf_bytes(buf, 30, (uint32_t)i + 77) : pk_int(-i);
		pf_begin(c, "list.set", 0);
		W(pk_list_set(l, i * 5, &v));
		pf_end(c);
		pf_begin(c, "list.insert", 0);
		W(pk_list_insert(l, i == 0 ? 0 : i * 9, &v));
		pf_end(c);
		pf_begin(c, "list.pop", 0);
		W(pk_list_pop(l, i % 2 ? -1 : i * 4));
		pf_end(c);
	}
	for (int i = 0; i < 10; i++)
		vals[i] = i % 3 ? pk_int(i) : pf_bytes(bufs[i], 20 + i,
				(uint32_t)i);
	for (int i = 0; i < 3; i++) {
		pf_begin(c, "list.extend", 0);
		W(pk_list_extend(l, vals, 10));
		pf_end(c);
		pf_begin(c, "list.remove-range", 0);
		W(pk_list_remove_range(l, 3 + i, 20 + i * 7));
		pf_end(c);
	}
	/* shrinking frees segments; the last pops free references */
	for (int i = 0; i < 12; i++) {
		pf_begin(c, "list.remove-range", 0);
		W(pk_list_remove_range(l, -12, -2));
		pf_end(c);
	}
	pf_begin(c, "list.clear", 0);
	W(pk_list_clear(l));
	pf_end(c);
	pk_list_close(l);
}

static void
list_scenario(struct pf_ctx *c)
{
	list_ops(c, 130);
}

START_TEST(test_list)
{
	run(list_scenario, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* arrays */

static void
array_ops(struct pf_ctx *c, uint64_t len)
{
	pk_array *a, *b;
	pk_value k, v;
	int64_t data[512];
	void *win;

	pf_create(c);
	for (size_t i = 0; i < 512; i++)
		data[i] = (int64_t)(i * 1000003);
	pf_begin(c, "array.new-store", 0);
	W(pk_array_new(&a, c->pool, PK_ELEM_I64, 0, len, data));
	k = pk_string("a", 1);
	v = pk_array_value(a);
	W(pk_map_put(c->root, &k, &v));
	pf_end(c);
	W(pk_array_new(&b, c->pool, PK_ELEM_BYTES, 5, 40, NULL));
	k = pk_string("b", 1);
	v = pk_array_value(b);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < 10; i++) {
		v = pk_int(-i * 77);
		pf_begin(c, "array.set", 0);
		W(pk_array_set(a, i * 7, &v));
		pf_end(c);
		v = pk_bytes("abcde", 5);
		pf_begin(c, "array.set", 0);
		W(pk_array_set(b, i * 3, &v));
		pf_end(c);
		pf_begin(c, "array.write", 0);
		W(pk_array_write(a, (uint64_t)i * 5, 20 + (uint64_t)i * 9,
				data + i));
		pf_end(c);
		pf_begin(c, "array.window", 0);
		W(pk_tx_begin(c->pool));
		W(pk_array_window(&win, a, (uint64_t)i, (uint64_t)i + 30));
		for (int j = 0; j < 30; j++)
			((int64_t *)win)[j] = i * 100 + j;
		W(pk_array_window(&win, b, 0, 8));
		memset(win, 'a' + i, 40);
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
	uint64_t sizes[] = { len * 2, len + 3, len / 2, 0, 17, len * 4, len };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pf_begin(c, "array.resize", 0);
		W(pk_array_resize(a, sizes[i]));
		pf_end(c);
	}
	pf_begin(c, "tx.abort", 0);
	W(pk_tx_begin(c->pool));
	W(pk_array_write(a, 0, 10, data + 100));
	W(pk_tx_abort(c->pool));
	pf_end(c);
	pk_array_close(a);
	pk_array_close(b);
}

static void
array_scenario(struct pf_ctx *c)
{
	array_ops(c, 300);
}

START_TEST(test_array)
{
	run(array_scenario, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* nesting, user transactions, flags, gc */

/* a subtree: a map holding a list of small maps and an array */
static pk_value
subtree(struct pf_ctx *c, int n)
{
	pk_map *m, *leaf;
	pk_list *l;
	pk_array *a;
	pk_value k, v;
	uint8_t buf[20 + 10 * 64];

	if (n > 64)
		pf_fail("subtree too large");
	W(pk_map_new(&m, c->pool));
	W(pk_list_new(&l, c->pool));
	W(pk_array_new(&a, c->pool, PK_ELEM_F64, 0, 16, NULL));
	for (int i = 0; i < n; i++) {
		W(pk_map_new(&leaf, c->pool));
		k = pk_int(i);
		v = pf_bytes(buf, 20 + (size_t)i * 10, (uint32_t)i);
		W(pk_map_put(leaf, &k, &v));
		v = pk_map_value(leaf);
		W(pk_list_append(l, &v));
		pk_map_close(leaf);
	}
	k = pk_string("list", 4);
	v = pk_list_value(l);
	W(pk_map_put(m, &k, &v));
	k = pk_string("array", 5);
	v = pk_array_value(a);
	W(pk_map_put(m, &k, &v));
	v = pk_map_value(m);
	pk_map_close(m);
	pk_list_close(l);
	pk_array_close(a);
	return v;
}

static void
nested_scenario(struct pf_ctx *c)
{
	pk_map *m;
	pk_list *l;
	pk_value k, v, x;
	uint8_t buf[100];
	uint64_t freed;

	pf_create(c);
	for (int i = 0; i < 6; i++) {
		/* storing a new subtree: its count goes from 0 to 1 */
		v = subtree(c, 3 + i);
		k = pk_int(i);
		pf_begin(c, "nested.store", 0);
		W(pk_map_put(c->root, &k, &v));
		pf_end(c);
		/* a second reference, then the first one goes */
		if (i % 2) {
			k = pk_int(100 + i);
			pf_begin(c, "nested.store-shared", 0);
			W(pk_map_put(c->root, &k, &v));
			pf_end(c);
			k = pk_int(i);
			pf_begin(c, "nested.unref", 0);
			W(pk_map_remove(c->root, &k));
			pf_end(c);
		}
	}
	/* removing the last reference frees the subtree */
	for (int i = 0; i < 6; i++) {
		k = pk_int(i % 2 ? 100 + i : i);
		pf_begin(c, "nested.free", 0);
		W(pk_map_remove(c->root, &k));
		pf_end(c);
	}
	/* a list element that holds the last reference, popped */
	W(pk_list_new(&l, c->pool));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < 3; i++) {
		v = subtree(c, 2);
		W(pk_list_append(l, &v));
	}
	pf_begin(c, "nested.free-pop", 0);
	W(pk_list_pop(l, 1));
	pf_end(c);
	v = subtree(c, 2);
	pf_begin(c, "nested.free-set", 0);
	W(pk_list_set(l, 0, &v));	/* the old subtree goes */
	pf_end(c);

	/* user transactions over several containers */
	W(pk_map_new(&m, c->pool));
	k = pk_string("m", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < 8; i++) {
		pf_begin(c, "tx.multi", 0);
		W(pk_tx_begin(c->pool));
		k = pk_int(i);
		v = pf_bytes(buf, 10 + (size_t)i * 11, (uint32_t)i);
		W(pk_map_put(m, &k, &v));
		W(pk_list_append(l, &v));
		W(pk_tx_begin(c->pool)); /* a nested level */
		x = subtree(c, 1);
		k = pk_int(1000 + i);
		W(pk_map_put(m, &k, &x));
		if (i > 0) {
			k = pk_int(i - 1);
			W(pk_map_remove(m, &k));
		}
		W(pk_tx_commit(c->pool));
		W(pk_list_pop(l, 0));
		W(pk_container_set_flags(c->pool, &v, 0) == 0 ? 0 : 0);
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
	for (int i = 0; i < 4; i++) {
		v = pk_map_value(m);
		pf_begin(c, "flags.set", 0);
		W(pk_container_set_flags(c->pool, &v, (uint16_t)(0x101 * i)));
		pf_end(c);
	}

	/* garbage for gc: unstored containers and an unreachable cycle */
	for (int i = 0; i < 3; i++) {
		pk_map *a, *b;
		(void)subtree(c, 2);
		W(pk_map_new(&a, c->pool));
		W(pk_map_new(&b, c->pool));
		k = pk_string("b", 1);
		v = pk_map_value(b);
		W(pk_map_put(a, &k, &v));
		k = pk_string("a", 1);
		v = pk_map_value(a);
		W(pk_map_put(b, &k, &v));
		pk_map_close(a);
		pk_map_close(b);
		pf_begin(c, "pool.gc", 0);
		W(pk_pool_gc(&freed, c->pool));
		pf_end(c);
		if (freed == 0)
			pf_fail("gc freed nothing");
	}
	pk_map_close(m);
	pk_list_close(l);
}

START_TEST(test_nested_tx_gc)
{
	run(nested_scenario, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* the pool: create, close, open, and recovery after a process crash */

static void
pool_scenario(struct pf_ctx *c)
{
	pk_value k, v;
	uint8_t buf[100];
	pid_t pid;
	int status;

	pf_begin(c, "pool.create", PF_NOPOOL);
	pf_create(c);
	pf_end(c);
	for (int i = 0; i < 20; i++) {
		k = pk_int(i);
		v = i % 2 ? pk_int(i) : pf_bytes(buf, 80, (uint32_t)i);
		W(pk_map_put(c->root, &k, &v));
	}
	v = subtree(c, 3);
	k = pk_string("tree", 4);
	W(pk_map_put(c->root, &k, &v));
	for (int round = 0; round < 3; round++) {
		pf_begin(c, "pool.close", 0);
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		pf_end(c);
		pf_begin(c, "pool.open", 0);
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
		pf_end(c);
	}
	/*
	 * A process that dies inside a transaction, with an unstored
	 * container: the next open rolls back and collects, and a power
	 * failure during that recovery must not change the outcome.
	 */
	for (int round = 0; round < 3; round++) {
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		pid = fork();
		if (pid == 0) {
			pk_pool *p;
			pk_map *r, *leak;
			pf_sim_set_hook(NULL, NULL);
			pf_sim_unwatch();
			if (pk_pool_open(&p, c->path) != 0 ||
			    pk_pool_root(&r, p) != 0 ||
			    pk_map_new(&leak, p) != 0 ||
			    pk_tx_begin(p) != 0)
				_exit(1);
			for (int i = 0; i < 10 + round * 10; i++) {
				k = pk_int(500 + i);
				v = pf_bytes(buf, 70, (uint32_t)i);
				if (pk_map_put(r, &k, &v) != 0)
					_exit(1);
				k = pk_int(i);
				if (pk_map_remove(r, &k) != 0 && i < 20)
					_exit(1);
			}
			_exit(0); /* no commit, no close */
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			pf_fail("the crashing process failed");
		/* watch afresh: the file as the dead process left it */
		W(pf_sim_watch(c->path));
		pf_begin(c, "pool.open-recovery", 0);
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
		pf_end(c);
		pk_pool_stats st;
		W(pk_pool_stats_get(&st, c->pool));
		if (!st.unclean || st.recovered == 0)
			pf_fail("recovery did not run (unclean %d, recovered "
					"%llu)", st.unclean,
					(unsigned long long)st.recovered);
	}
}

START_TEST(test_pool)
{
	run(pool_scenario, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* the same with libpmemobj on its msync path (not pmem) */

static void
msync_scenario(struct pf_ctx *c)
{
	pk_value k, v;
	pk_list *l;
	uint8_t buf[100];
	char kb[32];

	pf_begin(c, "pool.create", PF_NOPOOL);
	pf_create(c);
	pf_end(c);
	W(pk_list_new(&l, c->pool));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < 40; i++) {
		k = pf_key(kb, (unsigned)i);
		v = i % 3 ? pk_int(i) : pf_bytes(buf, 90, (uint32_t)i);
		if (i % 3 == 0)
			pf_map_put(c, c->root, "map.put.new", &k, &v);
		else
			W(pk_map_put(c->root, &k, &v));
		if (i % 4 == 0) {
			pf_begin(c, "list.append", 0);
			W(pk_list_append(l, &v));
			pf_end(c);
		} else {
			W(pk_list_append(l, &v));
		}
	}
	for (int i = 0; i < 40; i += 4) {
		k = pf_key(kb, (unsigned)i);
		pf_map_remove(c, c->root, "map.remove", &k);
	}
	v = subtree(c, 3);
	k = pk_string("t", 1);
	pf_begin(c, "nested.store", 0);
	W(pk_map_put(c->root, &k, &v));
	pf_end(c);
	pf_begin(c, "nested.free", 0);
	W(pk_map_remove(c->root, &k));
	pf_end(c);
	pk_list_close(l);
	pf_begin(c, "pool.close", 0);
	pk_map_close(c->root);
	c->root = NULL;
	W(pk_pool_close(c->pool));
	c->pool = NULL;
	pf_end(c);
	pf_begin(c, "pool.open", 0);
	W(pk_pool_open(&c->pool, c->path));
	W(pk_pool_root(&c->root, c->pool));
	pf_end(c);
}

START_TEST(test_msync)
{
	run(msync_scenario, 1, 0);
}
END_TEST

/* one case per test, so CK_RUN_CASE=name runs one */
static void
add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

static Suite *
suite(void)
{
	Suite *s = suite_create("powerfail");
	add(s, "tool", test_tool_catches_broken_operations);
	add(s, "map", test_map);
	add(s, "list", test_list);
	add(s, "array", test_array);
	add(s, "nested", test_nested_tx_gc);
	add(s, "pool", test_pool);
	add(s, "msync", test_msync);
	return s;
}

int
main(int argc, char **argv)
{
	(void)argc;
	pf_sim_init(argv);
	pf_stats_init();
	int rc = run_suite(suite());
	pf_stats_print();
	return rc;
}
