/*
 * test_defrag.c -- pk_pool_defrag(): a 64 MiB pool (16 MiB in runs scaled
 * down by PK_TEST_SCALE) filled with small map
 * entries, list elements and blobs, then 90% of them deleted at random,
 * has its free space in pieces: a blob of a few MiB does not fit. After
 * the defrag it does; every value left reads back, before and after a
 * reopen; handles opened before still work; a compact pool moves nothing;
 * damage, transactions and bad arguments are refused.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>

#include "fixture.h"
#include "layout.h"

#define NMAPS 32
#define NLISTS 32
#define LISTLEN 500
#define MIB ((size_t)1 << 20)
#define STEP ((size_t)4 << 10)

static size_t pool_mib;	/* the pool's size */
static pk_map *maps[NMAPS];
static pk_list *lists[NLISTS];
static char *big;

/* mix -- Fibonacci hashing: the random choices, the same every run */
static uint64_t
mix(uint64_t x)
{
	return ((x + 1) * 0x9E3779B97F4A7C15ull) >> 29;
}

/* keep -- whether item id survives the deletions (one in ten) */
static int
keep(uint64_t id)
{
	return mix(id) % 10 == 0;
}

/* val -- the value of item id: mostly a 20-byte string stored inline,
 * every tenth a blob of 100 to 1000 bytes; buf holds its bytes */
static pk_value
val(uint64_t id, char *buf)
{
	if (id % 10 == 3) {
		size_t n = 100 + mix(id + 1) % 900;
		memset(buf, (int)(id & 0x7f), n);
		return pk_bytes(buf, n);
	}
	return pk_string(buf, (size_t)snprintf(buf, 32, "v%019llu",
			(unsigned long long)id));
}

/* same -- whether a value read back is val(id) */
static void
assert_val(const pk_value *got, uint64_t id)
{
	char buf[1024];
	pk_value want = val(id, buf);

	ck_assert_int_eq(got->type, want.type);
	ck_assert_uint_eq(got->u.buf.len, want.u.buf.len);
	ck_assert(memcmp(got->u.buf.ptr, want.u.buf.ptr, want.u.buf.len) == 0);
}

/* make_containers -- NMAPS maps and NLISTS lists stored in the root */
static void
make_containers(void)
{
	for (int i = 0; i < NMAPS + NLISTS; i++) {
		pk_value k = pk_int(-1 - i), v;
		if (i < NMAPS) {
			PK_OK(pk_map_new(&maps[i], pool));
			v = pk_map_value(maps[i]);
		} else {
			PK_OK(pk_list_new(&lists[i - NMAPS], pool));
			v = pk_list_value(lists[i - NMAPS]);
		}
		PK_OK(pk_map_put(root, &k, &v));
	}
}

/* open_containers -- handles to them again, from the root */
static void
open_containers(void)
{
	for (int i = 0; i < NMAPS + NLISTS; i++) {
		pk_value k = pk_int(-1 - i), v;
		PK_OK(pk_map_get(&v, root, &k));
		if (i < NMAPS)
			PK_OK(pk_map_open(&maps[i], pool, &v));
		else
			PK_OK(pk_list_open(&lists[i - NMAPS], pool, &v));
	}
}

/* close_containers -- release the handles */
static void
close_containers(void)
{
	for (int i = 0; i < NMAPS; i++)
		pk_map_close(maps[i]);
	for (int i = 0; i < NLISTS; i++)
		pk_list_close(lists[i]);
}

/* fill -- LISTLEN items in each list, then map entries (key id, in map
 * id % NMAPS) until the pool is full: the entries put */
static uint64_t
fill(uint64_t max)
{
	char buf[1024];
	uint64_t id;
	int rc = 0;

	for (int l = 0; l < NLISTS; l++)
		for (uint64_t j = 0; j < LISTLEN; j++) {
			pk_value v = val((uint64_t)l * LISTLEN + j, buf);
			PK_OK(pk_list_append(lists[l], &v));
		}
	for (id = 0; id < max; id++) {
		pk_value k = pk_int((int64_t)id), v = val(id, buf);
		if ((rc = pk_map_put(maps[id % NMAPS], &k, &v)) != 0)
			break;
	}
	ck_assert_msg(id == max || rc == PK_ENOSPACE, "fill: %s",
			pk_errormsg());
	return id;
}

