/*
 * test_durable.c -- the two durability modes on an ordinary disk file
 * (pk_pool_options, PK_POOL_PROCESS_DURABLE, pk_pool_sync())
 *
 * Every test works in a directory under /var/tmp, without
 * PMEM_IS_PMEM_FORCE (main() unsets it before libpmem reads it), so that
 * libpmemobj takes its msync path unless the mode says otherwise.
 *
 * mode: the default mode msyncs every change, process-durable mode none;
 * pk_pool_sync() msyncs the whole pool in that mode only, close syncs it,
 * and the mode is each open's. The msyncs are counted by this program's
 * own msync(), which the libraries' calls reach (the program exports its
 * symbols: -export-dynamic). forced: under PMEM_IS_PMEM_FORCE=1 no pool
 * msyncs its changes, and pk_pool_sync() msyncs the flagged one only.
 * sync: its errors, and inside a transaction.
 * kill: a writer in process-durable mode killed with SIGKILL at random
 * moments loses nothing it acknowledged, and the pool checks clean.
 * refuse: libpmemobj's pool descriptor changed in any field the mode
 * checks is refused with ENOTSUP and left as it was (links the core
 * library for pk__durable_process()).
 */
#define _GNU_SOURCE 1	/* RTLD_NEXT */
#include <dlfcn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "common.h"
#include "fixture.h"
#include "internal.h"
#include "objpool.h"

/* ---- msync, counted ---- */

static long msyncs;		/* calls of msync() in this process */
static uint64_t msync_bytes;	/* the bytes they covered */

int
msync(void *addr, size_t len, int flags)
{
	static int (*real)(void *, size_t, int);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "msync");
	msyncs++;
	msync_bytes += len;
	return real(addr, len, flags);
}

/* ---- the medium, and pools in either mode ---- */

/* the test's directory is on a disk file system, not tmpfs */
static void
disk_setup(void)
{
	struct statfs fs;

	setup();
	ck_assert_int_eq(statfs(test_dir, &fs), 0);
	ck_assert_msg(fs.f_type != TMPFS_MAGIC && fs.f_type != RAMFS_MAGIC,
			"%s is not on a disk", test_dir);
	ck_assert_ptr_null(getenv("PMEM_IS_PMEM_FORCE"));
}

static int
open_mode(pk_pool **out, const char *path, uint32_t flags)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	o.flags = flags;
	return pk_pool_open_opts(out, path, &o);
}

/* close the fixture's pool and open it again in the mode of flags */
static void
reopen_mode(uint32_t flags)
{
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	PK_OK(open_mode(&pool, test_path, flags));
	PK_OK(pk_pool_root(&root, pool));
}

/* value of key k: an int for even k, 40-139 bytes (out of line from
 * about 50) for odd k */
static pk_value
value_of(uint8_t *buf, int64_t k)
{
	size_t len = 40 + (size_t)(k % 100);

	if (k % 2 == 0)
		return pk_int(k * 3);
	for (size_t j = 0; j < len; j++)
		buf[j] = (uint8_t)(k + (int64_t)j);
	return pk_bytes(buf, len);
}

static void
put_key(pk_map *m, int64_t k)
{
	uint8_t buf[160];
	pk_value key = pk_int(k), v = value_of(buf, k);

	PK_OK(pk_map_put(m, &key, &v));
}

/* whether key k is in m; if so, with value_of(k) */
static int
has_key(pk_map *m, int64_t k)
{
	uint8_t buf[160];
	pk_value key = pk_int(k), want = value_of(buf, k), got;
	int rc = pk_map_get(&got, m, &key);

	if (rc == PK_NOTFOUND)
		return 0;
	PK_OK(rc);
	ck_assert_msg(got.type == want.type, "key %lld: type %d",
			(long long)k, got.type);
	if (want.type == PK_INT)
		ck_assert_msg(got.u.i == want.u.i, "key %lld", (long long)k);
	else
		ck_assert_msg(got.u.buf.len == want.u.buf.len &&
				memcmp(got.u.buf.ptr, want.u.buf.ptr,
					want.u.buf.len) == 0, "key %lld",
				(long long)k);
	return 1;
}

static uint64_t
length(pk_map *m)
{
	uint64_t n;

	PK_OK(pk_map_length(&n, m));
	return n;
}

/* ---- mode ---- */

