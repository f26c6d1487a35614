/*
 * test_corrupt.c -- pmemkit against thousands of damaged pools
 *
 * A representative pool (seed.c) is damaged in more than ten thousand
 * ways (mutate.c): fields of pmemkit's own structures overwritten with
 * hostile values, bits flipped and bytes overwritten in its objects and in
 * libpmemobj's metadata (headers, lanes and their logs, zone and chunk
 * headers, run bitmaps, allocation headers), pages that hold data zeroed
 * or overwritten, the file truncated, foreign files. Each image is
 * opened, walked, checked and collected (walk.c) in a child process with
 * a time limit, so that a crash or a hang is caught and reported with the
 * mutation that caused it. Every outcome must be a return code from
 * pmemkit's table or errno (or a clean walk): never a signal, a hang, a
 * cursor that does not end, or a foreign object freed.
 *
 * Environment: PK_HOSTILE_PERCENT and PK_TEST_SCALE scale the number of
 * cases (PK_HOSTILE_PERCENT=1000 for a sweep ten times longer),
 * PK_HOSTILE_JOBS sets the workers run at once (default 2),
 * PK_HOSTILE_KEEP names a directory to keep the images that fail in.
 */
#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"
#include "hostile.h"

/* a case that has not finished in this long hangs (a case takes ~10 ms) */
#define CASE_TIMEOUT 60
#define MAX_JOBS 8
#define MAX_REPORTED 25
#define MAX_REASONS 48

/* cases per class, before PK_HOSTILE_PERCENT */
static const unsigned class_cases[HX_NCLASSES] = {
	[HX_C_FIELD] = 2500, [HX_C_FIELD_DIRTY] = 1000,
	[HX_C_BITFLIP] = 1200, [HX_C_BYTE] = 800, [HX_C_MULTI] = 700,
	[HX_C_POOLHDR] = 500, [HX_C_META] = 2400, [HX_C_PAGE] = 1200,
	[HX_C_TRUNC] = 600, [HX_C_FOREIGN] = 100,
};

/* outcome codes, counted: 0, errno 1..133, pmemkit's codes, other */
#define NCODES 160
static int
code_idx(int rc)
{
	if (rc >= 0 && rc < 134)
		return rc;
	if (rc <= PK_NOTFOUND && rc > PK_NOTFOUND - 20)
		return 134 + (PK_NOTFOUND - rc);
	return NCODES - 1;
}

static int
idx_code(int i)
{
	return i < 134 ? i : i == NCODES - 1 ? 1 << 30 : PK_NOTFOUND - (i - 134);
}

struct tally {
	uint64_t files[HX_NCLASSES], opened[HX_NCLASSES], failed[HX_NCLASSES];
	uint64_t open[HX_NCLASSES][NCODES];
	uint64_t walk[NCODES], check[NCODES], gc[NCODES], check2[NCODES];
	uint64_t check_ok_walk_failed, gc_freed_cases, gc_freed;
	uint64_t entries, containers;
	uint64_t failures;
	char report[MAX_REPORTED][600];
	/* why opens were refused: the message less its numbers */
	char reason[MAX_REASONS][80];
	uint64_t reason_n[MAX_REASONS];
	int nreasons;
	uint64_t refused_meta;		/* by lib/precheck.c */
};

/* memory shared by the parent and the workers */
struct shared {
	uint64_t next;			/* the next case to take */
	int64_t cur[MAX_JOBS];		/* each worker's case, -1 for none */
	struct hx_result res[];		/* one per case */
};

static void
keep_image(const struct hx_mutation *m, struct hx_seed *s, uint64_t n)
{
	const char *dir = getenv("PK_HOSTILE_KEEP");
	char path[4200];

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/fail-%06llu.pool", dir,
			(unsigned long long)n);
	hx_mutation_write(m, s, path);
}

static void
record_failure(struct tally *t, const struct hx_mutation *m, struct hx_seed *s,
		const char *what)
{
	if (t->failures < MAX_REPORTED)
		snprintf(t->report[t->failures], sizeof(t->report[0]),
				"[%s] %s: %s", hx_class_name[m->cls], what,
				m->desc);
	keep_image(m, s, t->failures);
	t->failures++;
	t->failed[m->cls]++;
}

/*
 * count_reason -- tally a refused open by its message, less the file's
 * name and the numbers in it ("zone N chunk N: type N")
 */