/* thin -- delete every item keep() does not keep */
static void
thin(uint64_t n)
{
	for (uint64_t id = 0; id < n; id++) {
		pk_value k = pk_int((int64_t)id);
		if (!keep(id))
			PK_OK(pk_map_remove(maps[id % NMAPS], &k));
	}
	/* from the end: a pop moves only the (kept) items after it */
	for (int l = 0; l < NLISTS; l++)
		for (int64_t j = LISTLEN - 1; j >= 0; j--)
			if (!keep((uint64_t)l * LISTLEN + (uint64_t)j))
				PK_OK(pk_list_pop(lists[l], j));
}

/* verify -- every kept item reads back, no deleted one is there */
static void
verify(uint64_t n)
{
	pk_value out;

	for (uint64_t id = 0; id < n; id++) {
		pk_value k = pk_int((int64_t)id);
		int rc = pk_map_get(&out, maps[id % NMAPS], &k);
		if (keep(id)) {
			ck_assert_msg(rc == 0, "entry %llu: %s",
					(unsigned long long)id, pk_errormsg());
			assert_val(&out, id);
		} else {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		}
	}
	for (int l = 0; l < NLISTS; l++) {
		int64_t at = 0;
		uint64_t len;
		for (uint64_t j = 0; j < LISTLEN; j++) {
			uint64_t id = (uint64_t)l * LISTLEN + j;
			if (!keep(id))
				continue;
			PK_OK(pk_list_get(&out, lists[l], at++));
			assert_val(&out, id);
		}
		PK_OK(pk_list_length(&len, lists[l]));
		ck_assert_uint_eq(len, (uint64_t)at);
	}
}

/* try_big -- store and remove a blob of n bytes: 0 or why not */
static int
try_big(size_t n)
{
	pk_value k = cstr("big"), v = pk_bytes(big, n);
	int rc = pk_map_put(root, &k, &v);

	if (rc == 0)
		PK_OK(pk_map_remove(root, &k));
	return rc;
}

/* largest -- the largest blob the pool takes, in steps of 4 KiB */
static size_t
largest(void)
{
	size_t lo = 0, hi = pool_mib * MIB / STEP;	/* lo fits, hi not */

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		int rc = try_big(mid * STEP);
		ck_assert_msg(rc == 0 || rc == PK_ENOSPACE, "%s",
				pk_errormsg());
		if (rc == 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo * STEP;
}

/* free_bytes -- the pool's size less what its objects hold */
static uint64_t
free_bytes(void)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;

	PK_OK(pk_pool_stats_get(&st, pool));
	return st.size - st.used;
}

/* a 64 MiB pool with the containers, instead of the fixture's */
static void
setup64(void)
{
	test_setup();
	/* 64 MiB; 16 in scaled-down runs (valgrind) */
	pool_mib = test_scale(64) < 64 ? 16 : 64;
	PK_OK(pk_pool_create(&pool, test_path, pool_mib * MIB, 0));
	PK_OK(pk_pool_root(&root, pool));
	make_containers();
	big = malloc(pool_mib * MIB);
	ck_assert_ptr_nonnull(big);
	memset(big, 'b', pool_mib * MIB);
}

static void
teardown64(void)
{
	close_containers();
	free(big);
	teardown();
}

