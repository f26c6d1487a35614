/*
 * test_powerfail.c -- power failure at every drain point of every
 * mutating operation (see pf.h for the method)
 *
 * Each test runs a scenario in a worker under the simulator; every
 * operation bracketed by pf_begin()/pf_end() is checked at every drain
 * point it goes through. First the tool is shown to catch deliberately
 * broken operations; then maps, lists, arrays, nesting, user
 * transactions, gc, defragmentation and the pool's own
 * create/close/open/recovery, once
 * more with libpmemobj on its msync path. main prints the counts per
 * operation kind.
 */
#include <fcntl.h>

#include "../common.h"
#include "../../lib/internal.h"
#include "pf_ops.h"
#include "pmemsim.h"

static void
run_variants(void (*scenario)(struct pf_ctx *), int msync, size_t pool_size,
		unsigned variants)
{
	struct pf_opts o = { 0 };
	struct pf_result r;

	o.msync = msync;
	o.variants = variants;
	o.pool_size = pool_size;
	test_setup();
	pf_run(scenario, &o, &r);
	test_teardown();
	ck_assert_uint_gt(r.images, 0);
	if (msync)
		ck_assert_msg(r.msyncs > 0, "libpmemobj took no msync path");
}

static void
run(void (*scenario)(struct pf_ctx *), int msync, size_t pool_size)
{
	run_variants(scenario, msync, pool_size, 0);
}

/* ---------------------------------------------------------------------- */
/* the tool catches broken operations */

/*
 * find -- the pool bytes holding pat (a value stored inline in a container
 * allocated after the object at off). From off, not from the start:
 * libpmemobj's debug build makes parts of its own metadata unreadable.
 */
