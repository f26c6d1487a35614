/*
 * test_blocks.c -- the block array
 *
 * core: new blocks read as zeros, writes read back whole across reopens,
 * short writes zero-filled, growth, iteration; flags: zero and bad blocks;
 * tx: writes, zeroing and marking undone by an abort; nest: references,
 * gc and kinds; misuse: sizes, indexes, NULLs, a closed pool; kill: a
 * writer killed at random never leaves a torn block and loses no
 * acknowledged write.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"
#include "fixture.h"

static pk_blocks *
new_blocks(const char *name, size_t bsize, uint64_t count)
{
	pk_blocks *b;
	pk_value k = cstr(name), v;

	PK_OK(pk_blocks_new(&b, pool, bsize, count));
	v = pk_blocks_value(b);
	PK_OK(pk_map_put(root, &k, &v));
	return b;
}

static pk_blocks *
open_blocks(const char *name)
{
	pk_blocks *b;
	pk_value k = cstr(name), v;

	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_blocks_open(&b, pool, &v));
	return b;
}

/* pattern -- the contents of block i at version ver: both, then a byte
 * that depends on them, so a mix of two is caught (a memset: the kill
 * test's writer spends its time writing, not making patterns) */
static void
pattern(uint8_t *buf, size_t bsize, uint64_t i, uint64_t ver)
{
	memcpy(buf, &i, 8);
	memcpy(buf + 8, &ver, 8);
	memset(buf + 16, (uint8_t)(i * 131 + ver * 31 + 1), bsize - 16);
}

/* version_of -- the version block i holds (0 for zeros), failing on a
 * block that is no version's */
static uint64_t
version_of(const uint8_t *buf, size_t bsize, uint64_t i)
{
	static uint8_t want[PK_BLOCK_MAX];
	uint64_t ver, got;

	memcpy(&got, buf, 8);
	memcpy(&ver, buf + 8, 8);
	if (got == 0 && ver == 0) {
		for (size_t j = 0; j < bsize; j++)
			ck_assert_msg(buf[j] == 0, "block %llu: torn zeros",
					(unsigned long long)i);
		return 0;
	}
	ck_assert_uint_eq(got, i);
	pattern(want, bsize, i, ver);
	ck_assert_msg(memcmp(buf, want, bsize) == 0,
			"block %llu: torn version %llu",
			(unsigned long long)i, (unsigned long long)ver);
	return ver;
}

static void
put(pk_blocks *b, uint64_t i, const void *p, size_t n)
{
	pk_value v = pk_bytes(p, n);

	PK_OK(pk_blocks_write(b, i, &v));
}

static uint64_t
count(pk_blocks *b)
{
	uint64_t n;

	PK_OK(pk_blocks_length(&n, b));
	return n;
}

static void
check_healthy(void)
{
	pk_check_report rep = PK_CHECK_REPORT_INIT;

	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.objects, rep.reachable);
}

/* ----------------------------------------------------------------- core */

START_TEST(test_blocks_core__write_and_read_back)
{
	static const size_t sizes[] = { 512, 520, 4096, 65536 };
	static uint8_t buf[PK_BLOCK_MAX], got[PK_BLOCK_MAX];

	for (size_t s = 0; s < 4; s++) {
		char name[16];
		snprintf(name, sizeof(name), "b%zu", sizes[s]);
		pk_blocks *b = new_blocks(name, sizes[s], 20);
		uint64_t bs;
		PK_OK(pk_blocks_block_size(&bs, b));
		ck_assert_uint_eq(bs, sizes[s]);
		ck_assert_uint_eq(count(b), 20);
		for (uint64_t i = 0; i < 20; i++) {
			PK_OK(pk_blocks_read(got, sizeof(got), b, i));
			ck_assert_uint_eq(version_of(got, bs, i), 0);
		}
		/* several versions of each, every write through the spare */
		for (uint64_t ver = 1; ver <= 3; ver++)
			for (uint64_t i = 0; i < 20; i += ver) {
				pattern(buf, bs, i, ver);
				put(b, i, buf, bs);
			}
		pk_blocks_close(b);
	}
	reopen();
	for (size_t s = 0; s < 4; s++) {
		char name[16];
		snprintf(name, sizeof(name), "b%zu", sizes[s]);
		pk_blocks *b = open_blocks(name);
		for (uint64_t i = 0; i < 20; i++) {
			pk_value v;
			PK_OK(pk_blocks_get(&v, b, i));
			ck_assert_int_eq(v.type, PK_BYTES);
			ck_assert_uint_eq(v.u.buf.len, sizes[s]);
			uint64_t want = i % 3 == 0 ? 3 : i % 2 == 0 ? 2 : 1;
			ck_assert_uint_eq(version_of(v.u.buf.ptr, sizes[s], i),
					want);
		}
		pk_blocks_close(b);
	}
	check_healthy();
}
END_TEST