START_TEST(test_durable_mode__default_msyncs_every_change)
{
	long before = msyncs;

	for (int64_t k = 0; k < 20; k++)
		put_key(root, k);
	ck_assert_int_ge(msyncs - before, 20);
	/* nothing left to make durable */
	before = msyncs;
	PK_OK(pk_pool_sync(pool));
	ck_assert_int_eq(msyncs, before);
}
END_TEST

START_TEST(test_durable_mode__process_durable_msyncs_at_sync_and_close)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;
	long before;
	uint64_t bytes;

	reopen_mode(PK_POOL_PROCESS_DURABLE);
	before = msyncs;
	for (int64_t k = 0; k < 500; k++)
		put_key(root, k);
	PK_OK(pk_tx_begin(pool));
	for (int64_t k = 500; k < 600; k++)
		put_key(root, k);
	PK_OK(pk_tx_commit(pool));
	for (int64_t k = 0; k < 100; k += 3) {
		pk_value key = pk_int(k);
		PK_OK(pk_map_remove(root, &key));
	}
	ck_assert_int_eq(msyncs, before);

	/* one msync of every mapped byte */
	bytes = msync_bytes;
	PK_OK(pk_pool_sync(pool));
	ck_assert_int_eq(msyncs, before + 1);
	ck_assert_uint_eq(msync_bytes - bytes, POOL_SIZE);

	put_key(root, 100000);
	before = msyncs;
	pk_map_close(root);
	root = NULL;
	PK_OK(pk_pool_close(pool));
	ck_assert_int_ge(msyncs - before, 2);	/* the pool, the clean mark */

	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_int_eq(st.unclean, 0);
	for (int64_t k = 0; k < 600; k++)
		ck_assert_int_eq(has_key(root, k), k >= 100 || k % 3 != 0);
	ck_assert(has_key(root, 100000));
	ck_assert_uint_eq(length(root), 600 - 34 + 1);
}
END_TEST

START_TEST(test_durable_mode__created_process_durable)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	const char *path = test_file("created");
	pk_pool *p;
	pk_map *r;
	long before;

	o.size = POOL_SIZE;
	o.flags = PK_POOL_PROCESS_DURABLE;
	PK_OK(pk_pool_create_opts(&p, path, &o));
	PK_OK(pk_pool_root(&r, p));
	before = msyncs;
	for (int64_t k = 0; k < 300; k++)
		put_key(r, k);
	ck_assert_int_eq(msyncs, before);
	pk_map_close(r);
	PK_OK(pk_pool_close(p));

	PK_OK(pk_pool_open(&p, path));
	PK_OK(pk_pool_root(&r, p));
	for (int64_t k = 0; k < 300; k++)
		ck_assert(has_key(r, k));
	ck_assert_uint_eq(length(r), 300);
	pk_map_close(r);
	PK_OK(pk_pool_close(p));
}
END_TEST

/* the mode is the open's, not the file's */
START_TEST(test_durable_mode__each_open_chooses)
{
	long before;

	for (int round = 0; round < 4; round++) {
		int process = round % 2 == 0;
		reopen_mode(process ? PK_POOL_PROCESS_DURABLE : 0);
		before = msyncs;
		for (int64_t k = 0; k < 10; k++)
			put_key(root, round * 100 + k);
		if (process)
			ck_assert_int_eq(msyncs, before);
		else
			ck_assert_int_ge(msyncs - before, 10);
	}
	reopen();
	for (int round = 0; round < 4; round++)
		for (int64_t k = 0; k < 10; k++)
			ck_assert(has_key(root, round * 100 + k));
}
END_TEST

/*
 * Under PMEM_IS_PMEM_FORCE=1 (libpmem takes every file for pmem) every
 * pool takes the pmem path; pk_pool_sync() msyncs the pools opened with
 * the flag only. libpmem reads the variable at its first answer, which
 * this test's process (a fork of the runner) has not had yet when
 * forced_setup() sets it; without forks (CK_FORK=no) the test cannot set
 * it, and does nothing.
 */
static int forced;

static void
forced_setup(void)
{
	const char *fork = getenv("CK_FORK");

	test_setup();
	forced = fork == NULL || strcmp(fork, "no") != 0;
	if (forced)
		ck_assert_int_eq(setenv("PMEM_IS_PMEM_FORCE", "1", 1), 0);
}

static void
forced_teardown(void)
{
	unsetenv("PMEM_IS_PMEM_FORCE");
	test_teardown();
}

