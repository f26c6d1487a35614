/*
 * test_crash.c -- process crashes: a child changes the pool and is killed
 * with SIGKILL at random moments; after each kill the pool must open and
 * hold exactly what the acknowledged operations made, plus all or nothing
 * of the one operation (or transaction group) that may have been running.
 *
 * Protocol: the child writes an INTENT record describing an operation (or a
 * group of operations run in one transaction) before it starts it, and an
 * ACK record after the call returned. The parent keeps a model of both maps
 * built from acknowledged records; an INTENT without its ACK is the one
 * operation in flight. The child inherits the model at fork, so both sides
 * choose and apply the same operations.
 *
 * The operations are deterministic for a given seed (PK_CRASH_SEED in the
 * environment, printed at the start); the moments of the kills depend on
 * timing, so a failure prints the iteration and the operation in flight.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

#define KS 1536			/* keys per map */
#define MAX_GROUP 8		/* operations in one transaction group */
#define NKILLS 210		/* kills to run: about 30 s on 2 idle cores */

enum { M_ROOT, M_NEST, N_MAPS };
enum { OP_PUT = 1, OP_REMOVE, OP_CLEAR, OP_CLEAR_ROOT };
enum { V_NIL, V_BOOL, V_INT, V_DOUBLE, V_BYTES, V_STRING };

/* one operation, as the child announces it */
struct op {
	uint8_t kind;
	uint8_t map;
	uint16_t key;
	uint8_t vkind;
	uint8_t pad;
	uint16_t vlen;
	uint32_t tag;
};

enum { R_READY = 1, R_INTENT, R_ACK, R_ERROR };

struct rec {
	uint32_t type;
	uint32_t seq;
	uint32_t nops;
	int32_t rc;
	struct op ops[MAX_GROUP];
	char msg[120];
};

/* the expected contents of both maps */
struct ent {
	uint8_t present;
	uint8_t vkind;
	uint16_t vlen;
	uint32_t tag;
};

struct model {
	struct ent e[N_MAPS][KS];
	uint32_t count[N_MAPS];
};

static const char *const map_name[N_MAPS] = { "root", "nested" };

static pk_pool *pool;
static pk_pool_stats fresh_stats; /* the new pool, before "nested" */

/* ---------------------------------------------------------------------- */
/* keys and values, generated from their descriptions */

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t
rnd(uint64_t *s, uint32_t n)
{
	return (uint32_t)(splitmix(s) % n);
}

/* key id: even ids are ints, odd ones bytes of 6..25 bytes */
static pk_value
make_key(char *buf, unsigned id)
{
	if (id % 2 == 0)
		return pk_int((int64_t)id * 3 - 1000);
	size_t len = 6 + id % 20;
	snprintf(buf, 8, "k%05u", id % 100000);
	for (size_t j = 6; j < len; j++)
		buf[j] = (char)('a' + (id + j) % 26);
	return pk_bytes(buf, len);
}

/* decode_key -- the id of a key from make_key(), or -1 */
static int
decode_key(const pk_value *k)
{
	char buf[32];

	if (k->type == PK_INT) {
		int64_t x = k->u.i + 1000;
		if (x < 0 || x % 3 != 0 || x / 3 >= KS || (x / 3) % 2 != 0)
			return -1;
		return (int)(x / 3);
	}
	if (k->type != PK_BYTES || k->u.buf.len < 6 || k->u.buf.len > 25)
		return -1;
	const char *p = k->u.buf.ptr;
	unsigned id = 0;
	if (p[0] != 'k')
		return -1;
	for (int j = 1; j < 6; j++) {
		if (p[j] < '0' || p[j] > '9')
			return -1;
		id = id * 10 + (unsigned)(p[j] - '0');
	}
	if (id >= KS || id % 2 == 0)
		return -1;
	pk_value want = make_key(buf, id);
	if (want.u.buf.len != k->u.buf.len ||
	    memcmp(want.u.buf.ptr, p, want.u.buf.len) != 0)
		return -1;
	return (int)id;
}

static void
fill(uint8_t *buf, size_t len, uint32_t tag, int text)
{
	uint64_t s = tag, x = 0;

	for (size_t j = 0; j < len; j++) {
		if (j % 8 == 0)
			x = splitmix(&s);
		uint8_t b = (uint8_t)(x >> (8 * (j % 8)));
		buf[j] = text ? (uint8_t)(' ' + b % 95) : b; /* ASCII text */
	}
}

