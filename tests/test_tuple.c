/*
 * test_tuple.c -- tuples: their encoding, and tuples as keys
 *
 * pack: the snprintf-style size protocol, decoding what was packed,
 * refusals (containers, bad items, nesting too deep), malformed bytes;
 * keys: one key for (1, "a"), (1.0, "a") and (true, "a"), nesting, many
 * tuple keys through splits and a reopen, the stored key keeping its
 * items' types, set elements, list items and values; pool: an aborted
 * store leaves nothing and the pool healthy; frozen sets: one key for the
 * same members in any order; kill: a writer of tuple keys killed at
 * random leaves exactly the keys acknowledged, give or take the one under
 * way.
 */
#include <math.h>
#include <stdint.h>

#include "common.h"
#include "fixture.h"

/* a tuple value and the buffer that holds its bytes */
struct tup {
	uint8_t buf[512];
	pk_value v;
};

/* encode -- n items into t as a value of type (a tuple or a frozen set),
 * which must fit */
static pk_value
encode(struct tup *t, pk_type type, const pk_value *items, size_t n)
{
	size_t len;

	PK_OK((type == PK_TUPLE ? pk_tuple_pack : pk_frozenset_pack)(t->buf,
			sizeof(t->buf), &len, items, n));
	ck_assert_uint_le(len, sizeof(t->buf));
	t->v.type = type;
	t->v.u.buf.ptr = t->buf;
	t->v.u.buf.len = len;
	return t->v;
}

/* pack -- the tuple of n items, into t */
static pk_value
pack(struct tup *t, const pk_value *items, size_t n)
{
	return encode(t, PK_TUPLE, items, n);
}

/* pair -- the tuple (a, b) */
static pk_value
pair(struct tup *t, pk_value a, pk_value b)
{
	pk_value items[2] = { a, b };

	return pack(t, items, 2);
}

static uint64_t
tlen(pk_value t)
{
	uint64_t n;

	PK_OK(pk_tuple_length(&n, &t));
	return n;
}

/* ----------------------------------------------------------------- pack */

START_TEST(test_tuple_pack__round_trip)
{
	uint8_t big[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };	/* 2^64 */
	pk_value bigv = { PK_BIGINT, { .buf = { big, 9 } } };
	struct tup in, out;
	pk_value inner = pair(&in, pk_double(2.5), pk_bytes("\0\1", 2));
	pk_value items[7] = { pk_nil(), pk_bool(1), pk_int(-7), bigv,
		cstr("text"), pk_bytes("", 0), inner };
	pk_value t = pack(&out, items, 7), item;
	size_t pos = 0, need;

	ck_assert_uint_eq(tlen(t), 7);
	for (int i = 0; i < 7; i++) {
		PK_OK(pk_tuple_next(&item, &t, &pos));
		ck_assert_int_eq(item.type, items[i].type);
	}
	PK_RC(pk_tuple_next(&item, &t, &pos), PK_ITEROVER);
	/* the items come back as they went in */
	pos = 0;
	PK_OK(pk_tuple_next(&item, &t, &pos));
	PK_OK(pk_tuple_next(&item, &t, &pos));
	ck_assert_int_eq(item.u.i, 1);
	PK_OK(pk_tuple_next(&item, &t, &pos));
	ck_assert_int_eq(item.u.i, -7);
	PK_OK(pk_tuple_next(&item, &t, &pos));
	ck_assert_uint_eq(item.u.buf.len, 9);
	ck_assert_mem_eq(item.u.buf.ptr, big, 9);
	PK_OK(pk_tuple_next(&item, &t, &pos));
	ck_assert_uint_eq(item.u.buf.len, 4);
	ck_assert_mem_eq(item.u.buf.ptr, "text", 4);
	PK_OK(pk_tuple_next(&item, &t, &pos));
	ck_assert_uint_eq(item.u.buf.len, 0);
	PK_OK(pk_tuple_next(&item, &t, &pos));
	ck_assert_uint_eq(tlen(item), 2);
	/* the size protocol: nothing written when it does not fit */
	uint8_t small[4] = { 0xAA, 0xAA, 0xAA, 0xAA };
	PK_OK(pk_tuple_pack(small, sizeof(small), &need, items, 7));
	ck_assert_uint_eq(need, t.u.buf.len);
	ck_assert_int_eq(small[0], 0xAA);
	PK_OK(pk_tuple_pack(NULL, 0, &need, items, 7));
	ck_assert_uint_eq(need, t.u.buf.len);
	/* the empty tuple */
	PK_OK(pk_tuple_pack(NULL, 0, &need, NULL, 0));
	ck_assert_uint_eq(need, 0);
}
END_TEST

