/*
 * test_record.c -- the persistent record
 *
 * core: class name, attributes set, read, replaced, deleted, listed,
 * across a reopen; names: only text names, and the class name's limits;
 * tx: changes undone by an abort; nest: containers in attributes, records
 * in containers, references, gc, kinds, check; kill: a writer killed at
 * random leaves every attribute as acknowledged, give or take the write
 * under way.
 */
#include <stdint.h>

#include "common.h"
#include "fixture.h"

static pk_record *
new_record(const char *key, const char *cls)
{
	pk_record *r;
	pk_value k = cstr(key), v;

	PK_OK(pk_record_new(&r, pool, cls, strlen(cls)));
	v = pk_record_value(r);
	PK_OK(pk_map_put(root, &k, &v));
	return r;
}

static pk_record *
open_record(pk_pool *p, pk_map *m, const char *key)
{
	pk_record *r;
	pk_value k = cstr(key), v;

	PK_OK(pk_map_get(&v, m, &k));
	PK_OK(pk_record_open(&r, p, &v));
	return r;
}

static void
set_int(pk_record *r, const char *name, int64_t i)
{
	pk_value n = cstr(name), v = pk_int(i);

	PK_OK(pk_record_put(r, &n, &v));
}

static int64_t
get_int(pk_record *r, const char *name)
{
	pk_value n = cstr(name), v;

	PK_OK(pk_record_get(&v, r, &n));
	ck_assert_int_eq(v.type, PK_INT);
	return v.u.i;
}

static uint64_t
nattr(pk_record *r)
{
	uint64_t n;

	PK_OK(pk_record_length(&n, r));
	return n;
}

/* ----------------------------------------------------------------- core */

START_TEST(test_record_core__attributes)
{
	pk_record *r = new_record("p", "app.models.Point");
	pk_value cls, n = cstr("x"), v, k;
	pk_cursor *c;
	int in, seen = 0, rc;

	PK_OK(pk_record_class(&cls, r));
	ck_assert_int_eq(cls.type, PK_STRING);
	ck_assert_uint_eq(cls.u.buf.len, 16);
	ck_assert_mem_eq(cls.u.buf.ptr, "app.models.Point", 16);
	ck_assert_uint_eq(nattr(r), 0);
	PK_RC(pk_record_get(&v, r, &n), PK_NOTFOUND);
	set_int(r, "x", 1);
	set_int(r, "y", 2);
	set_int(r, "x", 10);	/* replaced */
	ck_assert_uint_eq(nattr(r), 2);
	PK_OK(pk_record_contains(&in, r, &n));
	ck_assert(in);
	pk_record_close(r);
	reopen();
	r = open_record(pool, root, "p");
	ck_assert_int_eq(get_int(r, "x"), 10);
	ck_assert_int_eq(get_int(r, "y"), 2);
	PK_OK(pk_record_cursor(&c, r));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		ck_assert_int_eq(k.type, PK_STRING);
		ck_assert_uint_eq(k.u.buf.len, 1);
		seen |= ((const char *)k.u.buf.ptr)[0] == 'x' ? 1 : 2;
	}
	ck_assert_int_eq(rc, PK_ITEROVER);
	ck_assert_int_eq(seen, 3);
	pk_cursor_free(c);
	PK_OK(pk_record_remove(r, &n));
	PK_RC(pk_record_remove(r, &n), PK_NOTFOUND);
	PK_OK(pk_record_contains(&in, r, &n));
	ck_assert(!in);
	ck_assert_uint_eq(nattr(r), 1);
	/* the class name did not move */
	PK_OK(pk_record_class(&cls, r));
	ck_assert_mem_eq(cls.u.buf.ptr, "app.models.Point", 16);
	assert_healthy();
	pk_record_close(r);
}
END_TEST

