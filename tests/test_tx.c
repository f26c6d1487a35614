/*
 * test_tx.c -- transactions: begin/commit/abort and flat nesting, misuse,
 * durability across reopen, and byte-for-byte rollback of every mutating
 * map operation (contents, length and the pool's allocations)
 */
#include "fixture.h"

static pk_pool_stats empty_stats = PK_POOL_STATS_INIT; /* a fresh pool whose root map is empty */

static void
setup_tx(void)
{
	setup();
	PK_OK(pk_pool_stats_get(&empty_stats, pool));
}

static uint64_t
length(pk_map *m)
{
	uint64_t n;
	PK_OK(pk_map_length(&n, m));
	return n;
}

/* the int value stored under key k, which must be present */
static int64_t
get_int(pk_map *m, const pk_value *k)
{
	pk_value out;
	PK_OK(pk_map_get(&out, m, k));
	ck_assert_int_eq(out.type, PK_INT);
	return out.u.i;
}

static int
has(pk_map *m, const pk_value *k)
{
	int yes;
	PK_OK(pk_map_contains(&yes, m, k));
	return yes;
}

static void
put_int(pk_map *m, const char *key, int64_t i)
{
	pk_value k = cstr(key), v = pk_int(i);
	PK_OK(pk_map_put(m, &k, &v));
}

/* ---------------------------------------------------------------------- */
/* snapshots: every (key, value) pair of a map, serialised, sorted */

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void
buf_add(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->n + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		ck_assert_ptr_nonnull(b->p);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void
buf_u64(struct buf *b, uint64_t x)
{
	buf_add(b, &x, sizeof(x));
}

struct ent {
	uint8_t *p;
	size_t len;
};

struct ents {
	struct ent *v;
	size_t n, cap;
};

static void snapshot_map(pk_pool *p, pk_map *m, struct ents *out);
static void ents_free(struct ents *e);

static void
ser_value(struct buf *b, pk_pool *p, const pk_value *v)
{
	uint8_t t = (uint8_t)v->type;

	buf_add(b, &t, 1);
	switch (v->type) {
	case PK_NIL:
		break;
	case PK_BOOL:
	case PK_INT:
		buf_u64(b, (uint64_t)v->u.i);
		break;
	case PK_DOUBLE:
		buf_add(b, &v->u.d, sizeof(v->u.d));
		break;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
		buf_u64(b, v->u.buf.len);
		buf_add(b, v->u.buf.ptr, v->u.buf.len);
		break;
	case PK_MAP: {
		/* the reference itself, then the whole nested map */
		pk_map *sub;
		struct ents e = { 0 };
		buf_u64(b, v->u.ref.off);
		buf_u64(b, v->u.ref.gen);
		PK_OK(pk_map_open(&sub, p, v));
		snapshot_map(p, sub, &e);
		pk_map_close(sub);
		buf_u64(b, e.n);
		for (size_t i = 0; i < e.n; i++) {
			buf_u64(b, e.v[i].len);
			buf_add(b, e.v[i].p, e.v[i].len);
		}
		ents_free(&e);
		break;
	}
	default:
		ck_abort_msg("unexpected value type %d", (int)v->type);
	}
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);
	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void
ents_free(struct ents *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].p);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* snapshot_map -- walk m with a cursor; the walk must see length() pairs */
static void
snapshot_map(pk_pool *p, pk_map *m, struct ents *out)
{
	pk_cursor *c;
	pk_value k, v;
	int rc;

	memset(out, 0, sizeof(*out));
	PK_OK(pk_map_cursor(&c, m));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		struct buf b = { 0 };
		ser_value(&b, p, &k);
		ser_value(&b, p, &v);
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 256;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
			ck_assert_ptr_nonnull(out->v);
		}
		out->v[out->n].p = b.p;
		out->v[out->n].len = b.n;
		out->n++;
	}
	PK_RC(rc, PK_ITEROVER);
	pk_cursor_free(c);
	ck_assert_msg(out->n == length(m), "a cursor walk saw %zu entries, "
			"pk_map_length says %llu", out->n,
			(unsigned long long)length(m));
	if (out->n > 0)
		qsort(out->v, out->n, sizeof(*out->v), ent_cmp);
	for (size_t i = 1; i < out->n; i++)
		ck_assert_msg(ent_cmp(&out->v[i - 1], &out->v[i]) != 0,
				"a cursor walk returned one entry twice");
}

static int
ents_same(const struct ents *a, const struct ents *b, size_t *where)
{
	size_t n = a->n < b->n ? a->n : b->n;
	for (size_t i = 0; i < n; i++) {
		if (ent_cmp(&a->v[i], &b->v[i]) != 0) {
			*where = i;
			return 0;
		}
	}
	*where = n;
	return a->n == b->n;
}

/* the state a rollback must restore */
struct state {
	struct ents e;
	uint64_t len;
	pk_pool_stats st;
};

static void
capture(struct state *s, pk_pool *p, pk_map *m)
{
	snapshot_map(p, m, &s->e);
	PK_OK(pk_map_length(&s->len, m));
	s->st.version = PK_POOL_STATS_VERSION;
	PK_OK(pk_pool_stats_get(&s->st, p));
}

static void
state_free(struct state *s)
{
	ents_free(&s->e);
}

static void
expect_state(const struct state *want, pk_pool *p, pk_map *m,
		const char *what)
{
	struct state now;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	size_t at;

	capture(&now, p, m);
	/* nothing leaked, no reference count or reference wrong */
	ck_assert_msg(pk_pool_check(&rep, p) == 0, "%s: pk_pool_check: %s",
			what, pk_errormsg());
	ck_assert_msg(now.len == want->len, "%s: length %llu, expected %llu",
			what, (unsigned long long)now.len,
			(unsigned long long)want->len);
	ck_assert_msg(ents_same(&want->e, &now.e, &at),
			"%s: contents differ at sorted entry %zu of %zu/%zu",
			what, at, want->e.n, now.e.n);
	ck_assert_msg(now.st.objects == want->st.objects,
			"%s: %llu objects, expected %llu", what,
			(unsigned long long)now.st.objects,
			(unsigned long long)want->st.objects);
	ck_assert_msg(now.st.used == want->st.used,
			"%s: %llu bytes used, expected %llu", what,
			(unsigned long long)now.st.used,
			(unsigned long long)want->st.used);
	state_free(&now);
}