START_TEST(test_tuple_pack__refusals)
{
	struct tup a, b;
	pk_value ref = pk_map_value(root), bad = pk_bool(1), items[1];
	size_t len;

	items[0] = ref;
	PK_RC(pk_tuple_pack(a.buf, sizeof(a.buf), &len, items, 1),
			PK_EKEYTYPE);
	bad.u.i = 2;
	items[0] = bad;
	PK_RC(pk_tuple_pack(a.buf, sizeof(a.buf), &len, items, 1), PK_EVALUE);
	items[0] = pk_string("\xff", 1);
	PK_RC(pk_tuple_pack(a.buf, sizeof(a.buf), &len, items, 1), PK_EVALUE);
	PK_RC(pk_tuple_pack(a.buf, sizeof(a.buf), NULL, items, 1), EINVAL);
	/* nesting: PK_TUPLE_DEPTH deep is a tuple, one more is not */
	pk_value t = pair(&a, pk_int(0), pk_nil());
	for (int d = 2; d <= PK_TUPLE_DEPTH; d++) {
		struct tup *to = d % 2 ? &a : &b;
		items[0] = t;
		PK_OK(pk_tuple_pack(to->buf, sizeof(to->buf), &len, items, 1));
		t.u.buf.ptr = to->buf;
		t.u.buf.len = len;
	}
	pk_value k = cstr("deep"), probe;
	PK_OK(pk_map_put(root, &t, &k));
	PK_OK(pk_map_get(&probe, root, &t));
	struct tup *last = t.u.buf.ptr == a.buf ? &b : &a;
	items[0] = t;
	PK_RC(pk_tuple_pack(last->buf, sizeof(last->buf), &len, items, 1),
			PK_EVALUE);
	/* bytes that are no encoding are refused wherever a value goes */
	static const uint8_t junk[][6] = {
		{ PK_INT, 1, 2 },		/* an int cut short */
		{ PK_STRING, 9, 0, 0, 0, 'a' },	/* a length past the end */
		{ 99 },				/* no such type */
		{ PK_MAP, 0, 0, 0, 0, 0 },	/* a reference */
	};
	static const size_t junklen[] = { 3, 6, 1, 6 };
	for (size_t i = 0; i < 4; i++) {
		pk_value j = { PK_TUPLE, { .buf = { junk[i], junklen[i] } } };
		size_t pos = 0;
		uint64_t n;
		PK_RC(pk_map_put(root, &j, &k), PK_EVALUE);
		PK_RC(pk_map_get(&probe, root, &j), PK_EVALUE);
		PK_RC(pk_tuple_length(&n, &j), PK_EVALUE);
		if (i < 3)
			PK_RC(pk_tuple_next(&probe, &j, &pos), PK_EVALUE);
	}
	pk_value notup = pk_int(3);
	size_t pos = 0;
	PK_RC(pk_tuple_next(&probe, &notup, &pos), PK_EVALUE);
	assert_healthy();
}
END_TEST

/* ----------------------------------------------------------------- keys */

