/*
 * test_poolset.c -- pools of more than one file: growing pools (written
 * to ten times their first size, up to their maximum, killed while they
 * grow), replicas (damaged, lost and repaired), and the bad input that
 * must be refused with the files on disk left as they were
 */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "fixture.h"

#define MIB ((uint64_t)1 << 20)

/* ---- helpers ---- */

/* a value of len bytes that says which key it belongs to */
static void
fill(char *buf, size_t len, uint64_t key)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)((key * 31 + i) % 251);
	if (len >= sizeof(key))
		memcpy(buf, &key, sizeof(key));
}

/* put key -> its value of len bytes */
static int
put_key(pk_map *m, uint64_t key, size_t len)
{
	static char buf[256 << 10];
	pk_value k = pk_int((int64_t)key), v;

	fill(buf, len, key);
	v = pk_bytes(buf, len);
	return pk_map_put(m, &k, &v);
}

/* whether key holds its value of len bytes (0: absent; fails if wrong) */
static int
has_key(pk_map *m, uint64_t key, size_t len)
{
	static char want[256 << 10];
	pk_value k = pk_int((int64_t)key), v;
	int rc = pk_map_get(&v, m, &k);

	if (rc == PK_NOTFOUND)
		return 0;
	PK_OK(rc);
	fill(want, len, key);
	ck_assert_msg(v.type == PK_BYTES && v.u.buf.len == len &&
			memcmp(v.u.buf.ptr, want, len) == 0,
			"key %llu holds a wrong value", (unsigned long long)key);
	return 1;
}

/* the part files in dir, and their bytes */
static int
parts(const char *dir, uint64_t *bytes)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char p[8192];
	int n = 0;

	if (bytes != NULL)
		*bytes = 0;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".pmem") == NULL)
			continue;
		n++;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (bytes != NULL && stat(p, &st) == 0)
			*bytes += (uint64_t)st.st_size;
	}
	closedir(d);
	return n;
}

/* a 64-bit FNV-1a hash of every file under dir (names and contents) */
static uint64_t tree_hash_acc;
static void
hash_bytes(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tree_hash_acc = (tree_hash_acc ^ ((const unsigned char *)p)[i]) *
			1099511628211ULL;
}

static uint64_t
tree_hash(const char *dir)
{
	char cmd[8192];
	FILE *f;
	char buf[65536];
	size_t n;

	tree_hash_acc = 14695981039346656037ULL;
	/* sorted names, modes, sizes and contents of everything there */
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -print0 | sort -z | "
			"xargs -0 stat -c '%%n %%a %%s' && find . -type f "
			"-print0 | sort -z | xargs -0 -r cat", dir);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		hash_bytes(buf, n);
	pclose(f);
	return tree_hash_acc;
}

/* create a growing pool at test_path with this maximum (0: default) */
static void
create_growing(uint64_t size, uint64_t max)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	o.size = size;
	o.max_size = max;
	PK_OK(pk_pool_create_opts(&pool, test_path, &o));
	PK_OK(pk_pool_root(&root, pool));
}

static void
setup_dir(void)
{
	test_setup();
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pk_pool_stats
stats(void)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;

	PK_OK(pk_pool_stats_get(&st, pool));
	return st;
}

/* close the root handle and the pool, as a process that ends would */
static void
close_all(void)
{
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	root = NULL;
	pool = NULL;
}

/* ---- growing pools ---- */