START_TEST(test_record_core__names)
{
	pk_record *r = new_record("p", "P"), *none = (pk_record *)&none;
	pk_value i = pk_int(1), b = pk_bytes("x", 1), v = pk_nil(), got;
	char longname[PK_RECORD_CLASS_MAX + 1];
	int in;

	/* attribute names are text only */
	PK_RC(pk_record_put(r, &i, &v), PK_EKEYTYPE);
	PK_RC(pk_record_put(r, &b, &v), PK_EKEYTYPE);
	PK_RC(pk_record_get(&got, r, &b), PK_EKEYTYPE);
	PK_RC(pk_record_contains(&in, r, &i), PK_EKEYTYPE);
	PK_RC(pk_record_remove(r, &i), PK_EKEYTYPE);
	ck_assert_uint_eq(nattr(r), 0);
	/* class names: 1 to PK_RECORD_CLASS_MAX bytes of UTF-8 */
	memset(longname, 'a', sizeof(longname));
	PK_RC(pk_record_new(&none, pool, "", 0), PK_EVALUE);
	ck_assert_ptr_null(none);
	PK_RC(pk_record_new(&none, pool, longname, sizeof(longname)),
			PK_EVALUE);
	PK_RC(pk_record_new(&none, pool, "\xff", 1), PK_EVALUE);
	PK_RC(pk_record_new(&none, pool, NULL, 3), EINVAL);
	PK_OK(pk_record_new(&none, pool, longname, PK_RECORD_CLASS_MAX));
	pk_record_close(none);
	/* an empty name is an attribute like any other */
	pk_value empty = cstr("");
	PK_OK(pk_record_put(r, &empty, &i));
	ck_assert_uint_eq(nattr(r), 1);
	pk_record_close(r);
	uint64_t freed;
	PK_OK(pk_pool_gc(&freed, pool));
	assert_healthy();
}
END_TEST

/* ------------------------------------------------------------------- tx */

START_TEST(test_record_tx__undone_by_abort)
{
	pk_record *r = new_record("p", "Point");
	pk_value x = cstr("x");

	set_int(r, "x", 1);
	PK_OK(pk_tx_begin(pool));
	set_int(r, "x", 2);
	set_int(r, "y", 3);
	PK_OK(pk_record_remove(r, &x));
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(get_int(r, "x"), 1);
	ck_assert_uint_eq(nattr(r), 1);
	/* and a record created in an aborted transaction is gone */
	pk_record *gone;
	pk_value k = cstr("q"), v, got;
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_record_new(&gone, pool, "Q", 1));
	v = pk_record_value(gone);
	PK_OK(pk_map_put(root, &k, &v));
	PK_OK(pk_tx_abort(pool));
	PK_RC(pk_map_get(&got, root, &k), PK_NOTFOUND);
	pk_value cls;
	PK_RC(pk_record_class(&cls, gone), PK_ESTALE);
	pk_record_close(gone);
	assert_healthy();
	pk_record_close(r);
}
END_TEST

/* -------------------------------------------------------------- nesting */

START_TEST(test_record_nest__references_and_kinds)
{
	pk_record *r = new_record("p", "Node"), *bad = (pk_record *)&bad;
	pk_record *child;
	pk_map *m = (pk_map *)&m;
	pk_list *tags;
	pk_value k = cstr("p"), v, got, name;
	uint64_t freed, n;

	/* a list in an attribute, a record in an attribute */
	PK_OK(pk_list_new(&tags, pool));
	v = pk_list_value(tags);
	name = cstr("tags");
	PK_OK(pk_record_put(r, &name, &v));
	PK_OK(pk_list_append(tags, &k));
	PK_OK(pk_record_new(&child, pool, "Node", 4));
	v = pk_record_value(child);
	name = cstr("next");
	PK_OK(pk_record_put(r, &name, &v));
	set_int(child, "depth", 1);
	reopen();
	pk_record_close(r);
	r = open_record(pool, root, "p");
	PK_OK(pk_record_get(&got, r, &name));
	ck_assert_int_eq(got.type, PK_RECORD);
	pk_record_close(child);
	PK_OK(pk_record_open(&child, pool, &got));
	ck_assert_int_eq(get_int(child, "depth"), 1);
	assert_healthy();
	/* dropping the record drops what only it held */
	PK_OK(pk_map_remove(root, &k));
	PK_RC(pk_record_length(&n, child), PK_ESTALE);
	PK_RC(pk_record_length(&n, r), PK_ESTALE);
	pk_list_close(tags);
	pk_record_close(child);
	pk_record_close(r);
	/* an unstored record is collected with its class name */
	PK_OK(pk_record_new(&r, pool, "Lost", 4));
	set_int(r, "x", 1);
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 4);	/* header, name, directory, segment */
	pk_record_close(r);
	assert_healthy();
	/* a record is no map, set or list, and a map no record */
	r = new_record("r", "R");
	v = pk_record_value(r);
	PK_RC(pk_map_open(&m, pool, &v), PK_EKIND);
	ck_assert_ptr_null(m);
	pk_value mv = pk_map_value(root);
	PK_RC(pk_record_open(&bad, pool, &mv), PK_EKIND);
	ck_assert_ptr_null(bad);
	/* misuse */
	PK_RC(pk_record_new(NULL, pool, "R", 1), EINVAL);
	PK_RC(pk_record_put(NULL, &k, &v), EINVAL);
	PK_RC(pk_record_class(NULL, r), EINVAL);
	PK_RC(pk_record_length(NULL, r), EINVAL);
	pk_record_close(NULL);
	assert_healthy();
	pk_record_close(r);
}
END_TEST

