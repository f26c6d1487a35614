/*
 * pf.c -- the crash-image harness: worker side (runs operations under the
 * simulator and writes an image at each drain point) and verifier side
 * (opens, checks and classifies each image). See pf.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <execinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpmemobj.h>

#include "../common.h"
#include "pf.h"
#include "pmemsim.h"

/* images the worker may have written ahead of the verifier */
#define WINDOW 8

/* ---------------------------------------------------------------------- */
/* messages from the worker */

enum { M_BEGIN = 1, M_IMAGE, M_END, M_FAIL, M_DONE };

struct msg {
	uint32_t type;
	uint32_t flags;
	uint64_t a;
	uint64_t len;	/* payload bytes that follow */
	char kind[48];
};

#define IMG_FINAL 0x100u	/* flags of M_IMAGE: low byte = variant */

static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_all(int fd, void *p, size_t n)
{
	char *c = p;
	while (n > 0) {
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static int worker_fd = -1;

static void
send_msg(int fd, uint32_t type, uint32_t flags, uint64_t a, const char *kind,
		const void *p, size_t len)
{
	struct msg m;
	memset(&m, 0, sizeof(m));
	m.type = type;
	m.flags = flags;
	m.a = a;
	m.len = len;
	if (kind)
		snprintf(m.kind, sizeof(m.kind), "%s", kind);
	if (write_all(fd, &m, sizeof(m)) != 0 || write_all(fd, p, len) != 0) {
		fprintf(stderr, "worker: writing to the verifier: %s\n",
				strerror(errno));
		_exit(3); /* the verifier is gone */
	}
}

void
pf_fail(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (worker_fd >= 0)
		send_msg(worker_fd, M_FAIL, 0, 0, NULL, buf, strlen(buf) + 1);
	else
		fprintf(stderr, "%s\n", buf);
	_exit(2);
}

/* ---------------------------------------------------------------------- */
/* worker side */

static void
image(struct pf_ctx *c, unsigned variant, int final, uint64_t point)
{
	char path[4200];
	unsigned char ack;

	snprintf(path, sizeof(path), "%s.img%llu", c->path,
			(unsigned long long)c->img_seq);
	int rc = pf_sim_write_image(path, variant, c->seed * 1000003u +
			c->img_seq);
	c->img_seq++;
	if (rc != 0)
		pf_fail("writing image %s: %s", path, strerror(rc));
	send_msg(c->wfd, M_IMAGE, variant | (final ? IMG_FINAL : 0), point,
			NULL, path, strlen(path) + 1);
	if (++c->outstanding > WINDOW) {
		if (read_all(c->rfd, &ack, 1) != 0) {
			fprintf(stderr, "worker: reading from the verifier: "
					"%s\n", strerror(errno));
			_exit(3);
		}
		c->outstanding--;
	}
}

/*
 * sampled -- whether to take the next image within an operation: all of
 * them, unless PK_TEST_SCALE is below 1 (the tarball's and the
 * sanitizers' runs), then one in 1/scale, in turn across operations so
 * that every drain position is still taken somewhere. The deliberately
 * broken operations, which must be caught, and the image after an
 * operation returned are always taken.
 */
static int
sampled(struct pf_ctx *c)
{
	if (c->broken)
		return 1;
	if (c->candidates++ % c->stride != 0)
		return 0;
	if (c->kind_ops < PF_FULL_OPS || getenv("PF_FULL") != NULL)
		return 1;
	return (c->kind_cand++ + c->kind_ops) % PF_SAMPLE == 0;
}

/* operations begun per kind, in the worker (for sampled()) */
#define PF_KINDS 160
struct pf_kinds {
	char name[PF_KINDS][48];
	uint64_t ops[PF_KINDS];
};

/* kind_begun -- how many operations of kind began before this one */
static uint64_t
kind_begun(const char *kind)
{
	static struct pf_kinds k;
	int i;

	for (i = 0; i < PF_KINDS && k.name[i][0]; i++)
		if (strcmp(k.name[i], kind) == 0)
			return k.ops[i]++;
	if (i == PF_KINDS)
		return 0;
	snprintf(k.name[i], sizeof(k.name[i]), "%s", kind);
	return k.ops[i]++;
}

static void
hook(void *arg, uint64_t point)
{
	struct pf_ctx *c = arg;
	struct pmemsim_stats st;

	if (!c->armed)
		return;
	pf_sim_get_stats(&st);
	point -= c->drains0;
	/* a drain that changed nothing leaves the image of the last one */
	if (st.changes != c->last_change) {
		c->last_change = st.changes;
		if (sampled(c))
			image(c, PMEMSIM_IMG_DURABLE, 0, point);
	}
	if ((c->variants & PMEMSIM_IMG_PARTIAL) && st.pending > 1 &&
	    sampled(c))
		image(c, PMEMSIM_IMG_PARTIAL, 0, point);
	if ((c->variants & PMEMSIM_IMG_EVICT) && sampled(c))
		image(c, c->variants, 0, point);
}

static void
take_state(struct pf_ctx *c)
{
	if (c->pool == NULL)
		return;
	c->state->n = 0;
	int rc = pf_dump(c->state, c->pool);
	if (rc != 0)
		pf_fail("dump of the live pool failed: %s; %s",
				pk_strerror(rc), pk_errormsg());
}

void
pf_begin(struct pf_ctx *c, const char *kind, unsigned flags)
{
	struct pmemsim_stats st;

	if (c->armed)
		pf_fail("pf_begin(%s) inside an operation", kind);
	take_state(c);
	if (flags & PF_NOPOOL)
		c->state->n = 0;
	c->broken = (flags & PF_BROKEN) != 0;
	c->kind_ops = kind_begun(kind);
	c->kind_cand = 0;
	send_msg(c->wfd, M_BEGIN, flags, 0, kind, c->state->p, c->state->n);
	pf_sim_get_stats(&st);
	c->drains0 = st.drains;
	c->last_change = UINT64_MAX; /* the first drain point's image */
	c->armed = 1;
}

void
pf_end(struct pf_ctx *c)
{
	pf_end_as(c, NULL);
}

void
pf_end_as(struct pf_ctx *c, const char *kind)
{
	struct pmemsim_stats st;

	if (!c->armed)
		pf_fail("pf_end outside an operation");
	c->armed = 0;
	pf_sim_get_stats(&st);
	if (st.pending > 0 && c->pool != NULL)
		pf_fail("%llu lines flushed but not drained when the "
				"operation returned",
				(unsigned long long)st.pending);
	image(c, PMEMSIM_IMG_DURABLE, 1, st.drains - c->drains0);
	take_state(c);
	send_msg(c->wfd, M_END, 0, st.drains - c->drains0, kind,
			c->state->p, c->state->n);
}

void
pf_create(struct pf_ctx *c)
{
	W(pk_pool_create(&c->pool, c->path, c->size, 0));
	W(pk_pool_root(&c->root, c->pool));
}

void
pf_reopen(struct pf_ctx *c)
{
	pk_map_close(c->root);
	W(pk_pool_close(c->pool));
	W(pk_pool_open(&c->pool, c->path));
	W(pk_pool_root(&c->root, c->pool));
}

static void __attribute__((noreturn))
worker(void (*scenario)(struct pf_ctx *), const struct pf_opts *o, int wfd,
		int rfd)
{
	struct pf_buf state = { 0 };
	struct pf_ctx c;
	struct pmemsim_stats st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	worker_fd = wfd;
	/* libpmem reads this at its first pmem_is_pmem(), in this process */
	if (o->msync)
		setenv("PMEM_IS_PMEM_FORCE", "0", 1);
	memset(&c, 0, sizeof(c));
	c.path = test_path;
	c.size = o->pool_size ? o->pool_size : PK_POOL_MIN_SIZE;
	c.variants = o->variants;
	c.seed = o->seed;
	c.stride = (uint64_t)(1000 / test_scale(1000));
	if (c.stride == 0)
		c.stride = 1;
	c.wfd = wfd;
	c.rfd = rfd;
	c.state = &state;
	if (pf_sim_watch(c.path) != 0)
		pf_fail("pmemsim_watch failed");
	pf_sim_set_hook(hook, &c);
	scenario(&c);
	pk_map_close(c.root);
	if (c.pool != NULL)
		W(pk_pool_close(c.pool));
	pf_sim_get_stats(&st);
	send_msg(wfd, M_DONE, 0, st.msyncs, NULL, NULL, 0);
	_exit(0);
}

/* ---------------------------------------------------------------------- */
/* verifier side */

enum { V_OK, V_OPENFAIL, V_DAMAGED };

/* an image's outcome; dumps that are not the before state are kept once */
struct img {
	int res;
	int code;		/* V_OPENFAIL: the error */
	int state;		/* 0: before; else 1 + index in distinct */
	unsigned flags;
	uint64_t point;
	char msg[256];
};

struct op {
	char kind[64];
	unsigned flags;
	struct pf_buf before;
	struct pf_buf distinct[16];
	int ndistinct;
	struct img *img;
	size_t n, cap;
};

/*
 * check_image -- open the image as a program would after the crash, check
 * it and dump it; V_OK leaves the pool open in *pp for the probe
 */
static int
check_image(pk_pool **pp, const char *path, struct pf_buf *dump,
		struct img *im)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;
	pk_pool *p;
	int rc;

	rc = pk_pool_open(&p, path);
	if (rc != 0) {
		im->code = rc;
		snprintf(im->msg, sizeof(im->msg), "pk_pool_open: %s; %s",
				pk_strerror(rc), pk_errormsg());
		return V_OPENFAIL;
	}
	rc = pk_pool_check(&r, p);
	if (rc != 0 || r.objects != r.reachable) {
		snprintf(im->msg, sizeof(im->msg), "pk_pool_check: %s: %llu "
				"objects, %llu reachable, %llu leaked, %llu "
				"dangling, %llu refcounts, %llu damaged",
				pk_strerror(rc), (unsigned long long)r.objects,
				(unsigned long long)r.reachable,
				(unsigned long long)r.leaked,
				(unsigned long long)r.dangling,
				(unsigned long long)r.refcounts,
				(unsigned long long)r.damaged);
		pk_pool_close(p);
		return V_DAMAGED;
	}
	rc = pf_dump(dump, p);
	if (rc != 0) {
		snprintf(im->msg, sizeof(im->msg), "reading the contents: "
				"%s; %s", pk_strerror(rc), pk_errormsg());
		pk_pool_close(p);
		return V_DAMAGED;
	}
	*pp = p;
	return V_OK;
}

/*
 * probe -- the recovered pool, in the session that recovered it, takes a
 * write that allocates and stays sound: 0, or 1 with im->msg saying why.
 * Closes the pool. A crash in it is a crash of the checking process,
 * which the helper reports as a violation.
 */
static int
probe(pk_pool *p, struct img *im)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;
	pk_map *root;
	char big[300];
	int rc;

	memset(big, 'p', sizeof(big));
	pk_value k = pk_string("pf-probe", 8), v = pk_bytes(big, sizeof(big));
	if ((rc = pk_pool_root(&root, p)) == 0) {
		if ((rc = pk_map_put(root, &k, &v)) == 0)
			rc = pk_map_remove(root, &k);
		pk_map_close(root);
	}
	if (rc == 0)
		rc = pk_pool_check(&r, p);
	if (rc != 0)
		snprintf(im->msg, sizeof(im->msg), "a write after recovery: "
				"%s; %s", pk_strerror(rc), pk_errormsg());
	pk_pool_close(p);
	return rc != 0;
}