START_TEST(test_poolset_grow__ten_times_first_size)
{
	char dir[8192];
	uint64_t n = 0, bytes, written = 0;
	size_t len = 4000;
	double t0 = now(), t1, t2;

	create_growing(0, 0);
	t1 = now();
	snprintf(dir, sizeof(dir), "%s.parts", test_path);
	ck_assert_int_eq(parts(dir, &bytes), 1);
	ck_assert_uint_eq(bytes, PK_POOL_MIN_SIZE);
	pk_pool_stats st = stats();
	ck_assert_uint_eq(st.size, PK_POOL_MIN_SIZE);
	ck_assert_uint_eq(st.max_size, PK_POOL_MAX_DEFAULT);
	ck_assert_uint_gt(st.free, 0);
	while (written < 10 * PK_POOL_MIN_SIZE) {
		PK_OK(put_key(root, n++, len));
		written += len;
	}
	t2 = now();
	st = stats();
	ck_assert_uint_ge(st.size, 10 * PK_POOL_MIN_SIZE);
	ck_assert_uint_ge(st.used, written);
	int np = parts(dir, &bytes);
	ck_assert_int_gt(np, 1);
	ck_assert_uint_eq(bytes, st.size);
	fprintf(stderr, "grow: create %.1f ms, %llu MiB written in %.1f ms; "
			"%d parts, %llu MiB\n", (t1 - t0) * 1e3,
			(unsigned long long)(written / MIB), (t2 - t1) * 1e3, np,
			(unsigned long long)(bytes / MIB));
	/* every entry, in the pool as opened again */
	reopen();
	ck_assert_uint_eq(stats().size, st.size);
	for (uint64_t k = 0; k < n; k++)
		ck_assert(has_key(root, k, len));
	assert_healthy();
	/* it keeps growing after the open */
	for (uint64_t k = n; k < n + 4000; k++)
		PK_OK(put_key(root, k, len));
	ck_assert_uint_gt(stats().size, st.size);
	assert_healthy();
}
END_TEST

START_TEST(test_poolset_grow__first_size)
{
	char dir[8192];
	uint64_t bytes;

	create_growing(40 * MIB, 100 * MIB);
	snprintf(dir, sizeof(dir), "%s.parts", test_path);
	ck_assert_int_eq(parts(dir, &bytes), 2);
	ck_assert_uint_eq(bytes, 40 * MIB);
	ck_assert_uint_eq(stats().size, 40 * MIB);
	ck_assert_uint_eq(stats().max_size, 100 * MIB);
}
END_TEST

START_TEST(test_poolset_grow__maximum_honoured)
{
	char dir[8192];
	uint64_t n = 0, bytes, max = 40 * MIB;
	size_t len = 4000;
	int rc;

	create_growing(0, max);
	snprintf(dir, sizeof(dir), "%s.parts", test_path);
	while ((rc = put_key(root, n, len)) == 0)
		n++;
	ck_assert_int_eq(rc, PK_ENOSPACE);
	ck_assert_uint_gt(n * len, max / 2);
	parts(dir, &bytes);
	ck_assert_uint_le(bytes, max);
	pk_pool_stats st = stats();
	ck_assert_uint_le(st.size, max);
	ck_assert_uint_gt(st.size, max - 8 * MIB);
	ck_assert_uint_eq(st.max_size, max);
	ck_assert_uint_lt(st.free, 4 * MIB);
	/* the pool stays usable: what it holds, and room made by removing */
	for (uint64_t k = 0; k < n; k++)
		ck_assert(has_key(root, k, len));
	for (uint64_t k = 0; k < 100; k++) {
		pk_value key = pk_int((int64_t)k);
		PK_OK(pk_map_remove(root, &key));
	}
	PK_OK(put_key(root, n, len));
	reopen();
	for (uint64_t k = 100; k <= n; k++)
		ck_assert(has_key(root, k, len));
	PK_RC(put_key(root, n + 1000000, 200 << 10), PK_ENOSPACE);
	assert_healthy();
}
END_TEST

