#define _GNU_SOURCE 1 /* strerrorname_np */
/*
 * test_pool.c -- pools: creating, opening (and refusing to open) files,
 * closing, the unclean flag, running out of space, error codes and their
 * messages, and persistence on an ordinary disk file
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include <libpmemobj.h>
#include <valgrind/valgrind.h>

#include "common.h"

/*
 * libpmemobj, reached through libpmemkit's own dependency on it: libtool
 * (link_all_deplibs=no) does not put -lpmemobj on this program's link line,
 * so its functions are looked up at run time instead of linked directly.
 */
static struct {
	PMEMobjpool *(*create)(const char *, const char *, size_t, mode_t);
	PMEMobjpool *(*open)(const char *, const char *);
	void (*close)(PMEMobjpool *);
	PMEMoid (*root)(PMEMobjpool *, size_t);
	size_t (*root_size)(PMEMobjpool *);
	const char *(*errormsg)(void);
	void *(*memcpy_persist)(PMEMobjpool *, void *, const void *, size_t);
} obj;

static void
obj_sym(void *fp, const char *name)
{
	void *p = dlsym(RTLD_DEFAULT, name);
	ck_assert_msg(p != NULL, "dlsym %s: %s", name, dlerror());
	memcpy(fp, &p, sizeof(p));
}

static void
obj_load(void)
{
	obj_sym(&obj.create, "pmemobj_create");
	obj_sym(&obj.open, "pmemobj_open");
	obj_sym(&obj.close, "pmemobj_close");
	obj_sym(&obj.root, "pmemobj_root");
	obj_sym(&obj.root_size, "pmemobj_root_size");
	obj_sym(&obj.errormsg, "pmemobj_errormsg");
	obj_sym(&obj.memcpy_persist, "pmemobj_memcpy_persist");
}

/* a pointer into a pool that libpmemobj has open */
static void *
obj_ptr(PMEMobjpool *pop, PMEMoid oid)
{
	return (char *)pop + oid.off;
}

/* offsets in struct pk_root (lib/layout.h): the on-media format */
#define ROOT_MAGIC		0x54524b50u
#define ROOT_OFF_MAGIC		0
#define ROOT_OFF_FORMAT		4
#define ROOT_OFF_INCOMPAT	8
#define ROOT_OFF_ROOT_MAP	40
/* offset of the leaf field in a map's header; 1: a leaf */
#define MAP_OFF_LEAF		56

/*
 * PK_FAIL(expr, code, needle): the call must return code, and leave a
 * message in pk_errormsg() that starts with the code's symbolic name and
 * contains needle (unless NULL). The message is overwritten with another
 * failure first, so a stale message cannot pass.
 */