/* ---------------------------------------------------------------------- */
/* the pre-filled map: NFILL entries of mixed key and value types */

#define NFILL 3000u
#define NNEST 5

static void
fill_text(char *buf, size_t len, char tag, uint64_t i)
{
	char head[32];

	/* tag and 8 digits make the first 9 bytes unique below 10^8 */
	snprintf(head, sizeof(head), "%c%08llu", tag, (unsigned long long)i);
	memcpy(buf, head, len < 9 ? len : 9);
	for (size_t j = 9; j < len; j++)
		buf[j] = (char)('a' + (i * 7 + j * 13) % 26);
}

static void
fill_bin(uint8_t *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
	for (size_t j = 0; j < len; j++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[j] = (uint8_t)x;
	}
}

/*
 * key i: i % 6 picks int, short bytes, string (10..69 bytes: inline or out
 * of line), non-integral double, long bytes (always out of line), or a
 * long inline string key (49..56 bytes) that leaves room for tiny values
 */
static pk_value
fill_key(char *buf, uint64_t i)
{
	size_t len;

	switch (i % 6) {
	case 0:
		return pk_int((int64_t)(i * 7919) - 5000000);
	case 1:
		fill_text(buf, 9, 'b', i);
		return pk_bytes(buf, 9);
	case 2:
		len = 10 + i % 60;
		fill_text(buf, len, 's', i);
		return pk_string(buf, len);
	case 3:
		return pk_double((double)i + 0.25);
	case 4:
		len = 60 + i % 80;
		fill_text(buf, len, 'B', i);
		return pk_bytes(buf, len);
	default:
		len = 49 + i % 8;
		fill_text(buf, len, 'L', i);
		return pk_string(buf, len);
	}
}

/* value i: every type, inline and out of line */
static pk_value
fill_val(uint8_t *buf, uint64_t i, uint64_t salt)
{
	size_t len;
	pk_value v;

	if (i % 6 == 5)	/* long inline key: tiny value */
		return (i / 6) % 2 ? pk_bool((int)(i & 1)) : pk_nil();
	switch ((i / 6 + salt) % 9) {
	case 0:
		return pk_nil();
	case 1:
		return pk_bool((int)((i + salt) & 1));
	case 2:
		return pk_int((int64_t)(i * 1000003 + salt) - 77);
	case 3:
		return pk_double((double)i / 7.0 + (double)salt);
	case 4:
		len = (i + salt) % 30;
		fill_bin(buf, len, i + salt);
		return pk_bytes(buf, len);
	case 5:
		len = 60 + (i + salt) % 400;
		fill_bin(buf, len, i + salt);
		return pk_bytes(buf, len);
	case 6:
		len = (i + salt) % 30;
		fill_text((char *)buf, len, 'v', i + salt);
		return pk_string((char *)buf, len);
	case 7:
		len = 100 + (i + salt) % 900;
		fill_text((char *)buf, len, 'V', i + salt);
		return pk_string((char *)buf, len);
	default:
		len = 9 + (i + salt) % 8;
		fill_bin(buf, len, i + salt);
		buf[len - 1] = 0x12; /* minimal: not a sign extension */
		v.type = PK_BIGINT;
		v.u.buf.ptr = buf;
		v.u.buf.len = len;
		return v;
	}
}

/* which kind of value fill_val() gives entry i (salt 0) */
static int
fill_kind(uint64_t i)
{
	return i % 6 == 5 ? -1 : (int)((i / 6) % 9);
}

static int
short_key(uint64_t i)
{
	return i % 6 == 0 || i % 6 == 1 || i % 6 == 3;
}

static pk_value
nest_key(char *buf, int n)
{
	snprintf(buf, 16, "nest%d", n);
	return cstr(buf);
}

/* a nested map with some entries; depth > 0 adds a map inside it */
static void
make_nested(pk_pool *p, pk_map **out, int depth, uint64_t salt)
{
	char kb[160];
	uint8_t vb[1100];

	PK_OK(pk_map_new(out, p));
	for (uint64_t j = 0; j < 40; j++) {
		pk_value k = fill_key(kb, j), v = fill_val(vb, j, salt);
		PK_OK(pk_map_put(*out, &k, &v));
	}
	if (depth > 0) {
		pk_map *sub;
		pk_value k = cstr("deeper");
		make_nested(p, &sub, depth - 1, salt + 1);
		pk_value sv = pk_map_value(sub);
		PK_OK(pk_map_put(*out, &k, &sv));
		pk_map_close(sub);
	}
}

static void
prefill(pk_pool *p, pk_map *m, uint64_t n, int nested)
{
	char kb[160];
	uint8_t vb[1100];

	for (uint64_t i = 0; i < n; i++) {
		pk_value k = fill_key(kb, i), v = fill_val(vb, i, 0);
		PK_OK(pk_map_put(m, &k, &v));
	}
	for (int j = 0; j < nested; j++) {
		pk_map *sub;
		pk_value k = nest_key(kb, j);
		make_nested(p, &sub, j == 0 ? 2 : 0, (uint64_t)j);
		pk_value sv = pk_map_value(sub);
		PK_OK(pk_map_put(m, &k, &sv));
		pk_map_close(sub);
	}
	ck_assert_uint_eq(length(m), n + (uint64_t)nested);
}

static void
setup_filled(void)
{
	setup_tx();
	prefill(pool, root, NFILL, NNEST);
}

/* ---------------------------------------------------------------------- */
/* functional tests */