START_TEST(test_blocks_core__short_writes_grow_and_iterate)
{
	pk_blocks *b = new_blocks("b", 512, 2);
	uint8_t buf[512];
	pk_cursor *c;
	pk_value k, v;

	memset(buf, 0xAB, sizeof(buf));
	put(b, 0, buf, sizeof(buf));
	put(b, 0, "a\0b", 3);		/* the rest is zeros again */
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 0));
	ck_assert_mem_eq(buf, "a\0b", 3);
	for (size_t j = 3; j < sizeof(buf); j++)
		ck_assert_uint_eq(buf[j], 0);
	pk_value s = cstr("text");	/* a string is its bytes */
	PK_OK(pk_blocks_write(b, 1, &s));
	put(b, 1, "", 0);
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 1));
	for (size_t j = 0; j < sizeof(buf); j++)
		ck_assert_uint_eq(buf[j], 0);

	/* growth: the new blocks read as zeros, the old keep theirs */
	PK_OK(pk_blocks_grow(b, 0));
	for (uint64_t n = 1; n <= 40; n += 13)
		PK_OK(pk_blocks_grow(b, n));
	ck_assert_uint_eq(count(b), 2 + 1 + 14 + 27 + 40);
	for (uint64_t i = 2; i < count(b); i++) {
		pattern(buf, 512, i, 7);
		put(b, i, buf, 512);
	}
	PK_OK(pk_blocks_cursor(&c, b));
	for (uint64_t i = 0; i < count(b); i++) {
		PK_OK(pk_cursor_next(&k, &v, c));
		ck_assert_int_eq(k.u.i, (int64_t)i);
		ck_assert_uint_eq(v.u.buf.len, 512);
		if (i >= 2)
			ck_assert_uint_eq(version_of(v.u.buf.ptr, 512, i), 7);
	}
	PK_RC(pk_cursor_next(&k, &v, c), PK_ITEROVER);
	pk_cursor_free(c);
	check_healthy();
	pk_blocks_close(b);
}
END_TEST

/* ---------------------------------------------------------------- flags */

