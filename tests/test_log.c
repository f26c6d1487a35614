/*
 * test_log.c -- the persistent log
 *
 * core: append, length, bytes, iteration, positions across chunks and
 * reopens; limits: empty and NUL-holding records, a record larger than a
 * chunk, bad records and positions; clear; transactions; nesting, gc and
 * check; kill: a writer killed at random never leaves a torn record and
 * loses no acknowledged one.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"
#include "fixture.h"

static pk_log *
new_log(const char *name)
{
	pk_log *log;
	pk_value k = cstr(name), v;

	PK_OK(pk_log_new(&log, pool));
	v = pk_log_value(log);
	PK_OK(pk_map_put(root, &k, &v));
	return log;
}

static pk_log *
open_log(const char *name)
{
	pk_log *log;
	pk_value k = cstr(name), v;

	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_log_open(&log, pool, &v));
	return log;
}

/* record i: its index, then a pattern of i % 300 bytes */
static size_t
record(uint8_t *buf, uint64_t i)
{
	size_t n = 8 + i % 300;

	memcpy(buf, &i, 8);
	for (size_t j = 8; j < n; j++)
		buf[j] = (uint8_t)(i * 31 + j);
	return n;
}

static void
append(pk_log *log, const void *p, size_t n)
{
	pk_value v = pk_bytes(p, n);

	PK_OK(pk_log_append(log, &v));
}

static uint64_t
length(pk_log *log)
{
	uint64_t n;

	PK_OK(pk_log_length(&n, log));
	return n;
}

static uint64_t
tell(pk_log *log)
{
	uint64_t n;

	PK_OK(pk_log_tell(&n, log));
	return n;
}

/* expect_records -- the cursor gives records first..first+n-1, then ends */
static void
expect_records(pk_cursor *c, uint64_t first, uint64_t n)
{
	uint8_t buf[400];
	pk_value k, v;
	int rc;

	for (uint64_t i = first; i < first + n; i++) {
		size_t len = record(buf, i);
		PK_OK(pk_cursor_next(&k, &v, c));
		ck_assert_int_eq(k.type, PK_INT);
		ck_assert_int_eq(v.type, PK_BYTES);
		ck_assert_uint_eq(v.u.buf.len, len);
		ck_assert_msg(memcmp(v.u.buf.ptr, buf, len) == 0,
				"record %llu differs", (unsigned long long)i);
	}
	rc = pk_cursor_next(&k, &v, c);
	ck_assert_int_eq(rc, PK_ITEROVER);
}

static void
check_healthy(void)
{
	pk_check_report rep = PK_CHECK_REPORT_INIT;

	PK_OK(pk_pool_check(&rep, pool));
}

/* ----------------------------------------------------------------- core */

START_TEST(test_log_core__append_and_read_back)
{
	enum { N = 5000 }; /* about 800 KB: several chunks */
	pk_log *log = new_log("log");
	uint8_t buf[400];
	uint64_t nbytes = 0, got;
	pk_cursor *c;

	ck_assert_uint_eq(length(log), 0);
	ck_assert_uint_eq(tell(log), 0);
	PK_OK(pk_log_cursor(&c, log));
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ITEROVER);
	for (uint64_t i = 0; i < N; i++) {
		size_t n = record(buf, i);
		append(log, buf, n);
		nbytes += n;
	}
	ck_assert_uint_eq(length(log), N);
	PK_OK(pk_log_nbytes(&got, log));
	ck_assert_uint_eq(got, nbytes);
	ck_assert_uint_eq(tell(log), nbytes + 8 * N);
	/* the cursor made on the empty log meets them all */
	expect_records(c, 0, N);
	pk_cursor_free(c);

	pk_log_close(log);
	reopen();
	log = open_log("log");
	ck_assert_uint_eq(length(log), N);
	PK_OK(pk_log_nbytes(&got, log));
	ck_assert_uint_eq(got, nbytes);
	PK_OK(pk_log_cursor(&c, log));
	expect_records(c, 0, N);
	pk_cursor_free(c);
	check_healthy();
	pk_log_close(log);
}
END_TEST

/* every key is a position to start from, valid across reopens; tell is
 * where the records appended later start */
