/*
 * common.c -- fixtures shared by the Check test programs
 */
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

char test_dir[4000];
char test_path[4096];

void
test_setup(void)
{
	const char *base = getenv("PK_TEST_DIR");
	struct stat st;

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

long
test_scale(long n)
{
	const char *s = getenv("PK_TEST_SCALE");
	double f = s != NULL && *s != '\0' ? strtod(s, NULL) : 1.0;
	long r = (long)((double)n * f);

	return r > 0 ? r : 1;
}

/* test_kill_writer -- kill a writer at a random moment (common.h) */
void
test_kill_writer(void (*writer)(void *), void *arg,
		volatile uint64_t *progress, unsigned *seed)
{
	uint64_t start = *progress;
	struct timespec poll = { 0, 100000L }, ts;
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		writer(arg);
		_exit(4);
	}
	/* once it writes (opening after a kill takes a while), at a random
	 * moment within the next 3 ms */
	for (int t = 0; t < 100000 && *progress == start; t++)
		nanosleep(&poll, NULL);
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(rand_r(seed) % 3000) * 1000L;
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFSIGNALED(status), "the writer failed (%d)",
			WEXITSTATUS(status));
}

/*
 * run_suite -- run the suite with every test's directory inside one made
 * for this run, removed at the end: a test that fails leaves nothing behind
 */
int
run_suite(Suite *s)
{
	char run_dir[sizeof(test_dir)];
	const char *base = getenv("PK_TEST_DIR");
	struct stat st;
	SRunner *sr;
	int failed;

	if (base == NULL || *base == '\0')
		base = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
	snprintf(run_dir, sizeof(run_dir), "%s/pmemkit-run-XXXXXX", base);
	if (mkdtemp(run_dir) == NULL) {
		perror(run_dir);
		return EXIT_FAILURE;
	}
	setenv("PK_TEST_DIR", run_dir, 1);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(test_dir, sizeof(test_dir), "%s", run_dir);
	test_teardown();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
