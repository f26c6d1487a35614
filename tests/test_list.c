/*
 * test_list.c -- the persistent list: every operation with Python's index
 * semantics, values of every type inline and out of line, persistence
 * across reopen, a differential test against a model, rollback of every
 * mutating operation, nesting and aliasing, segments and space, running
 * out of space, damaged lists
 */
#include <fcntl.h>
#include <math.h>
#include <stddef.h>

#include "fixture.h"
#include "../lib/layout.h"


/* a new list, stored in the root map under name */
static pk_list *
rooted_list(const char *name)
{
	pk_list *l;
	pk_value k = cstr(name), v;

	PK_OK(pk_list_new(&l, pool));
	v = pk_list_value(l);
	PK_OK(pk_map_put(root, &k, &v));
	return l;
}

/* the list stored in the root map under name */
static pk_list *
find_list(const char *name)
{
	pk_value k = cstr(name), v;
	pk_list *l;

	PK_OK(pk_map_get(&v, root, &k));
	ck_assert_int_eq(v.type, PK_LIST);
	PK_OK(pk_list_open(&l, pool, &v));
	return l;
}

static uint64_t
length(pk_list *l)
{
	uint64_t n;
	PK_OK(pk_list_length(&n, l));
	return n;
}

static pk_pool_stats
stats(void)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;
	PK_OK(pk_pool_stats_get(&st, pool));
	return st;
}

/* same type and payload; containers: the same reference */
static int
same_value(const pk_value *a, const pk_value *b)
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
		return memcmp(&a->u.d, &b->u.d, sizeof(a->u.d)) == 0;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
		return a->u.buf.len == b->u.buf.len && (a->u.buf.len == 0 ||
			memcmp(a->u.buf.ptr, b->u.buf.ptr, a->u.buf.len) == 0);
	default:
		return a->u.ref.off == b->u.ref.off &&
			a->u.ref.gen == b->u.ref.gen;
	}
}

static void
assert_get(pk_list *l, int64_t index, const pk_value *want)
{
	pk_value out;

	PK_OK(pk_list_get(&out, l, index));
	ck_assert_msg(same_value(&out, want), "element %lld is not the "
			"expected value (types %d and %d)", (long long)index,
			(int)out.type, (int)want->type);
}

static void
assert_int_at(pk_list *l, int64_t index, int64_t want)
{
	pk_value v = pk_int(want);
	assert_get(l, index, &v);
}

/* the list holds exactly the ints want[0..n) */
static void
assert_ints(pk_list *l, const int64_t *want, size_t n)
{
	ck_assert_uint_eq(length(l), n);
	for (size_t i = 0; i < n; i++)
		assert_int_at(l, (int64_t)i, want[i]);
}

static void
append_int(pk_list *l, int64_t i)
{
	pk_value v = pk_int(i);
	PK_OK(pk_list_append(l, &v));
}

static void
append_ints(pk_list *l, int64_t from, int64_t to)
{
	for (int64_t i = from; i < to; i++)
		append_int(l, i);
}

/* a printable text of len bytes; from 8 bytes on, distinct per seed */
static void
fill_text(char *buf, size_t len, uint64_t seed)
{
	char head[16];

	for (size_t j = 0; j < len; j++)
		buf[j] = (char)('a' + (seed * 7 + j * 13) % 26);
	snprintf(head, sizeof(head), "%07llu-",
			(unsigned long long)(seed % 10000000));
	memcpy(buf, head, len < 8 ? len : 8);
}

/* ---------------------------------------------------------------------- */
/* core */

