/*
 * test_sorted.c -- the persistent sorted map
 *
 * model: random puts and removes of int keys (small and large values,
 * inline and out of line), checked after each batch against a sorted
 * array: length, every index, ranks, seeks, cursors forward and back over
 * random ranges, range removal, and the pool's check (counts of every
 * node); across a reopen. order: the documented order of every key type.
 * prefix: prefix scans of bytes and strings. tx: an abort undoes a put
 * that split nodes. nest: a sorted map holding containers, freed by gc;
 * clear. kill: a writer killed at random leaves what it acknowledged.
 * misuse: NULL arguments, bad keys and indexes, another kind, a closed
 * pool, a freed map, cursors across changes, a read-only pool.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "common.h"
#include "fixture.h"

static pk_sorted *
new_sorted(const char *name)
{
	pk_sorted *s;
	pk_value k = cstr(name), v;

	PK_OK(pk_sorted_new(&s, pool));
	v = pk_sorted_value(s);
	PK_OK(pk_map_put(root, &k, &v));
	return s;
}

static pk_sorted *
open_sorted(const char *name)
{
	pk_sorted *s;
	pk_value k = cstr(name), v;

	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_sorted_open(&s, pool, &v));
	return s;
}

static uint64_t
length(pk_sorted *s)
{
	uint64_t n;

	PK_OK(pk_sorted_length(&n, s));
	return n;
}

/* ---- the model: a sorted array of int keys, value = f(key, version) ---- */

#define KEYSPACE 5000
static int64_t model[KEYSPACE];
static unsigned mver[KEYSPACE];	/* by key */
static size_t mn;