static void
count_reason(struct tally *t, const char *why)
{
	const char *meta = strstr(why, "libpmemobj metadata: ");
	const char *p = meta != NULL ? meta + strlen("libpmemobj metadata: ")
		: why;
	char key[80];
	size_t n = 0;
	int i;

	if (meta != NULL) {
		t->refused_meta++;
		memcpy(key, "check: ", 7);
		n = 7;
	}
	/* up to the file's name, numbers as N */
	for (; *p && *p != '/' && n < 56; p++) {
		if (*p >= '0' && *p <= '9') {
			key[n++] = 'N';
			while (p[1] == 'x' || (p[1] >= '0' && p[1] <= '9') ||
					(p[1] >= 'a' && p[1] <= 'f'))
				p++;
			continue;
		}
		key[n++] = *p;
	}
	key[n] = '\0';
	for (i = 0; i < t->nreasons; i++)
		if (strcmp(t->reason[i], key) == 0)
			break;
	if (i == t->nreasons) {
		if (t->nreasons == MAX_REASONS)
			i = MAX_REASONS - 1;	/* the last takes the rest */
		else
			snprintf(t->reason[t->nreasons++], sizeof(key), "%s",
					key);
	}
	t->reason_n[i]++;
}

/* finished -- account for the case a child ran */
static void
finished(struct tally *t, const struct hx_mutation *m,
		const struct hx_result *r, struct hx_seed *s)
{
	char what[400];

	t->files[m->cls]++;
	if (r->sig != 0) {
		snprintf(what, sizeof(what), "%s in %s",
				r->sig == SIGALRM ? "hang" : strsignal(r->sig),
				hx_stage_name[r->stage]);
		record_failure(t, m, s, what);
		return;
	}
	if (r->stage != HX_ST_DONE || r->bad || r->foreign_lost) {
		snprintf(what, sizeof(what), "%s (stage %s)",
				r->foreign_lost ? "foreign object lost" :
				r->bad ? r->why : "not run",
				hx_stage_name[r->stage]);
		record_failure(t, m, s, what);
		return;
	}
	t->open[m->cls][code_idx(r->open_rc)]++;
	if (r->open_rc != 0) {
		count_reason(t, r->open_why);
		return;
	}
	t->opened[m->cls]++;
	t->walk[code_idx(r->walk_rc)]++;
	t->check[code_idx(r->check_rc)]++;
	t->gc[code_idx(r->gc_rc)]++;
	if (r->gc_rc == 0)
		t->check2[code_idx(r->check2_rc)]++;
	if (r->check_rc == 0 && r->walk_rc != 0)
		t->check_ok_walk_failed++;
	if (r->freed > 0) {
		t->gc_freed_cases++;
		t->gc_freed += r->freed;
	}
	t->entries += r->entries;
	t->containers += r->containers;
}

static void
print_codes(const char *what, const uint64_t *c)
{
	char name[64];

	printf("  %-8s", what);
	for (int i = 0; i < NCODES; i++)
		if (c[i])
			printf(" %s %llu", hx_code_name(idx_code(i), name,
						sizeof(name)),
					(unsigned long long)c[i]);
	printf("\n");
}

static void
print_tally(const struct tally *t, double secs, int jobs)
{
	uint64_t files = 0, opened = 0;
	char name[64];

	for (int c = 0; c < HX_NCLASSES; c++) {
		files += t->files[c];
		opened += t->opened[c];
	}
	printf("hostile corpus: %llu files, %llu refused, %llu opened, %llu "
			"failures, %.1f s with %d jobs\n",
			(unsigned long long)files,
			(unsigned long long)(files - opened),
			(unsigned long long)opened,
			(unsigned long long)t->failures, secs, jobs);
	printf("  %-12s %6s %6s %6s  open outcomes\n", "class", "files",
			"opened", "failed");
	for (int c = 0; c < HX_NCLASSES; c++) {
		printf("  %-12s %6llu %6llu %6llu ", hx_class_name[c],
				(unsigned long long)t->files[c],
				(unsigned long long)t->opened[c],
				(unsigned long long)t->failed[c]);
		for (int i = 0; i < NCODES; i++)
			if (t->open[c][i])
				printf(" %s %llu", hx_code_name(idx_code(i),
							name, sizeof(name)),
						(unsigned long long)t->open[c][i]);
		printf("\n");
	}
	printf(" of the opened pools, first error of the walk and results of "
			"check, gc, check after a successful gc:\n");
	print_codes("walk", t->walk);
	print_codes("check", t->check);
	print_codes("gc", t->gc);
	print_codes("check2", t->check2);
	printf("  check passed but the walk met an error: %llu; gc freed "
			"%llu objects in %llu pools; %llu containers and "
			"%llu entries read\n",
			(unsigned long long)t->check_ok_walk_failed,
			(unsigned long long)t->gc_freed,
			(unsigned long long)t->gc_freed_cases,
			(unsigned long long)t->containers,
			(unsigned long long)t->entries);
	printf("  refused %llu files, %llu of them by the check of "
			"libpmemobj's metadata; refusals by reason:\n",
			(unsigned long long)(files - opened),
			(unsigned long long)t->refused_meta);
	for (int i = 0; i < t->nreasons; i++)
		printf("  %6llu  %s\n", (unsigned long long)t->reason_n[i],
				t->reason[i]);
	for (uint64_t i = 0; i < t->failures && i < MAX_REPORTED; i++)
		printf("  FAIL %s\n", t->report[i]);
	fflush(stdout);
}