START_TEST(test_list_core__empty)
{
	pk_list *l = rooted_list("l");
	pk_value out, v = pk_int(1);
	pk_cursor *c;

	ck_assert_uint_eq(length(l), 0);
	PK_RC(pk_list_get(&out, l, 0), PK_ERANGE);
	PK_RC(pk_list_get(&out, l, -1), PK_ERANGE);
	PK_RC(pk_list_set(l, 0, &v), PK_ERANGE);
	PK_RC(pk_list_set(l, -1, &v), PK_ERANGE);
	PK_RC(pk_list_pop(l, 0), PK_ERANGE);
	PK_RC(pk_list_pop(l, -1), PK_ERANGE);
	ck_assert_str_ne(pk_errormsg(), "");
	PK_OK(pk_list_remove_range(l, 0, 10));
	PK_OK(pk_list_remove_range(l, -5, 5));
	PK_OK(pk_list_clear(l));
	PK_OK(pk_list_extend(l, &v, 0));
	ck_assert_uint_eq(length(l), 0);
	PK_OK(pk_list_cursor(&c, l));
	PK_RC(pk_cursor_next(&out, &out, c), PK_ITEROVER);
	pk_cursor_free(c);

	/* insert into an empty list appends, whatever the index */
	v = pk_int(10);
	PK_OK(pk_list_insert(l, 5, &v));
	v = pk_int(11);
	PK_OK(pk_list_insert(l, -5, &v));
	const int64_t want[] = { 11, 10 };
	assert_ints(l, want, 2);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_core__append_get_set_indexes)
{
	pk_list *l = rooted_list("l");
	pk_value out, v;

	append_ints(l, 0, 100);
	ck_assert_uint_eq(length(l), 100);
	for (int64_t i = 0; i < 100; i++) {
		assert_int_at(l, i, i);
		assert_int_at(l, i - 100, i);
	}
	static const int64_t bad[] = { 100, 101, -101, -102, INT64_MAX,
		INT64_MIN, INT64_MIN + 1, -((int64_t)1 << 62) };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = pk_int(7);
		PK_RC(pk_list_get(&out, l, bad[i]), PK_ERANGE);
		PK_RC(pk_list_set(l, bad[i], &v), PK_ERANGE);
		PK_RC(pk_list_pop(l, bad[i]), PK_ERANGE);
	}
	v = pk_int(-1);
	PK_OK(pk_list_set(l, -1, &v));
	v = pk_int(-2);
	PK_OK(pk_list_set(l, -100, &v));
	v = pk_int(-3);
	PK_OK(pk_list_set(l, 50, &v));
	assert_int_at(l, 99, -1);
	assert_int_at(l, 0, -2);
	assert_int_at(l, -50, -3);
	assert_int_at(l, 49, 49);
	assert_int_at(l, 51, 51);
	ck_assert_uint_eq(length(l), 100);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_core__insert_clamps)
{
	pk_list *l = rooted_list("l");
	pk_value v;

	append_ints(l, 0, 5);				/* 0 1 2 3 4 */
	v = pk_int(100);
	PK_OK(pk_list_insert(l, 100, &v));		/* past the end */
	v = pk_int(101);
	PK_OK(pk_list_insert(l, -100, &v));	/* before the start */
	v = pk_int(102);
	PK_OK(pk_list_insert(l, -1, &v));		/* before the last */
	v = pk_int(103);
	PK_OK(pk_list_insert(l, 2, &v));
	v = pk_int(104);
	PK_OK(pk_list_insert(l, 0, &v));
	v = pk_int(105);
	PK_OK(pk_list_insert(l, INT64_MIN, &v));
	v = pk_int(106);
	PK_OK(pk_list_insert(l, INT64_MAX, &v));
	v = pk_int(107);
	PK_OK(pk_list_insert(l, -12, &v));		/* exactly -length */
	const int64_t want[] = { 107, 105, 104, 101, 0, 103, 1, 2, 3, 4,
		102, 100, 106 };
	assert_ints(l, want, sizeof(want) / sizeof(want[0]));

	/* inserts that move cells across several segments */
	int64_t model[200];
	size_t n = 0;
	PK_OK(pk_list_clear(l));
	for (int64_t i = 0; i < 200; i++) {
		size_t at = (size_t)(i * 37) % (n + 1);
		memmove(&model[at + 1], &model[at], (n - at) * sizeof(*model));
		model[at] = i;
		n++;
		v = pk_int(i);
		PK_OK(pk_list_insert(l, (int64_t)at, &v));
	}
	assert_ints(l, model, n);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_core__pop)
{
	pk_list *l = rooted_list("l");

	append_ints(l, 0, 10);
	PK_OK(pk_list_pop(l, -1));	/* 0..8 */
	PK_OK(pk_list_pop(l, 0));	/* 1..8 */
	PK_OK(pk_list_pop(l, 3));	/* 1 2 3 5 6 7 8 */
	PK_OK(pk_list_pop(l, -2));	/* 1 2 3 5 6 8 */
	PK_RC(pk_list_pop(l, 6), PK_ERANGE);
	PK_RC(pk_list_pop(l, -7), PK_ERANGE);
	const int64_t want[] = { 1, 2, 3, 5, 6, 8 };
	assert_ints(l, want, 6);
	for (int i = 0; i < 6; i++)
		PK_OK(pk_list_pop(l, -1));
	PK_RC(pk_list_pop(l, -1), PK_ERANGE);
	ck_assert_uint_eq(length(l), 0);

	/* pops from the front of a list of several segments */
	append_ints(l, 0, 300);
	for (int64_t i = 0; i < 150; i++)
		PK_OK(pk_list_pop(l, 0));
	ck_assert_uint_eq(length(l), 150);
	for (int64_t i = 0; i < 150; i++)
		assert_int_at(l, i, i + 150);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

/* what Python's del l[start:stop] leaves of 0..n-1 */
static size_t
model_del(int64_t *out, size_t n, int64_t start, int64_t stop)
{
	int64_t len = (int64_t)n, a = start, b = stop;
	size_t k = 0;

	if (a < 0)
		a = a + len < 0 ? 0 : a + len;
	if (a > len)
		a = len;
	if (b < 0)
		b = b + len < 0 ? 0 : b + len;
	if (b > len)
		b = len;
	for (int64_t i = 0; i < len; i++)
		if (!(i >= a && i < b))
			out[k++] = i;
	return k;
}

START_TEST(test_list_core__remove_range_clamps)
{
	pk_list *l = rooted_list("l");
	int64_t want[30];
	const int64_t n = 30;

	for (int64_t a = -n - 3; a <= n + 3; a += 1) {
		for (int64_t b = -n - 3; b <= n + 3; b += 3) {
			PK_OK(pk_list_clear(l));
			append_ints(l, 0, n);
			PK_OK(pk_list_remove_range(l, a, b));
			assert_ints(l, want, model_del(want, (size_t)n, a, b));
		}
	}
	append_ints(l, 0, 5);
	PK_OK(pk_list_remove_range(l, INT64_MIN, INT64_MAX));
	ck_assert_uint_eq(length(l), 0);
	append_ints(l, 0, 5);
	PK_OK(pk_list_remove_range(l, INT64_MAX, INT64_MIN));
	ck_assert_uint_eq(length(l), 5);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_core__extend)
{
	pk_list *l = rooted_list("l");
	pk_value vals[300];
	char text[300][40];

	for (int i = 0; i < 300; i++) {
		fill_text(text[i], 5 + (size_t)i % 30, (uint64_t)i);
		vals[i] = i % 3 ? pk_int(i) : pk_string(text[i],
				5 + (size_t)i % 30);
	}
	PK_OK(pk_list_extend(l, vals, 3));
	PK_OK(pk_list_extend(l, vals + 3, 297));
	ck_assert_uint_eq(length(l), 300);
	for (int i = 0; i < 300; i++)
		assert_get(l, i, &vals[i]);

	/* one bad value: nothing is appended */
	pk_value bad[3] = { pk_int(1), pk_string("\xc3\x28", 2), pk_int(3) };
	pk_pool_stats before = stats();
	PK_RC(pk_list_extend(l, bad, 3), PK_EVALUE);
	bad[1].type = (pk_type)77;
	PK_RC(pk_list_extend(l, bad, 3), PK_EVALUE);
	bad[1] = pk_bool(0);
	bad[1].u.i = 2;
	PK_RC(pk_list_extend(l, bad, 3), PK_EVALUE);
	bad[1] = pk_bytes(NULL, 5);
	PK_RC(pk_list_extend(l, bad, 3), EINVAL);
	ck_assert_uint_eq(length(l), 300);
	pk_pool_stats after = stats();
	ck_assert_uint_eq(after.used, before.used);
	ck_assert_uint_eq(after.objects, before.objects);

	/* a list extended by its own elements, borrowed from it */
	pk_value own[4];
	for (int i = 0; i < 4; i++)
		PK_OK(pk_list_get(&own[i], l, i));
	PK_OK(pk_list_extend(l, own, 4));
	for (int i = 0; i < 4; i++)
		assert_get(l, 300 + i, &vals[i]);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

/* every kind of value, inline and out of line */
#define NTYPED 260

static uint8_t bin_buf[32];
static char str_buf[201][201];
static uint8_t bigint9[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static uint8_t bigint20[20];

static pk_value
typed_value(int i, pk_value map, pk_value list)
{
	pk_value v;

	if (i <= 200) {
		fill_text(str_buf[i], (size_t)i, (uint64_t)i);
		return pk_string(str_buf[i], (size_t)i);
	}
	switch (i - 201) {
	case 0: return pk_nil();
	case 1: return pk_bool(0);
	case 2: return pk_bool(1);
	case 3: return pk_int(0);
	case 4: return pk_int(INT64_MIN);
	case 5: return pk_int(INT64_MAX);
	case 6: return pk_double(-0.0);
	case 7: return pk_double(NAN);
	case 8: return pk_double(-INFINITY);
	case 9: return pk_double(3.141592653589793);
	case 10: return map;
	case 11: return list;
	case 12: return pk_string("", 0);
	case 13: return pk_bytes("", 0);
	case 14:
		v.type = PK_BIGINT;
		v.u.buf.ptr = bigint9;
		v.u.buf.len = sizeof(bigint9);
		return v;
	case 15:
		memset(bigint20, 0x5a, sizeof(bigint20));
		bigint20[19] = 0x12;
		v.type = PK_BIGINT;
		v.u.buf.ptr = bigint20;
		v.u.buf.len = sizeof(bigint20);
		return v;
	case 16: return pk_string("nul\0in\xc3\xa9", 9);
	default: {
		/* bytes with NULs, 0..32 bytes: 14 inline, 15 out of line */
		size_t len = (size_t)(i - 218) % 33;
		for (size_t j = 0; j < sizeof(bin_buf); j++)
			bin_buf[j] = (uint8_t)(j % 3 ? 0 : j);
		return pk_bytes(bin_buf, len);
	}
	}
}

START_TEST(test_list_core__value_types)
{
	pk_list *l = rooted_list("l"), *sub;
	pk_map *m;
	pk_value mk = cstr("k"), mv = cstr("map value"), out;

	PK_OK(pk_map_new(&m, pool));
	PK_OK(pk_map_put(m, &mk, &mv));
	PK_OK(pk_list_new(&sub, pool));
	append_ints(sub, 0, 20);
	pk_value mref = pk_map_value(m), lref = pk_list_value(sub);
	pk_map_close(m);
	pk_list_close(sub);

	for (int i = 0; i < NTYPED; i++) {
		pk_value v = typed_value(i, mref, lref);
		PK_OK(pk_list_append(l, &v));
	}
	for (int round = 0; round < 2; round++) {
		ck_assert_uint_eq(length(l), NTYPED);
		for (int i = 0; i < NTYPED; i++) {
			pk_value v = typed_value(i, mref, lref);
			assert_get(l, i, &v);
		}
		PK_OK(pk_list_get(&out, l, 211));
		PK_OK(pk_map_open(&m, pool, &out));
		PK_OK(pk_map_get(&out, m, &mk));
		ck_assert(same_value(&out, &mv));
		pk_map_close(m);
		PK_OK(pk_list_get(&out, l, 212));
		PK_OK(pk_list_open(&sub, pool, &out));
		ck_assert_uint_eq(length(sub), 20);
		assert_int_at(sub, -1, 19);
		pk_list_close(sub);
		assert_healthy();
		pk_list_close(l);
		reopen();
		l = find_list("l");
	}

	/* every element replaced by one of another kind, both ways */
	for (int i = 0; i < NTYPED; i++) {
		pk_value v = typed_value(NTYPED - 1 - i, mref, lref);
		PK_OK(pk_list_set(l, i, &v));
	}
	for (int i = 0; i < NTYPED; i++) {
		pk_value v = typed_value(NTYPED - 1 - i, mref, lref);
		assert_get(l, i, &v);
	}
	assert_healthy();

	/* clearing gives every blob and both containers back */
	pk_pool_stats empty = PK_POOL_STATS_INIT, full = PK_POOL_STATS_INIT;
	PK_OK(pk_list_clear(l));
	empty = stats();
	for (int i = 0; i < NTYPED; i++) {
		pk_value v = typed_value(i, mref, lref);
		if (v.type != PK_MAP && v.type != PK_LIST)
			PK_OK(pk_list_append(l, &v));
	}
	full = stats();
	ck_assert_uint_gt(full.objects, empty.objects + 100);
	PK_OK(pk_list_clear(l));
	ck_assert_uint_eq(stats().objects, empty.objects);
	ck_assert_uint_eq(stats().used, empty.used);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_core__persist)
{
	pk_list *l = rooted_list("l");
	char buf[64];
	const int64_t n = 10000;

	for (int64_t i = 0; i < n; i++) {
		pk_value v = pk_int(i * 3);
		if (i % 4 == 1) {
			fill_text(buf, 8 + (size_t)i % 40, (uint64_t)i);
			v = pk_string(buf, 8 + (size_t)i % 40);
		}
		PK_OK(pk_list_append(l, &v));
	}
	pk_list_close(l);
	for (int round = 0; round < 2; round++) {
		reopen();
		l = find_list("l");
		ck_assert_uint_eq(length(l), (uint64_t)(n - round));
		for (int64_t i = 0; i < n - round; i++) {
			int64_t src = i + round;
			pk_value v = pk_int(src * 3);
			if (src % 4 == 1) {
				fill_text(buf, 8 + (size_t)src % 40,
						(uint64_t)src);
				v = pk_string(buf, 8 + (size_t)src % 40);
			}
			assert_get(l, i, &v);
		}
		/* for the next round: drop element 0 */
		PK_OK(pk_list_pop(l, 0));
		pk_list_close(l);
	}
	assert_healthy();
}
END_TEST

/*
 * The segment policy: a segment is allocated when an append needs it;
 * when the list shrinks, all but one spare segment past the last used are
 * freed; an empty list keeps none.
 */
START_TEST(test_list_core__segments)
{
	pk_list *l = rooted_list("l");
	uint64_t base = stats().objects;

	/* segment k holds 8 << k cells: 0..7, 8..23, 24..55, ... */
	append_int(l, 0);
	ck_assert_uint_eq(stats().objects, base + 1);	/* segment 0 */
	append_ints(l, 1, 8);
	ck_assert_uint_eq(stats().objects, base + 1);
	append_int(l, 8);
	ck_assert_uint_eq(stats().objects, base + 2);	/* segment 1 */
	PK_OK(pk_list_pop(l, -1));
	ck_assert_uint_eq(stats().objects, base + 2);	/* spare */
	append_ints(l, 8, 25);
	ck_assert_uint_eq(stats().objects, base + 3);	/* segment 2 */
	PK_OK(pk_list_remove_range(l, 8, 25));
	ck_assert_uint_eq(stats().objects, base + 2);	/* 2 freed */
	PK_OK(pk_list_remove_range(l, 1, 100));
	ck_assert_uint_eq(stats().objects, base + 2);	/* spare */
	PK_OK(pk_list_pop(l, 0));
	ck_assert_uint_eq(stats().objects, base);	/* empty: none */
	append_int(l, 0);
	ck_assert_uint_eq(stats().objects, base + 1);
	PK_OK(pk_list_clear(l));
	ck_assert_uint_eq(stats().objects, base);
	append_ints(l, 0, 1000);
	ck_assert_uint_eq(stats().objects, base + 7);	/* 0 .. 6 */
	PK_OK(pk_list_clear(l));
	ck_assert_uint_eq(stats().objects, base);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_core__space_returns)
{
	pk_list *l = rooted_list("l");
	const int64_t n = 100000;
	char buf[40];
	pk_pool_stats before = stats(), after = PK_POOL_STATS_INIT;

	for (int64_t i = 0; i < n; i++) {
		pk_value v = pk_int(i);
		if (i % 10 == 0) {
			fill_text(buf, sizeof(buf), (uint64_t)i);
			v = pk_bytes(buf, sizeof(buf));
		}
		PK_OK(pk_list_append(l, &v));
	}
	ck_assert_uint_eq(length(l), (uint64_t)n);
	for (int64_t i = 0; i < n; i++)
		PK_OK(pk_list_pop(l, -1));
	after = stats();
	ck_assert_msg(after.used <= before.used + before.used / 20,
			"used %llu bytes before, %llu after",
			(unsigned long long)before.used,
			(unsigned long long)after.used);
	ck_assert_uint_eq(length(l), 0);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

static void poke(uint64_t off, const void *p, size_t len);
static void peek(uint64_t off, void *p, size_t len);

/* shut -- close l, the root and the pool, so its file can be edited */
static void
shut(pk_list *l)
{
	pk_list_close(l);
	pk_map_close(root);
	root = NULL;
	PK_OK(pk_pool_close(pool));
	pool = NULL;
}

/* assert_model -- l holds exactly the n ints of want, read by a cursor
 * and, at every segment boundary nearby, by index */
static void
assert_model(pk_list *l, const int64_t *want, uint64_t n)
{
	pk_cursor *c;
	pk_value k, v;
	uint64_t i = 0;
	int rc;

	ck_assert_uint_eq(length(l), n);
	PK_OK(pk_list_cursor(&c, l));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		ck_assert_int_eq(v.type, PK_INT);
		ck_assert_msg(v.u.i == want[i], "element %llu: %lld, not %lld",
				(unsigned long long)i, (long long)v.u.i,
				(long long)want[i]);
		i++;
	}
	ck_assert_int_eq(rc, PK_ITEROVER);
	ck_assert_uint_eq(i, n);
	pk_cursor_free(c);
	for (uint64_t b = 2040; b < n + 1; b += 2083)
		for (uint64_t j = b - 1; j <= b && j < n; j++)
			assert_int_at(l, (int64_t)j, want[j]);
}

/*
 * A long list: past 2,040 elements every segment holds 2,083 cells, and
 * segments past the 64th such are in a second directory (elements from
 * 135,352 on). Growing and shrinking across those bounds allocates and
 * frees segments and directories; every element stays where it is.
 */
START_TEST(test_list_core__capped_segments)
{
	const uint64_t capped = 2040, seg = 2083, dir1 = capped + 64 * seg;
	const uint64_t most = dir1 + 3 * seg;
	int64_t *model = malloc((most + 16) * sizeof(*model));
	pk_list *l = rooted_list("l");
	uint64_t base = stats().objects, n = 0;

	ck_assert_ptr_nonnull(model);
	for (; n < capped; n++)
		append_int(l, model[n] = (int64_t)n);
	ck_assert_uint_eq(stats().objects, base + 8);	/* segments 0-7 */
	append_int(l, model[n++] = -1);
	ck_assert_uint_eq(stats().objects, base + 10);	/* + dir 0, seg 8 */
	for (; n < capped + seg; n++)
		append_int(l, model[n] = (int64_t)n);
	ck_assert_uint_eq(stats().objects, base + 10);
	append_int(l, model[n++] = -2);
	ck_assert_uint_eq(stats().objects, base + 11);	/* seg 9 */
	for (; n < dir1; n++)
		append_int(l, model[n] = (int64_t)n * 3);
	ck_assert_uint_eq(stats().objects, base + 8 + 1 + 64);
	append_int(l, model[n++] = -3);
	ck_assert_uint_eq(stats().objects, base + 8 + 2 + 65);	/* dir 1 */
	for (; n < most; n++)
		append_int(l, model[n] = (int64_t)n * 5);
	assert_model(l, model, n);

	/* an insert at the front moves every cell across every bound */
	pk_value v = pk_int(-9);
	PK_OK(pk_list_insert(l, 1, &v));
	memmove(model + 2, model + 1, (n - 1) * sizeof(*model));
	model[1] = -9;
	n++;
	/* a removal across the first directory's end and the doubling
	 * segments' */
	PK_OK(pk_list_remove_range(l, 2000, (int64_t)dir1 + 10));
	memmove(model + 2000, model + dir1 + 10, (n - dir1 - 10) *
			sizeof(*model));
	n -= dir1 + 10 - 2000;
	assert_model(l, model, n);
	/* 2000 + 3 segments' elements less 9: segments 0-10 and a spare */
	ck_assert_uint_eq(stats().objects, base + 8 + 1 + 3 + 1);
	shut(l);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	l = find_list("l");
	assert_model(l, model, n);
	assert_healthy();
	PK_OK(pk_list_remove_range(l, (int64_t)capped - 5, INT64_MAX));
	n = capped - 5;
	ck_assert_uint_eq(stats().objects, base + 10);	/* spare 8, dir 0 */
	assert_model(l, model, n);
	for (; n < dir1 + 5; n++)
		append_int(l, model[n] = (int64_t)n);
	PK_OK(pk_list_clear(l));
	ck_assert_uint_eq(stats().objects, base);
	ck_assert_uint_eq(length(l), 0);
	pk_list_close(l);
	assert_healthy();
	free(model);
}
END_TEST

/*
 * A list written before the capped layout (layout 0) doubles every
 * segment, and keeps doing so: segment 8 holds 2,048 cells.
 */
START_TEST(test_list_core__doubling_layout_still_read)
{
	pk_list *l = rooted_list("l");
	uint64_t off = pk_list_value(l).u.ref.off, zero = 0, base;
	int64_t *model = malloc(5000 * sizeof(*model));
	struct pk_list_hdr h;

	ck_assert_ptr_nonnull(model);
	/* an empty list of layout 0, as an older library made it */
	shut(l);
	peek(off, &h, sizeof(h));
	ck_assert_uint_eq(h.layout, PK_LIST_CAPPED);
	poke(off + offsetof(struct pk_list_hdr, layout), &zero, 8);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	l = find_list("l");
	base = stats().objects;
	for (uint64_t i = 0; i < 5000; i++)
		append_int(l, model[i] = (int64_t)i * 7);
	ck_assert_uint_eq(stats().objects, base + 10);	/* 8 << 9 in the
							   last */
	assert_model(l, model, 5000);
	PK_OK(pk_list_remove_range(l, 100, 4990));
	memmove(model + 100, model + 4990, 10 * sizeof(*model));
	assert_model(l, model, 110);
	assert_healthy();
	PK_OK(pk_list_clear(l));
	ck_assert_uint_eq(stats().objects, base);
	pk_list_close(l);
	free(model);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* cursors */

START_TEST(test_list_cursor__in_order)
{
	pk_list *l = rooted_list("l");
	pk_cursor *c;
	pk_value k, v;
	int64_t i = 0;
	int rc;

	append_ints(l, 0, 1000);
	PK_OK(pk_list_cursor(&c, l));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		ck_assert_int_eq(k.type, PK_INT);
		ck_assert_int_eq(k.u.i, i);
		ck_assert_int_eq(v.type, PK_INT);
		ck_assert_int_eq(v.u.i, i);
		i++;
	}
	PK_RC(rc, PK_ITEROVER);
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ITEROVER);
	ck_assert_int_eq(i, 1000);
	pk_cursor_free(c);

	/* NULL key and value are allowed */
	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_cursor_next(NULL, NULL, c));
	PK_OK(pk_cursor_next(NULL, &v, c));
	ck_assert_int_eq(v.u.i, 1);
	pk_cursor_free(c);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_cursor__changed)
{
	pk_list *l = rooted_list("l");
	pk_cursor *c;
	pk_value k, v, x = pk_int(42);

	append_ints(l, 0, 3);
	/* setting elements does not disturb a cursor */
	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_set(l, 1, &x));
	PK_OK(pk_cursor_next(&k, &v, c));
	PK_OK(pk_cursor_next(&k, &v, c));
	ck_assert_int_eq(v.u.i, 42);
	/* changing the length does */
	PK_OK(pk_list_append(l, &x));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_pop(l, 0));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_insert(l, 0, &x));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_extend(l, &x, 1));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_remove_range(l, 0, 2));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	/* an empty range and an empty list's clear change nothing */
	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_remove_range(l, 2, 1));
	PK_OK(pk_cursor_next(&k, &v, c));
	PK_OK(pk_list_clear(l));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);
	PK_OK(pk_list_cursor(&c, l));
	PK_OK(pk_list_clear(l));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ITEROVER);
	pk_cursor_free(c);

	/* a cursor over a freed list */
	PK_OK(pk_list_cursor(&c, l));
	pk_value name = cstr("l");
	PK_OK(pk_map_remove(root, &name));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ESTALE);
	pk_cursor_free(c);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* differential test against a model: an array of owned values */