START_TEST(test_defrag_core__thinned_pool_gets_room)
{
	pk_defrag_report r = PK_DEFRAG_REPORT_INIT;
	uint64_t n = fill(UINT64_MAX), free0, free1, kept = 0;
	size_t before, after, want;

	thin(n);
	verify(n);
	assert_healthy();
	for (uint64_t id = 0; id < n; id++)
		kept += (uint64_t)keep(id);
	free0 = free_bytes();
	before = largest();
	/* several MiB are free, yet a blob of a few cannot be stored */
	want = pool_mib * MIB / 16;	/* 4 MiB of 64 */
	if (want < before + MIB)
		want = before + MIB;
	ck_assert_uint_gt(free0, 4 * want);
	PK_RC(try_big(want), PK_ENOSPACE);

	/* cursors opened before, one step in */
	pk_cursor *mc, *lc;
	pk_value ck, cv;
	PK_OK(pk_map_cursor(&mc, maps[0]));
	PK_OK(pk_cursor_next(&ck, &cv, mc));
	PK_OK(pk_list_cursor(&lc, lists[0]));
	PK_OK(pk_cursor_next(&ck, &cv, lc));

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	PK_OK(pk_pool_defrag(&r, pool));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free1 = free_bytes();
	after = largest();
	printf("defrag: %llu entries put, %llu kept; free %.1f MiB; largest "
			"blob %.3f MiB before, %.2f MiB after; %llu of %llu "
			"objects moved (%.1f MiB), %.1f MiB of runs emptied, "
			"in %.0f ms\n",
			(unsigned long long)n, (unsigned long long)kept,
			(double)free0 / MIB, (double)before / MIB,
			(double)after / MIB, (unsigned long long)r.moved,
			(unsigned long long)r.objects,
			(double)r.moved_bytes / MIB,
			(double)r.freed_bytes / MIB,
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	ck_assert_uint_gt(r.moved, 0);
	ck_assert_uint_ge(r.objects, r.moved);
	ck_assert_uint_gt(r.freed_bytes, 0);
	ck_assert_uint_ge(r.moved_bytes, r.moved * 16);
	/* moving keeps sizes: the free space is the same */
	ck_assert_uint_le(free1 > free0 ? free1 - free0 : free0 - free1, MIB);
	PK_OK(try_big(want));
	ck_assert_uint_ge(after, want);

	/* the list's cursor goes on where it was; the map's gives kept
	 * entries or says the map changed (its chains moved) */
	int rc;
	for (uint64_t j = 0, at = 0; j < LISTLEN; j++) {
		if (!keep(j))
			continue;
		if (at++ == 0)
			continue;	/* the item the cursor gave before */
		PK_OK(pk_cursor_next(&ck, &cv, lc));
		assert_val(&cv, j);
	}
	PK_RC(pk_cursor_next(&ck, &cv, lc), PK_ITEROVER);
	while ((rc = pk_cursor_next(&ck, &cv, mc)) == 0) {
		ck_assert(keep((uint64_t)ck.u.i));
		assert_val(&cv, (uint64_t)ck.u.i);
	}
	ck_assert(rc == PK_ITEROVER || rc == PK_ECHANGED);
	pk_cursor_free(mc);
	pk_cursor_free(lc);

	/* the handles opened before read and write as before */
	verify(n);
	assert_healthy();
	for (int i = 0; i < NMAPS; i++) {
		pk_value k = cstr("after"), v = pk_int(i), out;
		PK_OK(pk_map_put(maps[i], &k, &v));
		PK_OK(pk_map_get(&out, maps[i], &k));
		ck_assert_int_eq(out.u.i, i);
		PK_OK(pk_map_remove(maps[i], &k));
	}
	/* and it all lasts */
	close_containers();
	reopen();
	open_containers();
	verify(n);
	assert_healthy();
	/* a second defrag finds little left to do */
	PK_OK(pk_pool_defrag(&r, pool));
	printf("defrag: again, %llu moved\n", (unsigned long long)r.moved);
	ck_assert_uint_lt(r.moved, n / 100);
}
END_TEST

/* readers -- what each reader thread does while the pool is defragmented */
struct reader {
	pthread_t t;
	uint64_t n, seed, reads;
	volatile int *stop;
	int bad;		/* a value that did not read back */
};

/* read_loop -- get_copy random kept entries until told to stop: every
 * one must read back whole, before, during and after the moves */
static void *
read_loop(void *arg)
{
	struct reader *r = arg;
	char buf[1024], want[1024];

	while (!*r->stop || r->reads < 1000) {
		uint64_t id = mix(r->seed++) % r->n;
		pk_value k = pk_int((int64_t)id), out, w;
		if (!keep(id))
			continue;
		w = val(id, want);
		if (pk_map_get_copy(&out, buf, sizeof(buf), maps[id % NMAPS],
				&k) != 0 || out.u.buf.len != w.u.buf.len ||
		    memcmp(out.u.buf.ptr, w.u.buf.ptr, w.u.buf.len) != 0)
			r->bad++;
		r->reads++;
	}
	return NULL;
}

START_TEST(test_defrag_core__concurrent_readers)
{
	pk_defrag_report r = PK_DEFRAG_REPORT_INIT;
	struct reader rd[4];
	volatile int stop = 0;
	uint64_t n = fill((uint64_t)test_scale(200000));

	thin(n);
	for (int i = 0; i < 4; i++) {
		rd[i] = (struct reader){ .n = n, .seed = (uint64_t)i << 32,
			.stop = &stop };
		ck_assert_int_eq(pthread_create(&rd[i].t, NULL, read_loop,
				&rd[i]), 0);
	}
	PK_OK(pk_pool_defrag(&r, pool));
	stop = 1;
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(rd[i].t, NULL), 0);
		ck_assert_int_eq(rd[i].bad, 0);
	}
	ck_assert_uint_gt(r.moved, 0);
	verify(n);
	assert_healthy();
}
END_TEST