START_TEST(test_log_core__positions)
{
	enum { N = 3000 };
	pk_log *log = new_log("log");
	uint64_t pos[N], end;
	uint8_t buf[400];
	pk_cursor *c;
	pk_value k, v;

	for (uint64_t i = 0; i < N; i++) {
		pos[i] = tell(log);
		append(log, buf, record(buf, i));
	}
	PK_OK(pk_log_cursor(&c, log));
	for (uint64_t i = 0; i < N; i++) {
		PK_OK(pk_cursor_next(&k, &v, c));
		ck_assert_int_eq((uint64_t)k.u.i, pos[i]);
	}
	pk_cursor_free(c);
	end = tell(log);
	pk_log_close(log);
	reopen();
	log = open_log("log");
	ck_assert_uint_eq(tell(log), end);
	for (uint64_t i = 0; i < N; i += 97) {
		PK_OK(pk_log_cursor_at(&c, log, pos[i]));
		expect_records(c, i, N - i);
		pk_cursor_free(c);
	}
	/* from the end: nothing yet, then what is appended */
	PK_OK(pk_log_cursor_at(&c, log, end));
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ITEROVER);
	for (uint64_t i = N; i < N + 400; i++)
		append(log, buf, record(buf, i));
	expect_records(c, N, 400);
	pk_cursor_free(c);
	pk_log_close(log);
}
END_TEST

/* -------------------------------------------------------------- limits */

START_TEST(test_log_limits__records)
{
	pk_log *log = new_log("log");
	static uint8_t big[300000];
	const char nul[] = { 0, 'a', 0 };
	pk_value recs[4], k, v;
	pk_cursor *c;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	append(log, "", 0);
	append(log, nul, sizeof(nul));
	append(log, big, sizeof(big)); /* larger than the first chunks */
	v = cstr("a string");
	PK_OK(pk_log_append(log, &v));
	ck_assert_uint_eq(length(log), 4);

	/* what is not a record is refused, and nothing appended */
	recs[0] = pk_bytes("x", 1);
	recs[1] = pk_int(1);
	PK_RC(pk_log_extend(log, recs, 2), PK_EKIND);
	recs[1] = pk_bytes(NULL, 5);
	PK_RC(pk_log_extend(log, recs, 2), EINVAL);
	PK_RC(pk_log_append(log, NULL), EINVAL);
	PK_OK(pk_log_extend(log, recs, 0));
	ck_assert_uint_eq(length(log), 4);

	PK_OK(pk_log_cursor(&c, log));
	PK_OK(pk_cursor_next(&k, &v, c));
	ck_assert_int_eq(k.u.i, 0);
	ck_assert_uint_eq(v.u.buf.len, 0);
	PK_OK(pk_cursor_next(&k, &v, c));
	ck_assert_int_eq(k.u.i, 8);
	ck_assert_uint_eq(v.u.buf.len, 3);
	ck_assert(memcmp(v.u.buf.ptr, nul, 3) == 0);
	PK_OK(pk_cursor_next(&k, &v, c));
	ck_assert_uint_eq(v.u.buf.len, sizeof(big));
	ck_assert(memcmp(v.u.buf.ptr, big, sizeof(big)) == 0);
	PK_OK(pk_cursor_next(&k, &v, c));
	ck_assert_int_eq(v.type, PK_BYTES);
	ck_assert_uint_eq(v.u.buf.len, 8);
	PK_RC(pk_cursor_next(&k, &v, c), PK_ITEROVER);
	pk_cursor_free(c);

	/* positions that are not a record's */
	pk_cursor *bad = (pk_cursor *)&bad;
	PK_RC(pk_log_cursor_at(&bad, log, 4), PK_ERANGE);
	ck_assert_ptr_null(bad);
	PK_RC(pk_log_cursor_at(&bad, log, 8 + 1), PK_ERANGE);
	PK_RC(pk_log_cursor_at(&bad, log, tell(log) + 1), PK_ERANGE);
	PK_RC(pk_log_cursor_at(&bad, log, UINT64_MAX), PK_ERANGE);
	pk_log_close(log);

	log = new_log("empty");
	PK_OK(pk_log_cursor_at(&c, log, 0));
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ITEROVER);
	append(log, "z", 1);
	PK_OK(pk_cursor_next(NULL, &v, c));
	ck_assert_uint_eq(v.u.buf.len, 1);
	pk_cursor_free(c);
	PK_RC(pk_log_cursor_at(&bad, log, 100), PK_ERANGE);
	pk_log_close(log);
	check_healthy();
}
END_TEST

/* --------------------------------------------------------------- clear */