static size_t
model_rank(int64_t k)
{
	size_t lo = 0, hi = mn;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (model[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the value of key k at version v: every seventh out of line */
static pk_value
value_of(int64_t k, unsigned v, char *buf)
{
	if (k % 7 == 0) {
		int n = snprintf(buf, 200, "%0*lld-%u", 90, (long long)k, v);
		return pk_string(buf, (size_t)n);
	}
	return pk_int(k * 1000 + v);
}

static void
assert_value(const pk_value *got, int64_t k)
{
	char buf[200];
	pk_value want = value_of(k, mver[k], buf);

	ck_assert_int_eq(got->type, want.type);
	if (want.type == PK_INT)
		ck_assert_int_eq(got->u.i, want.u.i);
	else
		ck_assert(got->u.buf.len == want.u.buf.len &&
				memcmp(got->u.buf.ptr, want.u.buf.ptr,
					want.u.buf.len) == 0);
}

static void
model_put(pk_sorted *s, int64_t k)
{
	char buf[200];
	pk_value key = pk_int(k), val;
	size_t r = model_rank(k);

	mver[k]++;
	val = value_of(k, mver[k], buf);
	PK_OK(pk_sorted_put(s, &key, &val));
	if (r < mn && model[r] == k)
		return;
	memmove(&model[r + 1], &model[r], (mn - r) * sizeof(model[0]));
	model[r] = k;
	mn++;
}

static void
model_remove(pk_sorted *s, int64_t k)
{
	pk_value key = pk_int(k);
	size_t r = model_rank(k);

	if (r < mn && model[r] == k) {
		PK_OK(pk_sorted_remove(s, &key));
		memmove(&model[r], &model[r + 1], (mn - r - 1) *
				sizeof(model[0]));
		mn--;
	} else {
		ck_assert_int_eq(pk_sorted_remove(s, &key), PK_NOTFOUND);
	}
}

/* a cursor over [lo, hi) by index gives the model's entries */
static void
check_cursor(pk_sorted *s, int64_t lo, int64_t hi, int lo_open, int hi_open,
		int reverse)
{
	pk_value l = pk_int(lo), h = pk_int(hi), k, v;
	pk_sorted_range r = PK_SORTED_RANGE_INIT;
	size_t from = model_rank(lo), end = model_rank(hi), i, n = 0;
	pk_cursor *c;
	int rc;

	if (lo_open && from < mn && model[from] == lo)
		from++;
	if (!hi_open && end < mn && model[end] == hi)
		end++;
	if (end < from)
		end = from;
	r.lo = &l;
	r.hi = &h;
	r.lo_open = lo_open;
	r.hi_open = hi_open;
	r.reverse = reverse;
	PK_OK(pk_sorted_range_cursor(&c, s, &r));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		i = reverse ? end - 1 - n : from + n;
		ck_assert_uint_lt(n, end - from);
		ck_assert_int_eq(k.type, PK_INT);
		ck_assert_int_eq(k.u.i, model[i]);
		assert_value(&v, model[i]);
		n++;
	}
	ck_assert_int_eq(rc, PK_ITEROVER);
	ck_assert_uint_eq(n, end - from);
	pk_cursor_free(c);
}

static void
check_model(pk_sorted *s, unsigned *seed)
{
	pk_value k, v;
	uint64_t r;

	ck_assert_uint_eq(length(s), mn);
	for (size_t i = 0; i < mn; i++) {
		PK_OK(pk_sorted_at(&k, &v, s, (int64_t)i));
		ck_assert_int_eq(k.u.i, model[i]);
		assert_value(&v, model[i]);
	}
	if (mn > 0) {
		PK_OK(pk_sorted_at(&k, NULL, s, -1));
		ck_assert_int_eq(k.u.i, model[mn - 1]);
	}
	ck_assert_int_eq(pk_sorted_at(&k, &v, s, (int64_t)mn), PK_ERANGE);
	ck_assert_int_eq(pk_sorted_at(&k, &v, s, -(int64_t)mn - 1), PK_ERANGE);
	for (int t = 0; t < 50; t++) {
		int64_t p = rand_r(seed) % (KEYSPACE + 2) - 1;
		pk_value pv = pk_int(p);
		size_t lo = model_rank(p);
		int in = lo < mn && model[lo] == p, got;

		PK_OK(pk_sorted_rank(&r, s, &pv, 0));
		ck_assert_uint_eq(r, lo);
		PK_OK(pk_sorted_rank(&r, s, &pv, 1));
		ck_assert_uint_eq(r, lo + (size_t)in);
		PK_OK(pk_sorted_contains(&got, s, &pv));
		ck_assert_int_eq(got, in);
		if (in) {
			PK_OK(pk_sorted_get(&v, s, &pv));
			assert_value(&v, p);
		} else {
			ck_assert_int_eq(pk_sorted_get(&v, s, &pv),
					PK_NOTFOUND);
		}
		/* the four seeks */
		size_t ge = lo, gt = lo + (size_t)in;
		int rc = pk_sorted_seek(&k, NULL, s, &pv, PK_SEEK_GE);
		if (ge < mn) {
			PK_OK(rc);
			ck_assert_int_eq(k.u.i, model[ge]);
		} else {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		}
		rc = pk_sorted_seek(&k, NULL, s, &pv, PK_SEEK_GT);
		if (gt < mn) {
			PK_OK(rc);
			ck_assert_int_eq(k.u.i, model[gt]);
		} else {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		}
		rc = pk_sorted_seek(&k, NULL, s, &pv, PK_SEEK_LE);
		if (gt > 0) {
			PK_OK(rc);
			ck_assert_int_eq(k.u.i, model[gt - 1]);
		} else {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		}
		rc = pk_sorted_seek(&k, NULL, s, &pv, PK_SEEK_LT);
		if (ge > 0) {
			PK_OK(rc);
			ck_assert_int_eq(k.u.i, model[ge - 1]);
		} else {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		}
	}
	for (int t = 0; t < 8; t++) {
		int64_t a = rand_r(seed) % KEYSPACE, b = rand_r(seed) % KEYSPACE;
		check_cursor(s, a < b ? a : b, a < b ? b : a, t & 1, t >> 1 & 1,
				t >> 2 & 1);
	}
	check_cursor(s, -1, KEYSPACE, 0, 0, 0);
	check_cursor(s, -1, KEYSPACE, 0, 0, 1);
}

START_TEST(test_sorted_model__random_puts_and_removes)
{
	pk_sorted *s = new_sorted("s");
	unsigned seed = 12345;
	long rounds = test_scale(40);

	mn = 0;
	memset(mver, 0, sizeof(mver));
	check_model(s, &seed);
	for (long round = 0; round < rounds; round++) {
		/* grow for the first half, shrink after: splits, then merges */
		int grow = round < rounds / 2;
		for (int i = 0; i < 300; i++) {
			int64_t k = rand_r(&seed) % KEYSPACE;
			if (rand_r(&seed) % 100 < (grow ? 75 : 25))
				model_put(s, k);
			else
				model_remove(s, k);
		}
		check_model(s, &seed);
		if (round % 10 == 9) {
			assert_healthy();
			pk_sorted_close(s);
			reopen();
			s = open_sorted("s");
			check_model(s, &seed);
		}
	}
	/* remove ranges until empty */
	while (mn > 0) {
		int64_t a = model[rand_r(&seed) % mn], b = a + rand_r(&seed) %
			400;
		pk_value l = pk_int(a), h = pk_int(b);
		pk_sorted_range r = PK_SORTED_RANGE_INIT;
		uint64_t removed;
		size_t from = model_rank(a), end = model_rank(b);
		r.lo = &l;
		r.hi = &h;
		r.hi_open = 1;
		PK_OK(pk_sorted_remove_range(&removed, s, &r));
		ck_assert_uint_eq(removed, end - from);
		memmove(&model[from], &model[end], (mn - end) *
				sizeof(model[0]));
		mn -= end - from;
		check_model(s, &seed);
	}
	assert_healthy();
	pk_sorted_close(s);
}
END_TEST

START_TEST(test_sorted_model__remove_at_and_clear)
{
	pk_sorted *s = new_sorted("s");
	pk_value k;
	unsigned seed = 99;

	mn = 0;
	memset(mver, 0, sizeof(mver));
	for (int64_t i = 0; i < 2000; i++)
		model_put(s, i);
	/* pop from both ends and the middle */
	while (mn > 0) {
		int64_t at = (int64_t)(rand_r(&seed) % 3 == 0 ? 0 :
				rand_r(&seed) % 3 == 1 ? mn - 1 : mn / 2);
		int64_t index = at == (int64_t)mn - 1 ? -1 : at;
		PK_OK(pk_sorted_at(&k, NULL, s, index));
		ck_assert_int_eq(k.u.i, model[at]);
		PK_OK(pk_sorted_remove_at(s, index));
		memmove(&model[at], &model[at + 1], (mn - (size_t)at - 1) *
				sizeof(model[0]));
		mn--;
		if (mn % 250 == 0)
			check_model(s, &seed);
	}
	ck_assert_int_eq(pk_sorted_remove_at(s, 0), PK_ERANGE);
	for (int64_t i = 0; i < 3000; i++)
		model_put(s, i % KEYSPACE);
	PK_OK(pk_sorted_clear(s));
	mn = 0;
	check_model(s, &seed);
	assert_healthy();
	model_put(s, 5);
	check_model(s, &seed);
	pk_sorted_close(s);
}
END_TEST

/* ---- the order of keys ---- */

START_TEST(test_sorted_order__every_type)
{
	pk_sorted *s = new_sorted("s");
	/* 2^64 as a big int: minimal two's complement, little-endian */
	static const uint8_t big64[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t negbig[] = { 0, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF };
	uint8_t t1[64], t2[64];
	pk_value items1[] = { pk_int(1), pk_string("a", 1) };
	pk_value items2[] = { pk_int(1), pk_string("b", 1) };
	size_t n1, n2;
	PK_OK(pk_tuple_pack(t1, sizeof(t1), &n1, items1, 2));
	PK_OK(pk_tuple_pack(t2, sizeof(t2), &n2, items2, 2));
	pk_value bn = { .type = PK_BIGINT }, nb = { .type = PK_BIGINT };
	pk_value tp1 = { .type = PK_TUPLE }, tp2 = { .type = PK_TUPLE };
	bn.u.buf.ptr = big64;
	bn.u.buf.len = sizeof(big64);
	nb.u.buf.ptr = negbig;
	nb.u.buf.len = sizeof(negbig);
	tp1.u.buf.ptr = t1;
	tp1.u.buf.len = n1;
	tp2.u.buf.ptr = t2;
	tp2.u.buf.len = n2;
	/* in the documented order (nb is -129 * 2^56) */
	const pk_value keys[] = {
		pk_nil(), pk_double(-INFINITY), pk_double(-1e300), nb,
		pk_int(INT64_MIN),
		pk_double(-2.5), pk_int(-2), pk_bool(0), pk_double(0.5),
		pk_int(1), pk_double(1.5), pk_int(INT64_MAX),
		pk_double(18446744073709551616.0), bn, pk_double(1e300),
		pk_double(INFINITY), pk_double(NAN),
		pk_bytes("", 0), pk_bytes("\x00", 1), pk_bytes("a", 1),
		pk_bytes("\xff", 1), pk_string("", 0), pk_string("A", 1),
		pk_string("a", 1), pk_string("ab", 2),
		pk_string("\xc3\xa9", 2), pk_string("\xf0\x9f\x98\x80", 4),
		tp1, tp2,
	};
	size_t n = sizeof(keys) / sizeof(keys[0]);
	pk_value k, v;
	pk_cursor *c;

	/* inserted in reverse, then in place */
	for (size_t i = n; i-- > 0;) {
		pk_value val = pk_int((int64_t)i);
		PK_OK(pk_sorted_put(s, &keys[i], &val));
	}
	ck_assert_uint_eq(length(s), n);
	PK_OK(pk_sorted_cursor(&c, s));
	for (size_t i = 0; i < n; i++) {
		PK_OK(pk_cursor_next(&k, &v, c));
		ck_assert_msg(v.u.i == (int64_t)i, "entry %zu holds key %lld "
				"(type %d)", i, (long long)v.u.i, (int)k.type);
	}
	ck_assert_int_eq(pk_cursor_next(&k, &v, c), PK_ITEROVER);
	pk_cursor_free(c);
	/* one key for equal numbers: true, 1 and 1.0 */
	pk_value t = pk_bool(1), one = pk_double(1.0), val = pk_int(-1);
	PK_OK(pk_sorted_put(s, &t, &val));
	ck_assert_uint_eq(length(s), n);
	PK_OK(pk_sorted_get(&v, s, &one));
	ck_assert_int_eq(v.u.i, -1);
	/* frozen sets have no order */
	uint8_t fs[16];
	size_t fn;
	pk_value fitems[] = { pk_int(1) };
	PK_OK(pk_frozenset_pack(fs, sizeof(fs), &fn, fitems, 1));
	pk_value f = { .type = PK_FROZENSET };
	f.u.buf.ptr = fs;
	f.u.buf.len = fn;
	ck_assert_int_eq(pk_sorted_put(s, &f, &val), PK_EKEYTYPE);
	ck_assert_int_eq(pk_sorted_get(&v, s, &f), PK_EKEYTYPE);
	/* a container is no key */
	pk_value self = pk_sorted_value(s);
	ck_assert_int_eq(pk_sorted_put(s, &self, &val), PK_EKEYTYPE);
	assert_healthy();
	pk_sorted_close(s);
}
END_TEST

START_TEST(test_sorted_prefix__bytes_and_strings)
{
	pk_sorted *s = new_sorted("s");
	const char *words[] = { "user", "user:", "user:1", "user:10",
		"user:2", "users", "usex", "u", "v", "" };
	pk_value val = pk_nil(), k;
	pk_sorted_range r = PK_SORTED_RANGE_INIT;
	pk_cursor *c;
	uint64_t removed;
	int n;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		pk_value ks = cstr(words[i]);
		pk_value kb = pk_bytes(words[i], strlen(words[i]));
		PK_OK(pk_sorted_put(s, &ks, &val));
		PK_OK(pk_sorted_put(s, &kb, &val));
	}
	pk_value b255 = pk_bytes("\xff\xff", 2), b2550 = pk_bytes("\xff\xff\x00",
			3), b254 = pk_bytes("\xfe", 1);
	PK_OK(pk_sorted_put(s, &b255, &val));
	PK_OK(pk_sorted_put(s, &b2550, &val));
	PK_OK(pk_sorted_put(s, &b254, &val));

	pk_value pre = cstr("user:");
	r.prefix = &pre;
	PK_OK(pk_sorted_range_cursor(&c, s, &r));
	const char *want[] = { "user:", "user:1", "user:10", "user:2" };
	for (n = 0; pk_cursor_next(&k, NULL, c) == 0; n++) {
		ck_assert_int_lt(n, 4);
		ck_assert_int_eq(k.type, PK_STRING);
		ck_assert(k.u.buf.len == strlen(want[n]) &&
				memcmp(k.u.buf.ptr, want[n], k.u.buf.len) == 0);
	}
	ck_assert_int_eq(n, 4);
	pk_cursor_free(c);
	/* bytes of all 0xFF: up to the first string */
	pk_value bpre = pk_bytes("\xff", 1);
	r.prefix = &bpre;
	r.reverse = 1;
	PK_OK(pk_sorted_range_cursor(&c, s, &r));
	for (n = 0; pk_cursor_next(&k, NULL, c) == 0; n++)
		ck_assert_int_eq(k.type, PK_BYTES);
	ck_assert_int_eq(n, 2);
	pk_cursor_free(c);
	/* an empty prefix: every string */
	pk_value empty = cstr("");
	r.prefix = &empty;
	r.reverse = 0;
	PK_OK(pk_sorted_remove_range(&removed, s, &r));
	ck_assert_uint_eq(removed, 10);
	ck_assert_uint_eq(length(s), 13);
	pk_value bad = pk_int(3);
	r.prefix = &bad;
	ck_assert_int_eq(pk_sorted_range_cursor(&c, s, &r), PK_EKEYTYPE);
	assert_healthy();
	pk_sorted_close(s);
}
END_TEST

START_TEST(test_sorted_tx__abort_undoes_splits)
{
	pk_sorted *s = new_sorted("s");
	unsigned seed = 7;

	mn = 0;
	memset(mver, 0, sizeof(mver));
	for (int64_t i = 0; i < 500; i += 2)
		model_put(s, i);
	PK_OK(pk_tx_begin(pool));
	for (int64_t i = 1; i < 1500; i += 2) {
		pk_value k = pk_int(i), v = pk_int(i);
		PK_OK(pk_sorted_put(s, &k, &v));
	}
	for (int64_t i = 0; i < 200; i += 2) {
		pk_value k = pk_int(i);
		PK_OK(pk_sorted_remove(s, &k));
	}
	PK_OK(pk_tx_abort(pool));
	check_model(s, &seed);
	assert_healthy();
	pk_sorted_close(s);
}
END_TEST

START_TEST(test_sorted_nest__containers_and_gc)
{
	pk_sorted *s = new_sorted("s");
	uint64_t freed;

	for (int64_t i = 0; i < 300; i++) {
		pk_list *l;
		pk_value k = pk_int(i), v, e = pk_int(i);
		PK_OK(pk_list_new(&l, pool));
		PK_OK(pk_list_append(l, &e));
		v = pk_list_value(l);
		PK_OK(pk_sorted_put(s, &k, &v));
		pk_list_close(l);
	}
	assert_healthy();
	/* replacing and removing drops the references */
	for (int64_t i = 0; i < 300; i += 3) {
		pk_value k = pk_int(i), v = pk_nil();
		PK_OK(pk_sorted_put(s, &k, &v));
		k = pk_int(i + 1);
		PK_OK(pk_sorted_remove(s, &k));
	}
	assert_healthy();
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_eq(freed, 0);
	/* the map itself, unreferenced, goes with its lists */
	pk_value name = cstr("s");
	PK_OK(pk_map_remove(root, &name));
	pk_sorted_close(s);
	assert_healthy();
	pk_pool_stats st = PK_POOL_STATS_INIT;
	PK_OK(pk_pool_stats_get(&st, pool));
	uint64_t count, bytes;
	PK_OK(pk_pool_kind_stats(&count, &bytes, pool, PK_SORTED));
	ck_assert_uint_eq(count, 0);
}
END_TEST

/* ---- kill ---- */

static void
kill_writer(void *arg)
{
	volatile uint64_t *done = arg;
	pk_sorted *s;

	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	pk_value name = cstr("s"), v;
	if (pk_map_get(&v, root, &name) == PK_NOTFOUND)
		s = new_sorted("s");
	else
		s = open_sorted("s");
	for (;;) {
		uint64_t i = *done;
		/* keys inserted in a scattered order; every third step
		 * removes the key two steps back */
		pk_value k = pk_int((int64_t)((i * 7919) % 100003));
		pk_value val = pk_int((int64_t)i);
		if (i % 3 == 2) {
			pk_value old = pk_int((int64_t)(((i - 2) * 7919) % 100003));
			PK_OK(pk_sorted_remove(s, &old));
		} else {
			PK_OK(pk_sorted_put(s, &k, &val));
		}
		*done = i + 1;
	}
}

/* entries after the first steps of kill_writer(): two puts of new keys
 * and one remove in every three steps */
static uint64_t
kill_count(uint64_t steps)
{
	return steps - 2 * (steps / 3);
}

static int
kill_check(uint64_t steps)
{
	pk_sorted *s;
	pk_value name = cstr("s"), v;
	uint64_t n;
	int next;

	if (pk_map_get(&v, root, &name) == PK_NOTFOUND) {
		ck_assert_uint_eq(steps, 0);
		return 0;
	}
	PK_OK(pk_sorted_open(&s, pool, &v));
	PK_OK(pk_sorted_length(&n, s));
	next = n != kill_count(steps) && n == kill_count(steps + 1);
	ck_assert_msg(n == kill_count(steps) || next,
			"%llu entries after %llu steps",
			(unsigned long long)n, (unsigned long long)steps);
	pk_sorted_close(s);
	return next;
}

START_TEST(test_sorted_kill__what_was_acknowledged)
{
	kill_rounds(kill_writer, kill_check);
}
END_TEST

START_TEST(test_sorted_misuse__arguments_and_keys)
{
	pk_sorted *s = new_sorted("s"), *x = (pk_sorted *)&x;
	pk_value k = pk_int(1), v = pk_int(2), out, fs;
	pk_value bad = pk_nil();
	pk_sorted_range rg = PK_SORTED_RANGE_INIT;
	pk_cursor *c = (pk_cursor *)&c;
	uint64_t n;
	uint8_t buf[32];
	size_t fl;
	int in;

	PK_RC(pk_sorted_new(NULL, pool), EINVAL);
	PK_RC(pk_sorted_new(&x, NULL), EINVAL);
	PK_RC(pk_sorted_open(&x, pool, NULL), EINVAL);
	PK_RC(pk_sorted_put(NULL, &k, &v), EINVAL);
	PK_RC(pk_sorted_put(s, NULL, &v), EINVAL);
	PK_RC(pk_sorted_put(s, &k, NULL), EINVAL);
	PK_RC(pk_sorted_get(NULL, s, &k), EINVAL);
	PK_RC(pk_sorted_get(&out, s, NULL), EINVAL);
	PK_RC(pk_sorted_contains(NULL, s, &k), EINVAL);
	PK_RC(pk_sorted_length(NULL, s), EINVAL);
	PK_RC(pk_sorted_rank(NULL, s, &k, 0), EINVAL);
	PK_RC(pk_sorted_range_cursor(NULL, s, &rg), EINVAL);
	PK_RC(pk_sorted_seek(&out, NULL, s, &k, (pk_seek)7), EINVAL);
	pk_sorted_close(NULL);
	/* keys with no order, and containers, change nothing */
	pk_value items[2] = { pk_int(1), pk_int(2) };
	PK_OK(pk_frozenset_pack(buf, sizeof(buf), &fl, items, 2));
	fs.type = PK_FROZENSET;
	fs.u.buf.ptr = buf;
	fs.u.buf.len = fl;
	PK_RC(pk_sorted_put(s, &fs, &v), PK_EKEYTYPE);
	PK_RC(pk_sorted_get(&out, s, &fs), PK_EKEYTYPE);
	PK_RC(pk_sorted_rank(&n, s, &fs, 0), PK_EKEYTYPE);
	bad = pk_map_value(root);
	PK_RC(pk_sorted_put(s, &bad, &v), PK_EKEYTYPE);
	/* a prefix that is neither bytes nor a string */
	rg.prefix = &k;
	PK_RC(pk_sorted_range_cursor(&c, s, &rg), PK_EKEYTYPE);
	PK_RC(pk_sorted_remove_range(&n, s, &rg), PK_EKEYTYPE);
	ck_assert_uint_eq(length(s), 0);
	/* indexes of an empty map, and past either end */
	PK_RC(pk_sorted_at(&out, NULL, s, 0), PK_ERANGE);
	PK_RC(pk_sorted_remove_at(s, -1), PK_ERANGE);
	PK_OK(pk_sorted_put(s, &k, &v));
	PK_RC(pk_sorted_at(&out, NULL, s, 1), PK_ERANGE);
	PK_RC(pk_sorted_at(&out, NULL, s, -2), PK_ERANGE);
	PK_RC(pk_sorted_at(&out, NULL, s, INT64_MIN), PK_ERANGE);
	PK_OK(pk_sorted_at(&out, NULL, s, -1));
	ck_assert_int_eq(out.u.i, 1);
	k = pk_int(5);
	PK_RC(pk_sorted_remove(s, &k), PK_NOTFOUND);
	PK_RC(pk_sorted_seek(&out, NULL, s, &k, PK_SEEK_GE), PK_NOTFOUND);
	PK_OK(pk_sorted_contains(&in, s, &k));
	ck_assert_int_eq(in, 0);
	/* a map is no sorted map, nor a sorted map a map */
	pk_map *m;
	v = pk_map_value(root);
	PK_RC(pk_sorted_open(&x, pool, &v), PK_EKIND);
	v = pk_sorted_value(s);
	PK_RC(pk_map_open(&m, pool, &v), PK_EKIND);
	pk_sorted_close(s);
	assert_healthy();
}
END_TEST

START_TEST(test_sorted_misuse__stale_closed_and_changed)
{
	pk_sorted *s = new_sorted("s"), *s2;
	pk_value k = pk_int(1), v = pk_int(2), key = cstr("s"), out;
	pk_cursor *c;
	uint64_t n;

	for (int i = 0; i < 100; i++) {
		k = pk_int(i);
		PK_OK(pk_sorted_put(s, &k, &v));
	}
	/* a cursor sees a change between its steps */
	PK_OK(pk_sorted_cursor(&c, s));
	PK_OK(pk_cursor_next(&k, &out, c));
	k = pk_int(1000);
	PK_OK(pk_sorted_put(s, &k, &v));
	PK_RC(pk_cursor_next(&k, &out, c), PK_ECHANGED);
	pk_cursor_free(c);
	/* replacing a value is no change of position */
	PK_OK(pk_sorted_cursor(&c, s));
	PK_OK(pk_cursor_next(&k, &out, c));
	k = pk_int(50);
	v = pk_int(7);
	PK_OK(pk_sorted_put(s, &k, &v));
	PK_OK(pk_cursor_next(&k, &out, c));
	ck_assert_int_eq(k.u.i, 1);
	pk_cursor_free(c);
	/* a freed map: every call through a handle to it is PK_ESTALE */
	v = pk_sorted_value(s);
	PK_OK(pk_sorted_open(&s2, pool, &v));
	PK_OK(pk_map_remove(root, &key));
	PK_RC(pk_sorted_length(&n, s2), PK_ESTALE);
	PK_RC(pk_sorted_put(s2, &k, &v), PK_ESTALE);
	PK_RC(pk_sorted_get(&out, s2, &k), PK_ESTALE);
	PK_RC(pk_sorted_cursor(&c, s2), PK_ESTALE);
	pk_sorted_close(s2);
	PK_RC(pk_sorted_open(&s2, pool, &v), PK_ESTALE);
	pk_sorted_close(s);
	/* a closed pool */
	s = new_sorted("t");
	pk_map_close(root);
	root = NULL;
	PK_OK(pk_pool_close(pool));
	PK_RC(pk_sorted_length(&n, s), PK_ECLOSED);
	PK_RC(pk_sorted_put(s, &k, &v), PK_ECLOSED);
	pk_sorted_close(s);
	pool = NULL;
}
END_TEST

START_TEST(test_sorted_misuse__read_only_pool)
{
	pk_sorted *s = new_sorted("s");
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	pk_sorted_range rg = PK_SORTED_RANGE_INIT;
	pk_value k = pk_int(1), v = pk_int(2), out;
	uint64_t n;

	PK_OK(pk_sorted_put(s, &k, &v));
	pk_sorted_close(s);
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	o.flags = PK_POOL_READONLY;
	PK_OK(pk_pool_open_opts(&pool, test_path, &o));
	PK_OK(pk_pool_root(&root, pool));
	s = open_sorted("s");
	PK_RC(pk_sorted_put(s, &k, &v), PK_EREADONLY);
	PK_RC(pk_sorted_remove(s, &k), PK_EREADONLY);
	PK_RC(pk_sorted_remove_at(s, 0), PK_EREADONLY);
	PK_RC(pk_sorted_remove_range(&n, s, &rg), PK_EREADONLY);
	PK_RC(pk_sorted_clear(s), PK_EREADONLY);
	PK_OK(pk_sorted_get(&out, s, &k));
	ck_assert_int_eq(out.u.i, 2);
	pk_sorted_close(s);
	PK_RC(pk_sorted_new(&s, pool), PK_EREADONLY);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sorted");
	TCase *tc;

	tc = tcase_create("model");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sorted_model__random_puts_and_removes);
	tcase_add_test(tc, test_sorted_model__remove_at_and_clear);
	suite_add_tcase(s, tc);

	tc = tcase_create("order");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sorted_order__every_type);
	tcase_add_test(tc, test_sorted_prefix__bytes_and_strings);
	tcase_add_test(tc, test_sorted_tx__abort_undoes_splits);
	tcase_add_test(tc, test_sorted_nest__containers_and_gc);
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sorted_misuse__arguments_and_keys);
	tcase_add_test(tc, test_sorted_misuse__stale_closed_and_changed);
	tcase_add_test(tc, test_sorted_misuse__read_only_pool);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_sorted_kill__what_was_acknowledged);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
