/*
 * test_crash.c -- process crashes: a child changes the pool and is killed
 * with SIGKILL at random moments; after each kill the pool must open and
 * hold exactly what the acknowledged operations made, plus all or nothing
 * of the one operation (or transaction group) that may have been running.
 *
 * The pool holds all three container kinds: the root map holds keys of its
 * own and, under "nested", "list" and "array", a map, a list and a typed
 * array (int64) that the child changes too; the list holds scalars inline
 * and out of line and now and then a small map of its own. A transaction
 * group may mix operations on all of them, and must then be all or
 * nothing across every container it touched.
 *
 * Protocol: the child writes an INTENT record describing an operation (or a
 * group of operations run in one transaction) before it starts it, and an
 * ACK record after the call returned. The parent keeps a model of every
 * container built from acknowledged records; an INTENT without its ACK is
 * the one operation in flight. The child inherits the model at fork, so
 * both sides choose and apply the same operations.
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

#define CRASH_POOL_SIZE ((size_t)256 << 20)

#define KS 1536			/* keys per map */
#define LMAX 1024		/* most elements in the list */
/*
 * most elements in the array: up to 32 KiB of data, resized to random
 * lengths. With libpmemobj 1.12's default allocation classes each class
 * for objects of about 4 KiB and more takes a run of 1 to 4 MiB that stays
 * with it while the pool is open, so a 32 MiB pool can run out of space
 * (PK_ENOSPACE) after a few dozen resizes with well under 1 MiB in use;
 * this test is meant to fail then, not to avoid those sizes.
 */
#define AMAX 4096
#define AWRITE_MAX 512		/* most elements one write or window sets */
#define SMALL_MAX 5		/* a map in the list holds tag % this entries */
#define MAX_GROUP 8		/* operations in one transaction group */
#define NKILLS 300		/* kills to run: about 45-70 s on 2 cores */

enum { M_ROOT, M_NEST, N_MAPS };
enum { K_MAP, K_LIST, K_ARRAY, N_KINDS };
enum {
	OP_PUT = 1, OP_REMOVE, OP_CLEAR, OP_CLEAR_ROOT,	/* maps */
	OP_LAPPEND, OP_LSET, OP_LINSERT, OP_LPOP, OP_LRANGE, OP_LCLEAR,
	OP_ASET, OP_AWRITE, OP_ARESIZE, OP_AWINDOW,
	OP_END
};
enum { V_NIL, V_BOOL, V_INT, V_DOUBLE, V_BYTES, V_STRING, V_MAP };

/*
 * one operation, as the child announces it. List and array positions are
 * the resolved ones; with neg set the child passes them to the library
 * counted from the end (or past either end, where the call clamps).
 */
struct op {
	uint8_t kind;
	uint8_t map;	/* OP_PUT, OP_REMOVE, OP_CLEAR */
	uint8_t vkind;	/* OP_PUT, OP_LAPPEND, OP_LSET, OP_LINSERT */
	uint8_t neg;
	uint16_t key;
	uint16_t vlen;
	uint32_t tag;
	uint32_t a;	/* index, start, or new length */
	uint32_t b;	/* stop (OP_LRANGE) or count (OP_AWRITE, OP_AWINDOW) */
};

enum { R_READY = 1, R_INTENT, R_ACK, R_ERROR };

struct rec {
	uint32_t type;
	uint32_t seq;
	uint32_t nops;
	int32_t rc;
	struct op ops[MAX_GROUP];
	char msg[240];
};

/* a value: in a map entry or a list element */
struct ent {
	uint8_t present;	/* maps only */
	uint8_t vkind;
	uint16_t vlen;
	uint32_t tag;
};

/* the expected contents of every container */
struct model {
	struct ent e[N_MAPS][KS];
	uint32_t count[N_MAPS];
	uint32_t llen;
	uint32_t alen;
	struct ent l[LMAX];
	int64_t a[AMAX];
};

static const char *const map_name[N_MAPS] = { "root", "nested" };
static const char *const kind_name[N_KINDS] = { "maps", "lists", "arrays" };

static pk_pool *pool;
static pk_pool_stats fresh_stats = PK_POOL_STATS_INIT; /* the new pool, before its containers */

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

static uint32_t
min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
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

/* a scalar value (V_MAP values are built by their users) */
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

/* element j of what a write with this tag stores in the array */
static int64_t
aval(uint32_t tag, uint32_t j)
{
	uint64_t s = ((uint64_t)tag << 32) | j;
	return (int64_t)splitmix(&s);
}

/*
 * a map stored in the list holds small_count(tag) entries: the int keys
 * 0, 1, ... with small_val(tag, key), some of them out of line
 */
static unsigned
small_count(uint32_t tag)
{
	return tag % SMALL_MAX;
}