START_TEST(test_tuple_keys__numeric_equality)
{
	struct tup t1, t2, t3, t4, t5, in;
	pk_value k1 = pair(&t1, pk_int(1), cstr("a"));
	pk_value k2 = pair(&t2, pk_double(1.0), cstr("a"));
	pk_value k3 = pair(&t3, pk_bool(1), cstr("a"));
	pk_value k4 = pair(&t4, pk_int(1), pk_bytes("a", 1));
	pk_value v = cstr("one a"), got, key;
	uint64_t n;

	PK_OK(pk_map_put(root, &k1, &v));
	PK_OK(pk_map_get(&got, root, &k2));
	ck_assert_int_eq(got.type, PK_STRING);
	PK_OK(pk_map_get(&got, root, &k3));
	PK_RC(pk_map_get(&got, root, &k4), PK_NOTFOUND); /* bytes != text */
	v = pk_int(2);
	PK_OK(pk_map_put(root, &k2, &v));	/* replaces: one key */
	PK_OK(pk_map_length(&n, root));
	ck_assert_uint_eq(n, 1);
	/* the key keeps the types it was first stored with */
	pk_cursor *c;
	PK_OK(pk_map_cursor(&c, root));
	PK_OK(pk_cursor_next(&key, &got, c));
	ck_assert_int_eq(key.type, PK_TUPLE);
	ck_assert_uint_eq(key.u.buf.len, k1.u.buf.len);
	ck_assert_mem_eq(key.u.buf.ptr, k1.u.buf.ptr, k1.u.buf.len);
	ck_assert_int_eq(got.u.i, 2);
	pk_cursor_free(c);
	/* a tuple is not its items, nor a shorter or longer tuple */
	pk_value one = pk_int(1), one_item[1] = { pk_int(1) };
	pk_value three[3] = { pk_int(1), cstr("a"), pk_nil() };
	PK_RC(pk_map_get(&got, root, &one), PK_NOTFOUND);
	pk_value k5 = pack(&t5, one_item, 1);
	PK_RC(pk_map_get(&got, root, &k5), PK_NOTFOUND);
	pk_value k6 = pack(&in, three, 3);
	PK_RC(pk_map_get(&got, root, &k6), PK_NOTFOUND);
	/* nested: ((1, 2.5), "x") and ((1.0, 2.5), "x") are one key */
	struct tup a1, a2, b1, b2;
	pk_value in1 = pair(&a1, pk_int(1), pk_double(2.5));
	pk_value in2 = pair(&a2, pk_double(1.0), pk_double(2.5));
	pk_value n1 = pair(&b1, in1, cstr("x")), n2 = pair(&b2, in2, cstr("x"));
	PK_OK(pk_map_put(root, &n1, &v));
	PK_OK(pk_map_get(&got, root, &n2));
	ck_assert_int_eq(got.u.i, 2);
	/* NaNs are one item, as they are one key */
	struct tup x1, x2;
	pk_value nan1 = pair(&x1, pk_double(NAN), pk_int(0));
	pk_value nan2 = pair(&x2, pk_double(-NAN), pk_double(0.0));
	PK_OK(pk_map_put(root, &nan1, &v));
	PK_OK(pk_map_get(&got, root, &nan2));
	/* the empty tuple is a key */
	pk_value empty = pack(&t4, NULL, 0);
	PK_OK(pk_map_put(root, &empty, &v));
	PK_OK(pk_map_get(&got, root, &empty));
	PK_OK(pk_map_length(&n, root));
	ck_assert_uint_eq(n, 4);
	assert_healthy();
}
END_TEST

START_TEST(test_tuple_keys__many_through_reopen)
{
	const int64_t n = test_scale(20000);
	struct tup t;
	pk_value v, got;
	uint64_t len;

	/* keys long enough to be stored out of line, too */
	for (int64_t i = 0; i < n; i++) {
		pk_value items[3] = { pk_int(i % 100), pk_int(i / 100),
			i % 7 == 0 ? cstr("a long string item that does not "
					"fit a slot inline with the rest") :
				cstr("s") };
		pk_value k = pack(&t, items, 3);
		v = pk_int(i);
		PK_OK(pk_map_put(root, &k, &v));
	}
	reopen();
	PK_OK(pk_map_length(&len, root));
	ck_assert_uint_eq(len, (uint64_t)n);
	for (int64_t i = 0; i < n; i++) {
		pk_value items[3] = { pk_double((double)(i % 100)),
			pk_int(i / 100),
			i % 7 == 0 ? cstr("a long string item that does not "
					"fit a slot inline with the rest") :
				cstr("s") };
		pk_value k = pack(&t, items, 3);
		PK_OK(pk_map_get(&got, root, &k));
		ck_assert_int_eq(got.u.i, i);
		if (i % 2)
			PK_OK(pk_map_remove(root, &k));
	}
	PK_OK(pk_map_length(&len, root));
	ck_assert_uint_eq(len, (uint64_t)(n + 1) / 2);
	assert_healthy();
}
END_TEST

