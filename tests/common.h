/*
 * common.h -- fixtures shared by the Check test programs
 *
 * Every test gets a fresh directory under $PK_TEST_DIR (default /dev/shm,
 * emulated pmem when PMEM_IS_PMEM_FORCE=1) and a pool path inside it.
 */
#ifndef PK_TEST_COMMON_H
#define PK_TEST_COMMON_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmemkit.h"

#define POOL_SIZE ((size_t)32 << 20)

extern char test_dir[4000];
extern char test_path[4096];

/* create the test directory and name test_path inside it */
void test_setup(void);
/* remove the test directory and everything in it */
void test_teardown(void);
/* a path in the test directory */
const char *test_file(const char *name);

/* PK_OK(expr): the call must return 0; says which code and why if not */
#define PK_OK(expr) do { \
	int rc_ = (expr); \
	ck_assert_msg(rc_ == 0, "%s returned %d (%s; %s)", #expr, rc_, \
			pk_strerror(rc_), pk_errormsg()); \
} while (0)

/* PK_RC(expr, code): the call must return code */
#define PK_RC(expr, code) do { \
	int rc_ = (expr); \
	ck_assert_msg(rc_ == (code), "%s returned %d (%s; %s), expected %s", \
			#expr, rc_, pk_strerror(rc_), pk_errormsg(), #code); \
} while (0)

/*
 * test_scale -- n scaled by $PK_TEST_SCALE (a factor, default 1), at
 * least 1: runs under valgrind use a fraction of the long loops
 */
long test_scale(long n);

/*
 * test_kill_writer -- fork a child that runs writer(arg), which never
 * returns and counts the work it had acknowledged in *progress; once
 * *progress moves, let the child run a random 0-3 ms more and kill it
 * with SIGKILL. Fails the test if the child ended on its own.
 */
void test_kill_writer(void (*writer)(void *), void *arg,
		volatile uint64_t *progress, unsigned *seed);

/* run a suite; returns the process exit status */
int run_suite(Suite *s);

static inline pk_value
cstr(const char *s)
{
	return pk_string(s, strlen(s));
}

#endif
