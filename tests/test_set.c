/*
 * test_set.c -- the persistent set
 *
 * core: add, contains, discard, length, iteration, clear, across reopens
 * and a split-heavy size; keys: the map's equality (1, 1.0 and true are
 * one element) and its refusals; tx: changes undone by an abort; nest:
 * references, gc, kinds, check; kill: a writer killed at random leaves
 * exactly the elements acknowledged, give or take the one under way.
 */
#include <stdint.h>

#include "common.h"
#include "fixture.h"

static pk_set *
new_set(const char *name)
{
	pk_set *s;
	pk_value k = cstr(name), v;

	PK_OK(pk_set_new(&s, pool));
	v = pk_set_value(s);
	PK_OK(pk_map_put(root, &k, &v));
	return s;
}

static pk_set *
open_set(const char *name)
{
	pk_set *s;
	pk_value k = cstr(name), v;

	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_set_open(&s, pool, &v));
	return s;
}

static int
has(pk_set *s, pk_value v)
{
	int in;

	PK_OK(pk_set_contains(&in, s, &v));
	return in;
}

static uint64_t
size(pk_set *s)
{
	uint64_t n;

	PK_OK(pk_set_length(&n, s));
	return n;
}

static void
add_int(pk_set *s, int64_t i)
{
	pk_value v = pk_int(i);

	PK_OK(pk_set_add(s, &v));
}

static void
check_healthy(void)
{
	pk_check_report rep = PK_CHECK_REPORT_INIT;

	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.objects, rep.reachable);
}

/* ----------------------------------------------------------------- core */

START_TEST(test_set_core__add_contains_discard)
{
	pk_set *s = new_set("s");
	const int64_t n = 5000;	/* many splits of the map underneath */
	pk_cursor *c;
	pk_value k, v;
	uint8_t *seen = calloc((size_t)n, 1);

	ck_assert_ptr_nonnull(seen);
	ck_assert_uint_eq(size(s), 0);
	for (int64_t i = 0; i < n; i++)
		add_int(s, i * 3);
	for (int64_t i = 0; i < n; i++)
		add_int(s, i * 3);	/* again: nothing changes */
	ck_assert_uint_eq(size(s), (uint64_t)n);
	ck_assert(has(s, pk_int(3 * 17)));
	ck_assert(!has(s, pk_int(3 * 17 + 1)));
	for (int64_t i = 0; i < n; i += 2) {
		pk_value e = pk_int(i * 3);
		PK_OK(pk_set_discard(s, &e));
	}
	pk_value gone = pk_int(0);
	PK_RC(pk_set_discard(s, &gone), PK_NOTFOUND);
	ck_assert_uint_eq(size(s), (uint64_t)n / 2);
	pk_set_close(s);
	reopen();
	s = open_set("s");
	ck_assert_uint_eq(size(s), (uint64_t)n / 2);
	PK_OK(pk_set_cursor(&c, s));
	uint64_t count = 0;
	int rc;
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		ck_assert_int_eq(k.type, PK_INT);
		ck_assert_int_eq(v.type, PK_NIL);
		ck_assert_int_eq(k.u.i % 6, 3);
		ck_assert(!seen[k.u.i / 3]);
		seen[k.u.i / 3] = 1;
		count++;
	}
	ck_assert_int_eq(rc, PK_ITEROVER);
	ck_assert_uint_eq(count, (uint64_t)n / 2);
	pk_cursor_free(c);
	check_healthy();
	PK_OK(pk_set_clear(s));
	ck_assert_uint_eq(size(s), 0);
	add_int(s, 7);
	ck_assert(has(s, pk_int(7)));
	check_healthy();
	pk_set_close(s);
	free(seen);
}
END_TEST

START_TEST(test_set_keys__map_equality)
{
	pk_set *s = new_set("s");
	pk_value one = pk_int(1), onef = pk_double(1.0), yes = pk_bool(1);
	pk_value str = cstr("1"), bytes = pk_bytes("1", 1), nil = pk_nil();
	uint8_t big[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };	/* 2^64 */
	pk_value bigv = { PK_BIGINT, { .buf = { big, 9 } } };

	PK_OK(pk_set_add(s, &one));
	PK_OK(pk_set_add(s, &onef));
	PK_OK(pk_set_add(s, &yes));
	ck_assert_uint_eq(size(s), 1);	/* one element, as in Python */
	PK_OK(pk_set_add(s, &str));
	PK_OK(pk_set_add(s, &bytes));	/* text and bytes differ */
	PK_OK(pk_set_add(s, &nil));
	PK_OK(pk_set_add(s, &bigv));
	ck_assert_uint_eq(size(s), 5);
	ck_assert(has(s, pk_double(1.0)) && has(s, cstr("1")));
	ck_assert(has(s, bigv) && has(s, pk_nil()));
	/* a container is no element */
	pk_value ref = pk_map_value(root);
	PK_RC(pk_set_add(s, &ref), PK_EKEYTYPE);
	ck_assert_uint_eq(size(s), 5);
	pk_set_close(s);
}
END_TEST

/* ------------------------------------------------------------------- tx */

