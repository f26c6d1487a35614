/*
 * test_region.c -- raw persistent memory regions
 *
 * core: map (create, existing, whole file), length, is_pmem, write, read,
 * move, fill with each persistence flag, flush and drain, deep flush,
 * reopen; limits: every range outside the mapping is refused and writes
 * nothing, bad flags and sizes, missing and existing files; disk: an
 * ordinary file, persisted with msync, reads back after unmapping.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common.h"

#define LEN ((uint64_t)1 << 20)

static void
setup(void)
{
	test_setup();
}

static void
teardown(void)
{
	test_teardown();
}

static pk_region *
map_new(const char *path, uint64_t len)
{
	pk_region *r;

	PK_OK(pk_region_map(&r, path, len, PK_REGION_CREATE | PK_REGION_EXCL,
			0600));
	return r;
}

static void
put(pk_region *r, uint64_t off, const char *s, unsigned flags)
{
	pk_value v = pk_bytes(s, strlen(s));

	PK_OK(pk_region_write(r, off, &v, flags));
}

static void
expect(pk_region *r, uint64_t off, const void *want, size_t len)
{
	char buf[256];
	pk_value v;

	ck_assert_uint_le(len, sizeof(buf));
	PK_OK(pk_region_read(buf, r, off, len));
	ck_assert_mem_eq(buf, want, len);
	PK_OK(pk_region_get(&v, r, off, len));
	ck_assert_int_eq(v.type, PK_BYTES);
	ck_assert_uint_eq(v.u.buf.len, len);
	ck_assert_mem_eq(v.u.buf.ptr, want, len);
}

/* ----------------------------------------------------------------- core */

START_TEST(test_region_core__write_read_reopen)
{
	pk_region *r = map_new(test_path, LEN);
	uint64_t len;
	int pmem;

	PK_OK(pk_region_length(&len, r));
	ck_assert_uint_eq(len, LEN);
	PK_OK(pk_region_is_pmem(&pmem, r));
	ck_assert_int_eq(pmem, 1);	/* PMEM_IS_PMEM_FORCE=1 */
	expect(r, 0, "\0\0\0\0", 4);	/* a new file reads as zeros */
	put(r, 0, "persisted", 0);
	put(r, 100, "no drain", PK_REGION_NODRAIN);
	PK_OK(pk_region_drain(r));
	put(r, 200, "no flush", PK_REGION_NOFLUSH);
	PK_OK(pk_region_persist(r, 200, 8));
	put(r, LEN - 4, "last", 0);
	/* stores through the address, then a flush of them */
	memcpy((char *)pk_region_addr(r) + 300, "by hand", 7);
	PK_OK(pk_region_flush(r, 300, 7));
	PK_OK(pk_region_drain(r));
	PK_OK(pk_region_deep_flush(r, 0, 512));
	PK_OK(pk_region_persist(r, 0, 0));
	/* move: overlapping both ways */
	put(r, 400, "abcdefgh", 0);
	PK_OK(pk_region_move(r, 402, 400, 6, 0));
	expect(r, 400, "ababcdef", 8);
	PK_OK(pk_region_move(r, 400, 402, 6, PK_REGION_NODRAIN));
	PK_OK(pk_region_drain(r));
	expect(r, 400, "abcdefef", 8);
	PK_OK(pk_region_fill(r, 500, 'x', 5, 0));
	PK_OK(pk_region_fill(r, 505, 0, 3, PK_REGION_NOFLUSH));
	PK_OK(pk_region_persist(r, 505, 3));
	expect(r, 500, "xxxxx\0\0\0", 8);
	PK_OK(pk_region_close(r));

	/* an existing file: mapped whole, with or without CREATE */
	PK_OK(pk_region_map(&r, test_path, 0, 0, 0));
	PK_OK(pk_region_length(&len, r));
	ck_assert_uint_eq(len, LEN);
	expect(r, 0, "persisted", 9);
	expect(r, 100, "no drain", 8);
	expect(r, 200, "no flush", 8);
	expect(r, 300, "by hand", 7);
	expect(r, LEN - 4, "last", 4);
	PK_OK(pk_region_close(r));
	PK_OK(pk_region_map(&r, test_path, 4096, PK_REGION_CREATE, 0600));
	PK_OK(pk_region_length(&len, r));
	ck_assert_uint_eq(len, LEN);	/* not cut to 4096 */
	expect(r, LEN - 4, "last", 4);
	PK_OK(pk_region_close(r));
	PK_OK(pk_region_close(NULL));
}
END_TEST