/*
 * worker -- run cases taken from the shared counter, each on this
 * worker's file, re-arming the alarm for each, until none are left: a
 * process per case would spend most of its time in page faults of
 * libpmemobj's runtime state. A crash or a hang ends the process; the
 * parent then charges the case in sh->cur[w] with it and forks another.
 */
static void
worker(int w, struct shared *sh, const struct hx_mutation *muts,
		uint64_t total, struct hx_seed *s, const char *path)
{
	signal(SIGALRM, SIG_DFL); /* not Check's handler */
	/* memory libpmemobj frees at close stays mapped for the next open:
	 * page faults are most of what an open costs */
	mallopt(M_MMAP_THRESHOLD, 1 << 30);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	for (;;) {
		uint64_t i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST);
		if (i >= total)
			break;
		struct hx_result *r = &sh->res[i];
		sh->cur[w] = (int64_t)i;
		if (hx_mutation_write(&muts[i], s, path) != 0) {
			r->bad = 1;
			snprintf(r->why, sizeof(r->why), "cannot write %s", path);
			continue;
		}
		alarm(CASE_TIMEOUT);
		/* (metadata and page damage may hit the foreign object or
		 * the bits that say it is allocated) */
		hx_walk_file(path, r, muts[i].cls <= HX_C_MULTI);
		alarm(0);
	}
	sh->cur[w] = -1;
	_exit(0);
}

static pid_t
spawn(int w, struct shared *sh, const struct hx_mutation *muts,
		uint64_t total, struct hx_seed *s, const char *path)
{
	pid_t pid = fork();

	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		worker(w, sh, muts, total, s, path);
	return pid;
}

static int
env_int(const char *name, int dflt, int lo, int hi)
{
	const char *v = getenv(name);
	int n = v != NULL && *v ? atoi(v) : dflt;
	return n < lo ? lo : n > hi ? hi : n;
}