static pk_value
small_val(uint8_t *buf, uint32_t tag, unsigned j)
{
	if (j % 2 == 0)
		return pk_int((int64_t)tag + j);
	return make_val(buf, V_BYTES, (uint16_t)(20 + 40 * j), tag + j);
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

/* op_kinds -- bit set of the container kinds an operation changes */
static unsigned
op_kinds(const struct op *op)
{
	switch (op->kind) {
	case OP_PUT:
	case OP_REMOVE:
	case OP_CLEAR:
		return 1u << K_MAP;
	case OP_CLEAR_ROOT:
		return (1u << K_MAP) | (1u << K_LIST) | (1u << K_ARRAY);
	case OP_LAPPEND:
	case OP_LSET:
	case OP_LINSERT:
		return (1u << K_LIST) | (op->vkind == V_MAP ? 1u << K_MAP : 0);
	case OP_LPOP:
	case OP_LRANGE:
	case OP_LCLEAR:
		return 1u << K_LIST;
	default:
		return 1u << K_ARRAY;
	}
}

static void
lent_of(struct ent *e, const struct op *op)
{
	e->present = 1;
	e->vkind = op->vkind;
	e->vlen = op->vlen;
	e->tag = op->tag;
}

static void
model_apply(struct model *md, const struct op *op)
{
	struct ent *e;

	switch (op->kind) {
	case OP_PUT:
		e = &md->e[op->map][op->key];
		if (!e->present)
			md->count[op->map]++;
		lent_of(e, op);
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
		/* the root is cleared and gets new containers: an empty map,
		 * an empty list, an array of a elements from tag */
		memset(md, 0, sizeof(*md));
		md->alen = op->a;
		for (uint32_t j = 0; j < op->a; j++)
			md->a[j] = aval(op->tag, j);
		break;
	case OP_LAPPEND:
		lent_of(&md->l[md->llen++], op);
		break;
	case OP_LSET:
		lent_of(&md->l[op->a], op);
		break;
	case OP_LINSERT:
		memmove(&md->l[op->a + 1], &md->l[op->a],
				(md->llen - op->a) * sizeof(md->l[0]));
		lent_of(&md->l[op->a], op);
		md->llen++;
		break;
	case OP_LPOP:
		memmove(&md->l[op->a], &md->l[op->a + 1],
				(md->llen - op->a - 1) * sizeof(md->l[0]));
		md->llen--;
		break;
	case OP_LRANGE:
		memmove(&md->l[op->a], &md->l[op->b],
				(md->llen - op->b) * sizeof(md->l[0]));
		md->llen -= op->b - op->a;
		break;
	case OP_LCLEAR:
		md->llen = 0;
		break;
	case OP_ASET:
		md->a[op->a] = aval(op->tag, 0);
		break;
	case OP_AWRITE:
	case OP_AWINDOW:
		for (uint32_t j = 0; j < op->b; j++)
			md->a[op->a + j] = aval(op->tag, j);
		break;
	case OP_ARESIZE:
		/* new elements are zero */
		for (uint32_t j = md->alen; j < op->a; j++)
			md->a[j] = 0;
		md->alen = op->a;
		break;
	}
}

static void
op_describe(char *buf, size_t len, const struct op *ops, unsigned n)
{
	static const char *const kn[OP_END] = { "?", "put", "remove",
		"clear", "clear-root", "list-append", "list-set",
		"list-insert", "list-pop", "list-remove-range", "list-clear",
		"array-set", "array-write", "array-resize", "array-window" };
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n && at < len; i++) {
		const struct op *o = &ops[i];
		const char *name = kn[o->kind < OP_END ? o->kind : 0];
		if (o->kind <= OP_CLEAR && o->kind != 0)
			at += (size_t)snprintf(buf + at, len - at,
					"%s%s %s key %u vkind %u vlen %u "
					"tag %u", i ? "; " : "", name,
					map_name[o->map % N_MAPS], o->key,
					o->vkind, o->vlen, o->tag);
		else
			at += (size_t)snprintf(buf + at, len - at,
					"%s%s a %u b %u%s vkind %u vlen %u "
					"tag %u", i ? "; " : "", name, o->a,
					o->b, o->neg ? " (from the end)" : "",
					o->vkind, o->vlen, o->tag);
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

enum { T_ROOT, T_NEST, T_LIST, T_ARRAY, N_TARGETS };

struct child {
	int fd;
	pk_map *map[N_MAPS];
	pk_list *list;
	pk_array *arr;
	struct model md;
	uint64_t rng;
	uint32_t target[N_TARGETS];	/* sizes the containers drift to */
	uint8_t vbuf[2048];
	int64_t abuf[AMAX];
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
	if (rc == PK_ENOSPACE) {
		/* how full the pool was */
		pk_pool_stats ps = PK_POOL_STATS_INIT;
		size_t at = strlen(r.msg);
		if (pk_pool_stats_get(&ps, pool) == 0)
			snprintf(r.msg + at, sizeof(r.msg) - at, " [pool of %"
					PRIu64 " bytes, %" PRIu64 " used by %"
					PRIu64 " objects]", ps.size, ps.used,
					ps.objects);
	}
	child_send(c, &r);
	_exit(3);
}

static void
retarget(struct child *c)
{
	c->target[T_ROOT] = rnd(&c->rng, KS + 1);
	c->target[T_NEST] = rnd(&c->rng, KS + 1);
	c->target[T_LIST] = rnd(&c->rng, LMAX + 1);
	c->target[T_ARRAY] = rnd(&c->rng, AMAX + 1);
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

/*
 * pick_value -- a value for a map entry (for_list 0) or a list element:
 * list cells hold 14 bytes inline, so lists get more short byte strings,
 * and now and then a new map
 */
static void
pick_value(struct child *c, struct op *o, int for_list)
{
	uint32_t r = rnd(&c->rng, 100);
	uint16_t inl = for_list ? 15 : 41;

	o->tag = (uint32_t)splitmix(&c->rng);
	o->vlen = 0;
	if (for_list && r < 6) {
		o->vkind = V_MAP;
	} else if (r < 30) {
		o->vkind = V_BYTES;
		o->vlen = (uint16_t)rnd(&c->rng, inl);	/* inline */
	} else if (r < 40) {
		o->vkind = V_BYTES;			/* out of line */
		o->vlen = (uint16_t)(for_list ? 15 + rnd(&c->rng, 40) :
				100 + rnd(&c->rng, 1901));
	} else if (r < 55) {
		o->vkind = V_BYTES;
		o->vlen = (uint16_t)(100 + rnd(&c->rng, 1901));
	} else if (r < 65) {
		o->vkind = V_STRING;
		o->vlen = (uint16_t)rnd(&c->rng, inl);
	} else if (r < 70) {
		o->vkind = V_STRING;
		o->vlen = (uint16_t)(for_list ? 15 + rnd(&c->rng, 1000) :
				100 + rnd(&c->rng, 1901));
	} else if (r < 84) {
		o->vkind = V_INT;
	} else if (r < 91) {
		o->vkind = V_DOUBLE;
	} else if (r < 96) {
		o->vkind = V_BOOL;
	} else {
		o->vkind = V_NIL;
	}
}

/* one put or remove on a random map, valid in model md */
static void
pick_map(struct child *c, struct model *md, struct op *o)
{
	int m = rnd(&c->rng, 10) < 7 ? M_ROOT : M_NEST;
	uint32_t n = md->count[m], r = rnd(&c->rng, 100);
	int grow = n < c->target[m == M_ROOT ? T_ROOT : T_NEST];
	unsigned key;

	o->map = (uint8_t)m;
	if (n == 0 || (n < KS && r < (grow ? 55u : 20u))) {
		key = pick_key(c, md, m, 0);
		o->kind = OP_PUT;
		pick_value(c, o, 0);
	} else if (r < (grow ? 80u : 45u)) {
		key = pick_key(c, md, m, 1);
		o->kind = OP_PUT;	/* replaces */
		pick_value(c, o, 0);
	} else {
		key = pick_key(c, md, m, 1);
		o->kind = OP_REMOVE;
	}
	o->key = (uint16_t)key;
}

/* one list operation, valid in model md */
static void
pick_list(struct child *c, struct model *md, struct op *o)
{
	uint32_t n = md->llen, r = rnd(&c->rng, 100);
	int grow = n < c->target[T_LIST];

	o->neg = rnd(&c->rng, 3) == 0;
	if (n == 0 || (n < LMAX && r < (grow ? 55u : 15u))) {
		o->kind = OP_LAPPEND;
		pick_value(c, o, 1);
	} else if (n < LMAX && r < (grow ? 75u : 25u)) {
		o->kind = OP_LINSERT;
		o->a = rnd(&c->rng, n + 1);
		pick_value(c, o, 1);
	} else if (r < (grow ? 85u : 50u)) {
		o->kind = OP_LSET;
		o->a = rnd(&c->rng, n);
		pick_value(c, o, 1);
	} else if (r < (grow ? 94u : 80u)) {
		o->kind = OP_LPOP;
		o->a = rnd(&c->rng, n);
	} else {
		/* mostly short ranges, some empty, a few to the end */
		uint32_t most = !grow && rnd(&c->rng, 4) == 0 ? 40 : 6;
		o->kind = OP_LRANGE;
		o->a = rnd(&c->rng, n + 1);
		o->b = o->a + rnd(&c->rng, min_u32(n - o->a, most) + 1);
		if (!grow && rnd(&c->rng, 16) == 0)
			o->b = n;
	}
}

/* one array operation, valid in model md */
static void
pick_array(struct child *c, struct model *md, struct op *o)
{
	uint32_t n = md->alen, r = rnd(&c->rng, 100);
	uint32_t want = c->target[T_ARRAY];

	o->tag = (uint32_t)splitmix(&c->rng);
	o->neg = rnd(&c->rng, 3) == 0;
	if (n == 0 || r < 8) {
		o->kind = OP_ARESIZE;
		if (n < want)		/* grow */
			o->a = n + 1 + rnd(&c->rng, min_u32(want - n, 600));
		else if (rnd(&c->rng, 10) == 0)
			o->a = 0;	/* to empty */
		else			/* shrink */
			o->a = want + rnd(&c->rng, n - want + 1);
		if (o->a == n)
			o->a = n > 0 ? n - 1 : 1;
	} else if (r < 45) {
		o->kind = OP_ASET;
		o->a = rnd(&c->rng, n);
	} else {
		o->kind = r < 75 ? OP_AWRITE : OP_AWINDOW;
		o->a = rnd(&c->rng, n);
		o->b = 1 + rnd(&c->rng, min_u32(n - o->a, AWRITE_MAX));
	}
}

/* one operation on a random container, valid in model md */
static void
pick_single(struct child *c, struct model *md, struct op *o)
{
	uint32_t r = rnd(&c->rng, 100);

	memset(o, 0, sizeof(*o));
	if (r < 45)
		pick_map(c, md, o);
	else if (r < 75)
		pick_list(c, md, o);
	else
		pick_array(c, md, o);
}

/* choose the next operation or group; returns the number of ops */
static unsigned
pick(struct child *c, struct op *ops)
{
	uint32_t r = rnd(&c->rng, 10000);

	if (rnd(&c->rng, 1000) == 0)
		retarget(c);
	memset(ops, 0, sizeof(*ops));
	if (r < 2) {
		ops[0].kind = OP_CLEAR_ROOT;
		ops[0].a = rnd(&c->rng, 3) == 0 ? 0 : rnd(&c->rng, AMAX / 4);
		ops[0].tag = (uint32_t)splitmix(&c->rng);
		return 1;
	}
	if (r < 7) {
		ops[0].kind = OP_CLEAR;
		ops[0].map = M_NEST;
		return 1;
	}
	if (r < 14) {
		ops[0].kind = OP_LCLEAR;
		return 1;
	}
	if (r < 500) {
		/* a group, chosen against the model as it goes */
		static struct model scratch;
		unsigned n = 2 + rnd(&c->rng, MAX_GROUP - 1);
		scratch = c->md;
		for (unsigned i = 0; i < n; i++) {
			uint32_t q = rnd(&c->rng, 400);
			memset(&ops[i], 0, sizeof(ops[i]));
			if (q == 0) {
				ops[i].kind = OP_CLEAR;
				ops[i].map = M_NEST;
			} else if (q == 1) {
				ops[i].kind = OP_LCLEAR;
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

/* open the containers the root holds under names */
static int
open_named(struct child *c)
{
	pk_value out, name;
	int rc;

	name = cstr("nested");
	if ((rc = pk_map_get(&out, c->map[M_ROOT], &name)) != 0 ||
	    (rc = pk_map_open(&c->map[M_NEST], pool, &out)) != 0)
		return rc;
	name = cstr("list");
	if ((rc = pk_map_get(&out, c->map[M_ROOT], &name)) != 0 ||
	    (rc = pk_list_open(&c->list, pool, &out)) != 0)
		return rc;
	name = cstr("array");
	if ((rc = pk_map_get(&out, c->map[M_ROOT], &name)) != 0 ||
	    (rc = pk_array_open(&c->arr, pool, &out)) != 0)
		return rc;
	return 0;
}

/* a new map holding what a V_MAP list element with this tag holds */
static int
small_map_new(struct child *c, pk_map **out, uint32_t tag)
{
	pk_map *m;
	int rc;

	if ((rc = pk_map_new(&m, pool)) != 0)
		return rc;
	for (unsigned j = 0; j < small_count(tag); j++) {
		pk_value k = pk_int((int64_t)j);
		pk_value v = small_val(c->vbuf, tag, j);
		if ((rc = pk_map_put(m, &k, &v)) != 0) {
			pk_map_close(m);
			return rc;
		}
	}
	*out = m;
	return 0;
}

/* an index of a list or array of n elements, as the op says to pass it */
static int64_t
arg_index(const struct op *o, uint32_t i, uint32_t n)
{
	return o->neg ? (int64_t)i - (int64_t)n : (int64_t)i;
}

/* a slice bound or insert position: from the end, or past either end */
static int64_t
arg_bound(const struct op *o, uint32_t i, uint32_t n, int64_t past)
{
	if (!o->neg)
		return (int64_t)i;
	if (i == n)
		return (int64_t)n + past;	/* clamps to n */
	if (i == 0 && past > 2)
		return -(int64_t)n - past;	/* clamps to 0 */
	return (int64_t)i - (int64_t)n;
}

/* list append, set or insert of the op's value */
static int
list_store(struct child *c, const struct op *o)
{
	uint32_t n = c->md.llen;
	pk_map *m = NULL;
	pk_value v;
	int rc;

	if (o->vkind == V_MAP) {
		/* created and stored in one transaction: never unreferenced
		 * after a crash */
		if ((rc = pk_tx_begin(pool)) != 0 ||
		    (rc = small_map_new(c, &m, o->tag)) != 0)
			return rc;
		v = pk_map_value(m);
	} else {
		v = make_val(c->vbuf, o->vkind, o->vlen, o->tag);
	}
	switch (o->kind) {
	case OP_LAPPEND:
		rc = pk_list_append(c->list, &v);
		break;
	case OP_LSET:
		rc = pk_list_set(c->list, arg_index(o, o->a, n), &v);
		break;
	default:
		rc = pk_list_insert(c->list, arg_bound(o, o->a, n, 3), &v);
		break;
	}
	pk_map_close(m);
	if (o->vkind == V_MAP && rc == 0)
		rc = pk_tx_commit(pool);
	return rc;
}

static int
array_write(struct child *c, const struct op *o)
{
	void *p;
	int rc;

	for (uint32_t j = 0; j < o->b; j++)
		c->abuf[j] = aval(o->tag, j);
	if (o->kind == OP_AWRITE)
		return pk_array_write(c->arr, o->a, o->b, c->abuf);
	/* a window joins the group's transaction, or has one of its own */
	if ((rc = pk_tx_begin(pool)) != 0 ||
	    (rc = pk_array_window(&p, c->arr, o->a, o->a + o->b)) != 0)
		return rc;
	memcpy(p, c->abuf, (size_t)o->b * sizeof(int64_t));
	return pk_tx_commit(pool);
}

/* clear the root (which frees all it holds), store new containers */
static int
clear_root(struct child *c, const struct op *o)
{
	pk_map *nm = NULL;
	pk_list *nl = NULL;
	pk_array *na = NULL;
	pk_value name, v;
	int rc;

	for (uint32_t j = 0; j < o->a; j++)
		c->abuf[j] = aval(o->tag, j);
	if ((rc = pk_tx_begin(pool)) != 0)
		return rc;
	if ((rc = pk_map_clear(c->map[M_ROOT])) != 0 ||
	    (rc = pk_map_new(&nm, pool)) != 0 ||
	    (rc = pk_list_new(&nl, pool)) != 0 ||
	    (rc = pk_array_new(&na, pool, PK_ELEM_I64, 0, o->a,
			    o->a > 0 ? c->abuf : NULL)) != 0)
		return rc;
	name = cstr("nested");
	v = pk_map_value(nm);
	if ((rc = pk_map_put(c->map[M_ROOT], &name, &v)) != 0)
		return rc;
	name = cstr("list");
	v = pk_list_value(nl);
	if ((rc = pk_map_put(c->map[M_ROOT], &name, &v)) != 0)
		return rc;
	name = cstr("array");
	v = pk_array_value(na);
	if ((rc = pk_map_put(c->map[M_ROOT], &name, &v)) != 0 ||
	    (rc = pk_tx_commit(pool)) != 0)
		return rc;
	pk_map_close(c->map[M_NEST]);
	pk_list_close(c->list);
	pk_array_close(c->arr);
	c->map[M_NEST] = nm;
	c->list = nl;
	c->arr = na;
	return 0;
}

static int
child_do(struct child *c, const struct op *o)
{
	pk_map *m = c->map[o->map];
	uint32_t ln = c->md.llen, an = c->md.alen;

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
	case OP_CLEAR_ROOT:
		return clear_root(c, o);
	case OP_LAPPEND:
	case OP_LSET:
	case OP_LINSERT:
		return list_store(c, o);
	case OP_LPOP:
		return pk_list_pop(c->list, arg_index(o, o->a, ln));
	case OP_LRANGE:
		return pk_list_remove_range(c->list, arg_bound(o, o->a, ln, 2),
				arg_bound(o, o->b, ln, 7));
	case OP_LCLEAR:
		return pk_list_clear(c->list);
	case OP_ASET: {
		pk_value v = pk_int(aval(o->tag, 0));
		return pk_array_set(c->arr, arg_index(o, o->a, an), &v);
	}
	case OP_AWRITE:
	case OP_AWINDOW:
		return array_write(c, o);
	case OP_ARESIZE:
		return pk_array_resize(c->arr, o->a);
	default:
		return EINVAL;
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
	retarget(&c);
	if ((rc = pk_pool_open(&pool, path)) != 0)
		child_fail(&c, 0, rc, "pk_pool_open");
	if ((rc = pk_pool_root(&c.map[M_ROOT], pool)) != 0)
		child_fail(&c, 0, rc, "pk_pool_root");
	if ((rc = open_named(&c)) != 0)
		child_fail(&c, 0, rc, "open the named containers");
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

/* the containers the root holds under these names */
enum { N_NAMED = 3 };
static const char *const named_key[N_NAMED] = { "nested", "list", "array" };
static const pk_type named_type[N_NAMED] = { PK_MAP, PK_LIST, PK_ARRAY };

static int
named_index(const pk_value *k)
{
	if (k->type != PK_STRING)
		return -1;
	for (int j = 0; j < N_NAMED; j++)
		if (k->u.buf.len == strlen(named_key[j]) &&
		    memcmp(k->u.buf.ptr, named_key[j], k->u.buf.len) == 0)
			return j;
	return -1;
}

/*
 * check_map -- 0 if map m holds exactly the entries of want (plus, in the
 * root, the named containers); else 1 and a description in err
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
	int rc, named[N_NAMED] = { 0 };

	memset(seen, 0, sizeof(seen));
	if ((rc = pk_map_cursor(&c, m)) != 0) {
		snprintf(err, errlen, "%s: cursor: %s", map_name[which],
				pk_strerror(rc));
		return 1;
	}
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		walked++;
		int nm = which == M_ROOT ? named_index(&k) : -1;
		if (nm >= 0) {
			named[nm]++;
			if (v.type != named_type[nm]) {
				snprintf(err, errlen, "root: \"%s\" holds "
						"type %d", named_key[nm],
						(int)v.type);
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
	for (int j = 0; which == M_ROOT && j < N_NAMED; j++) {
		if (named[j] != 1) {
			snprintf(err, errlen, "root: %d \"%s\" entries",
					named[j], named_key[j]);
			return 1;
		}
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

/* check_small -- 0 if the map v refers to holds what tag says */
static int
check_small(const pk_value *v, uint32_t tag, uint64_t at, char *err,
		size_t errlen)
{
	static uint8_t vbuf[256];
	unsigned seen = 0, want = small_count(tag);
	pk_map *m;
	pk_cursor *c;
	pk_value k, x;
	uint64_t walked = 0, len = 0;
	int rc;

	if ((rc = pk_map_open(&m, pool, v)) != 0) {
		snprintf(err, errlen, "list[%" PRIu64 "]: map: %s", at,
				pk_strerror(rc));
		return 1;
	}
	if ((rc = pk_map_cursor(&c, m)) != 0) {
		snprintf(err, errlen, "list[%" PRIu64 "]: map cursor: %s", at,
				pk_strerror(rc));
		pk_map_close(m);
		return 1;
	}
	while ((rc = pk_cursor_next(&k, &x, c)) == 0) {
		walked++;
		if (k.type != PK_INT || k.u.i < 0 || k.u.i >= (int64_t)want ||
		    (seen & (1u << k.u.i))) {
			snprintf(err, errlen, "list[%" PRIu64 "]: map of tag "
					"%u: unexpected key", at, tag);
			goto fail;
		}
		seen |= 1u << k.u.i;
		pk_value w = small_val(vbuf, tag, (unsigned)k.u.i);
		if (!val_equal(&w, &x)) {
			snprintf(err, errlen, "list[%" PRIu64 "]: map of tag "
					"%u: key %" PRId64 " has another "
					"value", at, tag, k.u.i);
			goto fail;
		}
	}
	pk_cursor_free(c);
	if (rc != PK_ITEROVER || walked != want ||
	    pk_map_length(&len, m) != 0 || len != walked) {
		snprintf(err, errlen, "list[%" PRIu64 "]: map of tag %u: "
				"cursor %d, %" PRIu64 " entries walked, "
				"pk_map_length %" PRIu64 ", expected %u", at,
				tag, rc, walked, len, want);
		pk_map_close(m);
		return 1;
	}
	pk_map_close(m);
	return 0;
fail:
	pk_cursor_free(c);
	pk_map_close(m);
	return 1;
}

/* list_elem_ok -- whether v is what model entry e describes */
static int
list_elem_ok(const pk_value *v, const struct ent *e, uint64_t at, char *err,
		size_t errlen)
{
	static uint8_t vbuf[2048];

	if (e->vkind == V_MAP) {
		if (v->type != PK_MAP) {
			snprintf(err, errlen, "list[%" PRIu64 "]: type %d, "
					"expected a map of tag %u", at,
					(int)v->type, e->tag);
			return 0;
		}
		return check_small(v, e->tag, at, err, errlen) == 0;
	}
	pk_value want = make_val(vbuf, e->vkind, e->vlen, e->tag);
	if (!val_equal(&want, v)) {
		snprintf(err, errlen, "list[%" PRIu64 "]: another value (type "
				"%d, expected type %d len %u tag %u)", at,
				(int)v->type, (int)want.type, e->vlen, e->tag);
		return 0;
	}
	return 1;
}

/* check_list -- 0 if the list holds the model's elements, in order */
static int
check_list(pk_list *l, const struct model *md, char *err, size_t errlen)
{
	pk_cursor *c;
	pk_value k, v;
	uint64_t walked = 0, len;
	int rc;

	if ((rc = pk_list_cursor(&c, l)) != 0) {
		snprintf(err, errlen, "list: cursor: %s", pk_strerror(rc));
		return 1;
	}
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		if (k.type != PK_INT || k.u.i != (int64_t)walked) {
			snprintf(err, errlen, "list: the cursor's key %"
					PRId64 " at element %" PRIu64, k.u.i,
					walked);
			goto fail;
		}
		if (walked >= md->llen) {
			snprintf(err, errlen, "list: more than the %u "
					"elements expected", md->llen);
			goto fail;
		}
		if (!list_elem_ok(&v, &md->l[walked], walked, err, errlen))
			goto fail;
		walked++;
	}
	pk_cursor_free(c);
	if (rc != PK_ITEROVER) {
		snprintf(err, errlen, "list: cursor: %s (%s)",
				pk_strerror(rc), pk_errormsg());
		return 1;
	}
	if (walked != md->llen) {
		snprintf(err, errlen, "list: %" PRIu64 " elements, expected "
				"%u", walked, md->llen);
		return 1;
	}
	if ((rc = pk_list_length(&len, l)) != 0 || len != walked) {
		snprintf(err, errlen, "list: pk_list_length %" PRIu64 " (rc "
				"%d), a cursor walk saw %" PRIu64, len, rc,
				walked);
		return 1;
	}
	/* the last element by a negative index */
	if (walked > 0 && ((rc = pk_list_get(&v, l, -1)) != 0 ||
	    !list_elem_ok(&v, &md->l[walked - 1], walked - 1, err, errlen))) {
		if (rc != 0)
			snprintf(err, errlen, "list: get -1: %s",
					pk_strerror(rc));
		return 1;
	}
	return 0;
fail:
	pk_cursor_free(c);
	return 1;
}

/* check_array -- 0 if the array holds the model's elements */
static int
check_array(pk_array *a, const struct model *md, char *err, size_t errlen)
{
	static int64_t buf[AMAX];
	pk_cursor *c;
	pk_value k, v;
	pk_elem elem = (pk_elem)0;
	size_t width = 0, dlen;
	const void *data;
	uint64_t walked = 0, len;
	int rc;

	if ((rc = pk_array_type(&elem, &width, a)) != 0 ||
	    elem != PK_ELEM_I64 || width != 8) {
		snprintf(err, errlen, "array: type %d width %zu (rc %d)",
				(int)elem, width, rc);
		return 1;
	}
	if ((rc = pk_array_cursor(&c, a)) != 0) {
		snprintf(err, errlen, "array: cursor: %s", pk_strerror(rc));
		return 1;
	}
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		if (k.type != PK_INT || k.u.i != (int64_t)walked ||
		    walked >= md->alen || v.type != PK_INT ||
		    v.u.i != md->a[walked]) {
			snprintf(err, errlen, "array: element %" PRIu64 " of "
					"%u: key %" PRId64 ", type %d, %"
					PRId64 ", expected %" PRId64, walked,
					md->alen, k.u.i, (int)v.type, v.u.i,
					walked < md->alen ? md->a[walked] : 0);
			pk_cursor_free(c);
			return 1;
		}
		walked++;
	}
	pk_cursor_free(c);
	if (rc != PK_ITEROVER) {
		snprintf(err, errlen, "array: cursor: %s (%s)",
				pk_strerror(rc), pk_errormsg());
		return 1;
	}
	if (walked != md->alen) {
		snprintf(err, errlen, "array: %" PRIu64 " elements, expected "
				"%u", walked, md->alen);
		return 1;
	}
	if ((rc = pk_array_length(&len, a)) != 0 || len != walked) {
		snprintf(err, errlen, "array: pk_array_length %" PRIu64 " (rc "
				"%d), a cursor walk saw %" PRIu64, len, rc,
				walked);
		return 1;
	}
	/* the same through the copying and the in-place reads */
	size_t bytes = (size_t)walked * sizeof(int64_t);
	if ((rc = pk_array_read(buf, a, 0, walked)) != 0 ||
	    (bytes > 0 && memcmp(buf, md->a, bytes) != 0)) {
		snprintf(err, errlen, "array: pk_array_read differs (rc %d)",
				rc);
		return 1;
	}
	if ((rc = pk_array_data(&data, &dlen, a)) != 0 || dlen != bytes ||
	    (bytes > 0 && memcmp(data, md->a, bytes) != 0)) {
		snprintf(err, errlen, "array: pk_array_data differs (rc %d, "
				"%zu bytes)", rc, dlen);
		return 1;
	}
	return 0;
}

/* check_pool -- 0 if the open pool matches md; else 1 and err */
static int
check_pool(pk_map *root, const struct model *md, char *err, size_t errlen)
{
	pk_value name, out;
	pk_map *nested;
	pk_list *list;
	pk_array *arr;
	int rc, bad;

	if (check_map(root, md, M_ROOT, err, errlen))
		return 1;
	name = cstr("nested");
	if ((rc = pk_map_get(&out, root, &name)) != 0 ||
	    (rc = pk_map_open(&nested, pool, &out)) != 0) {
		snprintf(err, errlen, "nested map: %s", pk_strerror(rc));
		return 1;
	}
	bad = check_map(nested, md, M_NEST, err, errlen);
	pk_map_close(nested);
	if (bad)
		return 1;
	name = cstr("list");
	if ((rc = pk_map_get(&out, root, &name)) != 0 ||
	    (rc = pk_list_open(&list, pool, &out)) != 0) {
		snprintf(err, errlen, "list: %s", pk_strerror(rc));
		return 1;
	}
	bad = check_list(list, md, err, errlen);
	pk_list_close(list);
	if (bad)
		return 1;
	name = cstr("array");
	if ((rc = pk_map_get(&out, root, &name)) != 0 ||
	    (rc = pk_array_open(&arr, pool, &out)) != 0) {
		snprintf(err, errlen, "array: %s", pk_strerror(rc));
		return 1;
	}
	bad = check_array(arr, md, err, errlen);
	pk_array_close(arr);
	return bad;
}

/* ---------------------------------------------------------------------- */
/* the parent */

enum { O_APPLIED, O_ABSENT, O_SAME, N_OUTCOMES };

struct run {
	struct model md;	/* acknowledged state */
	struct model after;	/* that plus the operation in flight */
	struct op pending[MAX_GROUP];
	unsigned npending;	/* the operation in flight, if any */
	uint32_t pending_seq;
	int ready;
	uint64_t acks_now;	/* acknowledged in this iteration */
	/* totals */
	uint64_t acks, groups, mixed, clears, kills, present, absent, same,
		none, early, by_time, by_count, max_count[N_MAPS], max_llen,
		max_alen;
	uint64_t kind_ops[N_KINDS];	/* acknowledged ops on each kind */
	uint64_t kind_fly[N_KINDS][N_OUTCOMES]; /* in flight at a kill */
	uint64_t op_count[OP_END];	/* acknowledged ops of each type */
	uint64_t list_maps;	/* maps stored into the list */
	uint64_t group_windows;	/* window writes in multi-op groups */
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
	case R_ACK: {
		unsigned kinds = 0;
		ck_assert_msg(st->npending > 0 && r->seq == st->pending_seq,
				"iteration %d: ack %u without its intent",
				st->iter, r->seq);
		for (unsigned i = 0; i < st->npending; i++) {
			const struct op *o = &st->pending[i];
			unsigned k = op_kinds(o);
			model_apply(&st->md, o);
			kinds |= k;
			for (int j = 0; j < N_KINDS; j++)
				st->kind_ops[j] += (k >> j) & 1;
			st->op_count[o->kind < OP_END ? o->kind : 0]++;
			st->clears += o->kind == OP_CLEAR ||
				o->kind == OP_CLEAR_ROOT ||
				o->kind == OP_LCLEAR;
			st->list_maps += o->vkind == V_MAP;
			st->group_windows += st->npending > 1 &&
				o->kind == OP_AWINDOW;
		}
		if (st->npending > 1 || st->pending[0].kind == OP_CLEAR_ROOT)
			st->groups++;
		if (st->npending > 1 && (kinds & (kinds - 1)) != 0)
			st->mixed++;
		for (int m = 0; m < N_MAPS; m++)
			if (st->md.count[m] > st->max_count[m])
				st->max_count[m] = st->md.count[m];
		if (st->md.llen > st->max_llen)
			st->max_llen = st->md.llen;
		if (st->md.alen > st->max_alen)
			st->max_alen = st->md.alen;
		st->npending = 0;
		st->acks++;
		st->acks_now++;
		break;
	}
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
	pk_pool_stats ps = PK_POOL_STATS_INIT;
	char err_a[300], err_b[300], what[1200];
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_stats_get(&ps, pool));
	if (st->ready)
		ck_assert_msg(ps.unclean == 1, "iteration %d: unclean %d after "
				"a kill", st->iter, ps.unclean);
	/*
	 * the child creates a container only in the transaction that stores
	 * it, so a crash can leave nothing unreachable for the collector at
	 * open
	 */
	ck_assert_msg(ps.recovered == 0, "iteration %d: pk_pool_open "
			"reclaimed %" PRIu64 " objects after the kill",
			st->iter, ps.recovered);
	op_describe(what, sizeof(what), st->pending, st->npending);
	ck_assert_msg(pk_pool_check(&rep, pool) == 0, "iteration %d (seed %"
			PRIu64 "): pk_pool_check: %s (leaked %" PRIu64
			", dangling %" PRIu64 ", refcounts %" PRIu64
			", damaged %" PRIu64 "); in flight [%s]", st->iter,
			seed, pk_errormsg(), rep.leaked, rep.dangling,
			rep.refcounts, rep.damaged, what);
	PK_OK(pk_pool_root(&root, pool));
	int a = check_pool(root, &st->md, err_a, sizeof(err_a));
	int b = 1;
	st->after = st->md;
	if (st->npending > 0) {
		for (unsigned i = 0; i < st->npending; i++)
			model_apply(&st->after, &st->pending[i]);
		b = check_pool(root, &st->after, err_b, sizeof(err_b));
	} else {
		snprintf(err_b, sizeof(err_b), "(nothing in flight)");
	}
	ck_assert_msg(a == 0 || b == 0, "iteration %d (seed %" PRIu64 "): "
			"the pool matches neither the acknowledged state (%s) "
			"nor that plus the operation in flight [%s] (%s)",
			st->iter, seed, err_a, what, err_b);
	int outcome = a == 0 && b == 0 ? O_SAME : b == 0 ? O_APPLIED :
		O_ABSENT;
	if (st->npending == 0)
		st->none++;
	else if (outcome == O_SAME)
		st->same++;
	else if (outcome == O_APPLIED)
		st->present++;
	else
		st->absent++;
	if (st->npending > 0) {
		unsigned kinds = 0;
		for (unsigned i = 0; i < st->npending; i++)
			kinds |= op_kinds(&st->pending[i]);
		for (int j = 0; j < N_KINDS; j++)
			st->kind_fly[j][outcome] += (kinds >> j) & 1;
	}
	if (a != 0)	/* it happened: the model goes on from there */
		st->md = st->after;
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	pool = NULL;
}

static void
setup(void)
{
	pk_map *root, *nested;
	pk_list *list;
	pk_array *arr;
	pk_value name, v;

	test_setup();
	/*
	 * libpmemobj keeps a run of 1-4 MiB for every allocation size class in
	 * use, and array resizes use many classes: a pool this size keeps that
	 * from ending the test with PK_ENOSPACE while it is mostly empty
	 */
	PK_OK(pk_pool_create(&pool, test_path, CRASH_POOL_SIZE, 0));
	PK_OK(pk_pool_stats_get(&fresh_stats, pool));
	PK_OK(pk_pool_root(&root, pool));
	/* the model starts with all three empty */
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_new(&nested, pool));
	PK_OK(pk_list_new(&list, pool));
	PK_OK(pk_array_new(&arr, pool, PK_ELEM_I64, 0, 0, NULL));
	name = cstr("nested");
	v = pk_map_value(nested);
	PK_OK(pk_map_put(root, &name, &v));
	name = cstr("list");
	v = pk_list_value(list);
	PK_OK(pk_map_put(root, &name, &v));
	name = cstr("array");
	v = pk_array_value(arr);
	PK_OK(pk_map_put(root, &name, &v));
	PK_OK(pk_tx_commit(pool));
	pk_map_close(nested);
	pk_list_close(list);
	pk_array_close(arr);
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

/* covered -- the run has seen everything that the test asserts it saw */
static int
covered(const struct run *st)
{
	for (int k = 0; k < N_KINDS; k++)
		if (st->kind_fly[k][O_ABSENT] == 0)
			return 0;
	return st->acks > 1000 && st->mixed > 0 && st->list_maps > 0 &&
		st->group_windows > 0;
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
	/*
	 * Where a kill lands is up to the scheduler, so a short run (under
	 * valgrind, say) may by chance not yet have interrupted an operation
	 * of every kind: it goes on until it has, or up to ten times longer.
	 */
	const uint64_t nkills = (uint64_t)test_scale(NKILLS);
	for (st.iter = 0; st.kills < nkills || (!covered(&st) &&
			st.kills < 10 * nkills); st.iter++)
		crash_once(&st, &krng, seed * 1000003ull + (uint64_t)st.iter);
	double secs = (double)(now_ns() - t0) / 1e9;
	printf("test_crash: %" PRIu64 " kills (%" PRIu64 " early, %" PRIu64
			" at a random time, %" PRIu64 " after random acks), "
			"%" PRIu64 " acknowledged operations (%" PRIu64
			" transaction groups, %" PRIu64 " of them mixing "
			"container kinds, %" PRIu64 " clears); in flight at "
			"the kill: %" PRIu64 " found applied, %" PRIu64
			" found absent, %" PRIu64 " indistinguishable, %"
			PRIu64 " none; %.1f s\n", st.kills, st.early,
			st.by_time, st.by_count, st.acks, st.groups,
			st.mixed, st.clears, st.present, st.absent, st.same,
			st.none, secs);
	for (int k = 0; k < N_KINDS; k++) {
		char extra[200];
		if (k == K_MAP)
			snprintf(extra, sizeof(extra), "largest maps %" PRIu64
					"/%" PRIu64 " entries",
					st.max_count[M_ROOT],
					st.max_count[M_NEST]);
		else if (k == K_LIST)
			snprintf(extra, sizeof(extra), "%" PRIu64 " appends, "
					"%" PRIu64 " sets, %" PRIu64
					" inserts, %" PRIu64 " pops, %" PRIu64
					" remove_range, %" PRIu64 " clears, %"
					PRIu64 " maps stored, largest %"
					PRIu64 " elements",
					st.op_count[OP_LAPPEND],
					st.op_count[OP_LSET],
					st.op_count[OP_LINSERT],
					st.op_count[OP_LPOP],
					st.op_count[OP_LRANGE],
					st.op_count[OP_LCLEAR], st.list_maps,
					st.max_llen);
		else
			snprintf(extra, sizeof(extra), "%" PRIu64 " sets, %"
					PRIu64 " writes, %" PRIu64 " resizes, "
					"%" PRIu64 " window writes (%" PRIu64
					" in groups), largest %" PRIu64
					" elements",
					st.op_count[OP_ASET],
					st.op_count[OP_AWRITE],
					st.op_count[OP_ARESIZE],
					st.op_count[OP_AWINDOW],
					st.group_windows, st.max_alen);
		printf("test_crash: %s: %" PRIu64 " acknowledged operations "
				"(%s); in flight at %" PRIu64 " kills: %"
				PRIu64 " applied, %" PRIu64 " absent, %"
				PRIu64 " indistinguishable\n", kind_name[k],
				st.kind_ops[k], extra,
				st.kind_fly[k][O_APPLIED] +
				st.kind_fly[k][O_ABSENT] +
				st.kind_fly[k][O_SAME],
				st.kind_fly[k][O_APPLIED],
				st.kind_fly[k][O_ABSENT],
				st.kind_fly[k][O_SAME]);
	}
	fflush(stdout);
	/* the kills did interrupt operations, which were rolled back */
	ck_assert_uint_gt(st.absent, 0);
	ck_assert_uint_gt(st.acks, 1000);
	/* on every kind of container, and in groups that mixed them */
	for (int k = 0; k < N_KINDS; k++)
		ck_assert_msg(st.kind_fly[k][O_ABSENT] > 0, "no operation on "
				"%s was found rolled back", kind_name[k]);
	ck_assert_uint_gt(st.mixed, 0);
	ck_assert_uint_gt(st.list_maps, 0);
	ck_assert_uint_gt(st.group_windows, 0);

	/*
	 * nothing leaked across all the crashes: emptied, the pool holds
	 * what it held when it was new
	 */
	pk_map *root;
	pk_pool_stats ps = PK_POOL_STATS_INIT;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
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