START_TEST(test_log_clear__rewinds)
{
	pk_log *log = new_log("log");
	uint8_t buf[400];
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	pk_cursor *c;
	uint64_t n;

	PK_OK(pk_pool_stats_get(&before, pool));
	for (uint64_t i = 0; i < 2000; i++)
		append(log, buf, record(buf, i));
	PK_OK(pk_log_cursor(&c, log));
	PK_OK(pk_log_clear(log));
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ECHANGED);
	pk_cursor_free(c);
	ck_assert_uint_eq(length(log), 0);
	ck_assert_uint_eq(tell(log), 0);
	PK_OK(pk_log_nbytes(&n, log));
	ck_assert_uint_eq(n, 0);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
	PK_OK(pk_log_clear(log));
	for (uint64_t i = 0; i < 10; i++)
		append(log, buf, record(buf, i));
	PK_OK(pk_log_cursor(&c, log));
	expect_records(c, 0, 10);
	pk_cursor_free(c);
	check_healthy();
	pk_log_close(log);
}
END_TEST

/* -------------------------------------------------------- transactions */

START_TEST(test_log_tx__all_or_nothing)
{
	pk_log *log = new_log("log");
	uint8_t buf[400];
	pk_value recs[3];
	pk_cursor *c;

	for (uint64_t i = 0; i < 10; i++)
		append(log, buf, record(buf, i));
	/* aborted: appends that fit, and ones that take new chunks */
	PK_OK(pk_tx_begin(pool));
	for (uint64_t i = 10; i < 3000; i++)
		append(log, buf, record(buf, i));
	ck_assert_uint_eq(length(log), 3000);
	PK_OK(pk_tx_abort(pool));
	ck_assert_uint_eq(length(log), 10);
	ck_assert_uint_eq(tell(log), 10 * 8 + 10 * 8 + 45);
	check_healthy();
	/* committed */
	PK_OK(pk_tx_begin(pool));
	for (uint64_t i = 10; i < 3000; i++)
		append(log, buf, record(buf, i));
	PK_OK(pk_tx_commit(pool));
	/* a group, in and out of a transaction */
	uint8_t b0[400], b1[400], b2[400];
	recs[0] = pk_bytes(b0, record(b0, 3000));
	recs[1] = pk_bytes(b1, record(b1, 3001));
	recs[2] = pk_bytes(b2, record(b2, 3002));
	PK_OK(pk_log_extend(log, recs, 3));
	pk_log_close(log);
	reopen();
	log = open_log("log");
	PK_OK(pk_log_cursor(&c, log));
	expect_records(c, 0, 3003);
	pk_cursor_free(c);
	check_healthy();
	pk_log_close(log);
}
END_TEST

/* ------------------------------------------------------------- nesting */

START_TEST(test_log_nest__references)
{
	pk_log *log = new_log("log");
	pk_list *l;
	pk_value k = cstr("log"), v = pk_log_value(log), got;
	uint64_t freed, n;

	append(log, "abc", 3);
	PK_OK(pk_list_new(&l, pool));
	PK_OK(pk_list_append(l, &v));
	pk_value lv = pk_list_value(l);
	pk_value lk = cstr("list");
	PK_OK(pk_map_put(root, &lk, &lv));
	PK_OK(pk_list_get(&got, l, 0));
	ck_assert_int_eq(got.type, PK_LOG);
	PK_OK(pk_map_remove(root, &k));
	PK_OK(pk_log_length(&n, log)); /* the list still holds it */
	ck_assert_uint_eq(n, 1);
	PK_OK(pk_list_pop(l, 0));
	PK_RC(pk_log_length(&n, log), PK_ESTALE);
	pk_log_close(log);

	/* an unstored log is collected */
	PK_OK(pk_log_new(&log, pool));
	append(log, "x", 1);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 2); /* the header and its chunk */
	PK_RC(pk_log_length(&n, log), PK_ESTALE);
	pk_log_close(log);

	/* a log is not a map, nor a map a log */
	pk_map *m;
	pk_log *bad = (pk_log *)&bad;
	PK_OK(pk_map_new(&m, pool));
	pk_value mv = pk_map_value(m);
	PK_RC(pk_log_open(&bad, pool, &mv), PK_EKIND);
	ck_assert_ptr_null(bad);
	pk_map_close(m);
	pk_list_close(l);
	PK_OK(pk_pool_gc(&freed, pool));
	check_healthy();
}
END_TEST