START_TEST(test_poolset_grow__stats_version_1)
{
	pk_pool_stats st;

	create_growing(0, 0);
	memset(&st, 0xab, sizeof(st));
	st.version = 1;
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_uint_eq(st.version, 1);
	ck_assert_uint_eq(st.size, PK_POOL_MIN_SIZE);
	ck_assert_uint_gt(st.used, 0);
	/* the fields a version-1 caller does not have are not written */
	ck_assert_uint_eq(st.max_size, 0xababababababababULL);
	ck_assert_uint_eq(st.free, 0xababababababababULL);
	/* version 2's end before the pool's format */
	st.version = 2;
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_uint_gt(st.max_size, st.size);	/* it grows */
	ck_assert_uint_eq(st.format, 0xababababu);
	st.version = 3;
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_uint_eq(st.format, PK_FORMAT_VERSION);
	st.version = PK_POOL_STATS_VERSION + 1;
	PK_RC(pk_pool_stats_get(&st, pool), EINVAL);
}
END_TEST

/* a growing pool in process-durable mode: its sync msyncs every part,
 * those past the bound of pmemkit's allocations too */
START_TEST(test_poolset_grow__process_durable_sync)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	uint64_t k;

	o.flags = PK_POOL_PROCESS_DURABLE;
	PK_OK(pk_pool_create_opts(&pool, test_path, &o));
	PK_OK(pk_pool_root(&root, pool));
	for (k = 0; k < 6000; k++)
		PK_OK(put_key(root, k, 4000));
	ck_assert_uint_gt(stats().size, 2 * PK_POOL_MIN_SIZE);
	PK_OK(pk_pool_sync(pool));
	close_all();
	PK_OK(pk_pool_open_opts(&pool, test_path, &o));
	PK_OK(pk_pool_root(&root, pool));
	for (k = 0; k < 6000; k++)
		ck_assert(has_key(root, k, 4000));
	PK_OK(pk_pool_sync(pool));
}
END_TEST

/* the kill test: values of 64 KiB, so that the pool grows every hundred
 * puts or so */
#define KILL_LEN ((size_t)64 << 10)

/* whether the last part in dir has under 2 MiB: made in part when the
 * writer was killed (the open removes it) */
static int
last_part_small(const char *dir)
{
	char p[8300];
	struct stat st;
	int n = parts(dir, NULL);

	snprintf(p, sizeof(p), "%s/%06d.pmem", dir, n - 1);
	return n > 1 && stat(p, &st) == 0 && st.st_size < (off_t)(2 * MIB);
}

static void
grow_writer(void *arg)
{
	volatile uint64_t *done = arg;
	pk_pool *p;
	pk_map *r;

	if (pk_pool_open(&p, test_path) != 0 || pk_pool_root(&r, p) != 0)
		_exit(2);
	for (uint64_t i = *done; ; i++) {
		if (put_key(r, i, KILL_LEN) != 0) {
			fprintf(stderr, "grow: %s\n", pk_errormsg());
			_exit(3);
		}
		*done = i + 1;
	}
}

START_TEST(test_poolset_grow__killed_while_growing)
{
	volatile uint64_t *done = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char dir[8192];
	long rounds = test_scale(12), grew = 0, half = 0;
	unsigned seed = (unsigned)time(NULL);

	ck_assert_ptr_ne((void *)done, MAP_FAILED);
	create_growing(0, 0);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	pool = NULL;
	root = NULL;
	snprintf(dir, sizeof(dir), "%s.parts", test_path);
	for (long k = 0; k < rounds; k++) {
		int before = parts(dir, NULL), status;
		uint64_t start = *done;
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			grow_writer((void *)done);
			_exit(4);
		}
		/* killed the moment a new part file appears: while libpmemobj
		 * makes it (or, every third round, up to 20 ms later: while
		 * it maps it, adds it to the heap, or after) */
		struct timespec ts = { 0, 20000 };
		for (int t = 0; t < 500000 && parts(dir, NULL) == before;
				t++)
			nanosleep(&ts, NULL);
		if (k % 3 == 2) {
			ts.tv_nsec = (long)(rand_r(&seed) % 20000) * 1000L;
			nanosleep(&ts, NULL);
		}
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ck_assert_msg(WIFSIGNALED(status), "the writer failed (%d)",
				WEXITSTATUS(status));
		grew += parts(dir, NULL) > before;
		half += last_part_small(dir);
		/* everything acknowledged is there, and the one under way
		 * maybe */
		uint64_t steps = *done;
		PK_OK(pk_pool_open(&pool, test_path));
		PK_OK(pk_pool_root(&root, pool));
		for (uint64_t i = 0; i < steps; i++)
			ck_assert_msg(has_key(root, i, KILL_LEN), "key %llu of "
					"%llu lost (round %ld)",
					(unsigned long long)i,
					(unsigned long long)steps, k);
		*done = steps + (uint64_t)has_key(root, steps, KILL_LEN);
		(void)start;
		assert_healthy();
		pk_map_close(root);
		PK_OK(pk_pool_close(pool));
		root = NULL;
		pool = NULL;
	}
	ck_assert_int_ge(grew, rounds / 2);
	fprintf(stderr, "grow kill: %ld rounds, %ld grew, %ld left a part "
			"half made\n", rounds, grew, half);
	munmap((void *)done, 4096);
}
END_TEST