START_TEST(test_corpus)
{
	struct hx_seed seed;
	struct hx_mutation *muts;
	struct shared *sh;
	struct tally *t = calloc(1, sizeof(*t));
	char path[MAX_JOBS][4200];
	pid_t pids[MAX_JOBS];
	int njobs = env_int("PK_HOSTILE_JOBS", 2, 1, MAX_JOBS);
	int pct = (int)test_scale(env_int("PK_HOSTILE_PERCENT", 100, 1,
				100000));
	uint64_t rng = 0x686f7374696c65ULL, left[HX_NCLASSES], total = 0;
	unsigned kinds[HX_NKINDS] = { 0 };
	struct timespec t0, t1;
	size_t shsize;
	int status, running = 0;

	ck_assert_ptr_nonnull(t);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	PK_OK(hx_seed_build(test_file("seed")));
	ck_assert_int_eq(hx_seed_load(&seed, test_file("seed")), 0);
	for (size_t i = 0; i < seed.nobj; i++)
		kinds[seed.obj[i].kind]++;
	printf("seed pool: %zu bytes, %zu objects (", seed.size, seed.nobj);
	for (int k = 0; k < HX_NKINDS; k++)
		printf("%s%s %u", k ? ", " : "", hx_kind_name[k], kinds[k]);
	printf("), %zu fields targeted\n", seed.nfld);
	/* the seed has every structure the corpus is meant to damage */
	ck_assert_uint_eq(kinds[HX_ROOT], 1);
	ck_assert_uint_ge(kinds[HX_OVERFLOW], 2);
	ck_assert_uint_ge(kinds[HX_SEGMENT], 12);
	ck_assert_uint_ge(kinds[HX_LISTSEG], 6 + 2);	/* 2 capped */
	ck_assert_uint_eq(kinds[HX_LISTDIR], 1);
	ck_assert_uint_ge(kinds[HX_BLOB], 50);
	ck_assert_uint_ge(kinds[HX_ARRAYDATA], 7);
	ck_assert_uint_eq(kinds[HX_LOG], 1);
	ck_assert_uint_ge(kinds[HX_LOGCHUNK], 2);
	ck_assert_uint_eq(kinds[HX_BLOCKS], 1);
	ck_assert_uint_eq(kinds[HX_BLKMAP], 1);
	ck_assert_uint_eq(kinds[HX_BLKEXT], 3);
	ck_assert_uint_eq(kinds[HX_SORTED], 1);
	ck_assert_uint_ge(kinds[HX_SINNER], 3);	/* three levels */
	ck_assert_uint_ge(kinds[HX_SLEAF], 33);
	ck_assert_uint_eq(kinds[HX_FOREIGN], 1);

	/* every case drawn up front: classes interleaved in proportion */
	for (int c = 0; c < HX_NCLASSES; c++)
		total += left[c] = ((uint64_t)class_cases[c] * (unsigned)pct +
				99) / 100;
	muts = calloc(total + 1, sizeof(*muts));
	ck_assert_ptr_nonnull(muts);
	/* case 0 is the undamaged seed: it must walk cleanly */
	muts[0].cls = HX_C_FIELD;
	for (uint64_t n = 1; n <= total; n++) {
		uint64_t pick = hx_rand(&rng) % (total - n + 1);
		int c = 0;
		while (pick >= left[c])
			pick -= left[c++];
		left[c]--;
		hx_mutation_make(&muts[n], &seed, c, &rng);
	}
	total++;

	shsize = sizeof(*sh) + total * sizeof(sh->res[0]);
	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	for (int i = 0; i < njobs; i++) {
		char name[8] = { 'w', (char)('0' + i), 0 };
		snprintf(path[i], sizeof(path[i]), "%s", test_file(name));
		sh->cur[i] = -1;
		pids[i] = spawn(i, sh, muts, total, &seed, path[i]);
		running++;
	}
	while (running > 0) {
		pid_t pid = waitpid(-1, &status, 0);
		int w = -1;
		ck_assert_int_gt(pid, 0);
		for (int i = 0; i < njobs; i++)
			if (pids[i] == pid)
				w = i;
		if (w < 0)
			continue;
		running--;
		if (sh->cur[w] >= 0) {
			/* the worker died in the middle of its case */
			struct hx_result *r = &sh->res[sh->cur[w]];
			r->sig = WIFSIGNALED(status) ? WTERMSIG(status) : -1;
			if (!WIFSIGNALED(status))
				snprintf(r->why, sizeof(r->why), "exit %d",
						WEXITSTATUS(status));
		}
		if (sh->next < total) {
			sh->cur[w] = -1;
			pids[w] = spawn(w, sh, muts, total, &seed, path[w]);
			running++;
		}
	}

	const struct hx_result *r0 = &sh->res[0];
	ck_assert_msg(r0->stage == HX_ST_DONE && r0->sig == 0 && !r0->bad &&
			r0->open_rc == 0 && r0->walk_rc == 0 &&
			r0->check_rc == 0 && r0->gc_rc == 0 && r0->freed == 0 &&
			!r0->foreign_lost, "the seed does not walk cleanly: "
			"stage %d, open %d, walk %d, check %d, gc %d, freed %llu, "
			"%s", r0->stage, r0->open_rc, r0->walk_rc, r0->check_rc,
			r0->gc_rc, (unsigned long long)r0->freed, r0->why);
	printf("seed walk: %llu containers, %llu entries\n",
			(unsigned long long)r0->containers,
			(unsigned long long)r0->entries);
	for (uint64_t i = 1; i < total; i++)
		finished(t, &muts[i], &sh->res[i], &seed);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_tally(t, (double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9, njobs);
	if (pct >= 100)
		ck_assert_uint_ge(total - 1, 10000);
	ck_assert_msg(t->failures == 0, "%llu of %llu damaged pools crashed, "
			"hung or broke an invariant; first: %s",
			(unsigned long long)t->failures,
			(unsigned long long)total - 1, t->report[0]);
	munmap(sh, shsize);
	free(muts);
	hx_seed_free(&seed);
	free(t);
}
END_TEST

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

int
main(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("corrupt");

	tcase_add_checked_fixture(tc, setup, teardown);
	/* the corpus takes about a minute; a hang is caught per case */
	tcase_set_timeout(tc, 3600);
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