static pk_value
make_val(uint8_t *buf, uint8_t vkind, uint16_t vlen, uint32_t tag)
{
	switch (vkind) {
	case V_NIL:
		return pk_nil();
	case V_BOOL:
		return pk_bool((int)(tag & 1));
	case V_INT:
		return pk_int((int64_t)tag * 977 - 123456789);
	case V_DOUBLE:
		return pk_double((double)tag / 8.0);
	case V_BYTES:
		fill(buf, vlen, tag, 0);
		return pk_bytes(buf, vlen);
	default:
		fill(buf, vlen, tag, 1);
		return pk_string((char *)buf, vlen);
	}
}

static int
val_equal(const pk_value *a, const pk_value *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case PK_NIL:
		return 1;
	case PK_BOOL:
	case PK_INT:
		return a->u.i == b->u.i;
	case PK_DOUBLE:
		return memcmp(&a->u.d, &b->u.d, sizeof(double)) == 0;
	case PK_BYTES:
	case PK_STRING:
		return a->u.buf.len == b->u.buf.len && (a->u.buf.len == 0 ||
			memcmp(a->u.buf.ptr, b->u.buf.ptr, a->u.buf.len) == 0);
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------------- */
/* the model */

static void
model_apply(struct model *md, const struct op *op)
{
	struct ent *e;

	switch (op->kind) {
	case OP_PUT:
		e = &md->e[op->map][op->key];
		if (!e->present)
			md->count[op->map]++;
		e->present = 1;
		e->vkind = op->vkind;
		e->vlen = op->vlen;
		e->tag = op->tag;
		break;
	case OP_REMOVE:
		e = &md->e[op->map][op->key];
		if (e->present)
			md->count[op->map]--;
		e->present = 0;
		break;
	case OP_CLEAR:
		memset(md->e[op->map], 0, sizeof(md->e[op->map]));
		md->count[op->map] = 0;
		break;
	case OP_CLEAR_ROOT:
		/* the root is cleared and gets a new, empty nested map */
		memset(md, 0, sizeof(*md));
		break;
	}
}

static void
op_describe(char *buf, size_t len, const struct op *ops, unsigned n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n && at < len; i++) {
		const struct op *o = &ops[i];
		static const char *const kn[] = { "?", "put", "remove",
			"clear", "clear-root" };
		at += (size_t)snprintf(buf + at, len - at,
				"%s%s %s key %u vkind %u vlen %u tag %u",
				i ? "; " : "", kn[o->kind < 5 ? o->kind : 0],
				map_name[o->map % N_MAPS], o->key, o->vkind,
				o->vlen, o->tag);
	}
}

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---------------------------------------------------------------------- */
/* the child */

struct child {
	int fd;
	pk_map *map[N_MAPS];
	struct model md;
	uint64_t rng;
	uint32_t target[N_MAPS];
	uint8_t vbuf[2048];
	char kbuf[32];
};