static int
buf_eq(const struct pf_buf *a, const struct pf_buf *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

static size_t
first_diff(const struct pf_buf *a, const struct pf_buf *b)
{
	size_t i = 0;
	while (i < a->n && i < b->n && a->p[i] == b->p[i])
		i++;
	return i;
}

/* new_img -- the slot of the next image of the operation */
static size_t
new_img(struct op *op, unsigned flags, uint64_t point)
{
	if (op->n == op->cap) {
		op->cap = op->cap ? op->cap * 2 : 64;
		op->img = realloc(op->img, op->cap * sizeof(*op->img));
		ck_assert(op->img != NULL);
	}
	memset(&op->img[op->n], 0, sizeof(op->img[op->n]));
	op->img[op->n].flags = flags;
	op->img[op->n].point = point;
	return op->n++;
}

/* classify -- which state an image's dump holds (it is kept) */
static void
classify(struct op *op, struct img *im, struct pf_buf *dump)
{
	if (im->res != V_OK || buf_eq(dump, &op->before)) {
		pf_buf_free(dump);
		return;
	}
	for (int i = 0; i < op->ndistinct; i++)
		if (buf_eq(dump, &op->distinct[i])) {
			im->state = i + 1;
			pf_buf_free(dump);
			return;
		}
	if (op->ndistinct < 16) {
		op->distinct[op->ndistinct] = *dump;
		im->state = ++op->ndistinct;
		memset(dump, 0, sizeof(*dump));
		return;
	}
	im->state = -1; /* too many different states: surely wrong */
	pf_buf_free(dump);
}

/*
 * Helpers: processes that open and check images, so that checking runs
 * on every core. Each opens its images one after another, as a program
 * that reopens a pool does: libpmemobj keeps a table of the pools a
 * process has open, by UUID (every image has the same one), and a close
 * leaves nothing of the pool in it. A fresh process per image cost about
 * 110 ms an open in page faults on libpmemobj's runtime state. The
 * verifier, which forks them, never opens a pool itself.
 */
struct req {
	uint64_t index;
	char path[4200];
};
struct rep {
	uint64_t index;
	int res, code;
	char msg[256];
	uint64_t len;	/* dump bytes that follow */
};

/*
 * the image a helper is checking, kept when checking it crashes (in
 * $PF_KEEP if set: the test directory is removed at the end)
 */
static char helper_path[4200], helper_keep[4400];

static void
helper_crash(int sig)
{
	if (link(helper_path, helper_keep) == 0) {
		(void)!write(2, "checking crashed on image, kept as ", 35);
		(void)!write(2, helper_keep, strlen(helper_keep));
		(void)!write(2, "\n", 1);
	}
	void *bt[64];
	backtrace_symbols_fd(bt, backtrace(bt, 64), 2);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void __attribute__((noreturn))
helper(int rfd, int wfd)
{
	struct req q;
	struct rep r;
	struct img im;
	struct pf_buf dump = { 0 };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGSEGV, helper_crash);
	signal(SIGBUS, helper_crash);
	signal(SIGABRT, helper_crash);
	while (read_all(rfd, &q, sizeof(q)) == 0) {
		memcpy(helper_path, q.path, sizeof(helper_path));
		const char *kd = getenv("PF_KEEP"), *base = strrchr(q.path, '/');
		snprintf(helper_keep, sizeof(helper_keep), "%s%s.crashed",
				kd ? kd : "", kd ? base : q.path);
		memset(&im, 0, sizeof(im));
		dump.n = 0;
		memset(&r, 0, sizeof(r));
		r.index = q.index;
		if (kd != NULL) { /* the image as it was, for a crash */
			char cmd[9000];
			snprintf(cmd, sizeof(cmd), "cp --sparse=always '%s' "
					"'%s.orig'", q.path, helper_keep);
			if (system(cmd) != 0)
				abort();
		}
		pk_pool *p;
		r.res = check_image(&p, q.path, &dump, &im);
		r.code = im.code;
		if (r.res == V_OK && probe(p, &im) != 0)
			r.res = V_DAMAGED;
		memcpy(r.msg, im.msg, sizeof(r.msg));
		r.len = r.res == V_OK ? dump.n : 0;
		if (kd != NULL && r.res != V_DAMAGED) {
			char orig[4500];
			snprintf(orig, sizeof(orig), "%s.orig", helper_keep);
			unlink(orig);
		}
		unlink(q.path);
		if (write_all(wfd, &r, sizeof(r)) != 0 ||
		    write_all(wfd, dump.p, r.len) != 0)
			break;
	}
	_exit(0);
}

/*
 * finish_op -- classify every image of the operation now that its after
 * state is known; returns the number of violations and describes the
 * first in why
 */
static uint64_t
finish_op(struct op *op, const struct pf_buf *after, uint64_t drains,
		char *why, size_t whylen)
{
	uint64_t nb = 0, na = 0, nn = 0, bad = 0;
	int after_seen = 0, same = buf_eq(&op->before, after);
	int aidx = 0;

	for (int i = 0; i < op->ndistinct; i++)
		if (buf_eq(&op->distinct[i], after))
			aidx = i + 1;
	for (size_t i = 0; i < op->n; i++) {
		struct img *im = &op->img[i];
		int final = (im->flags & IMG_FINAL) != 0;
		int durable = (im->flags & 0xff) == PMEMSIM_IMG_DURABLE;
		char what[300] = "";

		if (im->res == V_OPENFAIL) {
			int ok = (op->flags & PF_NOPOOL) && !final &&
				!after_seen && (im->code == PK_ECORRUPT ||
				im->code == PK_ENOTPOOL ||
				im->code == PK_ELAYOUT);
			if (ok) {
				nn++;
				continue;
			}
			snprintf(what, sizeof(what), "%s", im->msg);
		} else if (im->res == V_DAMAGED) {
			snprintf(what, sizeof(what), "%s", im->msg);
		} else if (im->state == 0 && (!final || same) &&
				(!after_seen || same || !durable)) {
			nb++;
			continue;
		} else if (im->state != 0 && im->state == aidx) {
			na++;
			after_seen |= durable;
			continue;
		} else if (im->state == 0) {
			snprintf(what, sizeof(what), "the state before the "
					"operation, %s", final ?
					"after it returned" :
					"after an image with the state after it");
		} else {
			const struct pf_buf *d = im->state > 0 ?
				&op->distinct[im->state - 1] : NULL;
			snprintf(what, sizeof(what), "neither the state before "
					"nor after (dump of %zu bytes; before %zu "
					"differs at %zu, after %zu at %zu)",
					d ? d->n : 0, op->before.n,
					d ? first_diff(d, &op->before) : 0,
					after->n, d ? first_diff(d, after) : 0);
		}
		if (bad++ == 0)
			snprintf(why, whylen, "%s: image %zu (%s%s, drain point "
					"%llu of %llu): %s", op->kind, i,
					durable ? "durable" : "with partial "
					"or evicted lines", final ? ", final" : "",
					(unsigned long long)im->point,
					(unsigned long long)drains, what);
	}
	pf_stats_add(op->kind, drains, op->n, nb, na, nn, bad);
	return bad;
}

static void
op_reset(struct op *op)
{
	pf_buf_free(&op->before);
	for (int i = 0; i < op->ndistinct; i++)
		pf_buf_free(&op->distinct[i]);
	op->ndistinct = 0;
	op->n = 0;
}

#define MAX_HELPERS 8
#define MAX_QUEUED 32	/* requests a helper has not answered */

struct helpers {
	int n;
	pid_t pid[MAX_HELPERS];
	int to[MAX_HELPERS], from[MAX_HELPERS];
	unsigned busy[MAX_HELPERS];
	unsigned total;
	/* each helper's unanswered requests, oldest first: answers come in
	 * order, so when a helper dies the oldest is the image it died on */
	struct req queue[MAX_HELPERS][MAX_QUEUED];
	unsigned head[MAX_HELPERS];
};

/* helper_spawn -- start helper i; the others' pipe ends stay with us */
static void
helper_spawn(struct helpers *h, int i)
{
	int a[2], b[2];

	ck_assert(pipe(a) == 0 && pipe(b) == 0);
	fflush(NULL);
	h->pid[i] = fork();
	ck_assert(h->pid[i] >= 0);
	if (h->pid[i] == 0) {
		for (int j = 0; j < h->n; j++)
			if (j != i && h->pid[j] > 0) {
				close(h->to[j]);
				close(h->from[j]);
			}
		close(a[1]);
		close(b[0]);
		helper(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	h->to[i] = a[1];
	h->from[i] = b[0];
}

/* a helper that died is found when its answer is read: see helper_died */
static void
helper_write(struct helpers *h, int i, const struct req *q)
{
	(void)write_all(h->to[i], q, sizeof(*q));
}

static void
helpers_start(struct helpers *h)
{
	const char *e = getenv("PF_JOBS");
	long n = e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	memset(h, 0, sizeof(*h));
	h->n = n < 1 ? 1 : n > MAX_HELPERS ? MAX_HELPERS : (int)n;
	for (int i = 0; i < h->n; i++)
		helper_spawn(h, i);
}

static void
helpers_stop(struct helpers *h)
{
	for (int i = 0; i < h->n; i++) {
		close(h->to[i]);
		close(h->from[i]);
		waitpid(h->pid[i], NULL, 0);
	}
}

static void
helpers_send(struct helpers *h, uint64_t index, const char *path)
{
	struct req q;
	int best = 0;

	for (int i = 1; i < h->n; i++)
		if (h->busy[i] < h->busy[best])
			best = i;
	memset(&q, 0, sizeof(q));
	q.index = index;
	snprintf(q.path, sizeof(q.path), "%s", path);
	ck_assert(h->busy[best] < MAX_QUEUED);
	h->queue[best][(h->head[best] + h->busy[best]) % MAX_QUEUED] = q;
	helper_write(h, best, &q);
	h->busy[best]++;
	h->total++;
}

/*
 * helper_died -- helper i died checking its oldest request: that image
 * is a violation (a program opening it after the crash would die too).
 * Start a new helper and give it the rest of the queue.
 */
static void
helper_died(struct helpers *h, int i, struct rep *r)
{
	int st = 0;

	waitpid(h->pid[i], &st, 0);
	close(h->to[i]);
	close(h->from[i]);
	ck_assert_msg(h->busy[i] > 0, "a checking process died idle "
			"(status 0x%x)", st);
	memset(r, 0, sizeof(*r));
	r->index = h->queue[i][h->head[i]].index;
	r->res = V_DAMAGED;
	snprintf(r->msg, sizeof(r->msg), "checking the image, or a write "
			"after recovery, crashed (status 0x%x)", st);
	h->head[i] = (h->head[i] + 1) % MAX_QUEUED;
	h->busy[i]--;
	h->total--;
	helper_spawn(h, i);
	for (unsigned k = 0; k < h->busy[i]; k++)
		helper_write(h, i, &h->queue[i][(h->head[i] + k) % MAX_QUEUED]);
}

/* helpers_collect -- take one result (waiting for it), apply it to op and
 * acknowledge the image to the worker */
static void
helpers_collect(struct helpers *h, struct op *op, int ackfd)
{
	struct pollfd pfd[MAX_HELPERS];
	struct rep r;
	struct pf_buf dump = { 0 };
	unsigned char ack = 1;
	int i;

	for (i = 0; i < h->n; i++) {
		pfd[i].fd = h->from[i];
		pfd[i].events = h->busy[i] ? POLLIN : 0;
	}
	ck_assert(poll(pfd, (nfds_t)h->n, -1) > 0);
	for (i = 0; i < h->n; i++)
		if (pfd[i].revents)
			break;
	ck_assert(i < h->n);
	if (read_all(h->from[i], &r, sizeof(r)) != 0) {
		helper_died(h, i, &r);
	} else {
		if (r.len > 0) {
			dump.p = malloc(r.len);
			ck_assert(dump.p != NULL);
			ck_assert(read_all(h->from[i], dump.p, r.len) == 0);
			dump.n = dump.cap = r.len;
		}
		ck_assert(r.index == h->queue[i][h->head[i]].index);
		h->head[i] = (h->head[i] + 1) % MAX_QUEUED;
		h->busy[i]--;
		h->total--;
	}
	ck_assert(r.index < op->n);
	struct img *im = &op->img[r.index];
	im->res = r.res;
	im->code = r.code;
	memcpy(im->msg, r.msg, sizeof(im->msg));
	classify(op, im, &dump);
	/* a worker that died is reported at its end */
	(void)write_all(ackfd, &ack, 1);
}

void
pf_run(void (*scenario)(struct pf_ctx *), const struct pf_opts *o,
		struct pf_result *res)
{
	int up[2], down[2], status, done = 0;
	static struct helpers h;	/* large: its request queues */
	struct op op;
	struct msg m;
	char why[1500];
	struct pf_buf payload = { 0 };
	pid_t pid;

	memset(res, 0, sizeof(*res));
	memset(&op, 0, sizeof(op));
	signal(SIGPIPE, SIG_IGN);
	helpers_start(&h);
	ck_assert(pipe(up) == 0 && pipe(down) == 0);
	fflush(NULL);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		worker(scenario, o, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	while (!done) {
		/* results first: they free the worker's window */
		struct pollfd pw = { up[0], POLLIN, 0 };
		while (h.total > 0 && (h.total >= (unsigned)h.n * 2 ||
				poll(&pw, 1, 0) == 0))
			helpers_collect(&h, &op, down[1]);
		if (read_all(up[0], &m, sizeof(m)) != 0)
			break;
		if (m.len + 1 > payload.cap) {
			payload.cap = m.len + 1;
			payload.p = realloc(payload.p, payload.cap);
			ck_assert(payload.p != NULL);
		}
		ck_assert(read_all(up[0], payload.p, m.len) == 0);
		payload.n = m.len;
		payload.p[m.len] = 0;
		switch (m.type) {
		case M_BEGIN:
			op_reset(&op);
			snprintf(op.kind, sizeof(op.kind), "%s%s",
					o->msync ? "msync:" : "", m.kind);
			op.flags = m.flags;
			pf_buf_add(&op.before, payload.p, payload.n);
			break;
		case M_IMAGE:
			helpers_send(&h, new_img(&op, m.flags, m.a),
					(const char *)payload.p);
			res->images++;
			break;
		case M_END: {
			while (h.total > 0)
				helpers_collect(&h, &op, down[1]);
			if (m.kind[0])
				snprintf(op.kind, sizeof(op.kind), "%s%s",
						o->msync ? "msync:" : "", m.kind);
			uint64_t bad = finish_op(&op, &payload, m.a, why,
					sizeof(why));
			res->ops++;
			if (op.flags & PF_BROKEN) {
				res->broken_ops++;
				res->violations += bad;
				if (bad > 0)
					printf("found as it should: %s\n", why);
			} else {
				ck_assert_msg(bad == 0, "%llu violations; %s",
						(unsigned long long)bad, why);
			}
			break;
		}
		case M_FAIL:
			ck_abort_msg("worker: %s", (const char *)payload.p);
			break;
		case M_DONE:
			res->msyncs = m.a;
			done = 1;
			break;
		default:
			ck_abort_msg("bad message %u", m.type);
		}
	}
	close(up[0]);
	close(down[1]);
	ck_assert(waitpid(pid, &status, 0) == pid);
	ck_assert_msg(done && WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"the worker died (status 0x%x) in %s", status, op.kind);
	helpers_stop(&h);
	op_reset(&op);
	free(op.img);
	pf_buf_free(&payload);
}