START_TEST(test_set_tx__undone_by_abort)
{
	pk_set *s = new_set("s");

	for (int64_t i = 0; i < 10; i++)
		add_int(s, i);
	PK_OK(pk_tx_begin(pool));
	for (int64_t i = 10; i < 500; i++)
		add_int(s, i);
	pk_value e = pk_int(3);
	PK_OK(pk_set_discard(s, &e));
	PK_OK(pk_set_clear(s));
	add_int(s, -1);
	ck_assert_uint_eq(size(s), 1);
	PK_OK(pk_tx_abort(pool));
	ck_assert_uint_eq(size(s), 10);
	for (int64_t i = 0; i < 10; i++)
		ck_assert(has(s, pk_int(i)));
	ck_assert(!has(s, pk_int(-1)));
	check_healthy();
	pk_set_close(s);
}
END_TEST

/* -------------------------------------------------------------- nesting */

START_TEST(test_set_nest__references_and_kinds)
{
	pk_set *s = new_set("s"), *bad = (pk_set *)&bad;
	pk_value k = cstr("s"), v = pk_set_value(s), got, mv;
	uint64_t freed, n;
	pk_list *l;
	pk_map *m = (pk_map *)&m;

	add_int(s, 1);
	PK_OK(pk_list_new(&l, pool));
	PK_OK(pk_list_append(l, &v));
	pk_value lk = cstr("l"), lv = pk_list_value(l);
	PK_OK(pk_map_put(root, &lk, &lv));
	PK_OK(pk_list_get(&got, l, 0));
	ck_assert_int_eq(got.type, PK_SET);
	PK_OK(pk_map_remove(root, &k));
	ck_assert_uint_eq(size(s), 1);	/* the list holds it */
	PK_OK(pk_list_pop(l, 0));
	PK_RC(pk_set_length(&n, s), PK_ESTALE);
	pk_set_close(s);
	/* an unstored set is collected */
	PK_OK(pk_set_new(&s, pool));
	add_int(s, 5);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 3);	/* header, directory, segment */
	pk_set_close(s);
	/* a set is no map, and a map no set */
	s = new_set("s2");
	v = pk_set_value(s);
	PK_RC(pk_map_open(&m, pool, &v), PK_EKIND);
	ck_assert_ptr_null(m);
	mv = pk_map_value(root);
	PK_RC(pk_set_open(&bad, pool, &mv), PK_EKIND);
	ck_assert_ptr_null(bad);
	/* misuse */
	PK_RC(pk_set_new(NULL, pool), EINVAL);
	PK_RC(pk_set_add(NULL, &v), EINVAL);
	PK_RC(pk_set_length(NULL, s), EINVAL);
	pk_set_close(NULL);
	check_healthy();
	pk_set_close(s);
	pk_list_close(l);
}
END_TEST

/* ----------------------------------------------------------------- kill */

/* the writer: adds 0, 1, 2, ... and discards each 3rd one it added,
 * counting in *done the steps acknowledged */
static void
set_writer(void *arg)
{
	volatile uint64_t *done = arg;
	pk_pool *p;
	pk_map *r;
	pk_set *s;
	pk_value key = cstr("s"), v;

	if (pk_pool_open(&p, test_path) != 0 || pk_pool_root(&r, p) != 0 ||
	    pk_map_get(&v, r, &key) != 0 || pk_set_open(&s, p, &v) != 0)
		_exit(2);
	for (uint64_t i = *done; i < 2000000; i++) {
		pk_value e = pk_int((int64_t)(i / 2));
		int rc = i % 2 == 0 ? pk_set_add(s, &e) :
			(i / 2) % 3 == 0 ? pk_set_discard(s, &e) : 0;
		if (rc != 0 && rc != PK_NOTFOUND) {
			fprintf(stderr, "set: %s\n", pk_errormsg());
			_exit(3);
		}
		*done = i + 1;
	}
	pause();
}

/* whether element e is in after the first `steps` steps */
static int
expected_in(uint64_t e, uint64_t steps)
{
	if (2 * e >= steps)
		return 0;
	return e % 3 != 0 || 2 * e + 1 >= steps;
}

/* set_check -- every element as after the steps, or one more */
static int
set_check(uint64_t steps)
{
	pk_set *s = open_set("s");
	uint64_t want = 0, e;
	int later = 0;

	for (e = 0; 2 * e <= steps + 1; e++) {
		int in = has(s, pk_int((int64_t)e));
		int a = expected_in(e, steps);
		int b = expected_in(e, steps + 1);
		ck_assert_msg(in == a || in == b, "element %llu after %llu "
				"steps: %d", (unsigned long long)e,
				(unsigned long long)steps, in);
		later |= in != a;
		want += (uint64_t)in;
	}
	ck_assert_uint_eq(size(s), want);
	pk_set_close(s);
	return later;
}

START_TEST(test_set_kill__exactly_what_was_acknowledged)
{
	pk_set_close(new_set("s"));
	kill_rounds(set_writer, set_check);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("set");
	TCase *tc;

	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_set_core__add_contains_discard);
	tcase_add_test(tc, test_set_keys__map_equality);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_set_tx__undone_by_abort);
	tcase_add_test(tc, test_set_nest__references_and_kinds);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_set_kill__exactly_what_was_acknowledged);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