START_TEST(test_tuple_keys__sets_lists_values)
{
	struct tup t1, t2;
	pk_value k1 = pair(&t1, pk_int(3), cstr("b"));
	pk_value k2 = pair(&t2, pk_double(3.0), cstr("b"));
	pk_set *s;
	pk_list *l;
	pk_value got, sv, lv, sk = cstr("s"), lk = cstr("l"), vk = cstr("v");
	uint64_t n;
	int in;

	PK_OK(pk_set_new(&s, pool));
	sv = pk_set_value(s);
	PK_OK(pk_map_put(root, &sk, &sv));
	PK_OK(pk_set_add(s, &k1));
	PK_OK(pk_set_add(s, &k2));
	PK_OK(pk_set_length(&n, s));
	ck_assert_uint_eq(n, 1);
	PK_OK(pk_set_contains(&in, s, &k2));
	ck_assert(in);
	/* a tuple as a list item and as a value: stored as given */
	PK_OK(pk_list_new(&l, pool));
	lv = pk_list_value(l);
	PK_OK(pk_map_put(root, &lk, &lv));
	PK_OK(pk_list_append(l, &k2));
	PK_OK(pk_map_put(root, &vk, &k1));
	reopen();
	PK_OK(pk_map_get(&got, root, &vk));
	ck_assert_int_eq(got.type, PK_TUPLE);
	ck_assert_mem_eq(got.u.buf.ptr, k1.u.buf.ptr, k1.u.buf.len);
	PK_OK(pk_map_get(&lv, root, &lk));
	pk_list_close(l);
	PK_OK(pk_list_open(&l, pool, &lv));
	PK_OK(pk_list_get(&got, l, 0));
	ck_assert_int_eq(got.type, PK_TUPLE);
	ck_assert_uint_eq(tlen(got), 2);
	pk_list_close(l);
	pk_set_close(s);
	assert_healthy();
}
END_TEST

/* ----------------------------------------------------------- frozen sets */

/* fset -- the frozen set of n items, into t */
static pk_value
fset(struct tup *t, const pk_value *items, size_t n)
{
	return encode(t, PK_FROZENSET, items, n);
}

START_TEST(test_tuple_frozenset__keys)
{
	struct tup a, b, c, d, in;
	pk_value pr = pair(&in, pk_int(1), cstr("x"));
	pk_value ia[5] = { cstr("b"), pk_int(2), pk_double(0.5), pr, pk_nil() };
	pk_value ib[6] = { pk_nil(), pr, pk_double(2.0), pk_double(0.5),
		cstr("b"), pk_int(2) };	/* 2 and 2.0: one member */
	pk_value fa = fset(&a, ia, 5), fb = fset(&b, ib, 6), got, item;
	pk_value v = pk_int(1);
	uint64_t n;
	size_t pos = 0;

	/* the same members in any order: one encoding up to 2 vs 2.0 */
	ck_assert_uint_eq(tlen(fa), 5);
	ck_assert_uint_eq(tlen(fb), 5);
	PK_OK(pk_map_put(root, &fa, &v));
	PK_OK(pk_map_get(&got, root, &fb));
	ck_assert_int_eq(got.u.i, 1);
	/* the members come out in the canonical order, the first of equal
	 * ones kept: nil first, 2.0 (given before 2) as given */
	PK_OK(pk_tuple_next(&item, &fb, &pos));
	ck_assert_int_eq(item.type, PK_NIL);
	PK_OK(pk_tuple_next(&item, &fb, &pos));
	ck_assert_int_eq(item.type, PK_DOUBLE);
	ck_assert(item.u.d == 2.0);
	/* a subset, a tuple of the same items, are other keys */
	pk_value fc = fset(&c, ia, 4);
	PK_RC(pk_map_get(&got, root, &fc), PK_NOTFOUND);
	pk_value tu = pack(&d, ia, 5);
	PK_RC(pk_map_get(&got, root, &tu), PK_NOTFOUND);
	/* the empty frozen set is a key, and not the empty tuple */
	pk_value fe = fset(&c, NULL, 0), te = pack(&d, NULL, 0);
	PK_OK(pk_map_put(root, &fe, &v));
	PK_RC(pk_map_get(&got, root, &te), PK_NOTFOUND);
	/* a frozen set in a tuple and in a set */
	pk_value nested = pair(&d, fa, pk_int(9));
	PK_OK(pk_map_put(root, &nested, &v));
	PK_OK(pk_map_length(&n, root));
	ck_assert_uint_eq(n, 3);
	reopen();
	pk_value nested2 = pair(&c, fb, pk_double(9.0));
	PK_OK(pk_map_get(&got, root, &nested2));
	/* stored bytes out of order or repeated are refused */
	uint8_t bad[32];
	size_t l1, l2;
	pk_value two[2] = { pk_int(2), pk_int(1) };
	PK_OK(pk_tuple_pack(bad, sizeof(bad), &l1, two, 2));
	pk_value j = { PK_FROZENSET, { .buf = { bad, l1 } } };
	PK_RC(pk_map_put(root, &j, &v), PK_EVALUE);
	two[0] = pk_int(1);
	PK_OK(pk_tuple_pack(bad, sizeof(bad), &l2, two, 2));
	j.u.buf.len = l2;
	PK_RC(pk_map_put(root, &j, &v), PK_EVALUE);
	pk_value ref = pk_map_value(root);
	PK_RC(pk_frozenset_pack(bad, sizeof(bad), &l1, &ref, 1), PK_EKEYTYPE);
	assert_healthy();
}
END_TEST