struct model {
	pk_value *v;
	size_t n, cap;
};

static pk_value
owned(const pk_value *v)
{
	pk_value c = *v;

	if (v->type == PK_BYTES || v->type == PK_STRING) {
		void *p = malloc(v->u.buf.len + 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, v->u.buf.ptr, v->u.buf.len);
		c.u.buf.ptr = p;
	}
	return c;
}

static void
disown(pk_value *v)
{
	if (v->type == PK_BYTES || v->type == PK_STRING)
		free((void *)v->u.buf.ptr);
}

static void
model_insert(struct model *m, size_t at, const pk_value *v)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		ck_assert_ptr_nonnull(m->v);
	}
	memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof(*m->v));
	m->v[at] = owned(v);
	m->n++;
}

static void
model_remove(struct model *m, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		disown(&m->v[i]);
	memmove(&m->v[a], &m->v[b], (m->n - b) * sizeof(*m->v));
	m->n -= b - a;
}

static void
model_copy(struct model *dst, const struct model *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		model_insert(dst, i, &src->v[i]);
}

static void
model_free(struct model *m)
{
	model_remove(m, 0, m->n);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Python's normalisation of an element index; -1 when out of range */
static int64_t
model_index(const struct model *m, int64_t i)
{
	int64_t n = (int64_t)m->n;
	if (i < 0)
		i += n;
	return i >= 0 && i < n ? i : -1;
}

/* Python's clamping of a slice bound or insert position */
static size_t
model_clamp(const struct model *m, int64_t i)
{
	int64_t n = (int64_t)m->n;
	if (i < 0)
		i = i + n < 0 ? 0 : i + n;
	return (size_t)(i > n ? n : i);
}

static uint64_t rnd_state;

static uint64_t
rnd(uint64_t bound)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % bound;
}