/* ---- replicas ---- */

#define REP_KEYS 3000
#define REP_LEN 1000

/* create a pool with a replica (fixed or growing) and fill it */
static void
create_replicated(int growing, char *rep, size_t cap)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	snprintf(rep, cap, "%s", test_file(growing ? "mirror.d" : "mirror"));
	o.size = growing ? 0 : POOL_SIZE;
	/* the default 32 GiB, twice over with the replica, is more address
	 * space than valgrind gives a program */
	o.max_size = growing ? (uint64_t)1 << 30 : 0;
	o.replica = rep;
	PK_OK(pk_pool_create_opts(&pool, test_path, &o));
	PK_OK(pk_pool_root(&root, pool));
	for (uint64_t k = 0; k < REP_KEYS; k++)
		PK_OK(put_key(root, k, REP_LEN));
	close_all();
}

/* open the pool and find every entry */
static void
check_replicated(void)
{
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	for (uint64_t k = 0; k < REP_KEYS; k++)
		ck_assert(has_key(root, k, REP_LEN));
	assert_healthy();
}

/* the damaged pool refused (saying msg, if given), then repaired with
 * everything there */
static void
refused_then_repaired(const char *msg)
{
	ck_assert_int_ne(pk_pool_open(&pool, test_path), 0);
	ck_assert_ptr_null(pool);
	ck_assert_msg(msg == NULL || strstr(pk_errormsg(), msg) != NULL,
			"\"%s\" does not say \"%s\"", pk_errormsg(), msg);
	PK_OK(pk_pool_repair(test_path));
	check_replicated();
}

/* overwrite the first len bytes of file with junk */
static void
scribble(const char *file, size_t len)
{
	char junk[4096];
	int fd = open(file, O_WRONLY);

	ck_assert_int_ge(fd, 0);
	memset(junk, 0x5a, sizeof(junk));
	for (size_t off = 0; off < len; off += sizeof(junk))
		ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), (off_t)off),
				(ssize_t)sizeof(junk));
	close(fd);
}

