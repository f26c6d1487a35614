/*
 * common.c -- fixtures shared by the Check test programs
 */
#include <ftw.h>
#include <sys/stat.h>

#include "common.h"

char test_dir[4000];
char test_path[4096];

/*
 * A failed check ends the test's process without running its teardown;
 * exit handlers still run, so the directory goes either way.
 */
static pid_t creator;	/* the process that made test_dir */

static void
remove_at_exit(void)
{
	if (getpid() == creator) /* not in a child forked by a test */
		test_teardown();
}

void
test_setup(void)
{
	static pid_t registered;
	const char *base = getenv("PK_TEST_DIR");
	struct stat st;

	if (registered != getpid()) {
		atexit(remove_at_exit);
		registered = getpid();
	}
	creator = getpid();

	if (base == NULL || *base == '\0')
		base = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
	snprintf(test_dir, sizeof(test_dir), "%s/pmemkit-test-XXXXXX", base);
	ck_assert_msg(mkdtemp(test_dir) != NULL, "mkdtemp %s: %s", test_dir,
			strerror(errno));
	snprintf(test_path, sizeof(test_path), "%s/pool", test_dir);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	chmod(path, 0700);
	return remove(path);
}

void
test_teardown(void)
{
	if (test_dir[0] != '\0')
		nftw(test_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	test_dir[0] = '\0';
}

const char *
test_file(const char *name)
{
	static char buf[4096 + 256];
	snprintf(buf, sizeof(buf), "%s/%s", test_dir, name);
	return buf;
}

int
run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