/* ----------------------------------------------------------------- kill */

/* the writer: sets attribute "a<i % 16>" to i, deleting "a<i % 16>"
 * instead when i % 5 == 4, counting in *done the steps acknowledged */
static void
record_writer(void *arg)
{
	volatile uint64_t *done = arg;
	pk_pool *p;
	pk_map *m;
	pk_record *r;

	if (pk_pool_open(&p, test_path) != 0 || pk_pool_root(&m, p) != 0)
		_exit(2);
	r = open_record(p, m, "r");
	for (uint64_t i = *done; i < 5000000; i++) {
		char nm[8];
		snprintf(nm, sizeof(nm), "a%u", (unsigned)(i % 16));
		pk_value n = cstr(nm), v = pk_int((int64_t)i);
		int rc = i % 5 == 4 ? pk_record_remove(r, &n) :
			pk_record_put(r, &n, &v);
		if (rc != 0 && rc != PK_NOTFOUND) {
			fprintf(stderr, "record: %s\n", pk_errormsg());
			_exit(3);
		}
		*done = i + 1;
	}
	pause();
}

/* what attribute j holds after the first `steps` steps: -1 for none */
static int64_t
expected_attr(unsigned j, uint64_t steps)
{
	/* the last step that touched j */
	if (steps <= j)
		return -1;
	uint64_t last = steps - 1 - ((steps - 1 - j) % 16);
	return last % 5 == 4 ? -1 : (int64_t)last;
}

/* record_check -- every attribute as after the steps, or one more */
static int
record_check(uint64_t steps)
{
	pk_record *r = open_record(pool, root, "r");
	uint64_t want = 0;
	int later = 0;

	for (unsigned j = 0; j < 16; j++) {
		char nm[8];
		snprintf(nm, sizeof(nm), "a%u", j);
		pk_value n = cstr(nm), v;
		int rc = pk_record_get(&v, r, &n);
		int64_t got = rc == PK_NOTFOUND ? -1 : v.u.i;
		int64_t a = expected_attr(j, steps);
		int64_t b = expected_attr(j, steps + 1);
		ck_assert_msg(rc == 0 || rc == PK_NOTFOUND, "get: %d", rc);
		ck_assert_msg(got == a || got == b, "a%u after %llu steps: "
				"%lld", j, (unsigned long long)steps,
				(long long)got);
		later |= got != a;
		want += got >= 0;
	}
	ck_assert_uint_eq(nattr(r), want);
	pk_record_close(r);
	return later;
}

START_TEST(test_record_kill__exactly_what_was_acknowledged)
{
	pk_record_close(new_record("r", "Counter"));
	kill_rounds(record_writer, record_check);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("record");
	TCase *tc;

	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_record_core__attributes);
	tcase_add_test(tc, test_record_core__names);
	tcase_add_test(tc, test_record_tx__undone_by_abort);
	tcase_add_test(tc, test_record_nest__references_and_kinds);
	suite_add_tcase(s, tc);

	tc = tcase_create("kill");
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_record_kill__exactly_what_was_acknowledged);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