START_TEST(test_poolset_replica__open_and_files)
{
	char rep[4096], data[8192];
	struct stat st;

	create_replicated(0, rep, sizeof(rep));
	snprintf(data, sizeof(data), "%s.pmem", test_path);
	ck_assert_int_eq(stat(data, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, POOL_SIZE);
	ck_assert_int_eq(stat(rep, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, POOL_SIZE);
	check_replicated();
	ck_assert_uint_eq(stats().size, POOL_SIZE);
	PK_RC(pk_pool_repair(test_path), EAGAIN);
	/* nothing to repair: repair says so with 0, while closed */
	close_all();
	PK_OK(pk_pool_repair(test_path));
	check_replicated();
}
END_TEST

START_TEST(test_poolset_replica__damaged_replica)
{
	char rep[4096];

	create_replicated(0, rep, sizeof(rep));
	scribble(rep, 1 << 20);
	PK_OK(pk_pool_repair(test_path));
	check_replicated();
	/* the replica rebuilt is a full copy: the primary lost, rebuilt
	 * from it */
	close_all();
	char data[8192];
	snprintf(data, sizeof(data), "%s.pmem", test_path);
	scribble(data, 1 << 20);
	PK_OK(pk_pool_repair(test_path));
	check_replicated();
}
END_TEST

START_TEST(test_poolset_replica__damaged_primary)
{
	char rep[4096], data[8192];

	create_replicated(0, rep, sizeof(rep));
	snprintf(data, sizeof(data), "%s.pmem", test_path);
	scribble(data, 2 << 20);
	refused_then_repaired(NULL);
}
END_TEST

START_TEST(test_poolset_replica__missing_copies)
{
	char rep[4096], data[8192];

	create_replicated(0, rep, sizeof(rep));
	ck_assert_int_eq(unlink(rep), 0);
	refused_then_repaired(NULL);
	close_all();
	snprintf(data, sizeof(data), "%s.pmem", test_path);
	ck_assert_int_eq(unlink(data), 0);
	refused_then_repaired(NULL);
}
END_TEST

START_TEST(test_poolset_replica__growing)
{
	char rep[4096], part[8300], dir[8192];
	uint64_t k;

	create_replicated(1, rep, sizeof(rep));
	snprintf(dir, sizeof(dir), "%s.parts", test_path);
	check_replicated();
	/* grown to several parts, in both copies */
	for (k = REP_KEYS; k < 8 * REP_KEYS; k++)
		PK_OK(put_key(root, k, REP_LEN));
	ck_assert_int_ge(parts(dir, NULL), 3);
	ck_assert_int_eq(parts(rep, NULL), parts(dir, NULL));
	close_all();
	/* the replica's first part lost, then a part in the middle of the
	 * primary: refused, repaired */
	snprintf(part, sizeof(part), "%s/000000.pmem", rep);
	ck_assert_int_eq(unlink(part), 0);
	refused_then_repaired(NULL);
	close_all();
	snprintf(part, sizeof(part), "%s/000001.pmem", dir);
	ck_assert_int_eq(unlink(part), 0);
	refused_then_repaired("missing");
	for (k = REP_KEYS; k < 8 * REP_KEYS; k++)
		ck_assert(has_key(root, k, REP_LEN));
	/* a growth the crash cut between the copies: the next part made
	 * (zeroed, not yet in the heap) in the primary only */
	int n = parts(dir, NULL);
	close_all();
	snprintf(part, sizeof(part), "%s/%06d.pmem", dir, n);
	ck_assert_int_eq(truncate(part, 0), -1);
	int fd = open(part, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)(8 * MIB)), 0);
	close(fd);
	refused_then_repaired(NULL);
	ck_assert_int_eq(parts(rep, NULL), n + 1);
}
END_TEST

START_TEST(test_poolset_replica__repair_refusals)
{
	PK_RC(pk_pool_repair(NULL), EINVAL);
	PK_RC(pk_pool_repair(test_file("none")), ENOENT);
	/* a plain pool, and a growing pool: no replica */
	PK_OK(pk_pool_create(&pool, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_close(pool));
	pool = NULL;
	PK_RC(pk_pool_repair(test_path), PK_ENOTPOOL);
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	PK_OK(pk_pool_create_opts(&pool, test_file("g"), &o));
	PK_RC(pk_pool_repair(test_file("g")), PK_ENOTPOOL);
	PK_OK(pk_pool_close(pool));
	pool = NULL;
}
END_TEST

/* ---- bad input: refused, and the files on disk as they were ---- */

START_TEST(test_poolset_bad__sizes)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	uint64_t h = tree_hash(test_dir);

	o.size = PK_POOL_MIN_SIZE - 4096;
	PK_RC(pk_pool_create_opts(&pool, test_path, &o), EINVAL);
	ck_assert(strstr(pk_errormsg(), "below the minimum") != NULL);
	o.size = 64 * MIB;
	o.max_size = 32 * MIB;
	PK_RC(pk_pool_create_opts(&pool, test_path, &o), EINVAL);
	ck_assert(strstr(pk_errormsg(), "below the size") != NULL);
	o.size = 0;
	o.max_size = 4 * MIB;
	PK_RC(pk_pool_create_opts(&pool, test_path, &o), EINVAL);
	ck_assert(strstr(pk_errormsg(), "below the minimum") != NULL);
	ck_assert_ptr_null(pool);
	ck_assert_uint_eq(tree_hash(test_dir), h);
}
END_TEST