/* a random value; bytes and strings in buf (at least 64 bytes) */
static pk_value
rnd_value(char *buf)
{
	size_t len;

	switch (rnd(7)) {
	case 0: return pk_nil();
	case 1: return pk_bool((int)rnd(2));
	case 2: return pk_double((double)rnd(1000000) / 7.0);
	case 3:
		len = rnd(41);
		for (size_t j = 0; j < len; j++)
			buf[j] = (char)('a' + rnd(26));
		return pk_string(buf, len);
	case 4:
		len = rnd(30);
		for (size_t j = 0; j < len; j++)
			buf[j] = (char)(rnd(3) ? 0 : rnd(256));
		return pk_bytes(buf, len);
	default:
		return pk_int((int64_t)rnd_state);
	}
}

static int64_t
rnd_index(const struct model *m)
{
	return (int64_t)rnd(2 * m->n + 7) - (int64_t)m->n - 3;
}

static void
model_check(pk_list *l, const struct model *m)
{
	ck_assert_uint_eq(length(l), m->n);
	for (size_t i = 0; i < m->n; i++)
		assert_get(l, (int64_t)i, &m->v[i]);
}

/* one random operation on list and model */
static void
random_op(pk_list *l, struct model *m)
{
	char buf[64], bufs[5][64];
	pk_value v, vals[5] = { { 0 } }, out;
	int64_t i, j;
	size_t n;

	switch (rnd(20)) {
	case 0: case 1: case 2: case 3: case 4:
		v = rnd_value(buf);
		PK_OK(pk_list_append(l, &v));
		model_insert(m, m->n, &v);
		break;
	case 5: case 6:
		n = rnd(6);
		for (size_t k = 0; k < n; k++)
			vals[k] = rnd_value(bufs[k]);
		PK_OK(pk_list_extend(l, vals, n));
		for (size_t k = 0; k < n; k++)
			model_insert(m, m->n, &vals[k]);
		break;
	case 7: case 8: case 9:
		v = rnd_value(buf);
		i = rnd_index(m);
		PK_OK(pk_list_insert(l, i, &v));
		model_insert(m, model_clamp(m, i), &v);
		break;
	case 10: case 11: case 12:
		i = rnd_index(m);
		if (model_index(m, i) < 0) {
			PK_RC(pk_list_pop(l, i), PK_ERANGE);
		} else {
			PK_OK(pk_list_pop(l, i));
			model_remove(m, (size_t)model_index(m, i),
					(size_t)model_index(m, i) + 1);
		}
		break;
	case 13:
		i = rnd_index(m);
		j = rnd(4) ? i + (int64_t)rnd(8) : rnd_index(m);
		PK_OK(pk_list_remove_range(l, i, j));
		if (model_clamp(m, j) > model_clamp(m, i))
			model_remove(m, model_clamp(m, i), model_clamp(m, j));
		break;
	case 14: case 15: case 16:
		v = rnd_value(buf);
		i = rnd_index(m);
		if (model_index(m, i) < 0) {
			PK_RC(pk_list_set(l, i, &v), PK_ERANGE);
		} else {
			size_t at = (size_t)model_index(m, i);
			PK_OK(pk_list_set(l, i, &v));
			disown(&m->v[at]);
			m->v[at] = owned(&v);
		}
		break;
	case 17:
		if (rnd(100) == 0) {
			PK_OK(pk_list_clear(l));
			model_remove(m, 0, m->n);
			break;
		}
		/* fall through */
	default:
		i = rnd_index(m);
		if (model_index(m, i) < 0) {
			PK_RC(pk_list_get(&out, l, i), PK_ERANGE);
		} else {
			assert_get(l, i, &m->v[model_index(m, i)]);
		}
		break;
	}
}