START_TEST(test_log_misuse__null_and_closed)
{
	pk_log *log = new_log("log");
	pk_value v = pk_bytes("a", 1);
	pk_cursor *c;
	uint64_t n;

	PK_RC(pk_log_new(NULL, pool), EINVAL);
	PK_RC(pk_log_append(NULL, &v), EINVAL);
	PK_RC(pk_log_length(NULL, log), EINVAL);
	PK_RC(pk_log_nbytes(NULL, log), EINVAL);
	PK_RC(pk_log_tell(NULL, log), EINVAL);
	PK_RC(pk_log_cursor_at(NULL, log, 0), EINVAL);
	PK_RC(pk_log_length(&n, NULL), EINVAL);
	pk_log_close(NULL);
	PK_OK(pk_log_append(log, &v));
	PK_OK(pk_pool_close(pool));
	PK_RC(pk_log_append(log, &v), PK_ECLOSED);
	PK_RC(pk_log_length(&n, log), PK_ECLOSED);
	PK_RC(pk_log_tell(&n, log), PK_ECLOSED);
	PK_RC(pk_log_cursor(&c, log), PK_ECLOSED);
	PK_RC(pk_log_cursor_at(&c, log, 0), PK_ECLOSED);
	PK_RC(pk_log_clear(log), PK_ECLOSED);
	pk_log_close(log);
	pk_map_close(root);
	root = NULL;
	pool = NULL;
}
END_TEST

/* ---------------------------------------------------------------- kill */

/*
 * A child appends records, alone and in groups, and counts in shared
 * memory those acknowledged; it is killed at a random moment. The log
 * then holds records 0..n-1, each whole, with n at least the count, and
 * the pool is healthy.
 */
/* the writer: appends records 0, 1, ... from *acked on, alone and in
 * groups, counting in *acked those acknowledged */
static void
log_writer(void *arg)
{
	volatile uint64_t *acked = arg;
	pk_pool *p;
	pk_map *r;
	pk_log *log;
	pk_value key = cstr("log"), v;
	uint8_t bufs[4][400];

	if (pk_pool_open(&p, test_path) != 0 || pk_pool_root(&r, p) != 0 ||
	    pk_map_get(&v, r, &key) != 0 || pk_log_open(&log, p, &v) != 0)
		_exit(2);
	/* about 10 MB of records at most in all: then it waits to be
	 * killed */
	for (uint64_t i = *acked;; ) {
		if (i >= 60000)
			pause();
		pk_value recs[4];
		size_t n = i % 5 == 0 ? 4 : 1;
		for (size_t j = 0; j < n; j++)
			recs[j] = pk_bytes(bufs[j], record(bufs[j], i + j));
		if (pk_log_extend(log, recs, n) != 0) {
			fprintf(stderr, "append: %s\n", pk_errormsg());
			_exit(3);
		}
		i += n;
		*acked = i;
	}
}

START_TEST(test_log_kill__no_torn_or_lost_record)
{
	long kills = test_scale(20);
	volatile uint64_t *acked = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned seed = (unsigned)time(NULL);

	ck_assert_ptr_ne((void *)acked, MAP_FAILED);
	pk_log_close(new_log("log"));
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	root = NULL;
	pool = NULL;
	for (long k = 0; k < kills; k++) {
		test_kill_writer(log_writer, (void *)acked, acked, &seed);
		PK_OK(pk_pool_open(&pool, test_path));
		PK_OK(pk_pool_root(&root, pool));
		pk_log *log = open_log("log");
		uint64_t n = length(log);
		ck_assert_msg(n >= *acked, "%llu records, %llu acknowledged",
				(unsigned long long)n,
				(unsigned long long)*acked);
		pk_cursor *c;
		PK_OK(pk_log_cursor(&c, log));
		expect_records(c, 0, n);
		pk_cursor_free(c);
		check_healthy();
		*acked = n;
		pk_log_close(log);
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
	Suite *s = suite_create("log");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_log_core__append_and_read_back);
	tcase_add_test(tc, test_log_core__positions);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_log_limits__records);
	suite_add_tcase(s, tc);

	tc = tcase_create("clear");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_log_clear__rewinds);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_log_tx__all_or_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("nest");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_log_nest__references);
	tcase_add_test(tc, test_log_misuse__null_and_closed);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_log_kill__no_torn_or_lost_record);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