START_TEST(test_poolset_bad__directory_with_files)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	char dir[8192], f[8300];
	uint64_t h;

	snprintf(dir, sizeof(dir), "%s.parts", test_path);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(f, sizeof(f), "%s/notes.txt", dir);
	FILE *fp = fopen(f, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("mine\n", fp);
	fclose(fp);
	h = tree_hash(test_dir);
	PK_RC(pk_pool_create_opts(&pool, test_path, &o), EEXIST);
	ck_assert(strstr(pk_errormsg(), "holds other files") != NULL);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	/* an empty directory is taken, and kept when creation fails */
	ck_assert_int_eq(unlink(f), 0);
	o.replica = test_file("r.d");
	ck_assert_int_eq(mkdir(o.replica, 0700), 0);
	snprintf(f, sizeof(f), "%s/000000.pmem", o.replica);
	fp = fopen(f, "w");
	fclose(fp);
	h = tree_hash(test_dir);
	PK_RC(pk_pool_create_opts(&pool, test_path, &o), EEXIST);
	ck_assert_uint_eq(tree_hash(test_dir), h);
}
END_TEST

/* a growing pool made, closed, its poolset file and directory hashed */
static uint64_t
growing_closed(void)
{
	create_growing(0, 0);
	for (uint64_t k = 0; k < 100; k++)
		PK_OK(put_key(root, k, 100));
	close_all();
	return tree_hash(test_dir);
}

START_TEST(test_poolset_bad__missing_and_foreign_parts)
{
	char part[8192], saved[8192];
	uint64_t h;
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	/* the first part missing */
	growing_closed();
	snprintf(part, sizeof(part), "%s.parts/000000.pmem", test_path);
	snprintf(saved, sizeof(saved), "%s", test_file("saved"));
	ck_assert_int_eq(rename(part, saved), 0);
	h = tree_hash(test_dir);
	ck_assert_int_ne(pk_pool_open(&pool, test_path), 0);
	ck_assert_ptr_null(pool);
	ck_assert(strstr(pk_errormsg(), "000000.pmem") != NULL);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	/* a part of another growing pool in its place */
	PK_OK(pk_pool_create_opts(&pool, test_file("other"), &o));
	PK_OK(pk_pool_close(pool));
	pool = NULL;
	char other[8192];
	snprintf(other, sizeof(other), "%s.parts/000000.pmem",
			test_file("other"));
	ck_assert_int_eq(rename(other, part), 0);
	h = tree_hash(test_dir);
	ck_assert_int_ne(pk_pool_open(&pool, test_path), 0);
	ck_assert_ptr_null(pool);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	/* a part in the middle missing: refused before libpmemobj would
	 * map the later parts where it was */
	ck_assert_int_eq(rename(saved, test_file("other-first")), 0);
	pk_pool_options g = PK_POOL_OPTIONS_INIT;
	PK_OK(pk_pool_create_opts(&pool, test_file("big"), &g));
	PK_OK(pk_pool_root(&root, pool));
	for (uint64_t k = 0; k < 6000; k++)
		PK_OK(put_key(root, k, 4000));
	pk_map_close(root);
	root = NULL;
	PK_OK(pk_pool_close(pool));
	pool = NULL;
	snprintf(part, sizeof(part), "%s.parts/000001.pmem", test_file("big"));
	ck_assert_int_eq(unlink(part), 0);
	h = tree_hash(test_dir);
	PK_RC(pk_pool_open(&pool, test_file("big")), PK_ECORRUPT);
	ck_assert(strstr(pk_errormsg(), "1 of the") != NULL);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	/* a poolset file that names no part */
	FILE *fp = fopen(test_file("empty.set"), "w");
	fputs("PMEMPOOLSET\n", fp);
	fclose(fp);
	h = tree_hash(test_dir);
	PK_RC(pk_pool_open(&pool, test_file("empty.set")), PK_ENOTPOOL);
	ck_assert_uint_eq(tree_hash(test_dir), h);
}
END_TEST