/*
 * An empty pool, and one only ever added to (list items and small map
 * entries, nothing freed: every run full but the last of each class),
 * have nothing worth moving.
 */
START_TEST(test_defrag_core__compact_pool_moves_nothing)
{
	pk_defrag_report r = PK_DEFRAG_REPORT_INIT;
	char buf[1024];
	uint64_t len;

	PK_OK(pk_pool_defrag(&r, pool));
	ck_assert_uint_gt(r.objects, 0);
	ck_assert_uint_eq(r.moved, 0);
	ck_assert_uint_eq(r.moved_bytes, 0);
	ck_assert_uint_eq(r.freed_bytes, 0);
	for (uint64_t id = 0; id < (uint64_t)test_scale(100000); id++) {
		pk_value v = val(id, buf);
		PK_OK(pk_list_append(lists[id % NLISTS], &v));
	}
	for (int i = 0; i < NMAPS; i++)
		for (int64_t j = 0; j < 30; j++) {
			pk_value k = pk_int(j), v = pk_int(j * i);
			PK_OK(pk_map_put(maps[i], &k, &v));
		}
	PK_OK(pk_pool_defrag(&r, pool));
	ck_assert_uint_eq(r.moved, 0);
	ck_assert_uint_eq(r.freed_bytes, 0);
	PK_OK(pk_pool_defrag(NULL, pool));
	for (int l = 0; l < NLISTS; l++) {
		PK_OK(pk_list_length(&len, lists[l]));
		for (uint64_t j = 0; j < len; j++) {
			pk_value out;
			PK_OK(pk_list_get(&out, lists[l], (int64_t)j));
			assert_val(&out, j * NLISTS + (uint64_t)l);
		}
	}
	assert_healthy();
}
END_TEST

START_TEST(test_defrag_errors__refused)
{
	pk_defrag_report r = PK_DEFRAG_REPORT_INIT;

	PK_RC(pk_pool_defrag(&r, NULL), EINVAL);
	r.version = 99;
	PK_RC(pk_pool_defrag(&r, pool), EINVAL);
	r.version = PK_DEFRAG_REPORT_VERSION;
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_pool_defrag(&r, pool), PK_ETXN);
	PK_OK(pk_tx_commit(pool));
	PK_OK(pk_pool_defrag(&r, pool));
}
END_TEST

/* a list whose segment offset is damaged: the walk meets it, nothing is
 * moved, and the rest reads as before */
START_TEST(test_defrag_errors__damage_moves_nothing)
{
	pk_defrag_report r = PK_DEFRAG_REPORT_INIT;
	uint64_t n = fill(30000), bad = 8;
	pk_value kl = pk_int(-1 - NMAPS), vl;
	int fd;

	thin(n);
	PK_OK(pk_map_get(&vl, root, &kl));
	close_containers();
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	fd = open(test_path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, &bad, 8, (off_t)(vl.u.ref.off +
			offsetof(struct pk_list_hdr, seg))), 8);
	close(fd);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	open_containers();
	PK_RC(pk_pool_defrag(&r, pool), PK_ECORRUPT);
	ck_assert_uint_eq(r.moved, 0);
	ck_assert_uint_eq(r.moved_bytes, 0);
	for (uint64_t id = 0; id < n; id++) {
		pk_value k = pk_int((int64_t)id), out;
		if (keep(id)) {
			PK_OK(pk_map_get(&out, maps[id % NMAPS], &k));
			assert_val(&out, id);
		}
	}
}
END_TEST

static Suite *
defrag_suite(void)
{
	Suite *s = suite_create("defrag");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup64, teardown64);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_defrag_core__thinned_pool_gets_room);
	tcase_add_test(tc, test_defrag_core__compact_pool_moves_nothing);
	tcase_add_test(tc, test_defrag_core__concurrent_readers);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup64, teardown64);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_defrag_errors__refused);
	tcase_add_test(tc, test_defrag_errors__damage_moves_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(defrag_suite());
}