static void
child_send(struct child *c, struct rec *r)
{
	const char *p = (const char *)r;
	size_t left = sizeof(*r);
	while (left > 0) {
		ssize_t n = write(c->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(4);
		p += n;
		left -= (size_t)n;
	}
}

static void __attribute__((noreturn))
child_fail(struct child *c, uint32_t seq, int rc, const char *what)
{
	struct rec r;
	memset(&r, 0, sizeof(r));
	r.type = R_ERROR;
	r.seq = seq;
	r.rc = rc;
	snprintf(r.msg, sizeof(r.msg), "%s: %s", what, pk_errormsg());
	child_send(c, &r);
	_exit(3);
}

/* a random key of map m that is present (want 1) or absent (want 0) */
static unsigned
pick_key(struct child *c, struct model *md, int m, int want)
{
	unsigned start = rnd(&c->rng, KS);
	for (unsigned j = 0; j < KS; j++) {
		unsigned id = (start + j) % KS;
		if (md->e[m][id].present == want)
			return id;
	}
	return KS; /* none */
}

static void
pick_value(struct child *c, struct op *o)
{
	uint32_t r = rnd(&c->rng, 100);

	o->tag = (uint32_t)splitmix(&c->rng);
	o->vlen = 0;
	if (r < 35) {
		o->vkind = V_BYTES;
		o->vlen = (uint16_t)rnd(&c->rng, 41);	/* inline */
	} else if (r < 60) {
		o->vkind = V_BYTES;
		o->vlen = (uint16_t)(100 + rnd(&c->rng, 1901));	/* out of line */
	} else if (r < 70) {
		o->vkind = V_STRING;
		o->vlen = (uint16_t)rnd(&c->rng, 41);
	} else if (r < 75) {
		o->vkind = V_STRING;
		o->vlen = (uint16_t)(100 + rnd(&c->rng, 1901));
	} else if (r < 87) {
		o->vkind = V_INT;
	} else if (r < 93) {
		o->vkind = V_DOUBLE;
	} else if (r < 97) {
		o->vkind = V_BOOL;
	} else {
		o->vkind = V_NIL;
	}
}

/* one put or remove on a random map, valid in model md */
static void
pick_single(struct child *c, struct model *md, struct op *o)
{
	int m = rnd(&c->rng, 10) < 7 ? M_ROOT : M_NEST;
	uint32_t n = md->count[m], r = rnd(&c->rng, 100);
	int grow = n < c->target[m];
	unsigned key;

	memset(o, 0, sizeof(*o));
	o->map = (uint8_t)m;
	if (n == 0 || (n < KS && r < (grow ? 55u : 20u))) {
		key = pick_key(c, md, m, 0);
		o->kind = OP_PUT;
		pick_value(c, o);
	} else if (r < (grow ? 80u : 45u)) {
		key = pick_key(c, md, m, 1);
		o->kind = OP_PUT;	/* replaces */
		pick_value(c, o);
	} else {
		key = pick_key(c, md, m, 1);
		o->kind = OP_REMOVE;
	}
	o->key = (uint16_t)key;
}

/* choose the next operation or group; returns the number of ops */
static unsigned
pick(struct child *c, struct op *ops)
{
	uint32_t r = rnd(&c->rng, 10000);

	if (rnd(&c->rng, 400) == 0) {
		c->target[M_ROOT] = rnd(&c->rng, KS + 1);
		c->target[M_NEST] = rnd(&c->rng, KS + 1);
	}
	memset(ops, 0, sizeof(*ops));
	if (r < 2) {
		ops[0].kind = OP_CLEAR_ROOT;
		return 1;
	}
	if (r < 7) {
		ops[0].kind = OP_CLEAR;
		ops[0].map = M_NEST;
		return 1;
	}
	if (r < 330) {
		/* a group, chosen against the model as it goes */
		struct model scratch = c->md;
		unsigned n = 2 + rnd(&c->rng, MAX_GROUP - 1);
		for (unsigned i = 0; i < n; i++) {
			if (rnd(&c->rng, 200) == 0) {
				memset(&ops[i], 0, sizeof(ops[i]));
				ops[i].kind = OP_CLEAR;
				ops[i].map = M_NEST;
			} else {
				pick_single(c, &scratch, &ops[i]);
			}
			model_apply(&scratch, &ops[i]);
		}
		return n;
	}
	pick_single(c, &c->md, &ops[0]);
	return 1;
}

static void
child_open_nested(struct child *c, uint32_t seq)
{
	pk_value name = cstr("nested"), out;
	int rc;

	if ((rc = pk_map_get(&out, c->map[M_ROOT], &name)) != 0)
		child_fail(c, seq, rc, "get nested");
	if ((rc = pk_map_open(&c->map[M_NEST], pool, &out)) != 0)
		child_fail(c, seq, rc, "open nested");
}

static int
child_do(struct child *c, const struct op *o)
{
	pk_map *m = c->map[o->map];
	int rc;

	switch (o->kind) {
	case OP_PUT: {
		pk_value k = make_key(c->kbuf, o->key);
		pk_value v = make_val(c->vbuf, o->vkind, o->vlen, o->tag);
		return pk_map_put(m, &k, &v);
	}
	case OP_REMOVE: {
		pk_value k = make_key(c->kbuf, o->key);
		return pk_map_remove(m, &k);
	}
	case OP_CLEAR:
		return pk_map_clear(m);
	default: {
		/* clear the root (which frees the nested map), add a new one */
		pk_map *nm;
		pk_value name = cstr("nested");
		if ((rc = pk_tx_begin(pool)) != 0)
			return rc;
		if ((rc = pk_map_clear(c->map[M_ROOT])) != 0 ||
		    (rc = pk_map_new(&nm, pool)) != 0)
			return rc;
		pk_value nv = pk_map_value(nm);
		if ((rc = pk_map_put(c->map[M_ROOT], &name, &nv)) != 0 ||
		    (rc = pk_tx_commit(pool)) != 0)
			return rc;
		pk_map_close(c->map[M_NEST]);
		c->map[M_NEST] = nm;
		return 0;
	}
	}
}

static void __attribute__((noreturn))
child_main(int fd, const struct model *md, uint64_t seed, const char *path)
{
	static struct child c;
	struct rec r;
	int rc;

	/* die with the test process, whatever happens to it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.md = *md;
	c.rng = seed;
	c.target[M_ROOT] = rnd(&c.rng, KS + 1);
	c.target[M_NEST] = rnd(&c.rng, KS + 1);
	if ((rc = pk_pool_open(&pool, path)) != 0)
		child_fail(&c, 0, rc, "pk_pool_open");
	if ((rc = pk_pool_root(&c.map[M_ROOT], pool)) != 0)
		child_fail(&c, 0, rc, "pk_pool_root");
	child_open_nested(&c, 0);
	memset(&r, 0, sizeof(r));
	r.type = R_READY;
	child_send(&c, &r);

	for (uint32_t seq = 1;; seq++) {
		unsigned n = pick(&c, r.ops);
		r.type = R_INTENT;
		r.seq = seq;
		r.nops = n;
		child_send(&c, &r);
		if (n > 1 && (rc = pk_tx_begin(pool)) != 0)
			child_fail(&c, seq, rc, "pk_tx_begin");
		for (unsigned i = 0; i < n; i++) {
			if ((rc = child_do(&c, &r.ops[i])) != 0) {
				char what[300];
				op_describe(what, sizeof(what), &r.ops[i], 1);
				child_fail(&c, seq, rc, what);
			}
			model_apply(&c.md, &r.ops[i]);
		}
		if (n > 1 && (rc = pk_tx_commit(pool)) != 0)
			child_fail(&c, seq, rc, "pk_tx_commit");
		/*
		 * only now, after every call returned, acknowledge it; now and
		 * then a little later, so that kills also find completed
		 * operations not yet acknowledged
		 */
		if (rnd(&c.rng, 4) == 0) {
			uint64_t until = now_ns() + rnd(&c.rng, 50000);
			while (now_ns() < until)
				;
		}
		r.type = R_ACK;
		child_send(&c, &r);
	}
}