START_TEST(test_durable_mode__forced_pmem)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	pk_pool *p;
	pk_map *r;
	long before;

	if (!forced)
		return;
	for (int flagged = 0; flagged < 2; flagged++) {
		const char *path = test_file(flagged ? "flagged" : "plain");
		o.size = POOL_SIZE;
		o.flags = flagged ? PK_POOL_PROCESS_DURABLE : 0;
		PK_OK(pk_pool_create_opts(&p, path, &o));
		PK_OK(pk_pool_root(&r, p));
		before = msyncs;
		for (int64_t k = 0; k < 50; k++)
			put_key(r, k);
		ck_assert_int_eq(msyncs, before);
		PK_OK(pk_pool_sync(p));
		ck_assert_int_eq(msyncs - before, flagged);
		pk_map_close(r);
		PK_OK(pk_pool_close(p));
	}
}
END_TEST

/* ---- sync ---- */

START_TEST(test_durable_sync__errors)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	pk_pool *p = NULL;

	PK_RC(pk_pool_sync(NULL), EINVAL);
	/* a closed pool, kept by its root handle */
	PK_OK(pk_pool_close(pool));
	PK_RC(pk_pool_sync(pool), PK_ECLOSED);
	pool = NULL;
	/* a flag this library does not know */
	o.flags = 0x4;
	PK_RC(pk_pool_open_opts(&p, test_path, &o), EINVAL);
	ck_assert_ptr_null(p);
	o.flags = PK_POOL_PROCESS_DURABLE | 0x80;
	o.size = POOL_SIZE;
	PK_RC(pk_pool_create_opts(&p, test_file("x"), &o), EINVAL);
	ck_assert_int_ne(access(test_file("x"), F_OK), 0);
}
END_TEST

/* inside a transaction: the sync keeps the undo log with what it wrote,
 * and the abort still undoes it */
START_TEST(test_durable_sync__inside_transaction)
{
	reopen_mode(PK_POOL_PROCESS_DURABLE);
	put_key(root, 1);
	PK_OK(pk_tx_begin(pool));
	put_key(root, 2);
	PK_OK(pk_pool_sync(pool));
	put_key(root, 3);
	PK_OK(pk_tx_abort(pool));
	PK_OK(pk_pool_sync(pool));
	ck_assert(has_key(root, 1));
	ck_assert(!has_key(root, 2));
	ck_assert(!has_key(root, 3));
	reopen();
	ck_assert(has_key(root, 1));
	ck_assert_uint_eq(length(root), 1);
}
END_TEST

/* ---- kill ---- */

/*
 * The writer's steps: step s puts key s, except that every tenth step
 * (s % 10 == 9) puts four keys TX_BASE + 4s + j in one transaction, and
 * the one after each put of a key s % 10 == 0 (s % 10 == 4) removes it.
 */
#define TX_BASE 1000000
#define TX_KEYS 4

enum { S_PUT, S_REMOVE, S_TX };

static int
step_kind(uint64_t s)
{
	return s % 10 == 9 ? S_TX : s % 10 == 4 ? S_REMOVE : S_PUT;
}

/* what the writer and the parent share */
struct shared {
	uint64_t done;		/* steps acknowledged */
	uint64_t msyncs;	/* msync calls the writer made in its steps */
};

static int
run_step(pk_pool *p, pk_map *m, uint64_t s)
{
	uint8_t buf[160];
	int64_t k = (int64_t)s;
	pk_value key, v;
	int rc;

	switch (step_kind(s)) {
	case S_REMOVE:
		key = pk_int(k - 4);
		return pk_map_remove(m, &key);
	case S_TX:
		if ((rc = pk_tx_begin(p)) != 0)
			return rc;
		for (int64_t j = 0; rc == 0 && j < TX_KEYS; j++) {
			key = pk_int(TX_BASE + TX_KEYS * k + j);
			v = value_of(buf, TX_BASE + TX_KEYS * k + j);
			rc = pk_map_put(m, &key, &v);
		}
		return rc == 0 ? pk_tx_commit(p) : rc;
	default:
		key = pk_int(k);
		v = value_of(buf, k);
		return pk_map_put(m, &key, &v);
	}
}

/* writer -- opens the pool in process-durable mode and runs steps from
 * the first not acknowledged, until killed */
static void
writer(void *arg)
{
	struct shared *sh = arg;
	pk_pool *p;
	pk_map *m;
	long before;

	if (open_mode(&p, test_path, PK_POOL_PROCESS_DURABLE) != 0 ||
	    pk_pool_root(&m, p) != 0)
		_exit(2);
	before = msyncs;
	for (uint64_t s = sh->done; ; s++) {
		if (run_step(p, m, s) != 0) {
			fprintf(stderr, "step %llu: %s\n",
					(unsigned long long)s, pk_errormsg());
			_exit(3);
		}
		sh->msyncs = (uint64_t)(msyncs - before);
		sh->done = s + 1;
	}
}