START_TEST(test_poolset_bad__replica_of_another_pool)
{
	char rep_a[4096], rep_b[4096], set_b[4096];
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	uint64_t h;

	/* a replica that exists is never taken */
	create_replicated(0, rep_a, sizeof(rep_a));
	snprintf(set_b, sizeof(set_b), "%s", test_file("b"));
	o.size = POOL_SIZE;
	o.replica = rep_a;
	h = tree_hash(test_dir);
	PK_RC(pk_pool_create_opts(&pool, set_b, &o), EEXIST);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	/* a poolset edited to name another pool's replica */
	snprintf(rep_b, sizeof(rep_b), "%s", test_file("mirror-b"));
	o.replica = rep_b;
	PK_OK(pk_pool_create_opts(&pool, set_b, &o));
	PK_OK(pk_pool_close(pool));
	pool = NULL;
	char cmd[16384];
	snprintf(cmd, sizeof(cmd), "sed -i 's|%s$|%s|' '%s'", rep_a, rep_b,
			test_path);
	ck_assert_int_eq(system(cmd), 0);
	h = tree_hash(test_dir);
	ck_assert_int_ne(pk_pool_open(&pool, test_path), 0);
	ck_assert_ptr_null(pool);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	ck_assert_int_ne(pk_pool_repair(test_path), 0);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	/* a replica that is the pool itself */
	o.replica = test_file("c");
	PK_RC(pk_pool_create_opts(&pool, test_file("c"), &o), EINVAL);
	ck_assert_uint_eq(tree_hash(test_dir), h);
}
END_TEST

/* in a child as user nobody: create a growing pool in a directory it
 * may not write; exit 0 if refused with EACCES */
START_TEST(test_poolset_bad__read_only_directory)
{
	uint64_t h;
	pid_t pid;
	int status;

	char parent[4096], *slash;

	growing_closed();
	/* the user may reach the directory, not write in it */
	snprintf(parent, sizeof(parent), "%s", test_dir);
	slash = strrchr(parent, '/');
	*slash = '\0';
	struct stat pst;
	ck_assert_int_eq(stat(parent, &pst), 0);
	ck_assert_int_eq(chmod(parent, 0711), 0);
	ck_assert_int_eq(chmod(test_dir, 0755), 0);
	h = tree_hash(test_dir);
	if (getuid() != 0) {
		/* not root: the directory made read-only for this user */
		ck_assert_int_eq(chmod(test_dir, 0555), 0);
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pk_pool_options o = PK_POOL_OPTIONS_INIT;
		pk_pool *p = NULL;
		if (getuid() == 0 && (setgid(65534) != 0 ||
					setuid(65534) != 0))
			_exit(10);
		int rc = pk_pool_create_opts(&p, test_file("new"), &o);
		if (rc != EACCES)
			_exit(11);
		o.size = POOL_SIZE;
		char mirror[4096];
		snprintf(mirror, sizeof(mirror), "%s", test_file("new-mirror"));
		o.replica = mirror;
		rc = pk_pool_create_opts(&p, test_file("new2"), &o);
		if (rc != EACCES)
			_exit(12);
		/* the pool there: opening it needs write permission */
		rc = pk_pool_open(&p, test_path);
		_exit(rc == EACCES ? 0 : 13);
	}
	waitpid(pid, &status, 0);
	chmod(parent, pst.st_mode & 07777);
	chmod(test_dir, 0755);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"child status %d", status);
	ck_assert_uint_eq(tree_hash(test_dir), h);
	chmod(test_dir, 0700);
}
END_TEST