/* ---------------------------------------------------------------------- */
/* the parent's check of the pool against a model */

/*
 * check_map -- 0 if map m holds exactly the entries of want (plus, in the
 * root, the "nested" map); else 1 and a description in err
 */
static int
check_map(pk_map *m, const struct model *md, int which, char *err,
		size_t errlen)
{
	static uint8_t seen[KS];
	static uint8_t vbuf[2048];
	pk_cursor *c;
	pk_value k, v;
	uint64_t walked = 0, found = 0, len;
	int rc, nested = 0;

	memset(seen, 0, sizeof(seen));
	if ((rc = pk_map_cursor(&c, m)) != 0) {
		snprintf(err, errlen, "%s: cursor: %s", map_name[which],
				pk_strerror(rc));
		return 1;
	}
	while ((rc = pk_cursor_next(c, &k, &v)) == 0) {
		walked++;
		if (which == M_ROOT && k.type == PK_STRING &&
		    k.u.buf.len == 6 && memcmp(k.u.buf.ptr, "nested", 6) == 0) {
			nested++;
			if (v.type != PK_MAP) {
				snprintf(err, errlen, "root: \"nested\" holds "
						"type %d", (int)v.type);
				goto fail;
			}
			continue;
		}
		int id = decode_key(&k);
		if (id < 0) {
			snprintf(err, errlen, "%s: unknown key of type %d",
					map_name[which], (int)k.type);
			goto fail;
		}
		const struct ent *e = &md->e[which][id];
		if (seen[id]) {
			snprintf(err, errlen, "%s: key %d seen twice",
					map_name[which], id);
			goto fail;
		}
		seen[id] = 1;
		if (!e->present) {
			snprintf(err, errlen, "%s: key %d present, expected "
					"absent", map_name[which], id);
			goto fail;
		}
		pk_value want = make_val(vbuf, e->vkind, e->vlen, e->tag);
		if (!val_equal(&want, &v)) {
			snprintf(err, errlen, "%s: key %d has another value "
					"(type %d, expected type %d len %u "
					"tag %u)", map_name[which], id,
					(int)v.type, (int)want.type, e->vlen,
					e->tag);
			goto fail;
		}
		found++;
	}
	pk_cursor_free(c);
	if (rc != PK_ITEROVER) {
		snprintf(err, errlen, "%s: cursor: %s (%s)", map_name[which],
				pk_strerror(rc), pk_errormsg());
		return 1;
	}
	if (which == M_ROOT && nested != 1) {
		snprintf(err, errlen, "root: %d \"nested\" entries", nested);
		return 1;
	}
	if (found != md->count[which]) {
		snprintf(err, errlen, "%s: %" PRIu64 " entries, expected %u",
				map_name[which], found, md->count[which]);
		return 1;
	}
	if ((rc = pk_map_length(&len, m)) != 0 || len != walked) {
		snprintf(err, errlen, "%s: pk_map_length %" PRIu64 " (rc %d), "
				"a cursor walk saw %" PRIu64, map_name[which],
				len, rc, walked);
		return 1;
	}
	return 0;
fail:
	pk_cursor_free(c);
	return 1;
}