/* whether key k is in after n steps */
static int
expected(int64_t k, uint64_t n)
{
	if (k >= TX_BASE)
		return (uint64_t)(k - TX_BASE) / TX_KEYS < n;
	return step_kind((uint64_t)k) == S_PUT && (uint64_t)k < n &&
		!(k % 10 == 0 && (uint64_t)k + 4 < n);
}

/* check -- the pool holds what n steps made, or n + 1; returns 1 for
 * n + 1 (the step under way was done) */
static int
check(pk_map *m, uint64_t n)
{
	uint64_t count = 0, want_n;
	int later;

	switch (step_kind(n)) {
	case S_REMOVE:
		later = !has_key(m, (int64_t)n - 4);
		break;
	case S_TX:
		later = has_key(m, TX_BASE + TX_KEYS * (int64_t)n);
		break;
	default:
		later = has_key(m, (int64_t)n);
	}
	want_n = n + (uint64_t)later;
	for (uint64_t s = 0; s <= n; s++) {
		int64_t k = (int64_t)s;
		if (step_kind(s) == S_TX) {
			for (int64_t j = 0; j < TX_KEYS; j++) {
				int64_t t = TX_BASE + TX_KEYS * k + j;
				int in = has_key(m, t);
				ck_assert_msg(in == expected(t, want_n), "key %lld "
						"after %llu steps: %d",
						(long long)t,
						(unsigned long long)want_n, in);
				count += (uint64_t)in;
			}
		} else if (step_kind(s) == S_PUT) {
			int in = has_key(m, k);
			ck_assert_msg(in == expected(k, want_n), "key %lld "
					"after %llu steps: %d", (long long)k,
					(unsigned long long)want_n, in);
			count += (uint64_t)in;
		}
	}
	ck_assert_uint_eq(length(m), count);
	return later;
}

/*
 * test_scale(10) rounds: a writer killed at random, then the pool opened
 * (in either mode, by turns: an open in process-durable mode after a
 * crash recovers first) and checked against the steps acknowledged
 */
START_TEST(test_durable_kill__process_durable_loses_nothing)
{
	struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned seed = (unsigned)time(NULL);
	long rounds = test_scale(10);
	pk_pool_stats st = PK_POOL_STATS_INIT;

	ck_assert_ptr_ne(sh, MAP_FAILED);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	root = NULL;
	pool = NULL;
	for (long r = 0; r < rounds; r++) {
		test_kill_writer(writer, sh, &sh->done, &seed);
		ck_assert_uint_eq(sh->msyncs, 0);
		PK_OK(open_mode(&pool, test_path, r % 2 ?
					PK_POOL_PROCESS_DURABLE : 0));
		PK_OK(pk_pool_stats_get(&st, pool));
		ck_assert_int_eq(st.unclean, 1);
		PK_OK(pk_pool_root(&root, pool));
		sh->done += (uint64_t)check(root, sh->done);
		assert_healthy();
		pk_map_close(root);
		PK_OK(pk_pool_close(pool));
		root = NULL;
		pool = NULL;
	}
	/* each round's writer acknowledged a step before its kill (one
	 * under valgrind, whose steps are slow, may have done no more) */
	ck_assert_uint_ge(sh->done, (uint64_t)rounds);
	munmap(sh, 4096);
}
END_TEST

/* ---- refuse ---- */

/* a function that is not libpmemobj's */
static void
not_libpmemobj(const void *p, size_t len)
{
	(void)p;
	(void)len;
}

/* the value a field is changed to, by kind */
enum { X_FLIP, X_FOREIGN, X_DUP_MEMMOVE };

