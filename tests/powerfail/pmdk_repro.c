/*
 * pmdk_repro.c -- libpmemobj 1.12 alone (no pmemkit): a crash late in the
 * commit of a transaction that frees many objects leaves a pool whose
 * first session crashes in the next allocating transaction's commit, and
 * a close and a second open avoid it (doc/reliability.md).
 *
 * The cause: a transaction's redo log that outgrows the lane's own
 * space is extended with an object from the heap. At the end of the
 * commit that extension is freed through the lane's internal redo log.
 * A power failure after that log is persisted and before it is
 * discarded leaves it to replay at the next open. pmemobj_open() builds
 * each lane's runtime list of its log extensions first (lane_init),
 * then replays the redo logs (lane_recover_and_section_boot): the replay
 * frees the extension and unlinks it on media, while the runtime list
 * still holds it. The next transaction whose redo log needs room reuses
 * the stale extension, writes its link back, and frees it again at the
 * end of its commit: libpmemobj's debug build asserts (a run block
 * expected, a huge one found, in memblock_from_offset_opt), the release
 * build crashes or corrupts the heap depending on what the freed space
 * holds by then. After a clean close, the next open builds the list from
 * the recovered pool.
 *
 * How: under the power-failure simulator (libpmemsim.so, preloaded: the
 * program re-executes itself with it), the freeing transaction's commit
 * writes the durable image at each drain point. Each image is then
 * opened in a child process twice over: (a) pmemobj_open, then a
 * transaction that frees and allocates (as a program does after a
 * crash); (b) pmemobj_open, pmemobj_close, pmemobj_open, the same
 * transaction. Each child then checks the pool with pmemobj_check().
 * The program prints every image's outcome and exits 0 when path (b)
 * was clean on every image (and, with -s, prints only the summary).
 * Path (a)'s outcome is reported, not asserted: with the release build
 * it depends on the heap's contents.
 *
 *   tests/powerfail/pmdk_repro [-s] [dir]    (dir: default /dev/shm)
 *   LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/pmdk_dbg tests/powerfail/pmdk_repro
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpmemobj.h>

#include "pf_sim.h"
#include "pmemsim.h"

#define NOBJ 400	/* objects freed in one transaction */
#define MAXIMG 1024
#define ROUNDS 8	/* transactions after the crash */
#define POOL_SIZE ((size_t)64 << 20)

struct root {
	uint64_t n;
	PMEMoid obj[NOBJ];
};

static void
die(const char *what)
{
	fprintf(stderr, "pmdk_repro: %s: %s\n", what, pmemobj_errormsg());
	exit(99);
}

/* images written at the drain points of the commit */
static struct {
	const char *path;
	int armed;
	unsigned n;
} W;

static void
hook(void *arg, uint64_t point)
{
	char img[4200];

	(void)arg;
	(void)point;
	if (!W.armed || W.n == MAXIMG)
		return;
	snprintf(img, sizeof(img), "%s.img%u", W.path, W.n++);
	if (pf_sim_write_image(img, PMEMSIM_IMG_DURABLE, 0) != 0)
		die("writing an image");
}

/* make -- the pool with NOBJ objects of mixed sizes (several runs) */
static void
make(const char *path)
{
	PMEMobjpool *pop = pmemobj_create(path, "repro", POOL_SIZE, 0600);
	if (pop == NULL)
		die("pmemobj_create");
	PMEMoid r = pmemobj_root(pop, sizeof(struct root));
	struct root *rp = pmemobj_direct(r);
	TX_BEGIN(pop) {
		pmemobj_tx_add_range(r, 0, sizeof(struct root));
		for (int i = 0; i < NOBJ; i++)
			rp->obj[i] = pmemobj_tx_alloc(64 + (size_t)(i % 7) *
					200, 1);
		rp->n = NOBJ;
	} TX_ONABORT {
		die("allocating");
	} TX_END
	pmemobj_close(pop);
}

/* free_all -- the transaction whose commit is imaged: frees every object */
static void
free_all(const char *path)
{
	PMEMobjpool *pop = pmemobj_open(path, "repro");
	if (pop == NULL)
		die("pmemobj_open");
	PMEMoid r = pmemobj_root(pop, sizeof(struct root));
	struct root *rp = pmemobj_direct(r);
	TX_BEGIN(pop) {
		pmemobj_tx_add_range(r, 0, sizeof(struct root));
		for (uint64_t i = 0; i < rp->n; i++) {
			pmemobj_tx_free(rp->obj[i]);
			rp->obj[i] = OID_NULL;
		}
		rp->n = 0;
		W.armed = 1;	/* the commit: everything from here on */
	} TX_ONABORT {
		die("freeing");
	} TX_END
	W.armed = 0;
	pmemobj_close(pop);
}

/* objsize -- sizes after the crash: small ones of many classes, and
 * every tenth large enough to take whole chunks */
static size_t
objsize(uint64_t i, int round)
{
	if (i % 10 == 0)
		return 100000 + (size_t)(i % 3) * 150000;
	return 64 + (size_t)((i + (uint64_t)round) % 23) * 97;
}