/* check_pool -- 0 if the open pool matches md; else 1 and err */
static int
check_pool(pk_map *root, const struct model *md, char *err, size_t errlen)
{
	pk_value name = cstr("nested"), out;
	pk_map *nested;
	int rc, bad;

	if (check_map(root, md, M_ROOT, err, errlen))
		return 1;
	if ((rc = pk_map_get(&out, root, &name)) != 0 ||
	    (rc = pk_map_open(&nested, pool, &out)) != 0) {
		snprintf(err, errlen, "nested map: %s", pk_strerror(rc));
		return 1;
	}
	bad = check_map(nested, md, M_NEST, err, errlen);
	pk_map_close(nested);
	return bad;
}

/* ---------------------------------------------------------------------- */
/* the parent */


struct run {
	struct model md;	/* acknowledged state */
	struct op pending[MAX_GROUP];
	unsigned npending;	/* the operation in flight, if any */
	uint32_t pending_seq;
	int ready;
	uint64_t acks_now;	/* acknowledged in this iteration */
	/* totals */
	uint64_t acks, groups, clears, kills, present, absent, same,
		none, early, by_time, by_count, max_count[N_MAPS];
	uint8_t inbuf[sizeof(struct rec) * 64];
	size_t inlen;
	int iter;
};

static void
handle_rec(struct run *st, const struct rec *r)
{
	switch (r->type) {
	case R_READY:
		st->ready = 1;
		break;
	case R_INTENT:
		ck_assert_msg(st->npending == 0, "iteration %d: intent %u "
				"while %u is in flight", st->iter, r->seq,
				st->pending_seq);
		ck_assert(r->nops >= 1 && r->nops <= MAX_GROUP);
		memcpy(st->pending, r->ops, r->nops * sizeof(r->ops[0]));
		st->npending = r->nops;
		st->pending_seq = r->seq;
		break;
	case R_ACK:
		ck_assert_msg(st->npending > 0 && r->seq == st->pending_seq,
				"iteration %d: ack %u without its intent",
				st->iter, r->seq);
		for (unsigned i = 0; i < st->npending; i++)
			model_apply(&st->md, &st->pending[i]);
		if (st->npending > 1 || st->pending[0].kind == OP_CLEAR_ROOT)
			st->groups++;
		for (unsigned i = 0; i < st->npending; i++)
			st->clears += st->pending[i].kind == OP_CLEAR ||
				st->pending[i].kind == OP_CLEAR_ROOT;
		for (int m = 0; m < N_MAPS; m++)
			if (st->md.count[m] > st->max_count[m])
				st->max_count[m] = st->md.count[m];
		st->npending = 0;
		st->acks++;
		st->acks_now++;
		break;
	case R_ERROR:
		ck_abort_msg("iteration %d: the child failed at op %u: rc %d "
				"(%s): %s", st->iter, r->seq, r->rc,
				pk_strerror(r->rc), r->msg);
		break;
	default:
		ck_abort_msg("iteration %d: bad record type %u", st->iter,
				r->type);
	}
}