#define PK_FAIL(expr, code, needle) do { \
	clobber_errormsg(); \
	int rc_ = (expr); \
	const char *m_ = pk_errormsg(); \
	const char *n_ = (needle); \
	ck_assert_msg(rc_ == (code), "%s returned %d (%s; %s), expected %s", \
			#expr, rc_, pk_strerror(rc_), m_, #code); \
	ck_assert_msg(m_ != NULL && strncmp(m_, #code ":", \
			strlen(#code ":")) == 0, \
			"%s: message \"%s\" does not start with %s", #expr, \
			m_ ? m_ : "(null)", #code); \
	ck_assert_msg(n_ == NULL || strstr(m_, n_) != NULL, \
			"%s: message \"%s\" does not mention \"%s\"", #expr, \
			m_, n_ ? n_ : ""); \
} while (0)

#define CLOBBER_PATH "/nonexistent-pmemkit-dir/clobber"

/* replace the last error message by an unrelated one */
static void
clobber_errormsg(void)
{
	pk_pool *p;
	int rc = pk_pool_open(&p, CLOBBER_PATH);
	ck_assert_int_eq(rc, ENOENT);
	ck_assert(strstr(pk_errormsg(), CLOBBER_PATH) != NULL);
}

/* ---- files ---- */

static uint64_t
rng_next(uint64_t *s)
{
	/* xorshift64*: deterministic "random" bytes */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		ck_assert_msg(n > 0, "write %s: %s", path, strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	ck_assert_int_eq(close(fd), 0);
}

static void
write_random_file(const char *path, size_t len, uint64_t seed)
{
	uint8_t *buf = malloc(len + 8);
	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = rng_next(&seed);
		memcpy(buf + i, &r, 8);
	}
	write_file(path, buf, len, 0600);
	free(buf);
}

/* what a file is: size, mode and an FNV-1a hash of its contents */
struct file_sig {
	off_t size;
	mode_t mode;
	uint64_t hash;
};

static struct file_sig
file_sig(const char *path)
{
	struct file_sig s = { 0, 0, 0xcbf29ce484222325ULL };
	struct stat st;
	static uint8_t buf[1 << 16];
	ssize_t n;

	ck_assert_msg(stat(path, &st) == 0, "stat %s: %s", path,
			strerror(errno));
	s.size = st.st_size;
	s.mode = st.st_mode;
	int fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			s.hash = (s.hash ^ buf[i]) * 0x100000001b3ULL;
	ck_assert_int_eq(n, 0);
	close(fd);
	return s;
}

static void
assert_same_file(const char *path, struct file_sig before)
{
	struct file_sig after = file_sig(path);
	ck_assert_msg(after.size == before.size, "%s: size %lld, was %lld",
			path, (long long)after.size, (long long)before.size);
	ck_assert_msg(after.mode == before.mode, "%s: mode %o, was %o", path,
			(unsigned)after.mode, (unsigned)before.mode);
	ck_assert_msg(after.hash == before.hash, "%s: contents changed",
			path);
}

static void
assert_no_file(const char *path)
{
	struct stat st;
	ck_assert_msg(lstat(path, &st) != 0 && errno == ENOENT,
			"%s exists", path);
}

static void
copy_file(const char *src, const char *dst)
{
	static uint8_t buf[1 << 16];
	ssize_t n;
	int in = open(src, O_RDONLY);
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	ck_assert_int_eq(close(out), 0);
}

/* the offset of the pmemkit root object, found with libpmemobj */
static uint64_t
root_offset(const char *path)
{
	PMEMobjpool *pop = obj.open(path, "pmemkit");
	ck_assert_msg(pop != NULL, "pmemobj_open %s: %s", path,
			obj.errormsg());
	size_t size = obj.root_size(pop);
	ck_assert_uint_ge(size, 16);
	PMEMoid oid = obj.root(pop, size);
	ck_assert(!OID_IS_NULL(oid));
	uint64_t off = oid.off;
	obj.close(pop);
	return off;
}

static void
pread_exact(const char *path, void *buf, size_t len, uint64_t off)
{
	int fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(pread(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void
pwrite_exact(const char *path, const void *buf, size_t len, uint64_t off)
{
	int fd = open(path, O_RDWR);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(pwrite(fd, buf, len, (off_t)off), (ssize_t)len);
	ck_assert_int_eq(fsync(fd), 0);
	close(fd);
}

/* ---- pools with known contents ---- */

static uint64_t
map_length(pk_map *m)
{
	uint64_t n;
	PK_OK(pk_map_length(&n, m));
	return n;
}

/* entry i of a small test pool: int key i, string value "value-i" */
static void
put_entries(pk_pool *p, int from, int to)
{
	pk_map *root;
	char vb[32];
	PK_OK(pk_pool_root(&root, p));
	for (int i = from; i < to; i++) {
		pk_value k = pk_int(i);
		snprintf(vb, sizeof(vb), "value-%d", i);
		pk_value v = cstr(vb);
		PK_OK(pk_map_put(root, &k, &v));
	}
	pk_map_close(root);
}

static void
check_entries(pk_pool *p, int n)
{
	pk_map *root;
	pk_value out;
	char vb[32];
	PK_OK(pk_pool_root(&root, p));
	ck_assert_uint_eq(map_length(root), (uint64_t)n);
	for (int i = 0; i < n; i++) {
		pk_value k = pk_int(i);
		snprintf(vb, sizeof(vb), "value-%d", i);
		PK_OK(pk_map_get(&out, root, &k));
		ck_assert_int_eq(out.type, PK_STRING);
		ck_assert_uint_eq(out.u.buf.len, strlen(vb));
		ck_assert(memcmp(out.u.buf.ptr, vb, out.u.buf.len) == 0);
	}
	pk_map_close(root);
}

static void
make_pool(const char *path, size_t size, int n)
{
	pk_pool *p;
	PK_OK(pk_pool_create(&p, path, size, 0));
	put_entries(p, 0, n);
	PK_OK(pk_pool_close(p));
}

/* the pool opens, cleanly, and holds entries 0..n-1 */
static void
assert_pool_intact(const char *path, int n)
{
	pk_pool *p;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	PK_OK(pk_pool_open(&p, path));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 0);
	check_entries(p, n);
	PK_OK(pk_pool_close(p));
}

/* ---- fixtures ---- */

/*
 * Each TCase gets a directory of its own (unchecked fixture, made and
 * removed by the runner) in which every test makes its fresh directory
 * (checked fixture). A test that fails exits without its teardown; the
 * TCase's removal still cleans up after it.
 */
static char base_parent[4096];	/* $PK_TEST_DIR as given, or the default */
static int base_parent_set;	/* whether $PK_TEST_DIR was set */
static char tcase_dir[4096];

static void
tcase_dir_make(const char *parent)
{
	int n = snprintf(tcase_dir, sizeof(tcase_dir),
			"%s/pmemkit-test-pool-XXXXXX", parent);
	ck_assert(n > 0 && (size_t)n < sizeof(tcase_dir));
	ck_assert_msg(mkdtemp(tcase_dir) != NULL, "mkdtemp %s: %s",
			tcase_dir, strerror(errno));
	ck_assert_int_eq(setenv("PK_TEST_DIR", tcase_dir, 1), 0);
}

static void
tcase_setup(void)
{
	tcase_dir_make(base_parent);
}

/* an ordinary disk file system, where libpmemobj flushes with msync */
static void
tcase_disk_setup(void)
{
	tcase_dir_make("/var/tmp");
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	chmod(path, 0700);
	return remove(path);
}

static void
tcase_teardown(void)
{
	if (tcase_dir[0] != '\0')
		nftw(tcase_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	tcase_dir[0] = '\0';
	if (base_parent_set)
		setenv("PK_TEST_DIR", base_parent, 1);
	else
		unsetenv("PK_TEST_DIR");
}

static void
setup(void)
{
	obj_load();
	test_setup();
}

static void
teardown(void)
{
	test_teardown();
}

/* ---- create ---- */

START_TEST(test_pool_create__success)
{
	pk_pool *p;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	struct stat sb;
	pk_map *root;

	PK_OK(pk_pool_create(&p, test_path, POOL_SIZE, 0));
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(stat(test_path, &sb), 0);
	ck_assert_msg((sb.st_mode & 07777) == 0600, "mode %o",
			(unsigned)(sb.st_mode & 07777));
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_int_eq(sb.st_size, (off_t)POOL_SIZE);

	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_uint_eq(st.size, POOL_SIZE);
	ck_assert_uint_gt(st.used, 0);
	ck_assert_uint_lt(st.used, POOL_SIZE / 4);
	ck_assert_uint_gt(st.objects, 0);
	ck_assert_int_eq(st.unclean, 0);
	PK_OK(pk_pool_root(&root, p));
	ck_assert_uint_eq(map_length(root), 0);
	pk_map_close(root);

	/* entries make the figures grow */
	pk_pool_stats st2 = PK_POOL_STATS_INIT;
	put_entries(p, 0, 100);
	PK_OK(pk_pool_stats_get(&st2, p));
	ck_assert_uint_eq(st2.size, POOL_SIZE);
	ck_assert_uint_ge(st2.used, st.used);
	ck_assert_uint_ge(st2.objects, st.objects);
	PK_OK(pk_pool_close(p));

	/* a new pool reopens empty but for what was put, cleanly */
	assert_pool_intact(test_path, 100);
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_uint_eq(st.size, POOL_SIZE);
	ck_assert_uint_eq(st.used, st2.used);
	ck_assert_uint_eq(st.objects, st2.objects);
	PK_OK(pk_pool_close(p));

	/* the minimum size is accepted, and sizes that are not page
	 * multiples are kept as given, of which whole pages are mapped */
	static const size_t sizes[] = { PK_POOL_MIN_SIZE,
		PK_POOL_MIN_SIZE + 12345 };
	for (size_t i = 0; i < 2; i++) {
		const char *path = test_file(i ? "odd" : "min");
		PK_OK(pk_pool_create(&p, path, sizes[i], 0));
		PK_OK(pk_pool_stats_get(&st, p));
		ck_assert_uint_eq(st.size, sizes[i] &
				~((size_t)sysconf(_SC_PAGESIZE) - 1));
		put_entries(p, 0, 10);
		PK_OK(pk_pool_close(p));
		path = test_file(i ? "odd" : "min");
		ck_assert_int_eq(stat(path, &sb), 0);
		ck_assert_int_eq(sb.st_size, (off_t)sizes[i]);
		assert_pool_intact(path, 10);
	}
}
END_TEST

START_TEST(test_pool_create__mode)
{
	pk_pool *p;
	struct stat sb;

	umask(0);
	PK_OK(pk_pool_create(&p, test_file("a"), PK_POOL_MIN_SIZE, 0640));
	PK_OK(pk_pool_close(p));
	ck_assert_int_eq(stat(test_file("a"), &sb), 0);
	ck_assert_msg((sb.st_mode & 07777) == 0640, "mode %o",
			(unsigned)(sb.st_mode & 07777));

	PK_OK(pk_pool_create(&p, test_file("b"), PK_POOL_MIN_SIZE, 0666));
	PK_OK(pk_pool_close(p));
	ck_assert_int_eq(stat(test_file("b"), &sb), 0);
	ck_assert_msg((sb.st_mode & 07777) == 0666, "mode %o",
			(unsigned)(sb.st_mode & 07777));

	/* 0 still means 0600, whatever the umask */
	PK_OK(pk_pool_create(&p, test_file("c"), PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_close(p));
	ck_assert_int_eq(stat(test_file("c"), &sb), 0);
	ck_assert_msg((sb.st_mode & 07777) == 0600, "mode %o",
			(unsigned)(sb.st_mode & 07777));
	assert_pool_intact(test_file("a"), 0);
	assert_pool_intact(test_file("b"), 0);
}
END_TEST

START_TEST(test_pool_create__existing_file)
{
	pk_pool *p;
	struct file_sig sig;
	const char *text = test_file("text");

	/* an existing pool with data */
	make_pool(test_path, POOL_SIZE, 50);
	sig = file_sig(test_path);
	p = (pk_pool *)&sig;
	PK_FAIL(pk_pool_create(&p, test_path, POOL_SIZE, 0), EEXIST,
			test_path);
	ck_assert_ptr_null(p);
	assert_same_file(test_path, sig);
	assert_pool_intact(test_path, 50);

	/* while it is open */
	PK_OK(pk_pool_open(&p, test_path));
	pk_pool *q = (pk_pool *)&sig;
	PK_FAIL(pk_pool_create(&q, test_path, PK_POOL_MIN_SIZE, 0), EEXIST,
			test_path);
	ck_assert_ptr_null(q);
	check_entries(p, 50);
	PK_OK(pk_pool_close(p));
	assert_pool_intact(test_path, 50);

	/* an ordinary file, an empty file, a directory */
	write_file(text, "not a pool\n", 11, 0644);
	sig = file_sig(text);
	PK_FAIL(pk_pool_create(&p, text, POOL_SIZE, 0), EEXIST, text);
	assert_same_file(text, sig);

	write_file(test_file("empty"), "", 0, 0600);
	sig = file_sig(test_file("empty"));
	PK_FAIL(pk_pool_create(&p, test_file("empty"), POOL_SIZE, 0),
			EEXIST, "empty");
	assert_same_file(test_file("empty"), sig);

	ck_assert_int_eq(mkdir(test_file("dir"), 0700), 0);
	PK_FAIL(pk_pool_create(&p, test_file("dir"), POOL_SIZE, 0), EEXIST,
			"dir");
	struct stat sb;
	ck_assert_int_eq(stat(test_file("dir"), &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));

	/* a dangling symbolic link: its target must not be created */
	char target[4096 + 256];
	snprintf(target, sizeof(target), "%s", test_file("target"));
	ck_assert_int_eq(symlink(target, test_file("link")), 0);
	PK_FAIL(pk_pool_create(&p, test_file("link"), POOL_SIZE, 0), EEXIST,
			"link");
	ck_assert_ptr_null(p);
	assert_no_file(target);
}
END_TEST

START_TEST(test_pool_create__too_small)
{
	pk_pool *p = (pk_pool *)&p;
	static const size_t sizes[] = { 0, 1, 4096, PMEMOBJ_MIN_POOL / 2,
		PK_POOL_MIN_SIZE - 1 };
	char num[32];

	ck_assert_uint_eq(PK_POOL_MIN_SIZE, PMEMOBJ_MIN_POOL);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(num, sizeof(num), "%zu", sizes[i]);
		p = (pk_pool *)&p;
		PK_FAIL(pk_pool_create(&p, test_path, sizes[i], 0), EINVAL,
				num);
		ck_assert_ptr_null(p);
		assert_no_file(test_path);
	}
}
END_TEST

START_TEST(test_pool_create__null_arguments)
{
	pk_pool *p = (pk_pool *)&p;

	PK_FAIL(pk_pool_create(NULL, test_path, POOL_SIZE, 0), EINVAL,
			"NULL");
	assert_no_file(test_path);
	PK_FAIL(pk_pool_create(&p, NULL, POOL_SIZE, 0), EINVAL, "NULL");
	ck_assert_ptr_null(p);
	PK_FAIL(pk_pool_create(NULL, NULL, 0, 0), EINVAL, "NULL");
}
END_TEST

/*
 * A pool larger than the file system. Only on a size-limited tmpfs, which
 * refuses such a posix_fallocate() at once; elsewhere it would first fill
 * the disk.
 */
START_TEST(test_pool_create__no_space)
{
	pk_pool *p = (pk_pool *)&p;
	struct statfs sf;
	struct statvfs sv;

	ck_assert_int_eq(statfs(test_dir, &sf), 0);
	ck_assert_int_eq(statvfs(test_dir, &sv), 0);
	if (sf.f_type != 0x01021994 /* TMPFS_MAGIC */ || sv.f_blocks == 0) {
		fprintf(stderr, "test_pool_create__no_space: %s is not a "
				"size-limited tmpfs; not run\n", test_dir);
		return;
	}
	size_t total = (size_t)sv.f_blocks * sv.f_frsize;
	PK_FAIL(pk_pool_create(&p, test_path, total * 2, 0), ENOSPC,
			test_path);
	ck_assert_ptr_null(p);
	assert_no_file(test_path);
	/* room again: creation works */
	PK_OK(pk_pool_create(&p, test_path, PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_close(p));
	assert_pool_intact(test_path, 0);
}
END_TEST

START_TEST(test_pool_create__missing_directory)
{
	pk_pool *p = (pk_pool *)&p;
	const char *path = test_file("no-such-dir/pool");
	char copy[4096 + 256];

	snprintf(copy, sizeof(copy), "%s", path);
	PK_FAIL(pk_pool_create(&p, copy, POOL_SIZE, 0), ENOENT, copy);
	ck_assert_ptr_null(p);
	assert_no_file(test_file("no-such-dir"));
}
END_TEST

/* ---- open ---- */

START_TEST(test_pool_open__missing_file)
{
	pk_pool *p = (pk_pool *)&p;

	PK_FAIL(pk_pool_open(&p, test_path), ENOENT, test_path);
	ck_assert_ptr_null(p);
	assert_no_file(test_path);
	/* the directory part missing */
	char path[4096 + 256];
	snprintf(path, sizeof(path), "%s", test_file("nodir/pool"));
	PK_FAIL(pk_pool_open(&p, path), ENOENT, path);
}
END_TEST

START_TEST(test_pool_open__directory)
{
	pk_pool *p = (pk_pool *)&p;

	PK_FAIL(pk_pool_open(&p, test_dir), EISDIR, test_dir);
	ck_assert_ptr_null(p);
	struct stat sb;
	ck_assert_int_eq(stat(test_dir, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
}
END_TEST

/* files that are not regular: no hang, no crash, not a pool */
START_TEST(test_pool_open__special_files)
{
	pk_pool *p = (pk_pool *)&p;

	PK_FAIL(pk_pool_open(&p, "/dev/null"), PK_ENOTPOOL, "/dev/null");
	ck_assert_ptr_null(p);
	ck_assert_int_eq(mkfifo(test_path, 0600), 0);
	PK_FAIL(pk_pool_open(&p, test_path), PK_ENOTPOOL, test_path);
	ck_assert_ptr_null(p);
	struct stat sb;
	ck_assert_int_eq(stat(test_path, &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
}
END_TEST

START_TEST(test_pool_open__empty_file)
{
	pk_pool *p = (pk_pool *)&p;
	struct file_sig sig;

	write_file(test_path, "", 0, 0600);
	sig = file_sig(test_path);
	PK_FAIL(pk_pool_open(&p, test_path), PK_ENOTPOOL, test_path);
	ck_assert_ptr_null(p);
	ck_assert(strstr(pk_errormsg(), "empty") != NULL);
	assert_same_file(test_path, sig);
}
END_TEST

START_TEST(test_pool_open__random_bytes)
{
	static const size_t sizes[] = { 1, 7, 8, 100, 4096 + 100,
		(size_t)1 << 20, (size_t)16 << 20 };
	pk_pool *p;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		write_random_file(test_path, sizes[i], 0x1234 + i);
		struct file_sig sig = file_sig(test_path);
		p = (pk_pool *)&p;
		PK_FAIL(pk_pool_open(&p, test_path), PK_ENOTPOOL, test_path);
		ck_assert_ptr_null(p);
		assert_same_file(test_path, sig);
		ck_assert_int_eq(unlink(test_path), 0);
	}
	/* text that is not a pool */
	write_file(test_path, "PMEMOB", 6, 0600);
	PK_FAIL(pk_pool_open(&p, test_path), PK_ENOTPOOL, test_path);
}
END_TEST

/*
 * A valid pool cut short. The header tells: shorter than the signature is
 * not a pool; with the signature but cut before the layout name, or shorter
 * than the pool's recorded size, it is a damaged pmemkit pool.
 */
START_TEST(test_pool_open__truncated)
{
	static const struct {
		off_t len;
		int code;
	} cases[] = {
		{ 4, PK_ENOTPOOL },
		{ 100, PK_ECORRUPT },
		{ 4096, PK_ECORRUPT },
		{ 4096 + 100, PK_ECORRUPT },
		{ (off_t)1 << 20, PK_ECORRUPT },
		{ (off_t)PK_POOL_MIN_SIZE - 1, PK_ECORRUPT },
		{ (off_t)PK_POOL_MIN_SIZE, PK_ECORRUPT },
		{ (off_t)POOL_SIZE / 2, PK_ECORRUPT },
		{ (off_t)POOL_SIZE - 4096, PK_ECORRUPT },
	};
	const char *orig = test_file("orig");
	char origpath[4096 + 256];
	pk_pool *p;

	snprintf(origpath, sizeof(origpath), "%s", orig);
	make_pool(origpath, POOL_SIZE, 200);
	struct file_sig orig_sig = file_sig(origpath);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		copy_file(origpath, test_path);
		ck_assert_int_eq(truncate(test_path, cases[i].len), 0);
		struct file_sig sig = file_sig(test_path);
		p = (pk_pool *)&p;
		int rc = pk_pool_open(&p, test_path);
		ck_assert_msg(rc == cases[i].code, "truncated to %lld: %d "
				"(%s; %s), expected %s", (long long)cases[i].len,
				rc, pk_strerror(rc), pk_errormsg(),
				pk_strerror(cases[i].code));
		ck_assert_ptr_null(p);
		ck_assert_msg(strncmp(pk_errormsg(), pk_strerror(rc),
				strlen(pk_strerror(rc))) == 0 &&
				strstr(pk_errormsg(), test_path) != NULL,
				"message \"%s\"", pk_errormsg());
		/*
		 * The file is left as it was: neither grown nor cut. Files
		 * that are refused before libpmemobj maps them are not
		 * written at all (libpmemobj's own failed open of the longer
		 * ones updates its run-time fields in the header).
		 */
		struct file_sig after = file_sig(test_path);
		ck_assert_msg(after.size == sig.size, "size %lld became %lld",
				(long long)sig.size, (long long)after.size);
		if (cases[i].len < (off_t)PK_POOL_MIN_SIZE)
			assert_same_file(test_path, sig);
		ck_assert_int_eq(unlink(test_path), 0);
	}
	assert_same_file(origpath, orig_sig);
	assert_pool_intact(origpath, 200);
}
END_TEST

START_TEST(test_pool_open__other_layout)
{
	pk_pool *p = (pk_pool *)&p;
	PMEMobjpool *pop;
	static const char marker[] = "other application data";

	pop = obj.create(test_path, "otherapp", PMEMOBJ_MIN_POOL, 0600);
	ck_assert_msg(pop != NULL, "pmemobj_create: %s", obj.errormsg());
	PMEMoid root = obj.root(pop, 256);
	ck_assert(!OID_IS_NULL(root));
	obj.memcpy_persist(pop, obj_ptr(pop, root), marker,
			sizeof(marker));
	obj.close(pop);
	struct file_sig sig = file_sig(test_path);

	PK_FAIL(pk_pool_open(&p, test_path), PK_ELAYOUT, test_path);
	ck_assert_ptr_null(p);
	/* the detail names the layout found, in full */
	ck_assert_msg(strstr(pk_errormsg(), "\"otherapp\"") != NULL,
			"message \"%s\" does not name the layout \"otherapp\"",
			pk_errormsg());
	assert_same_file(test_path, sig);

	/* still the other application's pool */
	pop = obj.open(test_path, "otherapp");
	ck_assert_msg(pop != NULL, "pmemobj_open: %s", obj.errormsg());
	root = obj.root(pop, 256);
	ck_assert_str_eq((const char *)obj_ptr(pop, root), marker);
	obj.close(pop);

	/* a layout that only starts like pmemkit's, and no layout at all */
	pop = obj.create(test_file("pk2"), "pmemkit2", PMEMOBJ_MIN_POOL,
			0600);
	ck_assert_ptr_nonnull(pop);
	obj.close(pop);
	PK_FAIL(pk_pool_open(&p, test_file("pk2")), PK_ELAYOUT, "layout");
	pop = obj.create(test_file("none"), NULL, PMEMOBJ_MIN_POOL, 0600);
	ck_assert_ptr_nonnull(pop);
	obj.close(pop);
	PK_FAIL(pk_pool_open(&p, test_file("none")), PK_ELAYOUT, "layout");
}
END_TEST

/* a libpmemobj pool with pmemkit's layout name but no pmemkit root */
START_TEST(test_pool_open__layout_without_root)
{
	pk_pool *p = (pk_pool *)&p;
	PMEMobjpool *pop;

	pop = obj.create(test_path, "pmemkit", PMEMOBJ_MIN_POOL, 0600);
	ck_assert_ptr_nonnull(pop);
	obj.close(pop);
	PK_FAIL(pk_pool_open(&p, test_path), PK_ECORRUPT, NULL);
	ck_assert_ptr_null(p);

	/* a root object of the right size but never initialised */
	ck_assert_int_eq(unlink(test_path), 0);
	pop = obj.create(test_path, "pmemkit", PMEMOBJ_MIN_POOL, 0600);
	ck_assert_ptr_nonnull(pop);
	ck_assert(!OID_IS_NULL(obj.root(pop, 256)));
	obj.close(pop);
	PK_FAIL(pk_pool_open(&p, test_path), PK_ECORRUPT, "magic");
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_pool_open__read_only)
{
	pk_pool *p = (pk_pool *)&p;
	struct stat sb;

	make_pool(test_path, POOL_SIZE, 30);
	ck_assert_int_eq(chmod(test_path, 0400), 0);
	struct file_sig sig = file_sig(test_path);
	PK_FAIL(pk_pool_open(&p, test_path), EACCES, test_path);
	ck_assert_ptr_null(p);
	assert_same_file(test_path, sig);
	ck_assert_int_eq(stat(test_path, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0400);

	ck_assert_int_eq(chmod(test_path, 0444), 0);
	PK_FAIL(pk_pool_open(&p, test_path), EACCES, test_path);
	ck_assert_int_eq(chmod(test_path, 0000), 0);
	PK_FAIL(pk_pool_open(&p, test_path), EACCES, test_path);

	ck_assert_int_eq(chmod(test_path, 0600), 0);
	assert_pool_intact(test_path, 30);
}
END_TEST

/* set_root_leaf -- the root map's leaf field must read was; make it be */
static void
set_root_leaf(const char *path, uint64_t was, uint64_t be)
{
	uint64_t map, leaf;

	pread_exact(path, &map, sizeof(map),
			root_offset(path) + ROOT_OFF_ROOT_MAP);
	pread_exact(path, &leaf, sizeof(leaf), map + MAP_OFF_LEAF);
	ck_assert_uint_eq(leaf, was);
	pwrite_exact(path, &be, sizeof(be), map + MAP_OFF_LEAF);
}

/*
 * A pool of format 1 opens, and is marked with the current format: format
 * 1 left the leaf field of maps 0 ("may hold references"), so writers to
 * its containers take the pool's lock exclusively, which is always right.
 */
START_TEST(test_pool_open__format_1_upgraded)
{
	pk_pool *p;
	uint16_t format = 1;

	make_pool(test_path, POOL_SIZE, 40);
	uint64_t off = root_offset(test_path);
	set_root_leaf(test_path, 1, 0);
	pwrite_exact(test_path, &format, sizeof(format), off + ROOT_OFF_FORMAT);

	assert_pool_intact(test_path, 40);
	pread_exact(test_path, &format, sizeof(format), off + ROOT_OFF_FORMAT);
	ck_assert_uint_eq(format, PK_FORMAT_VERSION);
	PK_OK(pk_pool_open(&p, test_path));
	put_entries(p, 40, 50);
	PK_OK(pk_pool_close(p));
	assert_pool_intact(test_path, 50);
}
END_TEST

/*
 * A map that says it is a leaf but holds a container (damage): check
 * reports it, and a change that would drop the reference under the map's
 * own lock fails with PK_ECORRUPT and changes nothing.
 */
START_TEST(test_pool_open__false_leaf)
{
	pk_pool *p;
	pk_map *root;
	pk_list *l;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	pk_value k = pk_string("list", 4), v;

	PK_OK(pk_pool_create(&p, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_root(&root, p));
	PK_OK(pk_list_new(&l, p));
	v = pk_list_value(l);
	PK_OK(pk_map_put(root, &k, &v));
	pk_list_close(l);
	pk_map_close(root);
	PK_OK(pk_pool_close(p));

	set_root_leaf(test_path, 0, 1);

	PK_OK(pk_pool_open(&p, test_path));
	PK_RC(pk_pool_check(&rep, p), PK_ECORRUPT);
	ck_assert_uint_ge(rep.damaged, 1);
	PK_OK(pk_pool_root(&root, p));
	PK_FAIL(pk_map_remove(root, &k), PK_ECORRUPT, "leaf");
	PK_OK(pk_map_get(&v, root, &k));
	ck_assert_int_eq(v.type, PK_LIST);
	pk_map_close(root);
	PK_OK(pk_pool_close(p));
}
END_TEST

START_TEST(test_pool_open__newer_format)
{
	pk_pool *p = (pk_pool *)&p;
	uint32_t magic;
	uint16_t format;

	make_pool(test_path, POOL_SIZE, 40);
	uint64_t off = root_offset(test_path);
	pread_exact(test_path, &magic, sizeof(magic), off + ROOT_OFF_MAGIC);
	ck_assert_uint_eq(magic, ROOT_MAGIC);
	pread_exact(test_path, &format, sizeof(format), off + ROOT_OFF_FORMAT);
	ck_assert_uint_eq(format, PK_FORMAT_VERSION);

	format = 99;
	pwrite_exact(test_path, &format, sizeof(format), off + ROOT_OFF_FORMAT);
	PK_FAIL(pk_pool_open(&p, test_path), PK_EVERSION, "99");
	ck_assert_ptr_null(p);
	/* the library did not rewrite the format field */
	pread_exact(test_path, &format, sizeof(format), off + ROOT_OFF_FORMAT);
	ck_assert_uint_eq(format, 99);

	/* back to the real format: the failed open left the pool as it was
	 * (in particular not marked as open: unclean stays 0) */
	format = PK_FORMAT_VERSION;
	pwrite_exact(test_path, &format, sizeof(format), off + ROOT_OFF_FORMAT);
	assert_pool_intact(test_path, 40);

	/* an incompatible feature flag this library lacks is a newer
	 * format too (the top bit: flags are given out from the bottom) */
	uint64_t incompat, created;
	pread_exact(test_path, &created, sizeof(created),
			off + ROOT_OFF_INCOMPAT);
	incompat = created | 1ULL << 63;
	pwrite_exact(test_path, &incompat, sizeof(incompat),
			off + ROOT_OFF_INCOMPAT);
	PK_FAIL(pk_pool_open(&p, test_path), PK_EVERSION, NULL);
	ck_assert_ptr_null(p);
	/* the detail says what is too new: not "format 1, reads 1" */
	ck_assert_msg(strstr(pk_errormsg(), "incompat") != NULL ||
			strstr(pk_errormsg(), "feature") != NULL ||
			strstr(pk_errormsg(), "flag") != NULL,
			"message \"%s\" does not mention the incompatible "
			"feature flags", pk_errormsg());
	pwrite_exact(test_path, &created, sizeof(created),
			off + ROOT_OFF_INCOMPAT);
	assert_pool_intact(test_path, 40);
}
END_TEST

START_TEST(test_pool_open__damaged_root)
{
	pk_pool *p = (pk_pool *)&p;
	uint32_t magic, zero = 0;
	uint64_t map, bad;

	make_pool(test_path, POOL_SIZE, 20);
	uint64_t off = root_offset(test_path);

	pread_exact(test_path, &magic, sizeof(magic), off + ROOT_OFF_MAGIC);
	pwrite_exact(test_path, &zero, sizeof(zero), off + ROOT_OFF_MAGIC);
	PK_FAIL(pk_pool_open(&p, test_path), PK_ECORRUPT, "magic");
	ck_assert_ptr_null(p);
	pwrite_exact(test_path, &magic, sizeof(magic), off + ROOT_OFF_MAGIC);
	assert_pool_intact(test_path, 20);

	/* the root map's offset outside the pool, then at a non-map */
	pread_exact(test_path, &map, sizeof(map), off + ROOT_OFF_ROOT_MAP);
	static const uint64_t bads[] = { 0, 8, (uint64_t)1 << 40, UINT64_MAX,
		POOL_SIZE - 8, 0 };
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		bad = i + 1 < sizeof(bads) / sizeof(bads[0]) ? bads[i] : off;
		pwrite_exact(test_path, &bad, sizeof(bad),
				off + ROOT_OFF_ROOT_MAP);
		p = (pk_pool *)&p;
		PK_FAIL(pk_pool_open(&p, test_path), PK_ECORRUPT, "root map");
		ck_assert_ptr_null(p);
	}
	pwrite_exact(test_path, &map, sizeof(map), off + ROOT_OFF_ROOT_MAP);
	assert_pool_intact(test_path, 20);
}
END_TEST

/*
 * libpmemobj 1.12's metadata (offsets of its format, as lib/precheck.c
 * reads them): the descriptor after the 4 KiB pool header, three logs per
 * 3 KiB lane, the heap's 1 KiB header, then zone 0: its 64-byte header,
 * its chunk headers (type 16 bits, flags 16, size in chunks 32), chunks
 */
#define DSC_LANES 5120
#define DSC_HEAP 5136
#define LANE_BYTES 3072
#define LANE_UNDO 960		/* the undo log's header in a lane */
#define LANE_INTERNAL 0
#define ZONE_META (64 + (uint64_t)(UINT16_MAX - 7) * 8)

struct pmemobj_damage {
	const char *what;	/* what the error must mention */
	uint64_t off;		/* where the 8 bytes go */
	uint64_t val;
};

static uint64_t
pread_u64(const char *path, uint64_t off)
{
	uint64_t v;
	pread_exact(path, &v, sizeof(v), off);
	return v;
}

/* the first run of zone 0: its chunk index, or UINT64_MAX for none */
static uint64_t
first_run(const char *path, uint64_t zone)
{
	uint64_t n = pread_u64(path, zone) >> 32;
	for (uint64_t c = 0; c < n; ) {
		uint64_t h = pread_u64(path, zone + 64 + c * 8);
		if ((h & 0xffff) == 4)
			return c;
		ck_assert_uint_ne(h >> 32, 0);
		c += h >> 32;
	}
	return UINT64_MAX;
}

/*
 * Damage to libpmemobj's own metadata that would crash, hang or misdirect
 * pmemobj_open() or a walk of the heap is refused before libpmemobj maps
 * the file: PK_ECORRUPT naming the structure, the file unchanged.
 */
START_TEST(test_pool_open__damaged_pmemobj_metadata)
{
	make_pool(test_path, POOL_SIZE, 20);
	uint64_t lanes = pread_u64(test_path, DSC_LANES);
	uint64_t heap = pread_u64(test_path, DSC_HEAP), zone = heap + 1024;
	uint64_t run = first_run(test_path, zone);
	uint64_t run_off = zone + ZONE_META + run * ((uint64_t)256 << 10);
	uint64_t hdr0 = pread_u64(test_path, zone + 64);
	uint64_t undo = lanes + 5 * LANE_BYTES + LANE_UNDO + 64;
	const struct pmemobj_damage damage[] = {
		{ "pool header checksum", 200, 1 },
		{ "pool descriptor checksum", DSC_LANES, lanes + 64 },
		{ "heap header signature", heap, 0 },
		{ "zone 0 of 0 chunks", zone, 0xC3F0A2D2u },
		{ "zone 0 of 4294967295 chunks", zone, 0xffffffffC3F0A2D2ULL },
		{ "zone 0 chunk 0: type 7", zone + 64, (hdr0 & ~0xffffULL) | 7 },
		{ "zone 0 chunk 0: 0 chunks", zone + 64, hdr0 & 0xffffffffULL },
		{ "zone 0 chunk 0: 65535 chunks", zone + 64,
			(hdr0 & 0xffffffffULL) | (0xffffULL << 32) },
		{ "run of 0-byte blocks", run_off, 0 },
		{ "lane 5 undo log: entry of unknown type 3", undo,
			(3ULL << 61) | heap },
		{ "lane 5 undo log: entry writes 8 bytes at", undo,
			(uint64_t)POOL_SIZE * 4 },
		{ "lane 5 undo log: capacity", undo - 64 + 16, 1 << 20 },
		{ "lane 7 internal redo log: extension 0", lanes + 7 *
			LANE_BYTES + LANE_INTERNAL + 8, (uint64_t)1 << 50 },
		{ "lane 7 internal redo log: extension 0", lanes + 7 *
			LANE_BYTES + LANE_INTERNAL + 8, lanes },
	};

	ck_assert_uint_ne(run, UINT64_MAX);
	for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		const struct pmemobj_damage *d = &damage[i];
		uint64_t was = pread_u64(test_path, d->off);
		pk_pool *p = (pk_pool *)&p;

		pwrite_exact(test_path, &d->val, sizeof(d->val), d->off);
		struct file_sig sig = file_sig(test_path);
		PK_FAIL(pk_pool_open(&p, test_path), PK_ECORRUPT, d->what);
		ck_assert_ptr_null(p);
		assert_same_file(test_path, sig);
		pwrite_exact(test_path, &was, sizeof(was), d->off);
	}
	assert_pool_intact(test_path, 20);

	/*
	 * An object whose allocation header gives size 0 would make every
	 * walk of the objects loop: refused by the first such walk (checked
	 * then rather than at every open, as it reads every object), or
	 * under valgrind by the open, before libpmemobj's own walk of the
	 * objects for memcheck (precheck.c)
	 */
	uint64_t hdr = root_offset(test_path) - 16, zero = 0, was;
	pk_pool *p;
	uint64_t freed;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	pread_exact(test_path, &was, sizeof(was), hdr);
	pwrite_exact(test_path, &zero, sizeof(zero), hdr);
	if (RUNNING_ON_VALGRIND) {
		PK_FAIL(pk_pool_open(&p, test_path), PK_ECORRUPT, "object");
	} else {
		PK_OK(pk_pool_open(&p, test_path));
		PK_FAIL(pk_pool_stats_get(&st, p), PK_ECORRUPT, "object");
		PK_FAIL(pk_pool_gc(&freed, p), PK_ECORRUPT,
				"libpmemobj metadata");
		PK_OK(pk_pool_close(p));
	}
	pwrite_exact(test_path, &was, sizeof(was), hdr);
	assert_pool_intact(test_path, 20);
}
END_TEST

START_TEST(test_pool_open__already_open_here)
{
	pk_pool *p, *q = (pk_pool *)&q;

	make_pool(test_path, POOL_SIZE, 25);
	PK_OK(pk_pool_open(&p, test_path));
	PK_FAIL(pk_pool_open(&q, test_path), EAGAIN, test_path);
	ck_assert_ptr_null(q);
	/* the open pool is unaffected */
	check_entries(p, 25);
	put_entries(p, 25, 30);
	check_entries(p, 30);
	PK_OK(pk_pool_close(p));
	assert_pool_intact(test_path, 30);
}
END_TEST

START_TEST(test_pool_open__already_open_elsewhere)
{
	int ready[2], go[2], status;
	pk_pool *q = (pk_pool *)&q;
	char c;

	make_pool(test_path, POOL_SIZE, 25);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pk_pool *p;
		close(ready[0]);
		close(go[1]);
		if (pk_pool_open(&p, test_path) != 0)
			_exit(2);
		put_entries(p, 25, 30);
		c = 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(3);
		if (read(go[0], &c, 1) != 1)
			_exit(4);
		_exit(pk_pool_close(p) == 0 ? 0 : 5);
	}
	close(ready[1]);
	close(go[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);

	PK_FAIL(pk_pool_open(&q, test_path), EAGAIN, test_path);
	ck_assert_ptr_null(q);
	PK_FAIL(pk_pool_open(&q, test_path), EAGAIN, test_path);

	c = 'g';
	ck_assert_int_eq(write(go[1], &c, 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"child status %#x", status);
	close(ready[0]);
	close(go[1]);
	/* what the other process wrote is there, and nothing was broken */
	assert_pool_intact(test_path, 30);
}
END_TEST

START_TEST(test_pool_open__null_arguments)
{
	pk_pool *p = (pk_pool *)&p;

	make_pool(test_path, POOL_SIZE, 5);
	PK_FAIL(pk_pool_open(NULL, test_path), EINVAL, "NULL");
	PK_FAIL(pk_pool_open(&p, NULL), EINVAL, "NULL");
	ck_assert_ptr_null(p);
	PK_FAIL(pk_pool_open(NULL, NULL), EINVAL, "NULL");
	/* the NULL-out call did not leave the pool open */
	assert_pool_intact(test_path, 5);
}
END_TEST

/* ---- close, stats and the unclean flag ---- */

START_TEST(test_pool_close__null_and_closed)
{
	pk_pool *p;
	pk_map *root;
	pk_pool_stats st = PK_POOL_STATS_INIT;

	ck_assert_int_eq(pk_pool_close(NULL), 0);
	make_pool(test_path, POOL_SIZE, 3);
	PK_OK(pk_pool_open(&p, test_path));
	PK_FAIL(pk_pool_stats_get(NULL, p), EINVAL, NULL);
	PK_FAIL(pk_pool_stats_get(&st, NULL), EINVAL, NULL);
	PK_FAIL(pk_pool_root(NULL, p), EINVAL, NULL);
	PK_FAIL(pk_pool_root(&root, NULL), EINVAL, NULL);
	/* a handle keeps the closed pool's memory: uses report PK_ECLOSED */
	PK_OK(pk_pool_root(&root, p));
	PK_OK(pk_pool_close(p));
	PK_FAIL(pk_pool_stats_get(&st, p), PK_ECLOSED, NULL);
	pk_map *r2 = (pk_map *)&st;
	PK_FAIL(pk_pool_root(&r2, p), PK_ECLOSED, NULL);
	ck_assert_ptr_null(r2);
	uint64_t n;
	PK_FAIL(pk_map_length(&n, root), PK_ECLOSED, NULL);
	pk_map_close(root);
	assert_pool_intact(test_path, 3);
}
END_TEST

START_TEST(test_pool_close__aborts_open_transaction)
{
	pk_pool *p;
	pk_map *root;

	make_pool(test_path, POOL_SIZE, 10);
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_root(&root, p));
	PK_OK(pk_tx_begin(p));
	pk_value k = pk_int(5);
	PK_OK(pk_map_remove(root, &k));
	put_entries(p, 10, 20);
	ck_assert_uint_eq(map_length(root), 19);
	pk_map_close(root);
	PK_RC(pk_pool_close(p), PK_EABORTED);
	/* nothing of the transaction remains, and the close was clean */
	assert_pool_intact(test_path, 10);
}
END_TEST

START_TEST(test_pool_close__clean_reopen)
{
	pk_pool *p;
	pk_pool_stats st = PK_POOL_STATS_INIT;

	PK_OK(pk_pool_create(&p, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 0);
	put_entries(p, 0, 10);
	PK_OK(pk_pool_close(p));
	for (int i = 0; i < 3; i++) {
		PK_OK(pk_pool_open(&p, test_path));
		PK_OK(pk_pool_stats_get(&st, p));
		ck_assert_int_eq(st.unclean, 0);
		check_entries(p, 10);
		PK_OK(pk_pool_close(p));
	}
}
END_TEST

/* KiB of the file at path this process has mapped (Rss in smaps) */
static long
mapped_kib(const char *path)
{
	char real[PATH_MAX], line[PATH_MAX + 256];
	FILE *f = fopen("/proc/self/smaps", "r");
	long total = 0, kib;
	int mine = 0;

	ck_assert_ptr_nonnull(realpath(path, real));
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *name = strchr(line, '/');
		if (strchr(line, '-') < strchr(line, ' ') &&
				strchr(line, '-') != NULL) {
			/* a mapping's first line: range ... [path] */
			mine = name != NULL &&
				strncmp(name, real, strlen(real)) == 0 &&
				name[strlen(real)] == '\n';
		} else if (mine && sscanf(line, "Rss: %ld kB", &kib) == 1) {
			total += kib;
		}
	}
	fclose(f);
	return total;
}

START_TEST(test_pool_prefault__maps_every_page)
{
	const size_t size = (size_t)64 << 20;
	pk_pool *p;

	struct statfs sf;

	PK_OK(pk_pool_create(&p, test_path, size, 0));
	put_entries(p, 0, 10);
	/* Rss counts a tmpfs file's mapped pages (a DAX mapping's may not) */
	ck_assert_int_eq(statfs(test_path, &sf), 0);
	int tmpfs = sf.f_type == 0x01021994; /* TMPFS_MAGIC */
	long before = mapped_kib(test_path);
	ck_assert_msg(!tmpfs || before < (long)(size >> 10) / 2,
			"a new pool already has %ld KiB mapped", before);
	PK_OK(pk_pool_prefault(p));
	long after = mapped_kib(test_path);
	ck_assert_msg(!tmpfs || after >= (long)(size >> 10) - 1024,
			"%ld KiB of %zu mapped after prefault", after,
			size >> 10);
	/* it changes nothing, in a transaction too */
	check_entries(p, 10);
	PK_OK(pk_tx_begin(p));
	PK_OK(pk_pool_prefault(p));
	PK_OK(pk_tx_commit(p));
	check_entries(p, 10);
	PK_OK(pk_pool_close(p));
	PK_OK(pk_pool_open(&p, test_path));
	check_entries(p, 10);
	PK_OK(pk_pool_close(p));
}
END_TEST

START_TEST(test_pool_prefault__partial_last_page)
{
	pk_pool *p;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	long page = sysconf(_SC_PAGESIZE);

	/* the last page of the file is not mapped, nor prefaulted */
	PK_OK(pk_pool_create(&p, test_path, POOL_SIZE + 100, 0));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_uint_eq(st.size, POOL_SIZE);
	PK_OK(pk_pool_prefault(p));
	put_entries(p, 0, 10);
	PK_OK(pk_pool_close(p));
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_prefault(p));
	check_entries(p, 10);
	PK_OK(pk_pool_close(p));
	ck_assert_int_eq(POOL_SIZE % page, 0);
}
END_TEST

START_TEST(test_pool_prefault__null)
{
	ck_assert_int_eq(pk_pool_prefault(NULL), EINVAL);
}
END_TEST

/* run fn in a child that signals when it is done, then SIGKILL it */
static void
killed_child(void (*fn)(void))
{
	int ready[2], status;
	char c = 0;

	ck_assert_int_eq(pipe(ready), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(ready[0]);
		fn();
		c = 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	close(ready[1]);
	ck_assert_msg(read(ready[0], &c, 1) == 1 && c == 'r',
			"the child failed before it was killed");
	close(ready[0]);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void
child_open_and_put(void)
{
	pk_pool *p;
	if (pk_pool_open(&p, test_path) != 0)
		_exit(2);
	put_entries(p, 10, 15);
	/* killed with the pool open */
}

static void
child_open_put_and_tx(void)
{
	pk_pool *p;
	pk_map *root;
	pk_value k = pk_int(0);
	if (pk_pool_open(&p, test_path) != 0)
		_exit(2);
	put_entries(p, 10, 15);
	/* killed inside a transaction: none of it may survive */
	if (pk_tx_begin(p) != 0 || pk_pool_root(&root, p) != 0 ||
			pk_map_remove(root, &k) != 0)
		_exit(4);
	put_entries(p, 15, 60);
}

static void
child_create(void)
{
	pk_pool *p;
	if (pk_pool_create(&p, test_path, POOL_SIZE, 0) != 0)
		_exit(2);
	put_entries(p, 0, 7);
}

START_TEST(test_pool_close__unclean_after_kill)
{
	pk_pool *p;
	pk_pool_stats st = PK_POOL_STATS_INIT;

	make_pool(test_path, POOL_SIZE, 10);
	killed_child(child_open_and_put);
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 1);
	/* the child's completed puts are durable */
	check_entries(p, 15);
	/* the flag describes the previous session: it does not change */
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 1);
	PK_OK(pk_pool_close(p));
	/* after a clean close it is gone */
	assert_pool_intact(test_path, 15);

	/* killed with a transaction open */
	killed_child(child_open_put_and_tx);
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 1);
	check_entries(p, 15);
	PK_OK(pk_pool_close(p));
	assert_pool_intact(test_path, 15);

	/* a pool created and never closed */
	ck_assert_int_eq(unlink(test_path), 0);
	killed_child(child_create);
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 1);
	check_entries(p, 7);
	PK_OK(pk_pool_close(p));
	assert_pool_intact(test_path, 7);
}
END_TEST

/* ---- running out of space ---- */

/*
 * Sizes of the large values. With 4 KiB values an 8 MiB pool runs out when
 * the map grows (here after 160 puts, whatever the value size); with 60000
 * bytes it runs out earlier, on a value's own allocation (after 108 puts).
 */
static const size_t full_sizes[] = { 4096, 60000 };
#define FULL_MAX 60000
static size_t full_big;

/* entry i of the full-pool test: every third value is large */
static pk_value
full_value(uint8_t *buf, char *sbuf, int64_t i)
{
	switch (i % 6) {
	case 0:
	case 3:
		for (size_t j = 0; j < full_big; j++)
			buf[j] = (uint8_t)(i * 31 + (int64_t)j);
		return pk_bytes(buf, full_big);
	case 1:
		return pk_int(i * 7 - 3);
	case 2:
		snprintf(sbuf, 32, "s%lld", (long long)i);
		return cstr(sbuf);
	case 4:
		for (size_t j = 0; j < 40; j++)
			buf[j] = (uint8_t)(i + (int64_t)j);
		return pk_bytes(buf, 40);
	default:
		return pk_double((double)i / 4.0);
	}
}

static void
check_full_entry(pk_map *m, int64_t i)
{
	static uint8_t buf[FULL_MAX];
	char sbuf[32];
	pk_value k = pk_int(i), out, want = full_value(buf, sbuf, i);

	PK_OK(pk_map_get(&out, m, &k));
	ck_assert_int_eq(out.type, want.type);
	switch (want.type) {
	case PK_INT:
		ck_assert_int_eq(out.u.i, want.u.i);
		break;
	case PK_DOUBLE:
		ck_assert(out.u.d == want.u.d);
		break;
	default:
		ck_assert_uint_eq(out.u.buf.len, want.u.buf.len);
		ck_assert_msg(memcmp(out.u.buf.ptr, want.u.buf.ptr,
				want.u.buf.len) == 0, "entry %lld differs",
				(long long)i);
	}
}

START_TEST(test_pool_full__enospace_keeps_everything)
{
	static uint8_t buf[FULL_MAX];
	char sbuf[32];
	pk_pool *p;
	pk_map *root;
	pk_pool_stats st = PK_POOL_STATS_INIT, before = PK_POOL_STATS_INIT;
	int64_t n = 0;
	int rc = 0;
	pk_value out;

	full_big = full_sizes[_i];
	PK_OK(pk_pool_create(&p, test_path, PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_root(&root, p));
	for (n = 0; n < 100000; n++) {
		PK_OK(pk_pool_stats_get(&before, p));
		pk_value k = pk_int(n), v = full_value(buf, sbuf, n);
		clobber_errormsg();
		rc = pk_map_put(root, &k, &v);
		if (rc != 0)
			break;
	}
	ck_assert_msg(rc == PK_ENOSPACE, "put %lld returned %d (%s; %s)",
			(long long)n, rc, pk_strerror(rc), pk_errormsg());
	ck_assert_msg(strncmp(pk_errormsg(), "PK_ENOSPACE:", 12) == 0,
			"message \"%s\"", pk_errormsg());
	/* some puts succeeded, large values among them */
	ck_assert_int_gt(n, 6);

	/* the failed put changed nothing */
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_uint_eq(st.used, before.used);
	ck_assert_uint_eq(st.objects, before.objects);
	ck_assert_uint_eq(map_length(root), (uint64_t)n);
	pk_value fk = pk_int(n);
	PK_RC(pk_map_get(&out, root, &fk), PK_NOTFOUND);
	int has = -1;
	PK_OK(pk_map_contains(&has, root, &fk));
	ck_assert_int_eq(has, 0);
	for (int64_t i = 0; i < n; i++)
		check_full_entry(root, i);

	/* the same after reopening */
	pk_map_close(root);
	PK_OK(pk_pool_close(p));
	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_root(&root, p));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_int_eq(st.unclean, 0);
	ck_assert_uint_eq(st.used, before.used);
	ck_assert_uint_eq(st.objects, before.objects);
	ck_assert_uint_eq(map_length(root), (uint64_t)n);
	PK_RC(pk_map_get(&out, root, &fk), PK_NOTFOUND);
	for (int64_t i = 0; i < n; i++)
		check_full_entry(root, i);

	/* still full */
	pk_value v = full_value(buf, sbuf, 0);
	PK_FAIL(pk_map_put(root, &fk, &v), PK_ENOSPACE, NULL);
	ck_assert_uint_eq(map_length(root), (uint64_t)n);

	/* removing entries gives space back */
	int64_t removed = 0;
	for (int64_t i = 0; i < n; i += 6) {
		pk_value k = pk_int(i);
		PK_OK(pk_map_remove(root, &k));
		removed++;
	}
	ck_assert_uint_eq(map_length(root), (uint64_t)(n - removed));
	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_uint_lt(st.used, before.used);
	/* as many new 4 KiB values as half the removed ones */
	for (int64_t j = 0; j < removed / 2; j++) {
		pk_value k = pk_int(n + 6 * j);
		v = full_value(buf, sbuf, n + 6 * j + (6 - n % 6) % 6);
		ck_assert_uint_eq(v.u.buf.len, full_big);
		PK_OK(pk_map_put(root, &k, &v));
	}
	ck_assert_uint_eq(map_length(root), (uint64_t)(n - removed +
				removed / 2));
	pk_map_close(root);
	PK_OK(pk_pool_close(p));

	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_root(&root, p));
	ck_assert_uint_eq(map_length(root), (uint64_t)(n - removed +
				removed / 2));
	for (int64_t i = 0; i < n; i++) {
		if (i % 6 == 0) {
			pk_value k = pk_int(i);
			PK_RC(pk_map_get(&out, root, &k), PK_NOTFOUND);
		} else {
			check_full_entry(root, i);
		}
	}
	for (int64_t j = 0; j < removed / 2; j++) {
		pk_value k = pk_int(n + 6 * j);
		int64_t src = n + 6 * j + (6 - n % 6) % 6;
		v = full_value(buf, sbuf, src);
		PK_OK(pk_map_get(&out, root, &k));
		ck_assert_uint_eq(out.u.buf.len, full_big);
		ck_assert(memcmp(out.u.buf.ptr, v.u.buf.ptr, full_big) == 0);
	}
	pk_map_close(root);
	PK_OK(pk_pool_close(p));
}
END_TEST

/* ---- codes and messages ---- */

START_TEST(test_pool_errors__strerror_table)
{
	struct row { int code; const char *name, *cls, *msg; };
	static const struct row rows[] = {
#define ROW_(name, value, cls, msg) { value, #name, #cls, msg },
		PK_ERROR_TABLE(ROW_)
#undef ROW_
	};
	const size_t n = sizeof(rows) / sizeof(rows[0]);
	char want[256];

	ck_assert_uint_ge(n, 16);
#define ENUM_(name, value, cls, msg) ck_assert_int_eq(name, value);
	PK_ERROR_TABLE(ENUM_)
#undef ENUM_
	for (size_t i = 0; i < n; i++) {
		const char *s = pk_strerror(rows[i].code);
		ck_assert_ptr_nonnull(s);
		snprintf(want, sizeof(want), "%s: %s", rows[i].name,
				rows[i].msg);
		ck_assert_str_eq(s, want);
		ck_assert_str_eq(pk_error_class(rows[i].code), rows[i].cls);
		ck_assert_int_le(rows[i].code, -31001);
		ck_assert_int_ge(rows[i].code, PK_ERROR_MIN);
		for (size_t j = 0; j < i; j++)
			ck_assert_int_ne(rows[i].code, rows[j].code);
	}
	ck_assert_str_eq(pk_strerror(PK_NOTFOUND), "PK_NOTFOUND: key not found");
	ck_assert_str_eq(pk_error_class(PK_NOTFOUND), "NotFound");
	ck_assert_str_eq(pk_error_class(PK_ENOTPOOL), "PoolError");
	ck_assert_str_eq(pk_error_class(PK_ENOSPACE), "OutOfSpace");

	/* success */
	ck_assert_ptr_nonnull(pk_strerror(0));
	ck_assert(strncmp(pk_strerror(0), "PK_OK", 5) == 0);
	ck_assert_str_eq(pk_error_class(PK_OK), "");
}
END_TEST

START_TEST(test_pool_errors__strerror_errno)
{
	static const struct { int code; const char *name; } named[] = {
		{ ENOENT, "ENOENT" }, { EEXIST, "EEXIST" },
		{ EACCES, "EACCES" }, { EPERM, "EPERM" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
		{ ENOMEM, "ENOMEM" }, { ENOSPC, "ENOSPC" },
		{ EAGAIN, "EAGAIN" }, { EIO, "EIO" },
		{ EROFS, "EROFS" }, { ENOTDIR, "ENOTDIR" },
	};
	char want[256];

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		const char *s = pk_strerror(named[i].code);
		ck_assert_ptr_nonnull(s);
		snprintf(want, sizeof(want), "%s: %s", named[i].name,
				strerror(named[i].code));
		ck_assert_str_eq(s, want);
		ck_assert_str_eq(pk_error_class(named[i].code), "OSError");
	}
	ck_assert_str_eq(pk_strerror(EAGAIN), pk_strerror(EWOULDBLOCK));
}
END_TEST

/*
 * Every errno value that has a symbolic name gets it: the header promises
 * a string "starting with the code's symbolic name", and pmemkit passes on
 * any errno the file system reports (ENOTDIR, ELOOP, EROFS, EMFILE, ...).
 */
START_TEST(test_pool_errors__strerror_every_errno_named)
{
	static const struct { int code; const char *alias; } aliases[] = {
		{ EWOULDBLOCK, "EWOULDBLOCK" }, { ENOTSUP, "ENOTSUP" },
		{ EDEADLOCK, "EDEADLOCK" },
	};
	char bad[4096] = "";
	size_t used = 0;

	for (int code = 1; code < 134; code++) {
		const char *name = strerrorname_np(code);
		const char *s = pk_strerror(code);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(pk_error_class(code), "OSError");
		ck_assert(strstr(s, strerror(code)) != NULL);
		if (name == NULL)
			continue;
		int ok = strncmp(s, name, strlen(name)) == 0 &&
			s[strlen(name)] == ':';
		for (size_t a = 0; a < sizeof(aliases) / sizeof(aliases[0]);
				a++) {
			size_t l = strlen(aliases[a].alias);
			if (aliases[a].code == code &&
					strncmp(s, aliases[a].alias, l) == 0 &&
					s[l] == ':')
				ok = 1;
		}
		if (!ok && used < sizeof(bad) - 64)
			used += (size_t)snprintf(bad + used, sizeof(bad) - used,
					"%s%s", used ? ", " : "", name);
	}
	ck_assert_msg(bad[0] == '\0', "pk_strerror lacks the symbolic name "
			"of: %s (e.g. \"%s\")", bad, pk_strerror(ELOOP));
}
END_TEST

START_TEST(test_pool_errors__strerror_unknown)
{
	static const int neg[] = { -1, -2, -31000, -31018, -31099,
		PK_ERROR_MIN, PK_ERROR_MIN - 1, INT_MIN };
	static const int pos[] = { 134, 4096, 100000, INT_MAX };
	char num[32];

	for (size_t i = 0; i < sizeof(neg) / sizeof(neg[0]); i++) {
		const char *s = pk_strerror(neg[i]);
		ck_assert_ptr_nonnull(s);
		snprintf(num, sizeof(num), "%d", neg[i]);
		ck_assert_msg(strstr(s, num) != NULL, "%d: \"%s\"", neg[i], s);
		ck_assert_str_eq(pk_error_class(neg[i]), "Error");
	}
	for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
		const char *s = pk_strerror(pos[i]);
		ck_assert_ptr_nonnull(s);
		snprintf(num, sizeof(num), "%d", pos[i]);
		ck_assert_msg(strstr(s, num) != NULL, "%d: \"%s\"", pos[i], s);
		ck_assert_str_eq(pk_error_class(pos[i]), "OSError");
	}
}
END_TEST

/*
 * pk_strerror() returns "a static string": one result stays valid (and
 * unchanged) when pk_strerror() is called again, as in
 * printf("%s, %s", pk_strerror(a), pk_strerror(b)).
 */
START_TEST(test_pool_errors__strerror_results_stay_valid)
{
	const char *a = pk_strerror(ENOENT);
	const char *b = pk_strerror(EEXIST);
	const char *u1 = pk_strerror(-5);
	const char *u2 = pk_strerror(-6);

	ck_assert_msg(strncmp(a, "ENOENT:", 7) == 0, "pk_strerror(ENOENT) "
			"became \"%s\" after pk_strerror(EEXIST)", a);
	ck_assert(strncmp(b, "EEXIST:", 7) == 0);
	/* unknown codes are formatted into a thread-local buffer */
	ck_assert_msg(strstr(u2, "-6") != NULL, "pk_strerror(-6) is \"%s\"",
			u2);
	(void)u1;
}
END_TEST

static void *
thread_errormsg(void *arg)
{
	(void)arg;
	return (void *)pk_errormsg();
}

START_TEST(test_pool_errors__errormsg)
{
	pk_pool *p;
	pk_map *root;
	pk_value k = pk_int(1), out;

	/* nothing has failed yet in this (forked) process */
	ck_assert_ptr_nonnull(pk_errormsg());
	ck_assert_str_eq(pk_errormsg(), "");

	PK_OK(pk_pool_create(&p, test_path, POOL_SIZE, 0));
	ck_assert_str_eq(pk_errormsg(), "");
	PK_OK(pk_pool_root(&root, p));
	pk_pool *q;
	PK_FAIL(pk_pool_open(&q, test_file("nope")), ENOENT, "nope");
	char saved[512];
	snprintf(saved, sizeof(saved), "%s", pk_errormsg());

	/* ordinary outcomes and successes leave the message alone */
	PK_RC(pk_map_get(&out, root, &k), PK_NOTFOUND);
	PK_RC(pk_map_remove(root, &k), PK_NOTFOUND);
	PK_OK(pk_map_put(root, &k, &k));
	PK_OK(pk_map_get(&out, root, &k));
	ck_assert_str_eq(pk_errormsg(), saved);

	/* the message is per thread */
	pthread_t t;
	void *res;
	ck_assert_int_eq(pthread_create(&t, NULL, thread_errormsg, NULL), 0);
	ck_assert_int_eq(pthread_join(t, &res), 0);
	ck_assert_ptr_nonnull(res);
	ck_assert_str_eq((const char *)res, "");
	ck_assert_str_eq(pk_errormsg(), saved);

	pk_map_close(root);
	PK_OK(pk_pool_close(p));
}
END_TEST

/* a failure in another thread: its own message, the caller's untouched */
static void *
thread_fails(void *arg)
{
	pk_pool *q;
	int rc = pk_pool_open(&q, (const char *)arg);
	char *m = malloc(600);

	if (m != NULL)
		snprintf(m, 600, "%d %s", rc, pk_errormsg());
	return m;
}

START_TEST(test_pool_errors__errormsg_of_failing_thread)
{
	pk_pool *q;
	pthread_t t;
	void *res;
	char want[600], path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", test_file("not-there"));

	PK_FAIL(pk_pool_open(&q, test_file("mine")), ENOENT, "mine");
	ck_assert_int_eq(pthread_create(&t, NULL, thread_fails, path), 0);
	ck_assert_int_eq(pthread_join(t, &res), 0);
	ck_assert_ptr_nonnull(res);
	snprintf(want, sizeof(want), "%d ENOENT", ENOENT);
	ck_assert_msg(strncmp(res, want, strlen(want)) == 0 &&
			strstr(res, "not-there") != NULL, "thread: \"%s\"",
			(char *)res);
	free(res);
	ck_assert(strstr(pk_errormsg(), "mine") != NULL);
	ck_assert(strstr(pk_errormsg(), "not-there") == NULL);
}
END_TEST

/*
 * Language modules load the library with dlopen(), and a process may load
 * several (or a module and the shared library): each copy's thread-locals
 * must fit in the static TLS that glibc keeps for dlopen()ed modules, and
 * each copy keeps its own error texts.
 */
#define DL_COPIES 3

struct dl_thread {
	void *h;
	const char *path;
	int rc;
	pthread_barrier_t failed, closed;
};

static void *
dl_thread_run(void *arg)
{
	struct dl_thread *a = arg;
	int (*open_)(pk_pool **, const char *);
	pk_pool *q;

	*(void **)&open_ = dlsym(a->h, "pk_pool_open");
	a->rc = open_ != NULL ? open_(&q, a->path) : -1;
	pthread_barrier_wait(&a->failed);
	pthread_barrier_wait(&a->closed);
	return NULL;
}

START_TEST(test_pool_errors__dlopen_copies)
{
	Dl_info info;
	char dst[DL_COPIES][PATH_MAX];
	void *h[DL_COPIES];
	char before[512];

	snprintf(before, sizeof(before), "%s", pk_errormsg());
	ck_assert(dladdr((void *)pk_version, &info) != 0);
	ck_assert_msg(strstr(info.dli_fname, "libpmemkit") != NULL,
			"pk_version is in %s, not the shared library",
			info.dli_fname);
	for (int i = 0; i < DL_COPIES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "libpmemkit-copy%d.so", i);
		snprintf(dst[i], sizeof(dst[i]), "%s", test_file(name));
		copy_file(info.dli_fname, dst[i]);
	}
	for (int i = 0; i < DL_COPIES; i++) {
		int (*open_)(pk_pool **, const char *);
		const char *(*errormsg)(void);
		pk_pool *q;
		char missing[32];

		h[i] = dlopen(dst[i], RTLD_NOW | RTLD_LOCAL);
		ck_assert_msg(h[i] != NULL, "copy %d: %s", i, dlerror());
		*(void **)&open_ = dlsym(h[i], "pk_pool_open");
		*(void **)&errormsg = dlsym(h[i], "pk_errormsg");
		ck_assert(open_ != NULL && errormsg != NULL);
		ck_assert_ptr_ne((void *)open_, (void *)pk_pool_open);
		snprintf(missing, sizeof(missing), "missing%d", i);
		ck_assert_int_eq(open_(&q, test_file(missing)), ENOENT);
		ck_assert_msg(strstr(errormsg(), missing) != NULL, "copy %d: "
				"\"%s\"", i, errormsg());
	}
	/* each copy's message is its own, and so is this one's */
	ck_assert_str_eq(pk_errormsg(), before);

	/* a thread fails in a copy (which gives it a buffer that a
	 * thread-exit destructor frees), the copy is closed, the thread
	 * ends: the library must stay mapped for that destructor */
	char gone[PATH_MAX];
	snprintf(gone, sizeof(gone), "%s", test_file("gone"));
	struct dl_thread a = { .h = h[0], .path = gone };
	pthread_t t;
	pthread_barrier_init(&a.failed, NULL, 2);
	pthread_barrier_init(&a.closed, NULL, 2);
	ck_assert_int_eq(pthread_create(&t, NULL, dl_thread_run, &a), 0);
	pthread_barrier_wait(&a.failed);
	ck_assert_int_eq(dlclose(h[0]), 0);
	pthread_barrier_wait(&a.closed);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(a.rc, ENOENT);
	pthread_barrier_destroy(&a.failed);
	pthread_barrier_destroy(&a.closed);
}
END_TEST

START_TEST(test_pool_errors__version)
{
	char want[64];
	const char *v = pk_version();

	ck_assert_ptr_nonnull(v);
	snprintf(want, sizeof(want), "%d.%d.%d", PK_VERSION_MAJOR,
			PK_VERSION_MINOR, PK_VERSION_PATCH);
	ck_assert_str_eq(v, want);
	ck_assert_str_eq(v, "0.1.0");
	ck_assert_ptr_eq(pk_version(), v);
}
END_TEST

/* ---- an ordinary disk file: libpmemobj flushes with msync ---- */

/* a fresh directory under /var/tmp (PK_TEST_DIR is the TCase's there) */
static void
disk_setup(void)
{
	ck_assert(strncmp(getenv("PK_TEST_DIR"), "/var/tmp/", 9) == 0);
	test_setup();
}

#define DISK_SINGLE 1000	/* entries put one operation at a time */
#define DISK_TX 3000		/* entries put in one transaction */
#define DISK_NESTED 300		/* entries of the nested map */

/* key of entry i: an int or a string */
static pk_value
disk_key(char *buf, int64_t i)
{
	if (i % 2)
		return pk_int(i * 1000003);
	snprintf(buf, 32, "key-%lld", (long long)i);
	return cstr(buf);
}

/* value of entry i, of a type that depends on i; gen changes values */
static pk_value
disk_value(uint8_t *buf, int64_t i, int gen)
{
	pk_value v;
	size_t len;

	switch ((i + gen) % 8) {
	case 0:
		return pk_nil();
	case 1:
		return pk_bool(i % 3 == 0);
	case 2:
		return pk_int(-i * 7919 + gen);
	case 3:
		return pk_double((double)i / 3.0 + gen);
	case 4:
		len = (size_t)snprintf((char *)buf, 64, "str-%lld-%d",
				(long long)i, gen);
		return pk_string((const char *)buf, len);
	case 5:
		len = 60 + (size_t)(i % 200); /* out of line */
		for (size_t j = 0; j < len; j++)
			buf[j] = (uint8_t)(i ^ (int64_t)j ^ gen);
		return pk_bytes(buf, len);
	case 6:
		memset(buf, 0, 9);
		buf[0] = (uint8_t)i;
		buf[8] = 1;	/* minimal: 2^64 + (i & 0xff) */
		v.type = PK_BIGINT;
		v.u.buf.ptr = buf;
		v.u.buf.len = 9;
		return v;
	default:
		len = 300 + (size_t)(i % 50);
		for (size_t j = 0; j < len; j++)
			buf[j] = (uint8_t)('a' + (i + (int64_t)j) % 26);
		return pk_string((const char *)buf, len);
	}
}

static void
assert_value_eq(const pk_value *got, const pk_value *want, int64_t i)
{
	ck_assert_msg(got->type == want->type, "entry %lld: type %d, "
			"expected %d", (long long)i, got->type, want->type);
	switch (want->type) {
	case PK_NIL:
		break;
	case PK_BOOL:
	case PK_INT:
		ck_assert_msg(got->u.i == want->u.i, "entry %lld", (long long)i);
		break;
	case PK_DOUBLE:
		ck_assert_msg(memcmp(&got->u.d, &want->u.d, 8) == 0,
				"entry %lld", (long long)i);
		break;
	default:
		ck_assert_msg(got->u.buf.len == want->u.buf.len &&
				memcmp(got->u.buf.ptr, want->u.buf.ptr,
					want->u.buf.len) == 0, "entry %lld",
				(long long)i);
	}
}

static void
disk_check_entry(pk_map *m, int64_t i, int gen)
{
	char kb[32];
	uint8_t vb[512];
	pk_value k = disk_key(kb, i), want = disk_value(vb, i, gen), out;
	PK_OK(pk_map_get(&out, m, &k));
	assert_value_eq(&out, &want, i);
}

START_TEST(test_pool_disk__persist_on_msync_path)
{
	pk_pool *p;
	pk_map *root, *nested, *inner;
	pk_pool_stats st = PK_POOL_STATS_INIT, st2 = PK_POOL_STATS_INIT;
	char kb[32];
	uint8_t vb[512];
	pk_value out;
	const int64_t total = DISK_SINGLE + DISK_TX;

	ck_assert_int_eq(unsetenv("PMEM_IS_PMEM_FORCE"), 0);
	ck_assert_ptr_null(getenv("PMEM_IS_PMEM_FORCE"));
	ck_assert(strncmp(test_path, "/var/tmp/", 9) == 0);

	PK_OK(pk_pool_create(&p, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_root(&root, p));

	/* one operation at a time: each its own transaction */
	for (int64_t i = 0; i < DISK_SINGLE; i++) {
		pk_value k = disk_key(kb, i), v = disk_value(vb, i, 0);
		PK_OK(pk_map_put(root, &k, &v));
	}
	/* then many in one transaction, with a nested map */
	PK_OK(pk_tx_begin(p));
	for (int64_t i = DISK_SINGLE; i < total; i++) {
		pk_value k = disk_key(kb, i), v = disk_value(vb, i, 0);
		PK_OK(pk_map_put(root, &k, &v));
	}
	PK_OK(pk_map_new(&nested, p));
	PK_OK(pk_map_new(&inner, p));
	for (int64_t i = 0; i < DISK_NESTED; i++) {
		pk_value k = disk_key(kb, i), v = disk_value(vb, i, 1);
		PK_OK(pk_map_put(nested, &k, &v));
	}
	pk_value ik = cstr("deep"), iv = cstr("inside"), nk = cstr("nested");
	PK_OK(pk_map_put(inner, &ik, &iv));
	pk_value innerv = pk_map_value(inner), nestedv = pk_map_value(nested);
	PK_OK(pk_map_put(nested, &ik, &innerv));
	PK_OK(pk_map_put(root, &nk, &nestedv));
	PK_OK(pk_tx_commit(p));
	pk_map_close(inner);
	pk_map_close(nested);

	/* a few changes one at a time: replace, remove */
	for (int64_t i = 0; i < 100; i++) {
		pk_value k = disk_key(kb, i * 7), v = disk_value(vb, i * 7, 2);
		PK_OK(pk_map_put(root, &k, &v));
	}
	for (int64_t i = 0; i < 50; i++) {
		pk_value k = disk_key(kb, i * 11 + 3);
		PK_OK(pk_map_remove(root, &k));
	}
	/* and an aborted transaction, which must leave no trace */
	PK_OK(pk_tx_begin(p));
	for (int64_t i = total; i < total + 200; i++) {
		pk_value k = disk_key(kb, i), v = disk_value(vb, i, 0);
		PK_OK(pk_map_put(root, &k, &v));
	}
	pk_value k0 = disk_key(kb, 1), gone = cstr("gone");
	PK_OK(pk_map_put(root, &k0, &gone));
	PK_OK(pk_map_remove(root, &nk));
	PK_OK(pk_tx_abort(p));

	PK_OK(pk_pool_stats_get(&st, p));
	ck_assert_uint_eq(st.size, POOL_SIZE);
	ck_assert_uint_gt(st.used, (uint64_t)DISK_SINGLE * 60 / 8);
	ck_assert_uint_gt(st.objects, (uint64_t)total / 8);
	ck_assert_int_eq(st.unclean, 0);
	pk_map_close(root);
	PK_OK(pk_pool_close(p));

	PK_OK(pk_pool_open(&p, test_path));
	PK_OK(pk_pool_stats_get(&st2, p));
	ck_assert_uint_eq(st2.size, st.size);
	ck_assert_uint_eq(st2.used, st.used);
	ck_assert_uint_eq(st2.objects, st.objects);
	ck_assert_int_eq(st2.unclean, 0);
	PK_OK(pk_pool_root(&root, p));
	ck_assert_uint_eq(map_length(root), (uint64_t)(total - 50 + 1));
	for (int64_t i = 0; i < total + 200; i++) {
		int removed = i < 50 * 11 + 3 && i % 11 == 3;
		if (i >= total || removed) {
			pk_value k = disk_key(kb, i);
			PK_RC(pk_map_get(&out, root, &k), PK_NOTFOUND);
			continue;
		}
		int replaced = i % 7 == 0 && i < 700;
		disk_check_entry(root, i, replaced ? 2 : 0);
	}
	PK_OK(pk_map_get(&out, root, &nk));
	ck_assert_int_eq(out.type, PK_MAP);
	PK_OK(pk_map_open(&nested, p, &out));
	ck_assert_uint_eq(map_length(nested), DISK_NESTED + 1);
	for (int64_t i = 0; i < DISK_NESTED; i++)
		disk_check_entry(nested, i, 1);
	PK_OK(pk_map_get(&out, nested, &ik));
	PK_OK(pk_map_open(&inner, p, &out));
	PK_OK(pk_map_get(&out, inner, &ik));
	assert_value_eq(&out, &iv, -1);
	pk_map_close(inner);
	pk_map_close(nested);
	pk_map_close(root);
	PK_OK(pk_pool_close(p));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("create");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pool_create__success);
	tcase_add_test(tc, test_pool_create__mode);
	tcase_add_test(tc, test_pool_create__existing_file);
	tcase_add_test(tc, test_pool_create__too_small);
	tcase_add_test(tc, test_pool_create__null_arguments);
	tcase_add_test(tc, test_pool_create__no_space);
	tcase_add_test(tc, test_pool_create__missing_directory);
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pool_open__missing_file);
	tcase_add_test(tc, test_pool_open__directory);
	tcase_add_test(tc, test_pool_open__special_files);
	tcase_add_test(tc, test_pool_open__empty_file);
	tcase_add_test(tc, test_pool_open__random_bytes);
	tcase_add_test(tc, test_pool_open__truncated);
	tcase_add_test(tc, test_pool_open__other_layout);
	tcase_add_test(tc, test_pool_open__layout_without_root);
	tcase_add_test(tc, test_pool_open__read_only);
	tcase_add_test(tc, test_pool_open__newer_format);
	tcase_add_test(tc, test_pool_open__format_1_upgraded);
	tcase_add_test(tc, test_pool_open__false_leaf);
	tcase_add_test(tc, test_pool_open__damaged_root);
	tcase_add_test(tc, test_pool_open__damaged_pmemobj_metadata);
	tcase_add_test(tc, test_pool_open__already_open_here);
	tcase_add_test(tc, test_pool_open__already_open_elsewhere);
	tcase_add_test(tc, test_pool_open__null_arguments);
	suite_add_tcase(s, tc);

	tc = tcase_create("close");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pool_close__null_and_closed);
	tcase_add_test(tc, test_pool_close__aborts_open_transaction);
	tcase_add_test(tc, test_pool_close__clean_reopen);
	tcase_add_test(tc, test_pool_close__unclean_after_kill);
	suite_add_tcase(s, tc);

	tc = tcase_create("prefault");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pool_prefault__maps_every_page);
	tcase_add_test(tc, test_pool_prefault__partial_last_page);
	tcase_add_test(tc, test_pool_prefault__null);
	suite_add_tcase(s, tc);

	tc = tcase_create("full");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_pool_full__enospace_keeps_everything, 0,
			(int)(sizeof(full_sizes) / sizeof(full_sizes[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pool_errors__strerror_table);
	tcase_add_test(tc, test_pool_errors__strerror_errno);
	tcase_add_test(tc, test_pool_errors__strerror_every_errno_named);
	tcase_add_test(tc, test_pool_errors__strerror_unknown);
	tcase_add_test(tc, test_pool_errors__strerror_results_stay_valid);
	tcase_add_test(tc, test_pool_errors__errormsg);
	tcase_add_test(tc, test_pool_errors__errormsg_of_failing_thread);
	tcase_add_test(tc, test_pool_errors__dlopen_copies);
	tcase_add_test(tc, test_pool_errors__version);
	suite_add_tcase(s, tc);

	tc = tcase_create("disk");
	tcase_add_unchecked_fixture(tc, tcase_disk_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, disk_setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_pool_disk__persist_on_msync_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char *base = getenv("PK_TEST_DIR");
	struct stat st;

	base_parent_set = base != NULL;
	if (base == NULL || *base == '\0')
		base = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
	snprintf(base_parent, sizeof(base_parent), "%s", base);
	return run_suite(suite());
}