/*
 * read-only media: in a child with a mount namespace of its own (nothing
 * leaks to the system), the test directory bind-mounted read-only over
 * itself; creating every kind of pool there fails with EROFS, opening
 * the growing pool there too. Skipped where mount namespaces are not
 * allowed.
 */
START_TEST(test_poolset_bad__read_only_mount)
{
	uint64_t h;
	pid_t pid;
	int status;

	growing_closed();
	h = tree_hash(test_dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pk_pool_options o = PK_POOL_OPTIONS_INIT;
		pk_pool *p = NULL;
		if (unshare(CLONE_NEWNS) != 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount(test_dir, test_dir, NULL, MS_BIND, NULL) != 0 ||
		    mount(NULL, test_dir, NULL, MS_REMOUNT | MS_BIND |
			    MS_RDONLY, NULL) != 0)
			_exit(77);
		if (pk_pool_create_opts(&p, test_file("new"), &o) != EROFS)
			_exit(11);
		o.size = POOL_SIZE;
		if (pk_pool_create_opts(&p, test_file("new"), &o) != EROFS)
			_exit(12);
		char mirror[4096];
		snprintf(mirror, sizeof(mirror), "%s", test_file("new-mirror"));
		o.replica = mirror;
		int rc = pk_pool_create_opts(&p, test_file("new"), &o);
		if (rc != EROFS) {
			fprintf(stderr, "%d %s\n", rc, pk_errormsg());
			_exit(13);
		}
		_exit(pk_pool_open(&p, test_path) == EROFS ? 0 : 14);
	}
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		fprintf(stderr, "read-only mount: skipped (no mount "
				"namespace)\n");
		return;
	}
	ck_assert_msg(WEXITSTATUS(status) == 0, "child status %d",
			WEXITSTATUS(status));
	ck_assert_uint_eq(tree_hash(test_dir), h);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("poolset");
	TCase *tc;

	tc = tcase_create("grow");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup_dir, teardown);
	tcase_add_test(tc, test_poolset_grow__ten_times_first_size);
	tcase_add_test(tc, test_poolset_grow__first_size);
	tcase_add_test(tc, test_poolset_grow__maximum_honoured);
	tcase_add_test(tc, test_poolset_grow__stats_version_1);
	tcase_add_test(tc, test_poolset_grow__process_durable_sync);
	tcase_add_test(tc, test_poolset_grow__killed_while_growing);
	suite_add_tcase(s, tc);

	tc = tcase_create("replica");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup_dir, teardown);
	tcase_add_test(tc, test_poolset_replica__open_and_files);
	tcase_add_test(tc, test_poolset_replica__damaged_replica);
	tcase_add_test(tc, test_poolset_replica__damaged_primary);
	tcase_add_test(tc, test_poolset_replica__missing_copies);
	tcase_add_test(tc, test_poolset_replica__growing);
	tcase_add_test(tc, test_poolset_replica__repair_refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_dir, teardown);
	tcase_add_test(tc, test_poolset_bad__sizes);
	tcase_add_test(tc, test_poolset_bad__directory_with_files);
	tcase_add_test(tc, test_poolset_bad__missing_and_foreign_parts);
	tcase_add_test(tc, test_poolset_bad__replica_of_another_pool);
	tcase_add_test(tc, test_poolset_bad__read_only_directory);
	tcase_add_test(tc, test_poolset_bad__read_only_mount);
	suite_add_tcase(s, tc);

	return run_suite(s);
}