START_TEST(test_blocks_flags__zero_and_bad)
{
	pk_blocks *b = new_blocks("b", 1024, 4);
	uint8_t buf[1024];
	pk_cursor *c;
	pk_value k, v;

	for (uint64_t i = 0; i < 4; i++) {
		pattern(buf, 1024, i, 1);
		put(b, i, buf, 1024);
	}
	PK_OK(pk_blocks_zero(b, 1));
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 1));
	ck_assert_uint_eq(version_of(buf, 1024, 1), 0);
	PK_OK(pk_blocks_set_error(b, 2));
	PK_RC(pk_blocks_read(buf, sizeof(buf), b, 2), EIO);
	ck_assert_ptr_nonnull(strstr(pk_errormsg(), "block 2"));
	PK_RC(pk_blocks_get(&v, b, 2), EIO);
	PK_OK(pk_blocks_cursor(&c, b));
	PK_OK(pk_cursor_next(&k, &v, c));
	PK_OK(pk_cursor_next(&k, &v, c));
	PK_RC(pk_cursor_next(&k, &v, c), EIO);
	pk_cursor_free(c);
	reopen();
	pk_blocks_close(b);
	b = open_blocks("b");
	PK_RC(pk_blocks_read(buf, sizeof(buf), b, 2), EIO);
	check_healthy();
	/* a write, or zeroing, makes it good again */
	pattern(buf, 1024, 2, 5);
	put(b, 2, buf, 1024);
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 2));
	ck_assert_uint_eq(version_of(buf, 1024, 2), 5);
	PK_OK(pk_blocks_set_error(b, 3));
	PK_OK(pk_blocks_zero(b, 3));
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 3));
	ck_assert_uint_eq(version_of(buf, 1024, 3), 0);
	/* a zeroed block written again */
	pattern(buf, 1024, 1, 9);
	put(b, 1, buf, 1024);
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 1));
	ck_assert_uint_eq(version_of(buf, 1024, 1), 9);
	check_healthy();
	pk_blocks_close(b);
}
END_TEST

/* ------------------------------------------------------------------- tx */

START_TEST(test_blocks_tx__undone_by_abort)
{
	pk_blocks *b = new_blocks("b", 512, 8);
	uint8_t buf[512];

	for (uint64_t i = 0; i < 8; i++) {
		pattern(buf, 512, i, 1);
		put(b, i, buf, 512);
	}
	PK_OK(pk_blocks_set_error(b, 7));
	PK_OK(pk_tx_begin(pool));
	for (uint64_t i = 0; i < 6; i++) {
		pattern(buf, 512, i, 2);
		put(b, i, buf, 512);
		pattern(buf, 512, i, 3);	/* twice in one transaction */
		put(b, i, buf, 512);
	}
	PK_OK(pk_blocks_zero(b, 6));
	pattern(buf, 512, 7, 3);
	put(b, 7, buf, 512);
	PK_OK(pk_blocks_grow(b, 5));
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 0));
	ck_assert_uint_eq(version_of(buf, 512, 0), 3);
	PK_OK(pk_tx_abort(pool));
	ck_assert_uint_eq(count(b), 8);
	for (uint64_t i = 0; i < 7; i++) {
		PK_OK(pk_blocks_read(buf, sizeof(buf), b, i));
		ck_assert_uint_eq(version_of(buf, 512, i), 1);
	}
	PK_RC(pk_blocks_read(buf, sizeof(buf), b, 7), EIO);
	check_healthy();

	/* committed, then written again outside */
	PK_OK(pk_tx_begin(pool));
	for (uint64_t i = 0; i < 8; i++) {
		pattern(buf, 512, i, 4);
		put(b, i, buf, 512);
	}
	PK_OK(pk_blocks_set_error(b, 5));
	PK_OK(pk_tx_commit(pool));
	pattern(buf, 512, 0, 5);
	put(b, 0, buf, 512);
	reopen();
	pk_blocks_close(b);
	b = open_blocks("b");
	for (uint64_t i = 0; i < 8; i++) {
		if (i == 5) {
			PK_RC(pk_blocks_read(buf, sizeof(buf), b, i), EIO);
			continue;
		}
		PK_OK(pk_blocks_read(buf, sizeof(buf), b, i));
		ck_assert_uint_eq(version_of(buf, 512, i), i == 0 ? 5 : 4);
	}
	check_healthy();
	pk_blocks_close(b);
}
END_TEST

/* -------------------------------------------------------------- nesting */