START_TEST(test_tx_basic__commit_and_abort)
{
	pk_value a = cstr("a"), b = cstr("b"), out;

	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_OK(pk_tx_begin(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	put_int(root, "a", 1);
	/* changes are visible to the thread at once */
	ck_assert_int_eq(get_int(root, &a), 1);
	PK_OK(pk_tx_commit(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	ck_assert_int_eq(get_int(root, &a), 1);

	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 2);
	put_int(root, "b", 3);
	PK_OK(pk_map_remove(root, &a));
	ck_assert_int_eq(has(root, &a), 0);
	ck_assert_uint_eq(length(root), 1);
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	ck_assert_int_eq(get_int(root, &a), 1);
	PK_RC(pk_map_get(&out, root, &b), PK_NOTFOUND);
	ck_assert_uint_eq(length(root), 1);

	/* an empty transaction commits and aborts */
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_commit(pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	ck_assert_int_eq(pk_tx_depth(NULL), 0);
}
END_TEST

START_TEST(test_tx_basic__nesting_inner_commit)
{
	pk_value a = cstr("a"), b = cstr("b"), c = cstr("c"), out;

	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	PK_OK(pk_tx_begin(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 2);
	put_int(root, "b", 2);
	PK_OK(pk_tx_begin(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 3);
	put_int(root, "c", 3);
	/* an inner commit only ends its level */
	PK_OK(pk_tx_commit(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 2);
	PK_OK(pk_tx_commit(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	ck_assert_int_eq(get_int(root, &c), 3);
	/* the outer abort undoes what the committed inner levels did */
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_RC(pk_map_get(&out, root, &a), PK_NOTFOUND);
	PK_RC(pk_map_get(&out, root, &b), PK_NOTFOUND);
	PK_RC(pk_map_get(&out, root, &c), PK_NOTFOUND);
	ck_assert_uint_eq(length(root), 0);

	/* and the outermost commit makes every level durable */
	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	PK_OK(pk_tx_begin(pool));
	put_int(root, "b", 2);
	PK_OK(pk_tx_commit(pool));
	PK_OK(pk_tx_commit(pool));
	reopen();
	ck_assert_int_eq(get_int(root, &a), 1);
	ck_assert_int_eq(get_int(root, &b), 2);
	ck_assert_uint_eq(length(root), 2);
}
END_TEST

START_TEST(test_tx_basic__inner_abort_aborts_all)
{
	pk_value a = cstr("a"), b = cstr("b"), keep = cstr("keep"), out;
	pk_map *m = NULL;

	put_int(root, "keep", 7);
	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	put_int(root, "keep", 8);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_begin(pool));
	put_int(root, "b", 2);
	ck_assert_int_eq(pk_tx_depth(pool), 3);
	/* abort at the innermost level: the whole transaction is undone */
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 2);
	PK_RC(pk_map_get(&out, root, &a), PK_NOTFOUND);
	PK_RC(pk_map_get(&out, root, &b), PK_NOTFOUND);
	ck_assert_int_eq(get_int(root, &keep), 7);

	/* every further change, and a new level, reports the abort */
	pk_value v = pk_int(9);
	PK_RC(pk_map_put(root, &a, &v), PK_EABORTED);
	PK_RC(pk_map_put(root, &keep, &v), PK_EABORTED);
	PK_RC(pk_map_remove(root, &keep), PK_EABORTED);
	PK_RC(pk_map_clear(root), PK_EABORTED);
	PK_RC(pk_map_new(&m, pool), PK_EABORTED);
	ck_assert_ptr_null(m);
	PK_RC(pk_tx_begin(pool), PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 2);
	/* reads still work and see the state before the transaction */
	ck_assert_int_eq(get_int(root, &keep), 7);
	ck_assert_uint_eq(length(root), 1);

	/* commits report the abort and end their level */
	PK_RC(pk_tx_commit(pool), PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_RC(pk_map_put(root, &a, &v), PK_EABORTED);
	PK_RC(pk_tx_commit(pool), PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_RC(pk_tx_commit(pool), PK_ETXN);

	/* the thread is free again; nothing of the transaction remains */
	put_int(root, "b", 5);
	reopen();
	PK_RC(pk_map_get(&out, root, &a), PK_NOTFOUND);
	ck_assert_int_eq(get_int(root, &keep), 7);
	ck_assert_int_eq(get_int(root, &b), 5);
	ck_assert_uint_eq(length(root), 2);

	/* the outermost level can also be ended with an abort */
	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_RC(pk_map_get(&out, root, &a), PK_NOTFOUND);
	/* and a new transaction works normally */
	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 11);
	PK_OK(pk_tx_commit(pool));
	reopen();
	ck_assert_int_eq(get_int(root, &a), 11);
}
END_TEST

START_TEST(test_tx_misuse__no_transaction)
{
	PK_RC(pk_tx_commit(pool), PK_ETXN);
	PK_RC(pk_tx_abort(pool), PK_ETXN);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_commit(pool));
	/* one commit too many */
	PK_RC(pk_tx_commit(pool), PK_ETXN);
	PK_RC(pk_tx_abort(pool), PK_ETXN);
	PK_RC(pk_tx_begin(NULL), EINVAL);
	PK_RC(pk_tx_commit(NULL), EINVAL);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	/* the collector refuses to run inside a transaction */
	PK_OK(pk_tx_begin(pool));
	put_int(root, "y", 2);
	PK_RC(pk_pool_gc(NULL, pool), PK_ETXN);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_OK(pk_tx_commit(pool));
	/* the misuse left nothing behind: operations run as usual */
	put_int(root, "x", 1);
	reopen();
	ck_assert_uint_eq(length(root), 2);
}
END_TEST

START_TEST(test_tx_misuse__second_pool)
{
	pk_pool *p2;
	pk_map *r2, *m2 = NULL;
	pk_value k = cstr("k"), v = pk_int(1), out;

	PK_OK(pk_pool_create(&p2, test_file("second"), PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_root(&r2, p2));

	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	PK_RC(pk_map_put(r2, &k, &v), PK_ETXN);
	PK_RC(pk_map_remove(r2, &k), PK_ETXN);
	PK_RC(pk_map_clear(r2), PK_ETXN);
	PK_RC(pk_map_new(&m2, p2), PK_ETXN);
	ck_assert_ptr_null(m2);
	PK_RC(pk_tx_begin(p2), PK_ETXN);
	PK_RC(pk_tx_commit(p2), PK_ETXN);
	PK_RC(pk_tx_abort(p2), PK_ETXN);
	ck_assert_int_eq(pk_tx_depth(p2), 0);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	/* the misuse did not abort the transaction on the first pool */
	put_int(root, "b", 2);
	PK_OK(pk_tx_commit(pool));
	ck_assert_uint_eq(length(root), 2);
	ck_assert_uint_eq(length(r2), 0);

	/* with the first transaction ended, the second pool works */
	PK_OK(pk_tx_begin(p2));
	PK_OK(pk_map_put(r2, &k, &v));
	PK_RC(pk_tx_begin(pool), PK_ETXN);
	PK_OK(pk_tx_commit(p2));
	pk_map_close(r2);
	PK_OK(pk_pool_close(p2));
	PK_OK(pk_pool_open(&p2, test_file("second")));
	PK_OK(pk_pool_root(&r2, p2));
	PK_OK(pk_map_get(&out, r2, &k));
	ck_assert_int_eq(out.u.i, 1);
	pk_map_close(r2);
	PK_OK(pk_pool_close(p2));
	reopen();
	ck_assert_uint_eq(length(root), 2);
}
END_TEST

START_TEST(test_tx_durability__commit_survives_reopen)
{
	pk_map *m;
	pk_value name = cstr("child"), k = pk_int(3), out;
	uint8_t big[3000];

	fill_bin(big, sizeof(big), 1);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_new(&m, pool));
	pk_value bv = pk_bytes(big, sizeof(big));
	PK_OK(pk_map_put(m, &k, &bv));
	pk_value mv = pk_map_value(m);
	PK_OK(pk_map_put(root, &name, &mv));
	put_int(root, "n", 42);
	PK_OK(pk_tx_commit(pool));
	pk_map_close(m);
	reopen();
	ck_assert_uint_eq(length(root), 2);
	PK_OK(pk_map_get(&out, root, &name));
	PK_OK(pk_map_open(&m, pool, &out));
	PK_OK(pk_map_get(&out, m, &k));
	ck_assert_uint_eq(out.u.buf.len, sizeof(big));
	ck_assert(memcmp(out.u.buf.ptr, big, sizeof(big)) == 0);
	pk_map_close(m);

	/* an aborted transaction leaves no trace after reopen */
	PK_OK(pk_tx_begin(pool));
	put_int(root, "n", 43);
	put_int(root, "other", 1);
	PK_OK(pk_map_remove(root, &name));
	PK_OK(pk_tx_abort(pool));
	reopen();
	pk_value n = cstr("n");
	ck_assert_int_eq(get_int(root, &n), 42);
	ck_assert_uint_eq(length(root), 2);
	ck_assert_int_eq(has(root, &name), 1);
}
END_TEST

START_TEST(test_tx_durability__new_map_in_aborted_tx_is_stale)
{
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	pk_map *m, *inner;
	pk_value name = cstr("child"), k = pk_int(1), v = cstr("x"), out;
	uint64_t n;

	put_int(root, "keep", 1);
	PK_OK(pk_pool_stats_get(&before, pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_new(&m, pool));
	PK_OK(pk_map_new(&inner, pool));
	PK_OK(pk_map_put(m, &k, &v));
	pk_value iv = pk_map_value(inner);
	PK_OK(pk_map_put(m, &v, &iv));
	pk_value mv = pk_map_value(m);
	PK_OK(pk_map_put(root, &name, &mv));
	PK_OK(pk_map_get(&out, m, &k));
	PK_OK(pk_tx_abort(pool));

	PK_RC(pk_map_get(&out, m, &k), PK_ESTALE);
	PK_RC(pk_map_put(m, &k, &v), PK_ESTALE);
	PK_RC(pk_map_length(&n, m), PK_ESTALE);
	PK_RC(pk_map_length(&n, inner), PK_ESTALE);
	pk_map_close(inner);
	PK_RC(pk_map_open(&inner, pool, &mv), PK_ESTALE);
	/* its value cannot be stored any more either */
	PK_RC(pk_map_put(root, &name, &mv), PK_ESTALE);
	PK_RC(pk_map_get(&out, root, &name), PK_NOTFOUND);
	ck_assert_uint_eq(length(root), 1);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
	ck_assert_uint_eq(after.used, before.used);
	pk_map_close(m);
	pk_map_close(inner);
	reopen();
	ck_assert_uint_eq(length(root), 1);
	PK_RC(pk_map_get(&out, root, &name), PK_NOTFOUND);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
}
END_TEST

START_TEST(test_tx_durability__close_inside_tx_aborts)
{
	pk_value a = cstr("a"), keep = cstr("keep"), out;
	pk_map *m, *m2;
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;

	put_int(root, "keep", 1);
	PK_OK(pk_pool_stats_get(&before, pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	put_int(root, "keep", 2);
	PK_OK(pk_map_new(&m, pool));
	pk_value mv = pk_map_value(m);
	PK_OK(pk_map_put(root, &a, &mv));
	PK_RC(pk_pool_close(pool), PK_EABORTED);
	/* the handles outlive the pool and report it closed */
	PK_RC(pk_map_get(&out, root, &keep), PK_ECLOSED);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	pk_map_close(m);
	pk_map_close(root);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	pk_pool_stats st = PK_POOL_STATS_INIT;
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_int_eq(st.unclean, 0);
	ck_assert_int_eq(get_int(root, &keep), 1);
	PK_RC(pk_map_get(&out, root, &a), PK_NOTFOUND);
	ck_assert_uint_eq(length(root), 1);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
	ck_assert_uint_eq(after.used, before.used);
	/* the thread has no transaction left over: a new one works */
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_OK(pk_tx_begin(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_OK(pk_map_new(&m2, pool));
	mv = pk_map_value(m2);
	PK_OK(pk_map_put(root, &a, &mv));
	PK_OK(pk_tx_commit(pool));
	pk_map_close(m2);
	reopen();
	PK_OK(pk_map_get(&out, root, &a));
	ck_assert_int_eq(out.type, PK_MAP);
}
END_TEST

/* a failure before any change leaves the user's transaction usable */
START_TEST(test_tx_failure__early_failure_keeps_tx)
{
	pk_map *gone, *live;
	pk_value a = cstr("a"), b = cstr("b"), missing = cstr("missing");
	pk_value gname = cstr("gone"), v = pk_int(1), out;
	pk_value bad = pk_string("\xc3\x28", 2);

	prefill(pool, root, 500, 0);
	PK_OK(pk_map_new(&gone, pool));
	pk_value gv = pk_map_value(gone);
	PK_OK(pk_map_put(root, &gname, &gv));
	PK_OK(pk_map_remove(root, &gname)); /* the handle is stale now */
	PK_OK(pk_map_new(&live, pool));
	pk_value lv = pk_map_value(live);
	PK_OK(pk_map_put(root, &gname, &lv));

	PK_OK(pk_tx_begin(pool));
	put_int(root, "a", 1);
	PK_RC(pk_map_remove(root, &missing), PK_NOTFOUND);
	PK_RC(pk_map_get(&out, root, &missing), PK_NOTFOUND);
	PK_RC(pk_map_put(root, &lv, &v), PK_EKEYTYPE);
	PK_RC(pk_map_remove(root, &lv), PK_EKEYTYPE);
	PK_RC(pk_map_put(root, &b, &bad), PK_EVALUE);
	PK_RC(pk_map_put(root, &bad, &v), PK_EVALUE);
	PK_RC(pk_map_put(gone, &b, &v), PK_ESTALE);
	PK_RC(pk_map_remove(gone, &b), PK_ESTALE);
	PK_RC(pk_map_clear(gone), PK_ESTALE);
	PK_RC(pk_map_put(NULL, &b, &v), EINVAL);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	/* the transaction goes on */
	put_int(root, "b", 2);
	PK_OK(pk_map_put(live, &a, &v));
	PK_OK(pk_tx_commit(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	pk_map_close(gone);
	pk_map_close(live);
	reopen();
	ck_assert_int_eq(get_int(root, &a), 1);
	ck_assert_int_eq(get_int(root, &b), 2);
	ck_assert_uint_eq(length(root), 503);
	PK_OK(pk_map_get(&out, root, &gname));
	PK_OK(pk_map_open(&live, pool, &out));
	ck_assert_int_eq(get_int(live, &a), 1);
	pk_map_close(live);
}
END_TEST

/*
 * storing a reference to a container that no longer exists is refused
 * before anything is stored, like any other bad value: the transaction
 * goes on (new keys and replaced values alike)
 */
START_TEST(test_tx_failure__stale_value_keeps_tx)
{
	pk_map *m;
	pk_value a = cstr("a"), b = cstr("b"), c = cstr("c"), out;

	PK_OK(pk_map_new(&m, pool));
	pk_value stale = pk_map_value(m);
	PK_OK(pk_map_put(root, &a, &stale));
	PK_OK(pk_map_remove(root, &a)); /* the last reference: m is freed */
	pk_map_close(m);
	PK_RC(pk_map_put(root, &a, &stale), PK_ESTALE); /* outside a tx */
	put_int(root, "b", 1);

	PK_OK(pk_tx_begin(pool));
	put_int(root, "c", 1);
	PK_RC(pk_map_put(root, &a, &stale), PK_ESTALE);	/* a new key */
	PK_RC(pk_map_put(root, &b, &stale), PK_ESTALE);	/* a replacement */
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	put_int(root, "c", 2);
	PK_OK(pk_tx_commit(pool));
	reopen();
	PK_RC(pk_map_get(&out, root, &a), PK_NOTFOUND);
	ck_assert_int_eq(get_int(root, &b), 1);
	ck_assert_int_eq(get_int(root, &c), 2);
	ck_assert_uint_eq(length(root), 2);
}
END_TEST

/*
 * running out of space inside a user transaction: the transaction is
 * aborted; _i picks how it is ended (commit, abort, nested levels)
 */
START_TEST(test_tx_failure__out_of_space_aborts)
{
	pk_pool *sp;
	pk_map *sr, *m = NULL;
	struct state before;
	const size_t blen = 3000;
	uint8_t *big = malloc(blen);
	char kb[160];
	int rc = 0, i, levels = _i == 2 ? 2 : 1;

	ck_assert_ptr_nonnull(big);
	fill_bin(big, blen, 5);
	PK_OK(pk_pool_create(&sp, test_file("small"), PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_root(&sr, sp));
	prefill(sp, sr, 100, 1);
	capture(&before, sp, sr);

	for (int l = 0; l < levels; l++)
		PK_OK(pk_tx_begin(sp));
	for (i = 0; i < 1000; i++) {
		snprintf(kb, sizeof(kb), "big%d", i);
		pk_value k = cstr(kb), v = pk_bytes(big, blen);
		if ((rc = pk_map_put(sr, &k, &v)) != 0)
			break;
		/* and change some existing entries on the way */
		pk_value ek = fill_key(kb, (uint64_t)i), ev = pk_int(i);
		PK_OK(pk_map_put(sr, &ek, &ev));
	}
	PK_RC(rc, PK_ENOSPACE);
	ck_assert_msg(i > 10, "only %d large values fit", i);
	ck_assert_int_eq(pk_tx_depth(sp), levels);
	/* the transaction is aborted: every change reports it */
	pk_value k = cstr("after"), v = pk_int(1), ek = fill_key(kb, 0);
	PK_RC(pk_map_put(sr, &k, &v), PK_EABORTED);
	PK_RC(pk_map_remove(sr, &ek), PK_EABORTED);
	PK_RC(pk_map_clear(sr), PK_EABORTED);
	PK_RC(pk_map_new(&m, sp), PK_EABORTED);
	PK_RC(pk_tx_begin(sp), PK_EABORTED);
	/* the contents are already back to what they were */
	{
		struct ents now;
		size_t at;
		snapshot_map(sp, sr, &now);
		ck_assert_msg(ents_same(&before.e, &now, &at),
				"contents differ at %zu before the end", at);
		ents_free(&now);
	}
	if (_i == 1) {
		PK_OK(pk_tx_abort(sp));
	} else {
		if (levels == 2) {
			PK_RC(pk_tx_commit(sp), PK_EABORTED);
			ck_assert_int_eq(pk_tx_depth(sp), 1);
			PK_RC(pk_map_put(sr, &k, &v), PK_EABORTED);
		}
		PK_RC(pk_tx_commit(sp), PK_EABORTED);
	}
	ck_assert_int_eq(pk_tx_depth(sp), 0);
	expect_state(&before, sp, sr, "after the aborted transaction");

	pk_map_close(sr);
	PK_OK(pk_pool_close(sp));
	PK_OK(pk_pool_open(&sp, test_file("small")));
	PK_OK(pk_pool_root(&sr, sp));
	expect_state(&before, sp, sr, "after reopen");

	/* the space came back: as many large values fit again */
	for (int j = 0; j < i; j++) {
		snprintf(kb, sizeof(kb), "again%d", j);
		pk_value k2 = cstr(kb), v2 = pk_bytes(big, blen);
		PK_OK(pk_map_put(sr, &k2, &v2));
	}
	for (int j = 0; j < i; j++) {
		snprintf(kb, sizeof(kb), "again%d", j);
		pk_value k2 = cstr(kb);
		PK_OK(pk_map_remove(sr, &k2));
	}
	{
		struct ents now;
		size_t at;
		snapshot_map(sp, sr, &now);
		ck_assert_msg(ents_same(&before.e, &now, &at),
				"contents differ at %zu at the end", at);
		ents_free(&now);
	}
	state_free(&before);
	pk_map_close(sr);
	PK_OK(pk_pool_close(sp));
	free(big);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* rollback of every mutating operation on the pre-filled map */

static uint8_t vbig[4096];
static char kbig[4096];

/* replace the value of up to max entries that pred selects by val(i) */
static void
replace_where(int (*pred)(uint64_t), pk_value (*val)(uint64_t), int max)
{
	char kb[160];
	int done = 0;

	for (uint64_t i = 0; i < NFILL && done < max; i++) {
		if (!pred(i))
			continue;
		pk_value k = fill_key(kb, i), v = val(i);
		PK_OK(pk_map_put(root, &k, &v));
		done++;
	}
	ck_assert_int_eq(done, max);
}

static int
inline_val(uint64_t i)
{
	int kind = fill_kind(i);
	return short_key(i) && kind >= 0 && kind != 5 && kind != 7;
}

static int
ool_val(uint64_t i)
{
	int kind = fill_kind(i);
	return (kind == 5 || kind == 7) && i % 3 == 0;
}

static int
long_inline_key(uint64_t i)
{
	return i % 6 == 5;
}

static int
ool_key(uint64_t i)
{
	return i % 6 == 4;
}

static pk_value
small_bytes(uint64_t i)
{
	size_t len = 1 + i % 20;
	fill_bin(vbig, len, i + 99);
	return pk_bytes(vbig, len);
}

static pk_value
large_bytes(uint64_t i)
{
	size_t len = 57 + (i * 31) % 3000;
	fill_bin(vbig, len, i + 77);
	return pk_bytes(vbig, len);
}

static pk_value
an_int(uint64_t i)
{
	return pk_int(-(int64_t)i);
}

static void
op_put_new(void)
{
	/* new keys of every kind, inline and out of line */
	for (uint64_t i = NFILL; i < NFILL + 12; i++) {
		pk_value k = fill_key(kbig, i), v = fill_val(vbig, i, 3);
		PK_OK(pk_map_put(root, &k, &v));
	}
}

static void
op_replace_inline_inline(void)
{
	replace_where(inline_val, small_bytes, 60);
	replace_where(inline_val, an_int, 30);
}

static void
op_replace_inline_ool(void)
{
	replace_where(inline_val, large_bytes, 60);
}

static void
op_replace_ool_inline(void)
{
	replace_where(ool_val, small_bytes, 30);
	replace_where(ool_val, an_int, 30);
}

static void
op_replace_ool_ool(void)
{
	replace_where(ool_val, large_bytes, 40);
}

static void
op_replace_long_key(void)
{
	/* a long inline key has to move out of line for the new value */
	replace_where(long_inline_key, an_int, 30);
	replace_where(long_inline_key, large_bytes, 30);
}

static void
op_replace_ool_key(void)
{
	replace_where(ool_key, large_bytes, 20);
	replace_where(ool_key, small_bytes, 20);
}

static void
op_remove(void)
{
	char kb[160];

	/* entries of every key and value kind */
	for (uint64_t i = 0; i < NFILL; i += 23) {
		pk_value k = fill_key(kb, i);
		PK_OK(pk_map_remove(root, &k));
	}
}

static void
op_clear(void)
{
	PK_OK(pk_map_clear(root));
	ck_assert_uint_eq(length(root), 0);
}

static void
op_put_nested(void)
{
	pk_map *m;
	pk_value k = cstr("new nested");

	make_nested(pool, &m, 1, 9);
	pk_value mv = pk_map_value(m);
	PK_OK(pk_map_put(root, &k, &mv));
	/* a map also replaces an existing value, and is stored twice */
	k = fill_key(kbig, 7);
	PK_OK(pk_map_put(root, &k, &mv));
	k = fill_key(kbig, 10);
	PK_OK(pk_map_put(root, &k, &mv));
	pk_map_close(m);
}

static void
op_remove_nested(void)
{
	char kb[16];
	/* nest0 holds two levels of maps: all of them are freed */
	pk_value k = nest_key(kb, 0);
	PK_OK(pk_map_remove(root, &k));
	k = nest_key(kb, 1);
	PK_OK(pk_map_remove(root, &k));
}

static void
op_replace_nested(void)
{
	char kb[16];
	pk_value k = nest_key(kb, 0), v = cstr("was a map");
	PK_OK(pk_map_put(root, &k, &v));
	/* a map replaced by another one */
	pk_value k2 = nest_key(kb, 2), old;
	PK_OK(pk_map_get(&old, root, &k2));
	k = nest_key(kb, 3);
	PK_OK(pk_map_put(root, &k, &old));
}

static void
op_change_nested(void)
{
	char kb[160];
	pk_map *m;
	pk_value out, k = nest_key(kb, 0);

	/* changes inside nested maps, two levels deep */
	PK_OK(pk_map_get(&out, root, &k));
	PK_OK(pk_map_open(&m, pool, &out));
	for (uint64_t j = 0; j < 40; j += 3) {
		k = fill_key(kb, j);
		PK_OK(pk_map_remove(m, &k));
	}
	for (uint64_t j = 100; j < 300; j++) {
		k = fill_key(kb, j);
		pk_value v = fill_val(vbig, j, 1);
		PK_OK(pk_map_put(m, &k, &v));
	}
	k = cstr("deeper");
	PK_OK(pk_map_get(&out, m, &k));
	pk_map_close(m);
	PK_OK(pk_map_open(&m, pool, &out));
	PK_OK(pk_map_clear(m));
	pk_map_close(m);
}

static void
grow(uint64_t from, uint64_t n)
{
	for (uint64_t i = from; i < from + n; i++) {
		pk_value k = fill_key(kbig, i), v = fill_val(vbig, i, 5);
		PK_OK(pk_map_put(root, &k, &v));
	}
}

static void
shrink(uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++) {
		pk_value k = fill_key(kbig, i);
		PK_OK(pk_map_remove(root, &k));
	}
}

static void
op_grow(void)
{
	/* buckets split, segments are added, the directory doubles */
	grow(NFILL, 6000);
}

static void
op_shrink(void)
{
	/* buckets merge, segments are freed, the directory halves */
	shrink(0, NFILL - 100);
}

static void
op_grow_then_shrink(void)
{
	grow(NFILL, 4000);
	shrink(0, NFILL + 3950);
}

static void
op_shrink_then_grow(void)
{
	/* merges first, then splits reuse the buckets the merges retired */
	shrink(0, NFILL - 50);
	grow(NFILL, 5000);
}

static void
op_churn(void)
{
	/* many rounds of growing and shrinking in one transaction */
	for (uint64_t r = 0; r < 4; r++) {
		uint64_t lo = r * 700, hi = lo + 2000 > NFILL ? NFILL : lo + 2000;
		uint64_t fresh = NFILL + r * 100000;
		shrink(lo, hi);
		grow(fresh, 2500);
		shrink(fresh, fresh + 2000);
		grow(lo, hi - lo);
	}
}

static void
op_random(void)
{
	uint64_t x = 12345;
	char kb[160];

	for (int n = 0; n < 6000; n++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t i = (x >> 33) % (NFILL * 2);
		pk_value k = fill_key(kb, i);
		if ((x >> 20) % 3 == 0) {
			int rc = pk_map_remove(root, &k);
			ck_assert(rc == 0 || rc == PK_NOTFOUND);
		} else {
			pk_value v = fill_val(vbig, i, (x >> 40) % 9);
			PK_OK(pk_map_put(root, &k, &v));
		}
	}
}

struct rb_op {
	const char *name;
	void (*fn)(void);
	int objects;	/* committed, the op allocates (+1) or frees (-1) */
};

static const struct rb_op rb_ops[] = {
	{ "put new keys", op_put_new, 0 }, /* splits may free overflow buckets */
	{ "replace inline -> inline", op_replace_inline_inline, 0 },
	{ "replace inline -> out of line", op_replace_inline_ool, 1 },
	{ "replace out of line -> inline", op_replace_ool_inline, -1 },
	{ "replace out of line -> out of line", op_replace_ool_ool, 0 },
	{ "replace with a long inline key", op_replace_long_key, 1 },
	{ "replace with an out-of-line key", op_replace_ool_key, 0 },
	{ "remove", op_remove, -1 },
	{ "clear", op_clear, -1 },
	{ "put a nested map", op_put_nested, 1 },
	{ "remove nested maps", op_remove_nested, -1 },
	{ "replace nested maps", op_replace_nested, -1 },
	{ "change nested maps", op_change_nested, 0 },
	{ "grow", op_grow, 1 },
	{ "shrink", op_shrink, -1 },
	{ "grow then shrink", op_grow_then_shrink, -1 },
	{ "shrink then grow", op_shrink_then_grow, 1 },
	{ "grow and shrink, four rounds", op_churn, 0 },
	{ "random puts and removes", op_random, 0 },
};
#define N_RB_OPS ((int)(sizeof(rb_ops) / sizeof(rb_ops[0])))

START_TEST(test_tx_rollback__every_op)
{
	const struct rb_op *op = &rb_ops[_i];
	struct state before, after;
	struct ents during;
	size_t at;
	char what[128];

	capture(&before, pool, root);
	PK_OK(pk_tx_begin(pool));
	op->fn();
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	snapshot_map(pool, root, &during);
	ck_assert_msg(!ents_same(&before.e, &during, &at),
			"%s: the operation changed nothing", op->name);
	ents_free(&during);
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	snprintf(what, sizeof(what), "%s, after abort", op->name);
	expect_state(&before, pool, root, what);
	reopen();
	snprintf(what, sizeof(what), "%s, after abort and reopen", op->name);
	expect_state(&before, pool, root, what);

	/* the same operation, committed, really changes the pool */
	PK_OK(pk_tx_begin(pool));
	op->fn();
	PK_OK(pk_tx_commit(pool));
	capture(&after, pool, root);
	ck_assert_msg(!ents_same(&before.e, &after.e, &at),
			"%s: the committed operation changed nothing",
			op->name);
	if (op->objects > 0)
		ck_assert_msg(after.st.objects > before.st.objects,
				"%s: %llu objects before, %llu after",
				op->name,
				(unsigned long long)before.st.objects,
				(unsigned long long)after.st.objects);
	if (op->objects < 0)
		ck_assert_msg(after.st.objects < before.st.objects,
				"%s: %llu objects before, %llu after",
				op->name,
				(unsigned long long)before.st.objects,
				(unsigned long long)after.st.objects);
	reopen();
	snprintf(what, sizeof(what), "%s, committed, after reopen", op->name);
	expect_state(&after, pool, root, what);

	/*
	 * nothing leaked and every reference count is right: emptied, the
	 * pool holds exactly what a new one does
	 */
	PK_OK(pk_map_clear(root));
	pk_pool_stats st = PK_POOL_STATS_INIT;
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_msg(st.objects == empty_stats.objects &&
			st.used == empty_stats.used,
			"%s: cleared pool has %llu objects, %llu bytes; a new "
			"one %llu, %llu", op->name,
			(unsigned long long)st.objects,
			(unsigned long long)st.used,
			(unsigned long long)empty_stats.objects,
			(unsigned long long)empty_stats.used);
	state_free(&before);
	state_free(&after);
}
END_TEST

/* a map freed in an aborted transaction exists again, handles and all */
START_TEST(test_tx_rollback__freed_map_comes_back)
{
	pk_map *m, *deeper;
	pk_value out, k = cstr("deeper"), nk;
	char kb[16];
	uint64_t n, n_deeper;

	nk = nest_key(kb, 0);
	PK_OK(pk_map_get(&out, root, &nk));
	PK_OK(pk_map_open(&m, pool, &out));
	PK_OK(pk_map_get(&out, m, &k));
	PK_OK(pk_map_open(&deeper, pool, &out));
	PK_OK(pk_map_length(&n, m));
	PK_OK(pk_map_length(&n_deeper, deeper));

	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_remove(root, &nk));
	PK_RC(pk_map_length(&n, m), PK_ESTALE);
	PK_RC(pk_map_length(&n, deeper), PK_ESTALE);
	PK_OK(pk_tx_abort(pool));

	uint64_t n2;
	PK_OK(pk_map_length(&n2, m));
	ck_assert_uint_eq(n2, n);
	PK_OK(pk_map_length(&n2, deeper));
	ck_assert_uint_eq(n2, n_deeper);
	pk_value one = pk_int(1);
	PK_OK(pk_map_put(deeper, &one, &one));
	pk_map_close(m);
	pk_map_close(deeper);
	reopen();
	PK_OK(pk_map_get(&out, root, &nk));
	PK_OK(pk_map_open(&m, pool, &out));
	PK_OK(pk_map_get(&out, m, &k));
	PK_OK(pk_map_open(&deeper, pool, &out));
	ck_assert_int_eq(get_int(deeper, &one), 1);
	ck_assert_uint_eq(length(deeper), n_deeper + 1);
	pk_map_close(m);
	pk_map_close(deeper);
}
END_TEST

/* operations of every kind rolled back together, in nested levels */
START_TEST(test_tx_rollback__all_ops_in_one_tx)
{
	static void (*const seq[])(void) = {
		op_put_new, op_replace_inline_inline, op_replace_inline_ool,
		op_replace_ool_inline, op_replace_ool_ool, op_replace_long_key,
		op_replace_ool_key, op_remove, op_put_nested, op_change_nested,
		op_replace_nested, op_remove_nested, op_grow, op_random,
	};
	struct state before;

	capture(&before, pool, root);
	PK_OK(pk_tx_begin(pool));
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		PK_OK(pk_tx_begin(pool));
		seq[i]();
		PK_OK(pk_tx_commit(pool));
	}
	op_clear();
	grow(0, NFILL);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_OK(pk_tx_abort(pool));
	expect_state(&before, pool, root, "after abort");
	reopen();
	expect_state(&before, pool, root, "after reopen");
	state_free(&before);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tx");
	TCase *tc = tcase_create("basic");
	tcase_add_checked_fixture(tc, setup_tx, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tx_basic__commit_and_abort);
	tcase_add_test(tc, test_tx_basic__nesting_inner_commit);
	tcase_add_test(tc, test_tx_basic__inner_abort_aborts_all);
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_checked_fixture(tc, setup_tx, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tx_misuse__no_transaction);
	tcase_add_test(tc, test_tx_misuse__second_pool);
	suite_add_tcase(s, tc);

	tc = tcase_create("durability");
	tcase_add_checked_fixture(tc, setup_tx, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tx_durability__commit_survives_reopen);
	tcase_add_test(tc, test_tx_durability__new_map_in_aborted_tx_is_stale);
	tcase_add_test(tc, test_tx_durability__close_inside_tx_aborts);
	suite_add_tcase(s, tc);

	tc = tcase_create("failure");
	tcase_add_checked_fixture(tc, setup_tx, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_tx_failure__early_failure_keeps_tx);
	tcase_add_test(tc, test_tx_failure__stale_value_keeps_tx);
	tcase_add_loop_test(tc, test_tx_failure__out_of_space_aborts, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("rollback");
	tcase_add_checked_fixture(tc, setup_filled, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_tx_rollback__every_op, 0, N_RB_OPS);
	tcase_add_test(tc, test_tx_rollback__freed_map_comes_back);
	tcase_add_test(tc, test_tx_rollback__all_ops_in_one_tx);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(suite());
}