/* read_recs -- read what is available; returns 0 at end of file */
static int
read_recs(struct run *st, int fd)
{
	ssize_t n = read(fd, st->inbuf + st->inlen,
			sizeof(st->inbuf) - st->inlen);
	if (n < 0) {
		ck_assert_msg(errno == EINTR || errno == EAGAIN,
				"read: %s", strerror(errno));
		return 1;
	}
	if (n == 0) {
		ck_assert_msg(st->inlen == 0, "a partial record (%zu bytes)",
				st->inlen);
		return 0;
	}
	st->inlen += (size_t)n;
	size_t at = 0;
	while (st->inlen - at >= sizeof(struct rec)) {
		struct rec r;
		memcpy(&r, st->inbuf + at, sizeof(r));
		handle_rec(st, &r);
		at += sizeof(r);
	}
	memmove(st->inbuf, st->inbuf + at, st->inlen - at);
	st->inlen -= at;
	return 1;
}

/* one child: run it, kill it, check the pool */
static void
crash_once(struct run *st, uint64_t *krng, uint64_t seed)
{
	int fds[2], status;
	pid_t pid;
	uint32_t mode = rnd(krng, 100);
	uint64_t delay_ns = 0, want_acks = 0;

	st->ready = 0;
	st->acks_now = 0;
	st->npending = 0;
	st->inlen = 0;
	if (mode < 8) {		/* in pk_pool_open or the first ops */
		delay_ns = rnd(krng, 60000) * 1000ull;
		st->early++;
	} else if (mode < 54) {	/* a random moment after the open */
		delay_ns = rnd(krng, 40001) * 1000ull;
		st->by_time++;
	} else {		/* after a random number of acknowledgements */
		want_acks = rnd(krng, 500);
		delay_ns = rnd(krng, 501) * 1000ull; /* and 0..500 us */
		st->by_count++;
	}

	ck_assert_int_eq(pipe(fds), 0);
	/* room for every record the child writes while the parent sleeps */
	(void)fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		child_main(fds[1], &st->md, seed, test_path);
	}
	close(fds[1]);
	/* wait for the pool to be open, and for the acknowledgements */
	uint64_t start = now_ns();
	while (mode >= 8 && !(st->ready && st->acks_now >= want_acks)) {
		ck_assert_msg(now_ns() - start < 10ull * 1000000000ull,
				"iteration %d: the child made no progress",
				st->iter);
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, 100) > 0 && read_recs(st, fds[0]) == 0)
			break;	/* the child is gone: checked below */
	}
	/*
	 * then sleep without reading, so that the kill is not timed by the
	 * child's writes waking the parent but falls anywhere in its work
	 */
	struct timespec ts = { (time_t)(delay_ns / 1000000000ull),
		(long)(delay_ns % 1000000000ull) };
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	/* whatever the child wrote before it died */
	while (read_recs(st, fds[0]) != 0)
		;
	close(fds[0]);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			"iteration %d: the child ended by itself (status %#x)",
			st->iter, status);
	st->kills++;

	/* the pool opens and holds the acknowledged state, +- the op */
	pk_map *root;
	pk_pool_stats ps;
	char err_a[300], err_b[300], what[600];
	pk_check_report rep;
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_stats_get(&ps, pool));
	if (st->ready)
		ck_assert_msg(ps.unclean == 1, "iteration %d: unclean %d after "
				"a kill", st->iter, ps.unclean);
	/*
	 * the child creates a map only in the transaction that stores it, so
	 * a crash can leave nothing unreachable for the collector at open
	 */
	ck_assert_msg(ps.recovered == 0, "iteration %d: pk_pool_open "
			"reclaimed %" PRIu64 " objects after the kill",
			st->iter, ps.recovered);
	ck_assert_msg(pk_pool_check(&rep, pool) == 0, "iteration %d: "
			"pk_pool_check: %s", st->iter, pk_errormsg());
	PK_OK(pk_pool_root(&root, pool));
	int a = check_pool(root, &st->md, err_a, sizeof(err_a));
	int b = 1;
	struct model after = st->md;
	if (st->npending > 0) {
		for (unsigned i = 0; i < st->npending; i++)
			model_apply(&after, &st->pending[i]);
		b = check_pool(root, &after, err_b, sizeof(err_b));
	} else {
		snprintf(err_b, sizeof(err_b), "(nothing in flight)");
	}
	op_describe(what, sizeof(what), st->pending, st->npending);
	ck_assert_msg(a == 0 || b == 0, "iteration %d (seed %" PRIu64 "): "
			"the pool matches neither the acknowledged state (%s) "
			"nor that plus the operation in flight [%s] (%s)",
			st->iter, seed, err_a, what, err_b);
	if (st->npending == 0)
		st->none++;
	else if (a == 0 && b == 0)
		st->same++;
	else if (b == 0)
		st->present++;
	else
		st->absent++;
	if (a != 0)
		st->md = after;	/* it happened: the model goes on from there */
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	pool = NULL;
}