static uint8_t *
find(pk_pool *pool, uint64_t off, const void *pat, size_t len)
{
	return memmem(pool->base + off, pool->size - off, pat, len);
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
	uint8_t *slot = find(c->pool, m->h.off, mark, sizeof(mark) - 1);
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
/* the scenarios (pf_scen.c) */

static void
map_scenario(struct pf_ctx *c)
{
	pf_map_ops(c, 1000, 2, 10);
}

START_TEST(test_map)
{
	run(map_scenario, 0, (size_t)32 << 20);
}
END_TEST

static void
list_scenario(struct pf_ctx *c)
{
	pf_list_ops(c, 240, 1);
}

START_TEST(test_list)
{
	run(list_scenario, 0, (size_t)32 << 20);
}
END_TEST

static void
array_scenario(struct pf_ctx *c)
{
	pf_array_ops(c, 300, 24);
}

START_TEST(test_array)
{
	run(array_scenario, 0, 0);
}
END_TEST

static void
log_scenario(struct pf_ctx *c)
{
	pf_log_ops(c, 120, 1);
}

START_TEST(test_log)
{
	run(log_scenario, 0, 0);
}
END_TEST

static void
set_scenario(struct pf_ctx *c)
{
	pf_set_ops(c, 80);
}

START_TEST(test_set)
{
	run(set_scenario, 0, 0);
}
END_TEST

static void
sorted_scenario(struct pf_ctx *c)
{
	pf_sorted_ops(c, 1200, 20);
}

START_TEST(test_sorted)
{
	run(sorted_scenario, 0, (size_t)32 << 20);
}
END_TEST

static void
record_scenario(struct pf_ctx *c)
{
	pf_record_ops(c, 40);
}

START_TEST(test_record)
{
	run(record_scenario, 0, 0);
}
END_TEST

static void
blocks_scenario(struct pf_ctx *c)
{
	pf_blocks_ops(c);
}

/*
 * The block array orders its writes with fences of its own (the block's
 * bytes, then its flog entry, then the entry's sequence number): its
 * images include ones where a drain completed only part of the lines
 * flushed before it, as when a fence is missing.
 */
START_TEST(test_blocks)
{
	run_variants(blocks_scenario, 0, 0, PMEMSIM_IMG_PARTIAL);
}
END_TEST

static void
nested_scenario(struct pf_ctx *c)
{
	pf_nested_ops(c, 16);
}

START_TEST(test_nested_tx_gc)
{
	run(nested_scenario, 0, 0);
}
END_TEST

static void
pool_scenario(struct pf_ctx *c)
{
	pf_pool_ops(c, 10);
}

/*
 * A close orders the maps' counts before the clean mark with a fence of
 * its own: the images include partial drains, as the block array's do.
 */
START_TEST(test_pool)
{
	run_variants(pool_scenario, 0, 0, PMEMSIM_IMG_PARTIAL);
}
END_TEST

static void
defrag_scenario(struct pf_ctx *c)
{
	pf_defrag_ops(c, 8000, 3);
}

START_TEST(test_defrag)
{
	run(defrag_scenario, 0, (size_t)32 << 20);
}
END_TEST

static void
msync_scenario(struct pf_ctx *c)
{
	pf_msync_ops(c, 80);
}

START_TEST(test_msync)
{
	run(msync_scenario, 1, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* a raw region: what each call leaves durable */

/* durable -- whether the simulator's durable image of the watched file
 * holds len bytes of want at off */
static int
durable(uint64_t off, const void *want, size_t len)
{
	char img[4200], buf[64];
	int fd, same;

	ck_assert_uint_le(len, sizeof(buf));
	snprintf(img, sizeof(img), "%s.img", test_path);
	ck_assert_int_eq(pf_sim_write_image(img, PMEMSIM_IMG_DURABLE, 0), 0);
	ck_assert_int_ge(fd = open(img, O_RDONLY), 0);
	ck_assert_int_eq(pread(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
	unlink(img);
	same = memcmp(buf, want, len) == 0;
	return same;
}

static void
region_put(pk_region *r, uint64_t off, const char *s, unsigned flags)
{
	pk_value v = pk_bytes(s, strlen(s));

	PK_OK(pk_region_write(r, off, &v, flags));
}

/*
 * Each persisting call leaves its bytes durable when it returns; the
 * no-flush form leaves them volatile until pk_region_persist(), and the
 * no-drain form until pk_region_drain(). On both media.
 */
static void
region_semantics(int msync)
{
	pk_region *r;
	int pmem;

	test_setup();
	if (msync)
		ck_assert_int_eq(unsetenv("PMEM_IS_PMEM_FORCE"), 0);
	ck_assert_int_eq(pf_sim_watch(test_path), 0);
	PK_OK(pk_region_map(&r, test_path, 1 << 20, PK_REGION_CREATE, 0600));
	PK_OK(pk_region_is_pmem(&pmem, r));
	ck_assert_int_eq(pmem, !msync);
	region_put(r, 100, "persisted", 0);
	ck_assert(durable(100, "persisted", 9));
	region_put(r, 200, "plain", PK_REGION_NOFLUSH);
	ck_assert(!durable(200, "plain", 5));
	PK_OK(pk_region_persist(r, 200, 5));
	ck_assert(durable(200, "plain", 5));
	region_put(r, 300, "nodrain", PK_REGION_NODRAIN);
	if (!msync)		/* msync drains every time */
		ck_assert(!durable(300, "nodrain", 7));
	PK_OK(pk_region_drain(r));
	ck_assert(durable(300, "nodrain", 7));
	memcpy((char *)pk_region_addr(r) + 5000, "stores", 6);
	ck_assert(!durable(5000, "stores", 6));
	PK_OK(pk_region_flush(r, 5000, 6));
	PK_OK(pk_region_drain(r));
	ck_assert(durable(5000, "stores", 6));
	PK_OK(pk_region_move(r, 7000, 100, 9, 0));
	ck_assert(durable(7000, "persisted", 9));
	PK_OK(pk_region_fill(r, 8000, 'f', 4, 0));
	ck_assert(durable(8000, "ffff", 4));
	memcpy((char *)pk_region_addr(r) + 9000, "deep", 4);
	PK_OK(pk_region_deep_flush(r, 9000, 4));
	ck_assert(durable(9000, "deep", 4));
	/* a range outside the mapping writes nothing */
	pk_value v = pk_bytes("xx", 2);
	PK_RC(pk_region_write(r, (1 << 20) - 1, &v, 0), PK_ERANGE);
	ck_assert(durable((1 << 20) - 2, "\0\0", 2));
	PK_OK(pk_region_close(r));
	pf_sim_unwatch();
	test_teardown();
}

START_TEST(test_region)
{
	region_semantics(0);
}
END_TEST

START_TEST(test_region_msync)
{
	region_semantics(1);
}
END_TEST

/*
 * Every kind of operation the scenarios check ran at least PF_COVER
 * times, from different states: one run of a path can miss a missing
 * snapshot the state of the next run shows. Runs last, over the counts
 * of the cases before it (a whole run at PK_TEST_SCALE 1 or more).
 */
#define PF_COVER 10

START_TEST(test_coverage)
{
	char below[2000];

	if (getenv("CK_RUN_CASE") != NULL || test_scale(1000) < 1000)
		return;
	int n = pf_stats_below(PF_COVER, below, sizeof(below));
	ck_assert_msg(n == 0, "%d kinds of operation ran fewer than %d "
			"times: %s", n, PF_COVER, below);
}
END_TEST

/* one case per test, so CK_RUN_CASE=name runs one */
static void
add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_set_timeout(tc, 3600);
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
	add(s, "log", test_log);
	add(s, "blocks", test_blocks);
	add(s, "set", test_set);
	add(s, "sorted", test_sorted);
	add(s, "record", test_record);
	add(s, "nested", test_nested_tx_gc);
	add(s, "pool", test_pool);
	add(s, "defrag", test_defrag);
	add(s, "msync", test_msync);
	add(s, "region", test_region);
	add(s, "region-msync", test_region_msync);
	add(s, "coverage", test_coverage);
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