START_TEST(test_blocks_nest__references)
{
	pk_blocks *b = new_blocks("b", 512, 3);
	pk_value k = cstr("b"), v = pk_blocks_value(b), got;
	uint64_t freed, n;
	pk_list *l;

	PK_OK(pk_list_new(&l, pool));
	PK_OK(pk_list_append(l, &v));
	pk_value lk = cstr("list"), lv = pk_list_value(l);
	PK_OK(pk_map_put(root, &lk, &lv));
	PK_OK(pk_list_get(&got, l, 0));
	ck_assert_int_eq(got.type, PK_BLOCKS);
	PK_OK(pk_map_remove(root, &k));
	ck_assert_uint_eq(count(b), 3);	/* the list still holds it */
	PK_OK(pk_list_pop(l, 0));
	PK_RC(pk_blocks_length(&n, b), PK_ESTALE);
	pk_blocks_close(b);

	/* an unstored block array is collected: header, map, extent */
	PK_OK(pk_blocks_new(&b, pool, 4096, 10));
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 3);
	PK_RC(pk_blocks_length(&n, b), PK_ESTALE);
	pk_blocks_close(b);

	/* a block array is no map, nor a map a block array */
	pk_blocks *bad = (pk_blocks *)&bad;
	pk_value mv = pk_map_value(root);
	PK_RC(pk_blocks_open(&bad, pool, &mv), PK_EKIND);
	ck_assert_ptr_null(bad);
	pk_list_close(l);
	check_healthy();
}
END_TEST

START_TEST(test_blocks_misuse__sizes_indexes_closed)
{
	pk_blocks *b = (pk_blocks *)&b;
	uint8_t buf[600];
	pk_value big = pk_bytes(buf, 513), v = pk_bytes("x", 1);
	pk_value num = pk_int(3);
	uint64_t n;

	PK_RC(pk_blocks_new(&b, pool, 511, 1), EINVAL);
	ck_assert_ptr_null(b);
	PK_RC(pk_blocks_new(&b, pool, 65537, 1), EINVAL);
	PK_RC(pk_blocks_new(NULL, pool, 512, 1), EINVAL);
	b = new_blocks("b", 512, 2);
	pattern(buf, 512, 1, 1);
	put(b, 1, buf, 512);
	PK_RC(pk_blocks_write(b, 1, &big), EINVAL);	/* nothing written */
	PK_RC(pk_blocks_write(b, 1, &num), PK_EKIND);
	PK_RC(pk_blocks_write(b, 1, NULL), EINVAL);
	PK_OK(pk_blocks_read(buf, sizeof(buf), b, 1));
	ck_assert_uint_eq(version_of(buf, 512, 1), 1);
	PK_RC(pk_blocks_write(b, 2, &v), PK_ERANGE);
	PK_RC(pk_blocks_write(b, UINT64_MAX, &v), PK_ERANGE);
	PK_RC(pk_blocks_read(buf, sizeof(buf), b, 2), PK_ERANGE);
	PK_RC(pk_blocks_read(buf, 511, b, 0), EINVAL);
	PK_RC(pk_blocks_read(NULL, 512, b, 0), EINVAL);
	PK_RC(pk_blocks_zero(b, 2), PK_ERANGE);
	PK_RC(pk_blocks_set_error(b, 2), PK_ERANGE);
	PK_RC(pk_blocks_grow(b, (uint64_t)1 << 41), EINVAL);
	PK_RC(pk_blocks_length(NULL, b), EINVAL);
	PK_RC(pk_blocks_block_size(NULL, b), EINVAL);
	PK_RC(pk_blocks_get(NULL, b, 0), EINVAL);
	PK_RC(pk_blocks_length(&n, NULL), EINVAL);
	pk_blocks_close(NULL);
	check_healthy();
	PK_OK(pk_pool_close(pool));
	PK_RC(pk_blocks_write(b, 0, &v), PK_ECLOSED);
	PK_RC(pk_blocks_read(buf, sizeof(buf), b, 0), PK_ECLOSED);
	PK_RC(pk_blocks_length(&n, b), PK_ECLOSED);
	PK_RC(pk_blocks_zero(b, 0), PK_ECLOSED);
	PK_RC(pk_blocks_grow(b, 1), PK_ECLOSED);
	pk_blocks_close(b);
	pk_map_close(root);
	root = NULL;
	pool = NULL;
}
END_TEST

/* ----------------------------------------------------------------- kill */