static const struct mutation {
	size_t off, len;
	int how;
	const char *what;
} mutations[] = {
	{ OBJ_OFF_ADDR, 8, X_FLIP, "addr" },
	{ OBJ_OFF_IS_PMEM, 4, X_FLIP, "is_pmem 1 with msync functions" },
	{ OBJ_OFF_IS_PMEM, 4, X_FOREIGN, "is_pmem out of range" },
	{ OBJ_OFF_RDONLY, 4, X_FLIP, "rdonly" },
	{ OBJ_OFF_UUID_LO, 8, X_FLIP, "uuid_lo" },
	{ OBJ_OFF_REPLICA, 8, X_FLIP, "replica" },
	{ OBJ_OFF_LOCAL, 8, X_FOREIGN, "persist_local" },
	{ OBJ_OFF_LOCAL + 8, 8, X_FOREIGN, "flush_local" },
	{ OBJ_OFF_LOCAL + 16, 8, X_FOREIGN, "drain_local" },
	{ OBJ_OFF_LOCAL + 24, 8, X_DUP_MEMMOVE, "memcpy_local" },
	{ OBJ_OFF_LOCAL + 40, 8, X_FOREIGN, "memset_local" },
	{ OBJ_OFF_OPS, 8, X_FOREIGN, "p_ops.persist" },
	{ OBJ_OFF_OPS + 40, 8, X_FOREIGN, "p_ops.memset" },
	{ OBJ_OFF_OPS_BASE, 8, X_FLIP, "p_ops.base" },
	{ OBJ_OFF_MASTER, 4, X_FLIP, "is_master_replica" },
	{ OBJ_OFF_REMOTE, 4, X_FLIP, "has_remote_replicas" },
	{ OBJ_OFF_RPP, 8, X_FLIP, "rpp" },
};

/* mutate -- change the field m names in the descriptor d */
static void
mutate(char *d, const struct mutation *m)
{
	uint64_t v = 0;
	void (*foreign)(const void *, size_t) = not_libpmemobj;

	memcpy(&v, d + m->off, m->len);
	switch (m->how) {
	case X_FLIP:
		v ^= 1;
		break;
	case X_FOREIGN:
		v = m->len == 4 ? 2 : (uint64_t)(uintptr_t)foreign;
		break;
	default:	/* memcpy_local: memmove_local's function */
		memcpy(&v, d + OBJ_OFF_LOCAL + 32, 8);
	}
	memcpy(d + m->off, &v, m->len);
}

/* each field the mode checks, changed in turn: ENOTSUP, the descriptor's
 * functions as they were; then, all restored, the mode is taken */
START_TEST(test_durable_refuse__descriptor_not_as_expected)
{
	char *d = (char *)pool->pop, saved[8];
	struct obj_local before, now;
	long n;

	memcpy(&before, d + OBJ_OFF_LOCAL, sizeof(before));
	for (size_t i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];
		memcpy(saved, d + m->off, m->len);
		mutate(d, m);
		int rc = pk__durable_process(pool);
		memcpy(d + m->off, saved, m->len);
		ck_assert_msg(rc == ENOTSUP, "%s changed: %d", m->what, rc);
		ck_assert_ptr_nonnull(strstr(pk_errormsg(), "1.12.1"));
		memcpy(&now, d + OBJ_OFF_LOCAL, sizeof(now));
		ck_assert_msg(memcmp(&now, &before, sizeof(now)) == 0,
				"%s changed: functions changed", m->what);
		ck_assert_int_eq(pool->durable, PK_DURABLE_LIBPMEMOBJ);
	}
	/* nothing changed: taken, and puts stop msyncing */
	PK_OK(pk__durable_process(pool));
	ck_assert_int_eq(pool->durable, PK_DURABLE_PROCESS);
	n = msyncs;
	put_key(root, 1);
	ck_assert_int_eq(msyncs, n);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("durable");
	TCase *tc;

	/* an ordinary disk, and libpmem left to tell it from pmem */
	unsetenv("PMEM_IS_PMEM_FORCE");
	setenv("PK_TEST_DIR", "/var/tmp", 1);

	tc = tcase_create("mode");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, disk_setup, teardown);
	tcase_add_test(tc, test_durable_mode__default_msyncs_every_change);
	tcase_add_test(tc,
		test_durable_mode__process_durable_msyncs_at_sync_and_close);
	tcase_add_test(tc, test_durable_mode__created_process_durable);
	tcase_add_test(tc, test_durable_mode__each_open_chooses);
	suite_add_tcase(s, tc);

	tc = tcase_create("forced");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, forced_setup, forced_teardown);
	tcase_add_test(tc, test_durable_mode__forced_pmem);
	suite_add_tcase(s, tc);

	tc = tcase_create("sync");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, disk_setup, teardown);
	tcase_add_test(tc, test_durable_sync__errors);
	tcase_add_test(tc, test_durable_sync__inside_transaction);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, disk_setup, teardown);
	tcase_add_test(tc, test_durable_refuse__descriptor_not_as_expected);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, disk_setup, teardown);
	tcase_add_test(tc, test_durable_kill__process_durable_loses_nothing);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