START_TEST(test_region_core__threads_get_their_own_copies)
{
	pk_region *r = map_new(test_path, LEN);
	static char big[200000];
	pk_value v, w;

	memset(big, 'q', sizeof(big));
	pk_value b = pk_bytes(big, sizeof(big));
	PK_OK(pk_region_write(r, 1000, &b, 0));
	PK_OK(pk_region_get(&v, r, 1000, sizeof(big)));
	ck_assert_uint_eq(v.u.buf.len, sizeof(big));
	ck_assert_mem_eq(v.u.buf.ptr, big, sizeof(big));
	/* the buffer is reused: the next get overwrites the last one */
	PK_OK(pk_region_get(&w, r, 0, 3));
	ck_assert_mem_eq(w.u.buf.ptr, "\0\0\0", 3);
	PK_OK(pk_region_get(&v, r, 0, 0));
	ck_assert_uint_eq(v.u.buf.len, 0);
	PK_OK(pk_region_close(r));
}
END_TEST

/* --------------------------------------------------------------- limits */

START_TEST(test_region_limits__ranges_and_flags)
{
	pk_region *r = map_new(test_path, 8192), *bad = (pk_region *)&bad;
	pk_value v = pk_bytes("12345678", 8), num = pk_int(1);
	char buf[16];
	uint64_t len;
	int pmem;

	memset(pk_region_addr(r), 'a', 8192);
	PK_OK(pk_region_persist(r, 0, 8192));
	/* every range past the end is refused, and nothing is written */
	PK_RC(pk_region_write(r, 8190, &v, 0), PK_ERANGE);
	PK_RC(pk_region_write(r, UINT64_MAX - 2, &v, 0), PK_ERANGE);
	PK_RC(pk_region_write(r, 8193, &v, 0), PK_ERANGE);
	PK_RC(pk_region_fill(r, 8000, 'z', 193, 0), PK_ERANGE);
	PK_RC(pk_region_fill(r, 8000, 'z', UINT64_MAX, 0), PK_ERANGE);
	PK_RC(pk_region_move(r, 8190, 0, 3, 0), PK_ERANGE);
	PK_RC(pk_region_move(r, 0, 8190, 3, 0), PK_ERANGE);
	PK_RC(pk_region_persist(r, 8192, 1), PK_ERANGE);
	PK_RC(pk_region_flush(r, 1, 8192), PK_ERANGE);
	PK_RC(pk_region_deep_flush(r, 4096, 4097), PK_ERANGE);
	PK_RC(pk_region_read(buf, r, 8185, 8), PK_ERANGE);
	PK_RC(pk_region_get(&v, r, 0, 8193), PK_ERANGE);
	for (int i = 0; i < 8192; i++)
		ck_assert_int_eq(((char *)pk_region_addr(r))[i], 'a');
	/* the end itself is a range of no bytes */
	PK_OK(pk_region_persist(r, 8192, 0));
	put(r, 8184, "12345678", 0);
	/* bad values, flags and arguments */
	PK_RC(pk_region_write(r, 0, &num, 0), PK_EKIND);
	PK_RC(pk_region_write(r, 0, NULL, 0), EINVAL);
	PK_RC(pk_region_write(r, 0, &v, 0x100), EINVAL);
	PK_RC(pk_region_fill(r, 0, 256, 1, 0), EINVAL);
	PK_RC(pk_region_move(r, 0, 1, 1, PK_REGION_CREATE), EINVAL);
	PK_RC(pk_region_read(NULL, r, 0, 1), EINVAL);
	PK_RC(pk_region_length(NULL, r), EINVAL);
	PK_RC(pk_region_is_pmem(NULL, r), EINVAL);
	PK_RC(pk_region_length(&len, NULL), EINVAL);
	PK_RC(pk_region_is_pmem(&pmem, NULL), EINVAL);
	PK_RC(pk_region_persist(NULL, 0, 0), EINVAL);
	ck_assert_ptr_null(pk_region_addr(NULL));
	PK_OK(pk_region_close(r));

	/* mapping: sizes, flags and files */
	PK_RC(pk_region_map(&bad, test_path, 4096, 0, 0600), EINVAL);
	ck_assert_ptr_null(bad);
	PK_RC(pk_region_map(&bad, test_path, 0, PK_REGION_CREATE, 0600),
			EINVAL);
	PK_RC(pk_region_map(&bad, test_path, 0, PK_REGION_EXCL, 0600), EINVAL);
	PK_RC(pk_region_map(&bad, test_path, 0, PK_REGION_NODRAIN, 0600),
			EINVAL);
	PK_RC(pk_region_map(&bad, test_path, 4096, PK_REGION_CREATE |
			PK_REGION_EXCL, 0600), EEXIST);
	PK_RC(pk_region_map(&bad, test_file("missing"), 0, 0, 0), ENOENT);
	/* a file too large to make is not left behind */
	struct stat st;
	ck_assert_int_ne(pk_region_map(&bad, test_file("huge"),
			(uint64_t)1 << 62, PK_REGION_CREATE, 0600), 0);
	ck_assert_int_ne(stat(test_file("huge"), &st), 0);
	PK_RC(pk_region_map(&bad, NULL, 0, 0, 0), EINVAL);
	PK_RC(pk_region_map(NULL, test_path, 0, 0, 0), EINVAL);
	ck_assert_ptr_null(bad);
}
END_TEST