#define KILL_BLOCKS 64
#define KILL_BSIZE 65536

/*
 * A child writes versions of blocks in a random order, and records in
 * shared memory the version of each write acknowledged; it is killed at
 * a random moment. Each block then holds one whole version, the one
 * acknowledged or the one after (the write under way), and the pool is
 * healthy. Some writes are zeroing and growing, some in transactions.
 */
/* the writer: writes the next version of random blocks, counting each
 * acknowledged one in acked[] (acked[KILL_BLOCKS]: all the writes) */
static void
blocks_writer(void *arg)
{
	volatile uint64_t *acked = arg;
	static uint8_t buf[KILL_BSIZE];
	pk_pool *p;
	pk_map *r;
	pk_blocks *b;
	pk_value key = cstr("b"), v;
	unsigned s = (unsigned)acked[KILL_BLOCKS] + 1;

	if (pk_pool_open(&p, test_path) != 0 || pk_pool_root(&r, p) != 0 ||
	    pk_map_get(&v, r, &key) != 0 || pk_blocks_open(&b, p, &v) != 0)
		_exit(2);
	for (uint64_t w = 0; w < 100000; w++) {
		uint64_t i = (uint64_t)rand_r(&s) % KILL_BLOCKS;
		uint64_t ver = acked[i] + 1;
		int tx = w % 7 == 3, rc;
		pattern(buf, KILL_BSIZE, i, ver);
		pk_value data = pk_bytes(buf, KILL_BSIZE);
		if (tx && pk_tx_begin(p) != 0)
			_exit(3);
		rc = pk_blocks_write(b, i, &data);
		if (tx && rc == 0)
			rc = pk_tx_commit(p);
		if (rc != 0) {
			fprintf(stderr, "write: %s\n", pk_errormsg());
			_exit(3);
		}
		acked[i] = ver;
		acked[KILL_BLOCKS]++;
	}
	pause();
}

START_TEST(test_blocks_kill__no_torn_or_lost_block)
{
	long kills = test_scale(20);
	volatile uint64_t *acked = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned seed = (unsigned)time(NULL);
	static uint8_t buf[KILL_BSIZE];

	ck_assert_ptr_ne((void *)acked, MAP_FAILED);
	pk_blocks_close(new_blocks("b", KILL_BSIZE, KILL_BLOCKS));
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	root = NULL;
	pool = NULL;
	for (long k = 0; k < kills; k++) {
		test_kill_writer(blocks_writer, (void *)acked,
				&acked[KILL_BLOCKS], &seed);
		PK_OK(pk_pool_open(&pool, test_path));
		PK_OK(pk_pool_root(&root, pool));
		pk_blocks *b = open_blocks("b");
		for (uint64_t i = 0; i < KILL_BLOCKS; i++) {
			PK_OK(pk_blocks_read(buf, sizeof(buf), b, i));
			uint64_t ver = version_of(buf, KILL_BSIZE, i);
			ck_assert_msg(ver == acked[i] || ver == acked[i] + 1,
					"block %llu: version %llu, %llu "
					"acknowledged", (unsigned long long)i,
					(unsigned long long)ver,
					(unsigned long long)acked[i]);
			acked[i] = ver;
		}
		check_healthy();
		pk_blocks_close(b);
		pk_map_close(root);
		PK_OK(pk_pool_close(pool));
		root = NULL;
		pool = NULL;
	}
	munmap((void *)acked, 4096);
	test_teardown();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("blocks");
	TCase *tc;

	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_blocks_core__write_and_read_back);
	tcase_add_test(tc, test_blocks_core__short_writes_grow_and_iterate);
	suite_add_tcase(s, tc);

	tc = tcase_create("flags");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_blocks_flags__zero_and_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_blocks_tx__undone_by_abort);
	suite_add_tcase(s, tc);

	tc = tcase_create("nest");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_blocks_nest__references);
	tcase_add_test(tc, test_blocks_misuse__sizes_indexes_closed);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_blocks_kill__no_torn_or_lost_block);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