/* ----------------------------------------------------------------- pool */

START_TEST(test_tuple_pool__abort_then_store)
{
	struct tup t;
	pk_value k = pair(&t, pk_int(1), pk_int(2)), v = pk_int(0), got;

	/* an aborted store leaves nothing (the pool's tuple bit may stay) */
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_put(root, &k, &v));
	PK_OK(pk_tx_abort(pool));
	PK_RC(pk_map_get(&got, root, &k), PK_NOTFOUND);
	PK_OK(pk_map_put(root, &k, &v));
	reopen();
	PK_OK(pk_map_get(&got, root, &k));
	assert_healthy();
}
END_TEST

/* ----------------------------------------------------------------- kill */

/* tkey -- the key (e, "t"), into t; e as a double when e is odd, so the
 * reader's int keys find the writer's doubles */
static pk_value
tkey(struct tup *t, uint64_t e, int writer)
{
	pk_value items[2] = { writer && e % 2 ? pk_double((double)e) :
		pk_int((int64_t)e), pk_string("t", 1) };

	return pack(t, items, 2);
}

/* the writer: puts (0, "t"), (1, "t"), ... and removes each 3rd one it
 * put, counting in *done the steps acknowledged */
static void
tuple_writer(void *arg)
{
	volatile uint64_t *done = arg;
	pk_pool *p;
	pk_map *r;

	if (pk_pool_open(&p, test_path) != 0 || pk_pool_root(&r, p) != 0)
		_exit(2);
	for (uint64_t i = *done; i < 2000000; i++) {
		struct tup t;
		uint64_t e = i / 2;
		pk_value k = tkey(&t, e, 1), v = pk_int((int64_t)e);
		int rc = i % 2 == 0 ? pk_map_put(r, &k, &v) :
			e % 3 == 0 ? pk_map_remove(r, &k) : 0;
		if (rc != 0 && rc != PK_NOTFOUND) {
			fprintf(stderr, "tuple: %s\n", pk_errormsg());
			_exit(3);
		}
		*done = i + 1;
	}
	pause();
}

/* whether key e is in after the first `steps` steps */
static int
tuple_expected(uint64_t e, uint64_t steps)
{
	if (2 * e >= steps)
		return 0;
	return e % 3 != 0 || 2 * e + 1 >= steps;
}

/* tuple_check -- every key as after the steps, or one more */
static int
tuple_check(uint64_t steps)
{
	uint64_t want = 0, e, n;
	int later = 0;

	for (e = 0; 2 * e <= steps + 1; e++) {
		struct tup t;
		pk_value key = tkey(&t, e, 0), got;
		int rc = pk_map_get(&got, root, &key);
		int in = rc == 0;
		int a = tuple_expected(e, steps);
		int b = tuple_expected(e, steps + 1);
		ck_assert_msg(rc == 0 || rc == PK_NOTFOUND, "get: %d", rc);
		ck_assert_msg(in == a || in == b, "key %llu after %llu steps: "
				"%d", (unsigned long long)e,
				(unsigned long long)steps, in);
		if (in)
			ck_assert_int_eq(got.u.i, (int64_t)e);
		later |= in != a;
		want += (uint64_t)in;
	}
	PK_OK(pk_map_length(&n, root));
	ck_assert_uint_eq(n, want);
	return later;
}

START_TEST(test_tuple_kill__exactly_what_was_acknowledged)
{
	kill_rounds(tuple_writer, tuple_check);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tuple");
	TCase *tc;

	tc = tcase_create("pack");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tuple_pack__round_trip);
	tcase_add_test(tc, test_tuple_pack__refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tuple_keys__numeric_equality);
	tcase_add_test(tc, test_tuple_keys__many_through_reopen);
	tcase_add_test(tc, test_tuple_keys__sets_lists_values);
	tcase_add_test(tc, test_tuple_frozenset__keys);
	tcase_add_test(tc, test_tuple_pool__abort_then_store);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_tuple_kill__exactly_what_was_acknowledged);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