/*
 * after_crash -- in a child: open the image (twice over if reopen), run
 * a transaction that allocates (and so needs its redo log), close and
 * check. Exit 0 when all went well, 1 on an error, 2 when the pool
 * fails pmemobj_check, 3 when an object lost its bytes to another; a crash ends the child by a signal.
 */
static void __attribute__((noreturn))
after_crash(const char *img, int reopen)
{
	PMEMobjpool *pop = pmemobj_open(img, "repro");
	if (pop == NULL)
		_exit(1);
	if (reopen) {
		pmemobj_close(pop);
		if ((pop = pmemobj_open(img, "repro")) == NULL)
			_exit(1);
	}
	PMEMoid r = pmemobj_root(pop, sizeof(struct root));
	struct root *rp = pmemobj_direct(r);
	int failed = 0;
	for (int round = 0; round < ROUNDS && !failed; round++) {
		TX_BEGIN(pop) {
			pmemobj_tx_add_range(r, 0, sizeof(struct root));
			for (uint64_t i = 0; i < rp->n; i++)
				pmemobj_tx_free(rp->obj[i]);
			for (int i = 0; i < NOBJ; i++) {
				size_t sz = objsize(i, round);
				rp->obj[i] = pmemobj_tx_alloc(sz, 1);
				memset(pmemobj_direct(rp->obj[i]), i % 251, sz);
			}
			rp->n = NOBJ;
		} TX_ONABORT {
			failed = 1;
		} TX_END
		/* every object still holds its own bytes: none overlap */
		for (uint64_t i = 0; i < rp->n && !failed; i++) {
			const unsigned char *o = pmemobj_direct(rp->obj[i]);
			size_t sz = objsize(i, round);
			for (size_t j = 0; j < sz; j++)
				if (o[j] != i % 251)
					_exit(3);
		}
	}
	pmemobj_close(pop);
	if (failed)
		_exit(1);
	_exit(pmemobj_check(img, "repro") == 1 ? 0 : 2);
}

/* crashed -- in the child: where (libpmemobj's exported names only) */
static void
crashed(int sig)
{
	void *bt[32];
	int n = backtrace(bt, 32);

	(void)!write(2, "  where:\n", 9);
	backtrace_symbols_fd(bt, n < 8 ? n : 8, 2);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* outcome -- run after_crash on a copy of img; a word for the result */
static const char *
outcome(const char *img, int reopen, int *bad)
{
	static char buf[64];
	char copy[4300], cmd[9000];
	int st;

	snprintf(copy, sizeof(copy), "%s.%s", img, reopen ? "b" : "a");
	snprintf(cmd, sizeof(cmd), "cp --sparse=always '%s' '%s'", img, copy);
	if (system(cmd) != 0)
		die("copying an image");
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		signal(SIGSEGV, crashed);
		signal(SIGBUS, crashed);
		signal(SIGABRT, crashed);
		after_crash(copy, reopen);
	}
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	unlink(copy);
	*bad = !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "crashed (%s)",
				strsignal(WTERMSIG(st)));
	else if (WEXITSTATUS(st) == 1)
		snprintf(buf, sizeof(buf), "transaction or open failed");
	else if (WEXITSTATUS(st) == 3)
		snprintf(buf, sizeof(buf), "two live objects overlap");
	else if (WEXITSTATUS(st) == 2)
		snprintf(buf, sizeof(buf), "pmemobj_check: inconsistent");
	else
		snprintf(buf, sizeof(buf), "ok");
	return buf;
}

int
main(int argc, char **argv)
{
	int quiet = argc > 1 && strcmp(argv[1], "-s") == 0;
	const char *dir = argc > 1 + quiet ? argv[1 + quiet] : "/dev/shm";
	char path[4096], img[4200];
	unsigned bad_a = 0, bad_b = 0;
	int bad;

	pf_sim_init(argv);	/* prints which libpmemobj it loaded */
	snprintf(path, sizeof(path), "%s/pmdk-repro-%d.pool", dir,
			(int)getpid());
	unlink(path);
	make(path);
	W.path = path;
	if (pf_sim_watch(path) != 0)
		die("pmemsim_watch");
	pf_sim_set_hook(hook, NULL);
	free_all(path);
	pf_sim_set_hook(NULL, NULL);
	pf_sim_unwatch();
	printf("freeing %d objects in one transaction: %u drain points in "
			"its commit\n", NOBJ, W.n);
	for (unsigned i = 0; i < W.n; i++) {
		char a[64];
		int bad2;
		snprintf(img, sizeof(img), "%s.img%u", path, i);
		snprintf(a, sizeof(a), "%s", outcome(img, 0, &bad));
		const char *b = outcome(img, 1, &bad2);
		bad_a += (unsigned)bad;
		bad_b += (unsigned)bad2;
		if (!quiet || bad || bad2)
			printf("drain point %3u of %u: open, allocate: %s; "
					"open, close, open, allocate: %s\n",
					i + 1, W.n, a, b);
		unlink(img);
	}
	unlink(path);
	printf("open, allocate: %u of %u images failed; open, close, open, "
			"allocate: %u of %u\n", bad_a, W.n, bad_b, W.n);
	return bad_b == 0 && W.n > 0 ? 0 : 1;
}