START_TEST(test_list_model__random_ops)
{
	struct model m = { 0 }, saved;
	pk_list *l = rooted_list("l");
	const int nops = (int)test_scale(8000);

	rnd_state = 0x2545F4914F6CDD1DULL + (uint64_t)_i;
	for (int op = 0; op < nops; op++) {
		if (op % 100 == 0 && rnd(3) == 0) {
			/* a group of operations in one transaction, kept or
			 * undone: cells freed and reused inside it */
			int keep = (int)rnd(2);
			model_copy(&saved, &m);
			PK_OK(pk_tx_begin(pool));
			for (int k = 0; k < 30; k++)
				random_op(l, &m);
			if (keep) {
				PK_OK(pk_tx_commit(pool));
				model_free(&saved);
			} else {
				PK_OK(pk_tx_abort(pool));
				model_free(&m);
				m = saved;
			}
			model_check(l, &m);
		}
		random_op(l, &m);
		ck_assert_uint_eq(length(l), m.n);
		if (op % 1000 == 999)
			model_check(l, &m);
		if (op == nops / 2) {
			pk_list_close(l);
			reopen();
			l = find_list("l");
			model_check(l, &m);
		}
	}
	model_check(l, &m);
	pk_list_close(l);
	assert_healthy();
	model_free(&m);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* rollback: every mutating operation, undone by pk_tx_abort() */

struct sbuf {
	uint8_t *p;
	size_t n, cap;
};

static void
sbuf_add(struct sbuf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void ser_list(struct sbuf *b, pk_list *l);

/* ser_value -- a value, and what a nested container holds */
static void
ser_value(struct sbuf *b, const pk_value *v)
{
	sbuf_add(b, &v->type, sizeof(v->type));
	switch (v->type) {
	case PK_NIL:
		break;
	case PK_BOOL:
	case PK_INT:
	case PK_DOUBLE:
		sbuf_add(b, &v->u, 8);
		break;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
		sbuf_add(b, &v->u.buf.len, sizeof(v->u.buf.len));
		sbuf_add(b, v->u.buf.ptr, v->u.buf.len);
		break;
	case PK_MAP: {
		pk_map *m;
		pk_value name = cstr("name"), out;
		uint64_t n;
		sbuf_add(b, &v->u.ref, sizeof(v->u.ref));
		PK_OK(pk_map_open(&m, pool, v));
		PK_OK(pk_map_length(&n, m));
		sbuf_add(b, &n, sizeof(n));
		PK_OK(pk_map_get(&out, m, &name));
		ser_value(b, &out);
		pk_map_close(m);
		break;
	}
	case PK_LIST: {
		pk_list *l;
		sbuf_add(b, &v->u.ref, sizeof(v->u.ref));
		PK_OK(pk_list_open(&l, pool, v));
		ser_list(b, l);
		pk_list_close(l);
		break;
	}
	default:
		ck_abort_msg("unexpected type %d", (int)v->type);
	}
}

/* ser_list -- the elements, read by index and again by a cursor */
static void
ser_list(struct sbuf *b, pk_list *l)
{
	uint64_t n = length(l), i = 0;
	pk_cursor *c;
	pk_value k, v;
	int rc;

	sbuf_add(b, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		PK_OK(pk_list_get(&v, l, (int64_t)i));
		ser_value(b, &v);
	}
	PK_OK(pk_list_cursor(&c, l));
	for (i = 0; (rc = pk_cursor_next(&k, &v, c)) == 0; i++) {
		pk_value want;
		ck_assert_int_eq(k.u.i, (int64_t)i);
		PK_OK(pk_list_get(&want, l, (int64_t)i));
		ck_assert(same_value(&v, &want));
	}
	PK_RC(rc, PK_ITEROVER);
	ck_assert_uint_eq(i, n);
	pk_cursor_free(c);
}

struct state {
	struct sbuf ser;
	uint64_t len;
	pk_pool_stats st;
};

static void
capture(struct state *s, pk_list *l)
{
	memset(s, 0, sizeof(*s));
	ser_list(&s->ser, l);
	s->len = length(l);
	s->st = stats();
}

static int
same_state(const struct state *a, const struct state *b)
{
	return a->len == b->len && a->ser.n == b->ser.n &&
		memcmp(a->ser.p, b->ser.p, a->ser.n) == 0 &&
		a->st.used == b->st.used && a->st.objects == b->st.objects;
}

/*
 * the list for rollback tests: n mixed elements (ints, short strings,
 * out-of-line strings, doubles, nil and bools); with nested, element 5 is
 * a map and element 6 a list that only this list refers to
 */
static pk_list *
rollback_list(size_t n, int nested)
{
	pk_list *l = rooted_list("l");
	char buf[64];

	for (size_t i = 0; i < n; i++) {
		pk_value v;
		switch (i % 5) {
		case 0:
			fill_text(buf, 20 + i % 30, i);
			v = pk_string(buf, 20 + i % 30);
			break;
		case 1: v = pk_int((int64_t)i); break;
		case 2:
			fill_text(buf, 6, i);
			v = pk_string(buf, 6);
			break;
		case 3: v = pk_double((double)i / 3); break;
		default: v = i % 2 ? pk_nil() : pk_bool(1); break;
		}
		PK_OK(pk_list_append(l, &v));
	}
	if (nested) {
		pk_map *m;
		pk_list *s;
		pk_value k = cstr("name"), v = cstr("a nested map holding a "
				"value out of line"), r;
		PK_OK(pk_map_new(&m, pool));
		PK_OK(pk_map_put(m, &k, &v));
		r = pk_map_value(m);
		PK_OK(pk_list_set(l, 5, &r));
		pk_map_close(m);
		PK_OK(pk_list_new(&s, pool));
		PK_OK(pk_list_append(s, &v));
		append_ints(s, 0, 30);
		r = pk_list_value(s);
		PK_OK(pk_list_set(l, 6, &r));
		pk_list_close(s);
	}
	return l;
}

enum rb_op {
	RB_APPEND, RB_APPEND_NEW_SEGMENT, RB_APPEND_EXT, RB_EXTEND,
	RB_INSERT, RB_INSERT_NEW_SEGMENT, RB_POP, RB_POP_LAST,
	RB_REMOVE_RANGE, RB_REMOVE_RANGE_NEGATIVE, RB_REMOVE_RANGE_FREES,
	RB_SET_INLINE_TO_EXT, RB_SET_EXT_TO_INLINE, RB_CLEAR,
	RB_SET_FREES_MAP, RB_SET_FREES_LIST, RB_POP_FREES_MAP,
	RB_REMOVE_RANGE_FREES_BOTH, RB_CLEAR_FREES_BOTH, RB_POP_THEN_APPEND,
	RB_CLEAR_THEN_EXTEND, RB_SHRINK_THEN_GROW, RB_NOPS
};

static const char *const rb_names[RB_NOPS] = {
	"append", "append allocating a segment", "append out of line",
	"extend", "insert", "insert allocating a segment", "pop", "pop last",
	"remove_range", "remove_range, negative bounds",
	"remove_range freeing segments", "set inline to out of line",
	"set out of line to inline", "clear", "set freeing a map",
	"set freeing a list", "pop freeing a map",
	"remove_range freeing a map and a list", "clear freeing both",
	"pop then append", "clear then extend", "shrink then grow",
};

/* the list each operation starts from */
static pk_list *
rb_prepare(int op)
{
	switch (op) {
	case RB_APPEND_NEW_SEGMENT:
	case RB_INSERT_NEW_SEGMENT:
		return rollback_list(24, 1);	/* segments 0, 1 full */
	case RB_REMOVE_RANGE_FREES:
	case RB_SHRINK_THEN_GROW:
		return rollback_list(60, 1);		/* four segments */
	default:
		return rollback_list(20, 1);
	}
}

static void
rb_mutate(pk_list *l, int op)
{
	char buf[100];
	pk_value v = pk_int(-7), vals[50];

	fill_text(buf, sizeof(buf), 99);
	pk_value longv = pk_string(buf, 60);
	switch (op) {
	case RB_APPEND:
	case RB_APPEND_NEW_SEGMENT:
		PK_OK(pk_list_append(l, &v));
		break;
	case RB_APPEND_EXT:
		PK_OK(pk_list_append(l, &longv));
		break;
	case RB_EXTEND:
		for (int i = 0; i < 50; i++)
			vals[i] = i % 2 ? pk_int(i) : pk_string(buf,
					(size_t)i + 10);
		PK_OK(pk_list_extend(l, vals, 50));
		break;
	case RB_INSERT:
		PK_OK(pk_list_insert(l, 3, &longv));
		break;
	case RB_INSERT_NEW_SEGMENT:
		PK_OK(pk_list_insert(l, 0, &v));
		break;
	case RB_POP:
		PK_OK(pk_list_pop(l, 2));
		break;
	case RB_POP_LAST:
		PK_OK(pk_list_pop(l, -1));
		break;
	case RB_REMOVE_RANGE:
		PK_OK(pk_list_remove_range(l, 7, 15));
		break;
	case RB_REMOVE_RANGE_NEGATIVE:
		PK_OK(pk_list_remove_range(l, -12, -2));
		break;
	case RB_REMOVE_RANGE_FREES:
		PK_OK(pk_list_remove_range(l, 7, 60));
		break;
	case RB_SET_INLINE_TO_EXT:
		PK_OK(pk_list_set(l, 1, &longv));
		break;
	case RB_SET_EXT_TO_INLINE:
		PK_OK(pk_list_set(l, 0, &v));
		break;
	case RB_CLEAR:
	case RB_CLEAR_FREES_BOTH:
		PK_OK(pk_list_clear(l));
		break;
	case RB_SET_FREES_MAP:
		PK_OK(pk_list_set(l, 5, &v));
		break;
	case RB_SET_FREES_LIST:
		PK_OK(pk_list_set(l, -14, &longv));
		break;
	case RB_POP_FREES_MAP:
		PK_OK(pk_list_pop(l, 5));
		break;
	case RB_REMOVE_RANGE_FREES_BOTH:
		PK_OK(pk_list_remove_range(l, 4, 8));
		break;
	case RB_POP_THEN_APPEND:
		/* the popped cells are reused in the same transaction */
		PK_OK(pk_list_pop(l, -1));
		PK_OK(pk_list_pop(l, -1));
		PK_OK(pk_list_append(l, &longv));
		PK_OK(pk_list_append(l, &v));
		PK_OK(pk_list_insert(l, 1, &v));
		PK_OK(pk_list_pop(l, 0));
		break;
	case RB_CLEAR_THEN_EXTEND:
		PK_OK(pk_list_clear(l));
		for (int i = 0; i < 50; i++)
			vals[i] = i % 2 ? pk_int(i) : longv;
		PK_OK(pk_list_extend(l, vals, 50));
		break;
	case RB_SHRINK_THEN_GROW:
		/* segments freed, then new ones allocated in their place */
		PK_OK(pk_list_remove_range(l, 3, 60));
		for (int i = 0; i < 70; i++)
			PK_OK(pk_list_append(l, i % 3 ? &v : &longv));
		break;
	}
}

START_TEST(test_list_tx__rollback)
{
	pk_list *l = rb_prepare(_i);
	struct state before, during, after;
	pk_value out, nested;
	char what[128];

	PK_OK(pk_list_get(&nested, l, 5));
	ck_assert_int_eq(nested.type, PK_MAP);
	capture(&before, l);

	for (int levels = 1; levels <= 2; levels++) {
		for (int k = 0; k < levels; k++)
			PK_OK(pk_tx_begin(pool));
		rb_mutate(l, _i);
		/* visible inside the transaction */
		capture(&during, l);
		ck_assert_msg(!same_state(&before, &during), "%s changed "
				"nothing", rb_names[_i]);
		free(during.ser.p);
		PK_OK(pk_tx_abort(pool));
		for (int k = 1; k < levels; k++)
			PK_RC(pk_tx_commit(pool), PK_EABORTED);
		ck_assert_int_eq(pk_tx_depth(pool), 0);
		snprintf(what, sizeof(what), "%s, %d levels", rb_names[_i],
				levels);
		capture(&after, l);
		ck_assert_msg(same_state(&before, &after), "%s: not restored "
				"(length %llu, expected %llu; %llu objects, "
				"expected %llu; %llu bytes, expected %llu)",
				what,
				(unsigned long long)after.len,
				(unsigned long long)before.len,
				(unsigned long long)after.st.objects,
				(unsigned long long)before.st.objects,
				(unsigned long long)after.st.used,
				(unsigned long long)before.st.used);
		free(after.ser.p);
		assert_healthy();
	}

	/* the nested map is whole again */
	pk_map *m;
	pk_value name = cstr("name");
	PK_OK(pk_map_open(&m, pool, &nested));
	PK_OK(pk_map_get(&out, m, &name));
	pk_map_close(m);

	/* the same state after reopening */
	pk_list_close(l);
	reopen();
	l = find_list("l");
	capture(&after, l);
	ck_assert_msg(same_state(&before, &after), "%s: not restored after "
			"reopen", rb_names[_i]);
	free(after.ser.p);

	/* and the operation committed works */
	rb_mutate(l, _i);
	capture(&after, l);
	ck_assert(!same_state(&before, &after));
	free(after.ser.p);
	free(before.ser.p);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_tx__failure_keeps_transaction)
{
	pk_list *l = rooted_list("l");
	pk_value v = pk_int(1), bad = pk_string("\xff", 1), out;

	append_ints(l, 0, 3);
	PK_OK(pk_tx_begin(pool));
	/* failures before anything is written leave the transaction usable */
	PK_RC(pk_list_get(&out, l, 3), PK_ERANGE);
	PK_RC(pk_list_set(l, 3, &v), PK_ERANGE);
	PK_RC(pk_list_pop(l, -4), PK_ERANGE);
	PK_RC(pk_list_append(l, &bad), PK_EVALUE);
	PK_RC(pk_list_extend(l, &bad, 1), PK_EVALUE);
	PK_RC(pk_list_insert(l, 0, &bad), PK_EVALUE);
	PK_OK(pk_list_append(l, &v));
	/* so do references to containers that are gone */
	pk_list *gone;
	PK_OK(pk_list_new(&gone, pool));
	pk_value stale = pk_list_value(gone);
	PK_OK(pk_list_append(l, &stale));
	PK_OK(pk_list_pop(l, -1));	/* its only reference: freed */
	pk_list_close(gone);
	pk_value two[2] = { v, stale };
	PK_RC(pk_list_append(l, &stale), PK_ESTALE);
	PK_RC(pk_list_extend(l, two, 2), PK_ESTALE);
	PK_RC(pk_list_insert(l, 0, &stale), PK_ESTALE);
	PK_RC(pk_list_insert(l, 100, &stale), PK_ESTALE);
	PK_RC(pk_list_set(l, 0, &stale), PK_ESTALE);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_OK(pk_list_append(l, &v));
	PK_OK(pk_tx_commit(pool));
	ck_assert_uint_eq(length(l), 5);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* nesting and aliasing */

START_TEST(test_list_nest__lists_in_lists)
{
	pk_pool_stats before = stats();
	pk_list *top = rooted_list("deep"), *cur = top;
	char buf[64];
	pk_value out;
	const int depth = 100;

	for (int d = 0; d < depth; d++) {
		pk_list *child;
		PK_OK(pk_list_new(&child, pool));
		snprintf(buf, sizeof(buf), "level %d, long enough for a blob",
				d);
		pk_value s = cstr(buf), cv = pk_list_value(child);
		PK_OK(pk_list_append(child, &s));
		PK_OK(pk_list_append(cur, &cv));
		if (cur != top)
			pk_list_close(cur);
		cur = child;
	}
	pk_list_close(cur);
	pk_list_close(top);
	assert_healthy();

	reopen();
	cur = find_list("deep");
	for (int d = 0; d < depth; d++) {
		pk_list *child;
		ck_assert_uint_eq(length(cur), d == 0 ? 1 : 2);
		PK_OK(pk_list_get(&out, cur, -1));
		PK_OK(pk_list_open(&child, pool, &out));
		pk_list_close(cur);
		cur = child;
		snprintf(buf, sizeof(buf), "level %d, long enough for a blob",
				d);
		pk_value s = cstr(buf);
		assert_get(cur, 0, &s);
	}
	ck_assert_uint_eq(length(cur), 1);

	/* the only reference goes: the whole chain is freed */
	pk_value name = cstr("deep");
	PK_OK(pk_map_remove(root, &name));
	PK_RC(pk_list_length(NULL, cur), EINVAL);
	uint64_t n;
	PK_RC(pk_list_length(&n, cur), PK_ESTALE);
	pk_list_close(cur);
	pk_pool_stats after = stats();
	ck_assert_uint_eq(after.objects, before.objects);
	ck_assert_uint_eq(after.used, before.used);
	assert_healthy();
}
END_TEST

START_TEST(test_list_nest__maps_and_lists)
{
	pk_list *l = rooted_list("l"), *inner;
	pk_map *m;
	pk_value k = cstr("key"), v = cstr("value"), out;

	/* a map in a list, and a list in that map */
	PK_OK(pk_map_new(&m, pool));
	PK_OK(pk_map_put(m, &k, &v));
	PK_OK(pk_list_new(&inner, pool));
	append_ints(inner, 0, 50);
	pk_value iv = pk_list_value(inner), mv = pk_map_value(m);
	pk_value ik = cstr("inner");
	PK_OK(pk_map_put(m, &ik, &iv));
	PK_OK(pk_list_append(l, &mv));
	PK_OK(pk_list_append(l, &mv));	/* twice */
	pk_map_close(m);
	pk_list_close(inner);
	pk_list_close(l);
	assert_healthy();

	reopen();
	l = find_list("l");
	PK_OK(pk_list_get(&out, l, 1));
	ck_assert_int_eq(out.type, PK_MAP);
	PK_OK(pk_map_open(&m, pool, &out));
	PK_OK(pk_map_get(&out, m, &k));
	ck_assert(same_value(&out, &v));
	PK_OK(pk_map_get(&out, m, &ik));
	PK_OK(pk_list_open(&inner, pool, &out));
	ck_assert_uint_eq(length(inner), 50);
	assert_int_at(inner, 49, 49);

	/* one reference gone: alive; both: the map and the list are freed */
	PK_OK(pk_list_pop(l, 0));
	PK_OK(pk_map_get(&out, m, &k));
	PK_OK(pk_list_pop(l, 0));
	PK_RC(pk_map_get(&out, m, &k), PK_ESTALE);
	PK_RC(pk_list_get(&out, inner, 0), PK_ESTALE);
	pk_map_close(m);
	pk_list_close(inner);
	pk_list_close(l);
	assert_healthy();

	/* a list value cannot be opened as a map, nor a map as a list */
	l = find_list("l");
	pk_value lv = pk_list_value(l);
	PK_RC(pk_map_open(&m, pool, &lv), PK_EKIND);
	pk_value rv = pk_map_value(root);
	PK_RC(pk_list_open(&inner, pool, &rv), PK_EKIND);
	PK_RC(pk_list_open(&inner, pool, &v), PK_EKIND);
	pk_list_close(l);
}
END_TEST

START_TEST(test_list_nest__same_list_twice)
{
	pk_list *a, *b = rooted_list("b");
	pk_value name = cstr("a"), out, x = pk_int(5);
	uint64_t n;

	PK_OK(pk_list_new(&a, pool));
	append_ints(a, 0, 10);
	pk_value av = pk_list_value(a);
	PK_OK(pk_map_put(root, &name, &av));
	PK_OK(pk_list_append(b, &av));
	assert_healthy();

	/* removed from one place: alive */
	PK_OK(pk_map_remove(root, &name));
	ck_assert_uint_eq(length(a), 10);
	PK_OK(pk_list_append(a, &x));
	/* stored again where it already is: still alive */
	PK_OK(pk_list_set(b, 0, &av));
	ck_assert_uint_eq(length(a), 11);
	assert_healthy();

	/* removed from the other: freed, and every use is stale */
	PK_OK(pk_list_pop(b, 0));
	PK_RC(pk_list_length(&n, a), PK_ESTALE);
	PK_RC(pk_list_get(&out, a, 0), PK_ESTALE);
	PK_RC(pk_list_set(a, 0, &x), PK_ESTALE);
	PK_RC(pk_list_append(a, &x), PK_ESTALE);
	PK_RC(pk_list_extend(a, &x, 1), PK_ESTALE);
	PK_RC(pk_list_insert(a, 0, &x), PK_ESTALE);
	PK_RC(pk_list_pop(a, 0), PK_ESTALE);
	PK_RC(pk_list_remove_range(a, 0, 1), PK_ESTALE);
	PK_RC(pk_list_clear(a), PK_ESTALE);
	pk_cursor *c;
	PK_RC(pk_list_cursor(&c, a), PK_ESTALE);
	pk_list *again;
	PK_RC(pk_list_open(&again, pool, &av), PK_ESTALE);
	/* storing the stale reference fails and stores nothing */
	PK_RC(pk_list_append(b, &av), PK_ESTALE);
	PK_RC(pk_list_insert(b, 0, &av), PK_ESTALE);
	ck_assert_uint_eq(length(b), 0);
	pk_list_close(a);
	pk_list_close(b);
	assert_healthy();
}
END_TEST

START_TEST(test_list_nest__cycles)
{
	pk_list *l = rooted_list("l");
	pk_value self = pk_list_value(l), out, name = cstr("l");
	uint64_t freed;
	pk_check_report r = PK_CHECK_REPORT_INIT;

	/* a list holding itself */
	PK_OK(pk_list_append(l, &self));
	PK_OK(pk_list_get(&out, l, 0));
	ck_assert(same_value(&out, &self));
	assert_healthy();
	PK_OK(pk_list_pop(l, 0));
	PK_OK(pk_list_append(l, &self));
	PK_OK(pk_list_append(l, &self));
	PK_OK(pk_list_set(l, 0, &self));
	assert_healthy();
	/* unreachable once the root lets go: gc frees it */
	PK_OK(pk_map_remove(root, &name));
	ck_assert_uint_eq(length(l), 2);
	PK_RC(pk_pool_check(&r, pool), PK_ECORRUPT);
	ck_assert_uint_gt(r.leaked, 0);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 2);
	PK_RC(pk_list_get(&out, l, 0), PK_ESTALE);
	pk_list_close(l);
	assert_healthy();

	/*
	 * clear, while the only other reference to the list is held by a map
	 * the list holds: the map is freed on the way, the list stays usable
	 */
	pk_map *m;
	pk_value k = pk_int(1);
	PK_OK(pk_list_new(&l, pool));
	self = pk_list_value(l);
	PK_OK(pk_map_new(&m, pool));
	PK_OK(pk_map_put(m, &k, &self));
	pk_value mv = pk_map_value(m);
	PK_OK(pk_list_append(l, &mv));
	PK_OK(pk_list_clear(l));
	PK_RC(pk_map_get(&out, m, &k), PK_ESTALE);
	ck_assert_uint_eq(length(l), 0);
	append_ints(l, 0, 3);
	PK_OK(pk_map_put(root, &name, &self));
	assert_healthy();
	/* the same with pop */
	pk_map_close(m);
	PK_OK(pk_map_new(&m, pool));
	PK_OK(pk_map_put(m, &k, &self));
	mv = pk_map_value(m);
	PK_OK(pk_list_append(l, &mv));
	PK_OK(pk_map_remove(root, &name));
	PK_OK(pk_list_pop(l, -1));	/* the list goes with the map */
	PK_RC(pk_list_length(&freed, l), PK_ESTALE);
	pk_map_close(m);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* space */

static pk_value
full_value(char *buf, int64_t i)
{
	fill_text(buf, 100, (uint64_t)i);
	return pk_string(buf, 100);
}

START_TEST(test_list_space__enospace_keeps_list)
{
	pk_pool *big = pool;
	pk_map *bigroot = root;
	char buf[128];
	int64_t n;
	int rc = 0;

	/* a minimal pool of its own */
	PK_OK(pk_pool_create(&pool, test_file("small"), PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_root(&root, pool));
	pk_list *l = rooted_list("l");
	for (n = 0; n < 10000000; n++) {
		pk_value v = full_value(buf, n);
		if ((rc = pk_list_append(l, &v)) != 0)
			break;
	}
	PK_RC(rc, PK_ENOSPACE);
	ck_assert_int_gt(n, 1000);
	/* the failed append left nothing behind: another one neither */
	pk_pool_stats st = stats();
	pk_value v = full_value(buf, n);
	PK_RC(pk_list_append(l, &v), PK_ENOSPACE);
	pk_pool_stats again = stats();
	ck_assert_uint_eq(again.used, st.used);
	ck_assert_uint_eq(again.objects, st.objects);
	ck_assert_uint_eq(length(l), (uint64_t)n);
	for (int64_t i = 0; i < n; i++) {
		v = full_value(buf, i);
		assert_get(l, i, &v);
	}
	/* an extend that does not fit appends nothing */
	pk_value vals[100];
	for (int i = 0; i < 100; i++)
		vals[i] = full_value(buf, 0);
	PK_RC(pk_list_extend(l, vals, 100), PK_ENOSPACE);
	ck_assert_uint_eq(length(l), (uint64_t)n);
	assert_healthy();

	/* the same after reopening; pops give room back */
	pk_list_close(l);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	PK_OK(pk_pool_open(&pool, test_file("small")));
	PK_OK(pk_pool_root(&root, pool));
	l = find_list("l");
	ck_assert_uint_eq(length(l), (uint64_t)n);
	v = full_value(buf, n - 1);
	assert_get(l, -1, &v);
	/* a pop from the front moves every cell, so its undo log grows
	 * with the list: a full pool may refuse it, changing nothing */
	int rc0 = pk_list_pop(l, 0);
	ck_assert_msg(rc0 == 0 || rc0 == PK_ENOSPACE, "%s", pk_errormsg());
	ck_assert_uint_eq(length(l), (uint64_t)n - (rc0 == 0));
	v = full_value(buf, rc0 == 0);
	assert_get(l, 0, &v);
	/* pops from the end always give room back */
	for (int i = 0; i < 10; i++)
		PK_OK(pk_list_pop(l, -1));
	for (int64_t i = 0; i < 5; i++) {
		v = full_value(buf, n + i);
		PK_OK(pk_list_append(l, &v));
	}
	ck_assert_uint_eq(length(l), (uint64_t)n - 5 - (rc0 == 0));
	v = full_value(buf, rc0 == 0);
	assert_get(l, 0, &v);
	v = full_value(buf, n + 4);
	assert_get(l, -1, &v);
	assert_healthy();
	pk_list_close(l);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	pool = big;
	root = bigroot;
}
END_TEST

/* ---------------------------------------------------------------------- */
/* errors */

START_TEST(test_list_errors__null_arguments)
{
	pk_list *l = rooted_list("l"), *o;
	pk_value v = pk_int(1), out, lv = pk_list_value(l);
	pk_cursor *c;
	uint64_t n;

	PK_RC(pk_list_new(NULL, pool), EINVAL);
	PK_RC(pk_list_new(&o, NULL), EINVAL);
	PK_RC(pk_list_open(NULL, pool, &lv), EINVAL);
	PK_RC(pk_list_open(&o, NULL, &lv), EINVAL);
	PK_RC(pk_list_open(&o, pool, NULL), EINVAL);
	PK_RC(pk_list_length(NULL, l), EINVAL);
	PK_RC(pk_list_length(&n, NULL), EINVAL);
	PK_RC(pk_list_get(NULL, l, 0), EINVAL);
	PK_RC(pk_list_get(&out, NULL, 0), EINVAL);
	PK_RC(pk_list_set(NULL, 0, &v), EINVAL);
	PK_RC(pk_list_set(l, 0, NULL), EINVAL);
	PK_RC(pk_list_append(NULL, &v), EINVAL);
	PK_RC(pk_list_append(l, NULL), EINVAL);
	PK_RC(pk_list_extend(NULL, &v, 1), EINVAL);
	PK_RC(pk_list_extend(l, NULL, 1), EINVAL);
	PK_RC(pk_list_extend(l, NULL, 0), EINVAL);
	PK_RC(pk_list_insert(NULL, 0, &v), EINVAL);
	PK_RC(pk_list_insert(l, 0, NULL), EINVAL);
	PK_RC(pk_list_pop(NULL, 0), EINVAL);
	PK_RC(pk_list_remove_range(NULL, 0, 1), EINVAL);
	PK_RC(pk_list_clear(NULL), EINVAL);
	PK_RC(pk_list_cursor(NULL, l), EINVAL);
	PK_RC(pk_list_cursor(&c, NULL), EINVAL);
	PK_RC(pk_cursor_next(&out, &out, NULL), EINVAL);
	ck_assert_int_eq(pk_list_value(NULL).type, PK_LIST);
	pk_list_close(NULL);
	ck_assert_uint_eq(length(l), 0);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_errors__bad_values)
{
	pk_list *l = rooted_list("l");
	pk_value bad[4], ok = pk_int(1);
	uint8_t small[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };

	append_ints(l, 0, 3);
	bad[0] = pk_string("\xed\xa0\x80", 3);	/* a surrogate */
	bad[1].type = (pk_type)99;
	bad[1].u.i = 0;
	bad[2] = pk_bool(1);
	bad[2].u.i = 5;
	bad[3].type = PK_BIGINT;
	bad[3].u.buf.ptr = small;
	bad[3].u.buf.len = sizeof(small);
	pk_pool_stats before = stats();
	for (int i = 0; i < 4; i++) {
		PK_RC(pk_list_append(l, &bad[i]), PK_EVALUE);
		PK_RC(pk_list_set(l, 0, &bad[i]), PK_EVALUE);
		PK_RC(pk_list_insert(l, 1, &bad[i]), PK_EVALUE);
		pk_value two[2] = { ok, bad[i] };
		PK_RC(pk_list_extend(l, two, 2), PK_EVALUE);
	}
	pk_value nullbuf = pk_bytes(NULL, 3);
	PK_RC(pk_list_append(l, &nullbuf), EINVAL);
	const int64_t want[] = { 0, 1, 2 };
	assert_ints(l, want, 3);
	ck_assert_uint_eq(stats().used, before.used);
	ck_assert_uint_eq(stats().objects, before.objects);
	pk_list_close(l);
	assert_healthy();
}
END_TEST

START_TEST(test_list_errors__closed_pool)
{
	pk_list *l = rooted_list("l");
	pk_value v = pk_int(1), out, lv = pk_list_value(l);
	pk_cursor *c;
	uint64_t n;

	append_ints(l, 0, 3);
	PK_OK(pk_list_cursor(&c, l));
	pk_map_close(root);
	root = NULL;
	PK_OK(pk_pool_close(pool));
	PK_RC(pk_list_length(&n, l), PK_ECLOSED);
	PK_RC(pk_list_get(&out, l, 0), PK_ECLOSED);
	PK_RC(pk_list_set(l, 0, &v), PK_ECLOSED);
	PK_RC(pk_list_append(l, &v), PK_ECLOSED);
	PK_RC(pk_list_extend(l, &v, 1), PK_ECLOSED);
	PK_RC(pk_list_insert(l, 0, &v), PK_ECLOSED);
	PK_RC(pk_list_pop(l, 0), PK_ECLOSED);
	PK_RC(pk_list_remove_range(l, 0, 1), PK_ECLOSED);
	PK_RC(pk_list_clear(l), PK_ECLOSED);
	pk_cursor *c2;
	PK_RC(pk_list_cursor(&c2, l), PK_ECLOSED);
	PK_RC(pk_cursor_next(&out, &out, c), PK_ECLOSED);
	pk_list *o;
	PK_RC(pk_list_open(&o, pool, &lv), PK_ECLOSED);
	PK_RC(pk_list_new(&o, pool), PK_ECLOSED);
	pk_cursor_free(c);
	pk_list_close(l);
	pool = NULL;
}
END_TEST

/* ---------------------------------------------------------------------- */
/* damage: a list whose header, segments or cells were overwritten */

static void
poke(uint64_t off, const void *p, size_t len)
{
	int fd = open(test_path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, p, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void
peek(uint64_t off, void *p, size_t len)
{
	int fd = open(test_path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, p, len, (off_t)off), (ssize_t)len);
	close(fd);
}

enum dmg {
	DMG_SEG_MAGIC, DMG_SEG_NCELLS, DMG_SEG_OFFSET, DMG_COUNT, DMG_NSEGS,
	DMG_CELL_LEN, DMG_CELL_BLOB, DMG_SEG_PAST_LAST, DMG_N
};

START_TEST(test_list_damage__detected)
{
	pk_list *l = rooted_list("l");
	char buf[64];
	pk_check_report r = PK_CHECK_REPORT_INIT;
	struct pk_list_hdr h;
	uint64_t off = pk_list_value(l).u.ref.off, x;
	pk_value out;
	int get_fails = 1;

	for (int i = 0; i < 20; i++) {
		fill_text(buf, 30, (uint64_t)i);
		pk_value v = i % 2 ? pk_int(i) : pk_string(buf, 30);
		PK_OK(pk_list_append(l, &v));
	}
	shut(l);

	peek(off, &h, sizeof(h));
	ck_assert_uint_eq(h.h.magic, PK_MAGIC_LIST);
	ck_assert_uint_eq(h.count, 20);
	ck_assert_uint_eq(h.nsegs, 2);
	uint64_t seg1 = h.seg[1];
	uint64_t cell12 = seg1 + sizeof(struct pk_listseg) +
		4 * sizeof(struct pk_cell);
	switch (_i) {
	case DMG_SEG_MAGIC:
		x = 0xdead;
		poke(seg1 + offsetof(struct pk_listseg, magic), &x, 4);
		get_fails = 0; /* gets do not read the magic */
		break;
	case DMG_SEG_NCELLS:
		x = 7;
		poke(seg1 + offsetof(struct pk_listseg, ncells), &x, 8);
		get_fails = 0;
		break;
	case DMG_SEG_OFFSET:
		x = (uint64_t)1 << 50;
		poke(off + offsetof(struct pk_list_hdr, seg[1]), &x, 8);
		break;
	case DMG_COUNT:
		x = (uint64_t)1 << 40;
		poke(off + offsetof(struct pk_list_hdr, count), &x, 8);
		break;
	case DMG_NSEGS:
		x = 1;
		poke(off + offsetof(struct pk_list_hdr, nsegs), &x, 8);
		break;
	case DMG_CELL_LEN:
		x = 200;
		poke(cell12 + offsetof(struct pk_cell, len), &x, 1);
		break;
	case DMG_CELL_BLOB:
		/* element 12, a string out of line: its blob offset */
		x = 4096 + 8;
		poke(cell12 + offsetof(struct pk_cell, data), &x, 8);
		break;
	case DMG_SEG_PAST_LAST:
		x = seg1;
		poke(off + offsetof(struct pk_list_hdr, seg[5]), &x, 8);
		get_fails = 0;
		break;
	}

	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	l = find_list("l");
	PK_OK(pk_list_get(&out, l, 3));
	if (get_fails)
		PK_RC(pk_list_get(&out, l, _i == DMG_COUNT ? -1 : 12),
				PK_ECORRUPT);
	PK_RC(pk_pool_check(&r, pool), PK_ECORRUPT);
	if (_i == DMG_CELL_BLOB) {
		/* walks do not read blobs: the real one looks leaked */
		ck_assert_uint_gt(r.leaked, 0);
		pk_list_close(l);
		return;
	}
	ck_assert_uint_gt(r.damaged, 0);
	/* gc frees nothing in a damaged pool */
	uint64_t freed = 1;
	PK_RC(pk_pool_gc(&freed, pool), PK_ECORRUPT);
	ck_assert_uint_eq(freed, 0);
	pk_list_close(l);
}
END_TEST

/* ---------------------------------------------------------------------- */

static Suite *
suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_list_core__empty);
	tcase_add_test(tc, test_list_core__append_get_set_indexes);
	tcase_add_test(tc, test_list_core__insert_clamps);
	tcase_add_test(tc, test_list_core__pop);
	tcase_add_test(tc, test_list_core__remove_range_clamps);
	tcase_add_test(tc, test_list_core__extend);
	tcase_add_test(tc, test_list_core__value_types);
	tcase_add_test(tc, test_list_core__persist);
	tcase_add_test(tc, test_list_core__segments);
	tcase_add_test(tc, test_list_core__space_returns);
	tcase_add_test(tc, test_list_core__capped_segments);
	tcase_add_test(tc, test_list_core__doubling_layout_still_read);
	suite_add_tcase(s, tc);

	tc = tcase_create("cursor");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_list_cursor__in_order);
	tcase_add_test(tc, test_list_cursor__changed);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_list_model__random_ops, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_list_tx__rollback, 0, RB_NOPS);
	tcase_add_test(tc, test_list_tx__failure_keeps_transaction);
	suite_add_tcase(s, tc);

	tc = tcase_create("nest");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_list_nest__lists_in_lists);
	tcase_add_test(tc, test_list_nest__maps_and_lists);
	tcase_add_test(tc, test_list_nest__same_list_twice);
	tcase_add_test(tc, test_list_nest__cycles);
	suite_add_tcase(s, tc);

	tc = tcase_create("space");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_list_space__enospace_keeps_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_list_errors__null_arguments);
	tcase_add_test(tc, test_list_errors__bad_values);
	tcase_add_test(tc, test_list_errors__closed_pool);
	suite_add_tcase(s, tc);

	tc = tcase_create("damage");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_list_damage__detected, 0, DMG_N);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(suite());
}