/* ----------------------------------------------------------------- disk */

/* a file on /var/tmp, not persistent memory: each persist is an msync,
 * and what was written is in the file after unmapping */
START_TEST(test_region_disk__msync_path)
{
	char dir[] = "/var/tmp/pk-region.XXXXXX", path[64], buf[16];
	pk_region *r;
	int pmem, fd;

	ck_assert_int_eq(unsetenv("PMEM_IS_PMEM_FORCE"), 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/region", dir);
	PK_OK(pk_region_map(&r, path, 65536, PK_REGION_CREATE, 0600));
	PK_OK(pk_region_is_pmem(&pmem, r));
	ck_assert_int_eq(pmem, 0);
	put(r, 5000, "on disk", 0);
	put(r, 9000, "nodrain", PK_REGION_NODRAIN);
	PK_OK(pk_region_drain(r));
	PK_OK(pk_region_fill(r, 60000, 'f', 7, 0));
	put(r, 100, "later", PK_REGION_NOFLUSH);
	PK_OK(pk_region_persist(r, 100, 5));
	PK_OK(pk_region_flush(r, 5001, 1));
	PK_OK(pk_region_deep_flush(r, 0, 65536));
	PK_OK(pk_region_close(r));
	ck_assert_int_ge(fd = open(path, O_RDONLY), 0);
	ck_assert_int_eq(pread(fd, buf, 7, 5000), 7);
	ck_assert_mem_eq(buf, "on disk", 7);
	ck_assert_int_eq(pread(fd, buf, 7, 9000), 7);
	ck_assert_mem_eq(buf, "nodrain", 7);
	ck_assert_int_eq(pread(fd, buf, 7, 60000), 7);
	ck_assert_mem_eq(buf, "fffffff", 7);
	ck_assert_int_eq(pread(fd, buf, 5, 100), 5);
	ck_assert_mem_eq(buf, "later", 5);
	close(fd);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("region");
	TCase *tc;

	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_region_core__write_read_reopen);
	tcase_add_test(tc, test_region_core__threads_get_their_own_copies);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_region_limits__ranges_and_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("disk");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_region_disk__msync_path);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