static void
setup(void)
{
	pk_map *root, *nested;
	pk_value name = cstr("nested");

	test_setup();
	PK_OK(pk_pool_create(&pool, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_stats_get(&fresh_stats, pool));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_map_new(&nested, pool));
	pk_value nv = pk_map_value(nested);
	PK_OK(pk_map_put(root, &name, &nv));
	pk_map_close(nested);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	pool = NULL;
}

static void
teardown(void)
{
	pk_pool_close(pool);
	pool = NULL;
	test_teardown();
}

START_TEST(test_crash_kill__random_ops)
{
	static struct run st;
	const char *env = getenv("PK_CRASH_SEED");
	uint64_t seed = env && *env ? strtoull(env, NULL, 0) : 20240611ull;
	uint64_t krng = seed ^ 0xABCDEF12345ull, t0 = now_ns();

	printf("test_crash: seed %" PRIu64 " (set PK_CRASH_SEED to repeat)\n",
			seed);
	fflush(stdout);
	memset(&st, 0, sizeof(st));
	for (st.iter = 0; st.kills < NKILLS; st.iter++)
		crash_once(&st, &krng, seed * 1000003ull + (uint64_t)st.iter);
	double secs = (double)(now_ns() - t0) / 1e9;
	printf("test_crash: %" PRIu64 " kills (%" PRIu64 " early, %" PRIu64
			" at a random time, %" PRIu64 " after random acks), "
			"%" PRIu64 " acknowledged operations (%" PRIu64
			" transaction groups, %" PRIu64 " clears), largest "
			"maps %" PRIu64 "/%" PRIu64 " entries; in flight at "
			"the kill: %" PRIu64 " found applied, %" PRIu64
			" found absent, %" PRIu64 " indistinguishable, %"
			PRIu64 " none; %.1f s\n", st.kills, st.early,
			st.by_time, st.by_count, st.acks, st.groups,
			st.clears, st.max_count[M_ROOT],
			st.max_count[M_NEST], st.present, st.absent, st.same,
			st.none, secs);
	fflush(stdout);
	/* the kills did interrupt operations, which were rolled back */
	ck_assert_uint_gt(st.absent, 0);
	ck_assert_uint_gt(st.acks, 1000);

	/*
	 * nothing leaked across all the crashes: emptied, the pool holds
	 * what it held when it was new
	 */
	pk_map *root;
	pk_pool_stats ps;
	pk_check_report rep;
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_map_clear(root));
	PK_OK(pk_pool_stats_get(&ps, pool));
	ck_assert_msg(ps.objects == fresh_stats.objects &&
			ps.used == fresh_stats.used,
			"emptied pool: %" PRIu64 " objects, %" PRIu64 " bytes; "
			"new: %" PRIu64 ", %" PRIu64, ps.objects, ps.used,
			fresh_stats.objects, fresh_stats.used);
	PK_OK(pk_pool_check(&rep, pool));
	pk_map_close(root);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crash");
	TCase *tc = tcase_create("kill");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_crash_kill__random_ops);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(suite());
}
