/*
 * test_misuse.c -- every public function misused from C gets a defined error
 *
 * NULL handles and out-parameters, handles of a closed pool, references
 * and handles from another pool (also one with the same history), the
 * wrong container kind, stale references, iteration while mutating,
 * transaction misuse, invalid values and out-of-range or overflowing
 * indexes and sizes. After each misuse the pool must be as it was and
 * pass pk_pool_check().
 */
#include <stdint.h>
#include <libpmemobj.h>

#include "common.h"
#include "fixture.h"

static char cbuf[64];	/* pk_map_get_copy()'s buffer */

/* a map, a list and an array stored in the root under "m", "l", "a" */
static pk_map *mh;
static pk_list *lh;
static pk_array *ah;

static void
setup_kinds(void)
{
	pk_value k, v;
	int64_t init[4] = { 1, 2, 3, 4 };

	setup();
	PK_OK(pk_map_new(&mh, pool));
	PK_OK(pk_list_new(&lh, pool));
	PK_OK(pk_array_new(&ah, pool, PK_ELEM_I64, 0, 4, init));
	k = cstr("m"); v = pk_map_value(mh); PK_OK(pk_map_put(root, &k, &v));
	k = cstr("l"); v = pk_list_value(lh); PK_OK(pk_map_put(root, &k, &v));
	k = cstr("a"); v = pk_array_value(ah); PK_OK(pk_map_put(root, &k, &v));
	k = pk_int(1); v = cstr("one"); PK_OK(pk_map_put(mh, &k, &v));
	PK_OK(pk_list_append(lh, &v));
	v = pk_int(2);
	PK_OK(pk_list_append(lh, &v));
}

static void
teardown_kinds(void)
{
	pk_map_close(mh);
	pk_list_close(lh);
	pk_array_close(ah);
	mh = NULL;
	lh = NULL;
	ah = NULL;
	teardown();
}

static uint64_t
map_len(pk_map *m)
{
	uint64_t n = UINT64_MAX;
	PK_OK(pk_map_length(&n, m));
	return n;
}

static uint64_t
list_len(pk_list *l)
{
	uint64_t n = UINT64_MAX;
	PK_OK(pk_list_length(&n, l));
	return n;
}

static uint64_t
array_len(pk_array *a)
{
	uint64_t n = UINT64_MAX;
	PK_OK(pk_array_length(&n, a));
	return n;
}

/* the pool holds exactly what setup_kinds stored */
static void
assert_unchanged(void)
{
	pk_value k = pk_int(1), v;
	int64_t got[4];

	assert_healthy();
	ck_assert_uint_eq(map_len(root), 3);
	ck_assert_uint_eq(map_len(mh), 1);
	PK_OK(pk_map_get(&v, mh, &k));
	ck_assert(v.type == PK_STRING && v.u.buf.len == 3 &&
			memcmp(v.u.buf.ptr, "one", 3) == 0);
	ck_assert_uint_eq(list_len(lh), 2);
	ck_assert_uint_eq(array_len(ah), 4);
	PK_OK(pk_array_read(got, ah, 0, 4));
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(got[i], i + 1);
}

/* ------------------------------------------------- versions and tables */

/* a versioned struct of an unknown version is refused, the struct
 * untouched; one of this header's version is filled */
START_TEST(test_misuse_version__structs)
{
	pk_pool_stats st;
	pk_check_report rep;

	memset(&st, 0xA5, sizeof(st));
	st.version = 0;
	PK_RC(pk_pool_stats_get(&st, pool), EINVAL);
	ck_assert_uint_eq(st.size, 0xA5A5A5A5A5A5A5A5ull);
	st.version = PK_POOL_STATS_VERSION + 1;
	PK_RC(pk_pool_stats_get(&st, pool), EINVAL);
	st.version = PK_POOL_STATS_VERSION;
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_uint_eq(st.version, PK_POOL_STATS_VERSION);
	ck_assert_uint_gt(st.size, 0);
	ck_assert_uint_eq(st.reserved_, 0);

	memset(&rep, 0xA5, sizeof(rep));
	rep.version = 0;
	PK_RC(pk_pool_check(&rep, pool), EINVAL);
	ck_assert_uint_eq(rep.objects, 0xA5A5A5A5A5A5A5A5ull);
	rep.version = PK_CHECK_REPORT_VERSION;
	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.version, PK_CHECK_REPORT_VERSION);
	ck_assert_uint_gt(rep.objects, 0);
	ck_assert_uint_eq(rep.leaked + rep.dangling + rep.damaged, 0);
}
END_TEST

/* the tables' rows as data agree with the enums and pk_strerror() */
START_TEST(test_misuse_version__tables)
{
	int64_t i;
	const pk_error_row *e;
	const pk_elem_row *r;
	const pk_flag_row *f;
	const pk_pool_flag_row *pf;

	ck_assert_ptr_null(pk_error_table(-1));
	for (i = 0; (e = pk_error_table(i)) != NULL; i++) {
		const char *s = pk_strerror((int)e->code);
		ck_assert_int_eq(strncmp(s, e->name, strlen(e->name)), 0);
		ck_assert_str_eq(s + strlen(e->name) + 2, e->message);
		ck_assert_str_eq(pk_error_class((int)e->code), e->cls);
	}
	ck_assert_int_eq(i, 17);
	ck_assert_int_eq(pk_error_table(0)->code, PK_NOTFOUND);

	for (i = 0; (r = pk_elem_table(i)) != NULL; i++) {
		pk_array *a;
		pk_elem elem;
		size_t width;
		ck_assert_int_eq(r->code, i + 1);
		PK_OK(pk_array_new(&a, pool, (pk_elem)r->code,
				r->size == 0 ? 3 : 0, 1, NULL));
		PK_OK(pk_array_type(&elem, &width, a));
		ck_assert_int_eq(elem, r->code);
		ck_assert_uint_eq(width, r->size == 0 ? 3 : (size_t)r->size);
		ck_assert_int_eq(strlen(r->typecode), r->size != 0);
		pk_array_close(a);
	}
	ck_assert_int_eq(i, PK_ELEM_END_ - 1);
	ck_assert_str_eq(pk_elem_table(PK_ELEM_U64 - 1)->sname, "u64");
	ck_assert_ptr_null(pk_elem_table(i));

	/* the flags are the table's rows, bit after bit */
	int nflags = 0;
#define COUNT_(name, value, doc) nflags++;
	PK_FLAG_TABLE(COUNT_)
#undef COUNT_
	for (i = 0; (f = pk_flag_table(i)) != NULL; i++)
		ck_assert_int_eq(f->value, 1 << i);
	ck_assert_int_eq(i, nflags);
	ck_assert_int_eq(pk_flag_table(1)->value, PK_FLAG_TYPECODE);
	ck_assert_int_eq(pk_flag_table(2)->value, PK_FLAG_FROZEN);

	/* the pool options are the table's rows, field by field */
	int npool = 0;
#define COUNT_(name, value, option, meaning) npool++;
	PK_POOL_FLAG_TABLE(COUNT_)
#undef COUNT_
	ck_assert_ptr_null(pk_pool_flag_table(-1));
	i = 0;
#define CHECK_(name_, value_, option_, meaning_) \
	pf = pk_pool_flag_table(i++); \
	ck_assert_ptr_nonnull(pf); \
	ck_assert_str_eq(pf->name, #name_); \
	ck_assert_int_eq(pf->value, name_); \
	ck_assert_int_eq(pf->value, value_); \
	ck_assert_str_eq(pf->option, option_); \
	ck_assert_str_eq(pf->meaning, meaning_);
	PK_POOL_FLAG_TABLE(CHECK_)
#undef CHECK_
	ck_assert_int_eq(i, npool);
	ck_assert_ptr_null(pk_pool_flag_table(i));
	ck_assert_int_eq(npool, 2);
	ck_assert_str_eq(pk_pool_flag_table(0)->option, "readonly");
	ck_assert_int_eq(pk_pool_flag_table(1)->value, PK_POOL_PROCESS_DURABLE);
}
END_TEST

/* ---------------------------------------------------------------- NULL */

START_TEST(test_misuse_null__pool_functions)
{
	pk_pool *p = (pk_pool *)&p; /* must be reset to NULL */
	pk_map *m = (pk_map *)&m;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	pk_check_report rep = PK_CHECK_REPORT_INIT;

	PK_RC(pk_pool_create(NULL, test_file("x"), POOL_SIZE, 0), EINVAL);
	PK_RC(pk_pool_create(&p, NULL, POOL_SIZE, 0), EINVAL);
	ck_assert_ptr_null(p);
	p = (pk_pool *)&p;
	PK_RC(pk_pool_create(&p, test_file("x"), 0, 0), EINVAL);
	ck_assert_ptr_null(p);
	PK_RC(pk_pool_create(&p, test_file("x"), SIZE_MAX, 0), EFBIG);
	ck_assert_ptr_null(p);
	ck_assert_int_ne(access(test_file("x"), F_OK), 0);
	PK_RC(pk_pool_open(NULL, test_path), EINVAL);
	p = (pk_pool *)&p;
	PK_RC(pk_pool_open(&p, NULL), EINVAL);
	ck_assert_ptr_null(p);
	PK_OK(pk_pool_close(NULL));
	PK_RC(pk_pool_root(NULL, pool), EINVAL);
	PK_RC(pk_pool_root(&m, NULL), EINVAL);
	PK_RC(pk_pool_stats_get(NULL, pool), EINVAL);
	PK_RC(pk_pool_stats_get(&st, NULL), EINVAL);
	PK_RC(pk_pool_gc(NULL, NULL), EINVAL);
	PK_OK(pk_pool_gc(NULL, pool)); /* freed may be NULL */
	PK_RC(pk_pool_check(NULL, pool), EINVAL);
	PK_RC(pk_pool_check(&rep, NULL), EINVAL);
	PK_RC(pk_pool_defrag(NULL, NULL), EINVAL);
	PK_OK(pk_pool_defrag(NULL, pool)); /* the report may be NULL */
	PK_RC(pk_tx_begin(NULL), EINVAL);
	PK_RC(pk_tx_commit(NULL), EINVAL);
	PK_RC(pk_tx_abort(NULL), EINVAL);
	ck_assert_int_eq(pk_tx_depth(NULL), 0);
	ck_assert_ptr_nonnull(pk_strerror(0));
	ck_assert_ptr_nonnull(pk_errormsg());
	ck_assert_ptr_nonnull(pk_error_class(INT32_MIN));
	ck_assert_ptr_nonnull(pk_strerror(INT32_MIN));
	ck_assert_ptr_nonnull(pk_strerror(INT32_MAX));
	assert_healthy();
}
END_TEST

START_TEST(test_misuse_null__map_functions)
{
	pk_map *m = (pk_map *)&m;
	pk_cursor *c = (pk_cursor *)&c;
	pk_value k = pk_int(1), v = pk_int(2), out, mv = pk_map_value(mh);
	uint64_t n;
	int has;

	PK_RC(pk_map_new(NULL, pool), EINVAL);
	PK_RC(pk_map_new(&m, NULL), EINVAL);
	ck_assert_ptr_null(m);
	PK_RC(pk_map_open(NULL, pool, &mv), EINVAL);
	m = (pk_map *)&m;
	PK_RC(pk_map_open(&m, NULL, &mv), EINVAL);
	ck_assert_ptr_null(m);
	m = (pk_map *)&m;
	PK_RC(pk_map_open(&m, pool, NULL), EINVAL);
	ck_assert_ptr_null(m);
	pk_map_close(NULL);
	/* the value of no map refers to nothing */
	out = pk_map_value(NULL);
	ck_assert_int_eq(out.type, PK_MAP);
	PK_RC(pk_map_open(&m, pool, &out), PK_ESTALE);
	PK_RC(pk_map_put(root, &k, &out), PK_ESTALE);
	PK_RC(pk_map_put(NULL, &k, &v), EINVAL);
	PK_RC(pk_map_put(mh, NULL, &v), EINVAL);
	PK_RC(pk_map_put(mh, &k, NULL), EINVAL);
	PK_RC(pk_map_get(NULL, mh, &k), EINVAL);
	PK_RC(pk_map_get(&out, NULL, &k), EINVAL);
	PK_RC(pk_map_get(&out, mh, NULL), EINVAL);
	PK_RC(pk_map_get_copy(NULL, cbuf, sizeof(cbuf), mh, &k), EINVAL);
	PK_RC(pk_map_get_copy(&out, cbuf, sizeof(cbuf), NULL, &k), EINVAL);
	PK_RC(pk_map_get_copy(&out, cbuf, sizeof(cbuf), mh, NULL), EINVAL);
	PK_RC(pk_map_get_copy(&out, NULL, 1, mh, &k), EINVAL);
	PK_RC(pk_map_contains(NULL, mh, &k), EINVAL);
	PK_RC(pk_map_contains(&has, NULL, &k), EINVAL);
	PK_RC(pk_map_contains(&has, mh, NULL), EINVAL);
	PK_RC(pk_map_remove(NULL, &k), EINVAL);
	PK_RC(pk_map_remove(mh, NULL), EINVAL);
	PK_RC(pk_map_length(NULL, mh), EINVAL);
	PK_RC(pk_map_length(&n, NULL), EINVAL);
	PK_RC(pk_map_clear(NULL), EINVAL);
	PK_RC(pk_map_cursor(NULL, mh), EINVAL);
	PK_RC(pk_map_cursor(&c, NULL), EINVAL);
	ck_assert_ptr_null(c);
	PK_RC(pk_cursor_next(&k, &v, NULL), EINVAL);
	pk_cursor_free(NULL);
	/* key and value out-parameters of a cursor may be NULL */
	PK_OK(pk_map_cursor(&c, mh));
	PK_OK(pk_cursor_next(NULL, NULL, c));
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ITEROVER);
	pk_cursor_free(c);
	assert_unchanged();
}
END_TEST

START_TEST(test_misuse_null__list_functions)
{
	pk_list *l = (pk_list *)&l;
	pk_cursor *c = (pk_cursor *)&c;
	pk_value v = pk_int(2), out, lv = pk_list_value(lh);
	uint64_t n;

	PK_RC(pk_list_new(NULL, pool), EINVAL);
	PK_RC(pk_list_new(&l, NULL), EINVAL);
	ck_assert_ptr_null(l);
	PK_RC(pk_list_open(NULL, pool, &lv), EINVAL);
	l = (pk_list *)&l;
	PK_RC(pk_list_open(&l, NULL, &lv), EINVAL);
	ck_assert_ptr_null(l);
	PK_RC(pk_list_open(&l, pool, NULL), EINVAL);
	pk_list_close(NULL);
	out = pk_list_value(NULL);
	ck_assert_int_eq(out.type, PK_LIST);
	PK_RC(pk_list_open(&l, pool, &out), PK_ESTALE);
	PK_RC(pk_list_length(NULL, lh), EINVAL);
	PK_RC(pk_list_length(&n, NULL), EINVAL);
	PK_RC(pk_list_get(NULL, lh, 0), EINVAL);
	PK_RC(pk_list_get(&out, NULL, 0), EINVAL);
	PK_RC(pk_list_set(NULL, 0, &v), EINVAL);
	PK_RC(pk_list_set(lh, 0, NULL), EINVAL);
	PK_RC(pk_list_append(NULL, &v), EINVAL);
	PK_RC(pk_list_append(lh, NULL), EINVAL);
	PK_RC(pk_list_extend(NULL, &v, 1), EINVAL);
	PK_RC(pk_list_extend(lh, NULL, 1), EINVAL);
	PK_RC(pk_list_extend(lh, NULL, 0), EINVAL);
	PK_OK(pk_list_extend(lh, &v, 0));
	PK_RC(pk_list_insert(NULL, 0, &v), EINVAL);
	PK_RC(pk_list_insert(lh, 0, NULL), EINVAL);
	PK_RC(pk_list_pop(NULL, 0), EINVAL);
	PK_RC(pk_list_remove_range(NULL, 0, 1), EINVAL);
	PK_RC(pk_list_clear(NULL), EINVAL);
	PK_RC(pk_list_cursor(NULL, lh), EINVAL);
	PK_RC(pk_list_cursor(&c, NULL), EINVAL);
	ck_assert_ptr_null(c);
	assert_unchanged();
}
END_TEST

START_TEST(test_misuse_null__array_functions)
{
	pk_array *a = (pk_array *)&a;
	pk_cursor *c = (pk_cursor *)&c;
	pk_value v = pk_int(2), out, av = pk_array_value(ah);
	uint64_t n;
	int64_t buf[4] = { 0 };
	const void *p;
	void *w;
	size_t len;
	pk_elem el;

	PK_RC(pk_array_new(NULL, pool, PK_ELEM_U8, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_new(&a, NULL, PK_ELEM_U8, 0, 1, NULL), EINVAL);
	ck_assert_ptr_null(a);
	PK_RC(pk_array_open(NULL, pool, &av), EINVAL);
	a = (pk_array *)&a;
	PK_RC(pk_array_open(&a, NULL, &av), EINVAL);
	ck_assert_ptr_null(a);
	PK_RC(pk_array_open(&a, pool, NULL), EINVAL);
	pk_array_close(NULL);
	out = pk_array_value(NULL);
	ck_assert_int_eq(out.type, PK_ARRAY);
	PK_RC(pk_array_open(&a, pool, &out), PK_ESTALE);
	PK_RC(pk_array_length(NULL, ah), EINVAL);
	PK_RC(pk_array_length(&n, NULL), EINVAL);
	PK_RC(pk_array_type(&el, &len, NULL), EINVAL);
	PK_OK(pk_array_type(NULL, NULL, ah)); /* both may be NULL */
	PK_RC(pk_array_read(NULL, ah, 0, 1), EINVAL);
	PK_RC(pk_array_read(buf, NULL, 0, 1), EINVAL);
	PK_RC(pk_array_write(NULL, 0, 1, buf), EINVAL);
	PK_RC(pk_array_write(ah, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_write(ah, 0, 0, NULL), EINVAL);
	PK_RC(pk_array_get(NULL, ah, 0), EINVAL);
	PK_RC(pk_array_get(&out, NULL, 0), EINVAL);
	PK_RC(pk_array_set(NULL, 0, &v), EINVAL);
	PK_RC(pk_array_set(ah, 0, NULL), EINVAL);
	PK_RC(pk_array_resize(NULL, 1), EINVAL);
	PK_RC(pk_array_data(NULL, &len, ah), EINVAL);
	PK_RC(pk_array_data(&p, NULL, ah), EINVAL);
	PK_RC(pk_array_data(&p, &len, NULL), EINVAL);
	PK_RC(pk_array_window(NULL, ah, 0, 1), EINVAL);
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_array_window(&w, NULL, 0, 1), EINVAL);
	PK_OK(pk_tx_commit(pool));
	PK_RC(pk_array_cursor(NULL, ah), EINVAL);
	PK_RC(pk_array_cursor(&c, NULL), EINVAL);
	ck_assert_ptr_null(c);
	assert_unchanged();
}
END_TEST

START_TEST(test_misuse_null__flags)
{
	pk_value mv = pk_map_value(mh);
	uint16_t f;

	PK_RC(pk_container_flags(NULL, pool, &mv), EINVAL);
	PK_RC(pk_container_flags(&f, NULL, &mv), EINVAL);
	PK_RC(pk_container_flags(&f, pool, NULL), EINVAL);
	PK_RC(pk_container_set_flags(NULL, &mv, 1), EINVAL);
	PK_RC(pk_container_set_flags(pool, NULL, 1), EINVAL);
	PK_OK(pk_container_flags(&f, pool, &mv));
	ck_assert_uint_eq(f, 0);
	assert_unchanged();
}
END_TEST

/* ---------------------------------------------------------- closed pool */

/*
 * Handles and cursors keep the pool's memory alive after pk_pool_close():
 * every use of them and of the pool pointer must say PK_ECLOSED.
 */
START_TEST(test_misuse_closed__every_function)
{
	pk_cursor *mc, *lc, *ac, *c = (pk_cursor *)&c;
	pk_map *m = (pk_map *)&m;
	pk_list *l = (pk_list *)&l;
	pk_array *a = (pk_array *)&a;
	pk_value k = pk_int(1), v = pk_int(2), out, mv = pk_map_value(mh),
		 lv = pk_list_value(lh), av = pk_array_value(ah);
	pk_pool_stats st = PK_POOL_STATS_INIT;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	uint64_t n, freed;
	int64_t buf[4];
	const void *p;
	void *w;
	size_t len;
	int has;
	uint16_t f;

	PK_OK(pk_map_cursor(&mc, mh));
	PK_OK(pk_list_cursor(&lc, lh));
	PK_OK(pk_array_cursor(&ac, ah));
	PK_OK(pk_pool_close(pool));
	PK_OK(pk_pool_close(pool)); /* a closed pool closes as a no-op */

	PK_RC(pk_pool_root(&m, pool), PK_ECLOSED);
	ck_assert_ptr_null(m);
	PK_RC(pk_pool_stats_get(&st, pool), PK_ECLOSED);
	PK_RC(pk_pool_gc(&freed, pool), PK_ECLOSED);
	PK_RC(pk_pool_check(&rep, pool), PK_ECLOSED);
	PK_RC(pk_pool_defrag(NULL, pool), PK_ECLOSED);
	PK_RC(pk_tx_begin(pool), PK_ECLOSED);
	PK_RC(pk_tx_commit(pool), PK_ETXN);
	PK_RC(pk_tx_abort(pool), PK_ETXN);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_RC(pk_container_flags(&f, pool, &mv), PK_ECLOSED);
	PK_RC(pk_container_set_flags(pool, &mv, 1), PK_ECLOSED);

	m = (pk_map *)&m;
	PK_RC(pk_map_new(&m, pool), PK_ECLOSED);
	ck_assert_ptr_null(m);
	PK_RC(pk_map_open(&m, pool, &mv), PK_ECLOSED);
	PK_RC(pk_map_put(mh, &k, &v), PK_ECLOSED);
	PK_RC(pk_map_put(root, &k, &mv), PK_ECLOSED);
	PK_RC(pk_map_get(&out, mh, &k), PK_ECLOSED);
	PK_RC(pk_map_get_copy(&out, cbuf, sizeof(cbuf), mh, &k), PK_ECLOSED);
	PK_RC(pk_map_contains(&has, mh, &k), PK_ECLOSED);
	PK_RC(pk_map_remove(mh, &k), PK_ECLOSED);
	PK_RC(pk_map_length(&n, mh), PK_ECLOSED);
	PK_RC(pk_map_clear(mh), PK_ECLOSED);
	PK_RC(pk_map_cursor(&c, mh), PK_ECLOSED);
	ck_assert_ptr_null(c);
	PK_RC(pk_cursor_next(&k, &v, mc), PK_ECLOSED);
	ck_assert_int_eq(pk_map_value(mh).type, PK_MAP);

	PK_RC(pk_list_new(&l, pool), PK_ECLOSED);
	ck_assert_ptr_null(l);
	PK_RC(pk_list_open(&l, pool, &lv), PK_ECLOSED);
	PK_RC(pk_list_length(&n, lh), PK_ECLOSED);
	PK_RC(pk_list_get(&out, lh, 0), PK_ECLOSED);
	PK_RC(pk_list_set(lh, 0, &v), PK_ECLOSED);
	PK_RC(pk_list_append(lh, &v), PK_ECLOSED);
	PK_RC(pk_list_extend(lh, &v, 1), PK_ECLOSED);
	PK_RC(pk_list_insert(lh, 0, &v), PK_ECLOSED);
	PK_RC(pk_list_pop(lh, 0), PK_ECLOSED);
	PK_RC(pk_list_remove_range(lh, 0, 1), PK_ECLOSED);
	PK_RC(pk_list_clear(lh), PK_ECLOSED);
	PK_RC(pk_list_cursor(&c, lh), PK_ECLOSED);
	PK_RC(pk_cursor_next(&k, &v, lc), PK_ECLOSED);

	PK_RC(pk_array_new(&a, pool, PK_ELEM_U8, 0, 1, NULL), PK_ECLOSED);
	ck_assert_ptr_null(a);
	PK_RC(pk_array_open(&a, pool, &av), PK_ECLOSED);
	PK_RC(pk_array_length(&n, ah), PK_ECLOSED);
	PK_RC(pk_array_type(NULL, NULL, ah), PK_ECLOSED);
	PK_RC(pk_array_read(buf, ah, 0, 1), PK_ECLOSED);
	PK_RC(pk_array_write(ah, 0, 1, buf), PK_ECLOSED);
	PK_RC(pk_array_get(&out, ah, 0), PK_ECLOSED);
	PK_RC(pk_array_set(ah, 0, &v), PK_ECLOSED);
	PK_RC(pk_array_resize(ah, 8), PK_ECLOSED);
	PK_RC(pk_array_data(&p, &len, ah), PK_ECLOSED);
	PK_RC(pk_array_window(&w, ah, 0, 1), PK_ECLOSED);
	PK_RC(pk_array_cursor(&c, ah), PK_ECLOSED);
	PK_RC(pk_cursor_next(&k, &v, ac), PK_ECLOSED);

	pk_cursor_free(mc);
	pk_cursor_free(lc);
	pk_cursor_free(ac);
	/* the last handle released frees the pool's memory */
	pk_map_close(root);
	pk_map_close(mh);
	pk_list_close(lh);
	pk_array_close(ah);
	root = NULL;
	mh = NULL;
	lh = NULL;
	ah = NULL;
	pool = NULL;

	/* nothing reached the file */
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_map_open(&mh, pool, &mv));
	PK_OK(pk_list_open(&lh, pool, &lv));
	PK_OK(pk_array_open(&ah, pool, &av));
	assert_unchanged();
}
END_TEST

/* ------------------------------------------------------- another pool */

/* twin -- build in p the same history as setup_kinds */
static void
twin(pk_pool *p, pk_map **r, pk_map **m, pk_list **l, pk_array **a)
{
	pk_value k, v;
	int64_t init[4] = { 1, 2, 3, 4 };

	PK_OK(pk_pool_root(r, p));
	PK_OK(pk_map_new(m, p));
	PK_OK(pk_list_new(l, p));
	PK_OK(pk_array_new(a, p, PK_ELEM_I64, 0, 4, init));
	k = cstr("m"); v = pk_map_value(*m); PK_OK(pk_map_put(*r, &k, &v));
	k = cstr("l"); v = pk_list_value(*l); PK_OK(pk_map_put(*r, &k, &v));
	k = cstr("a"); v = pk_array_value(*a); PK_OK(pk_map_put(*r, &k, &v));
	k = pk_int(1); v = cstr("one"); PK_OK(pk_map_put(*m, &k, &v));
	PK_OK(pk_list_append(*l, &v));
	v = pk_int(2);
	PK_OK(pk_list_append(*l, &v));
}

/*
 * A reference from pool A used with pool B of the same history: same
 * offsets, so only the generation tells them apart. Every use must report
 * PK_ESTALE and change nothing in either pool.
 */
START_TEST(test_misuse_foreign__same_history_refs)
{
	pk_pool *pb;
	pk_map *rb, *mb, *m = NULL;
	pk_list *lb, *l = NULL;
	pk_array *ab, *a = NULL;
	pk_value refs[4], k = cstr("x"), out;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	uint16_t f;
	uint64_t n;

	PK_OK(pk_pool_create(&pb, test_file("twin"), POOL_SIZE, 0));
	twin(pb, &rb, &mb, &lb, &ab);
	refs[0] = pk_map_value(mh);
	refs[1] = pk_list_value(lh);
	refs[2] = pk_array_value(ah);
	refs[3] = pk_map_value(root);
	/* the point of the test: the same offsets in both pools */
	ck_assert_uint_eq(refs[0].u.ref.off, pk_map_value(mb).u.ref.off);
	ck_assert_uint_eq(refs[1].u.ref.off, pk_list_value(lb).u.ref.off);
	ck_assert_uint_eq(refs[2].u.ref.off, pk_array_value(ab).u.ref.off);
	ck_assert_uint_eq(refs[3].u.ref.off, pk_map_value(rb).u.ref.off);
	for (int i = 0; i < 4; i++) {
		/* generations start at random, far from 0 and from overflow */
		ck_assert_uint_ge(refs[i].u.ref.gen, (uint64_t)1 << 40);
		ck_assert_uint_lt(refs[i].u.ref.gen, (uint64_t)1 << 63);
	}
	ck_assert_uint_ne(refs[0].u.ref.gen, pk_map_value(mb).u.ref.gen);

	PK_RC(pk_map_open(&m, pb, &refs[0]), PK_ESTALE);
	ck_assert_ptr_null(m);
	PK_RC(pk_map_open(&m, pb, &refs[3]), PK_ESTALE);
	PK_RC(pk_list_open(&l, pb, &refs[1]), PK_ESTALE);
	ck_assert_ptr_null(l);
	PK_RC(pk_array_open(&a, pb, &refs[2]), PK_ESTALE);
	ck_assert_ptr_null(a);
	for (int i = 0; i < 4; i++) {
		PK_RC(pk_map_put(rb, &k, &refs[i]), PK_ESTALE);
		PK_RC(pk_map_put(mb, &k, &refs[i]), PK_ESTALE);
		PK_RC(pk_list_append(lb, &refs[i]), PK_ESTALE);
		PK_RC(pk_list_set(lb, 0, &refs[i]), PK_ESTALE);
		PK_RC(pk_list_insert(lb, 0, &refs[i]), PK_ESTALE);
		pk_value two[2] = { pk_int(7), refs[i] };
		PK_RC(pk_list_extend(lb, two, 2), PK_ESTALE);
		PK_RC(pk_container_flags(&f, pb, &refs[i]), PK_ESTALE);
		PK_RC(pk_container_set_flags(pb, &refs[i], 3), PK_ESTALE);
		/* and inside a transaction, which stays usable */
		PK_OK(pk_tx_begin(pb));
		PK_RC(pk_map_put(rb, &k, &refs[i]), PK_ESTALE);
		PK_RC(pk_list_append(lb, &refs[i]), PK_ESTALE);
		PK_OK(pk_tx_commit(pb));
	}
	/* pool B is as its history left it */
	PK_OK(pk_pool_check(&rep, pb));
	ck_assert_uint_eq(rep.objects, rep.reachable);
	PK_OK(pk_map_length(&n, rb));
	ck_assert_uint_eq(n, 3);
	PK_OK(pk_list_length(&n, lb));
	ck_assert_uint_eq(n, 2);
	PK_RC(pk_map_get(&out, rb, &k), PK_NOTFOUND);
	PK_OK(pk_container_flags(&f, pb, &(pk_value){ .type = PK_MAP,
			.u.ref = pk_map_value(mb).u.ref }));
	ck_assert_uint_eq(f, 0);
	/* B's own references are refused by A the same way */
	refs[0] = pk_map_value(mb);
	PK_RC(pk_map_open(&m, pool, &refs[0]), PK_ESTALE);
	PK_RC(pk_map_put(root, &k, &refs[0]), PK_ESTALE);
	/* and survive a reopen of B: the generation limit is persisted */
	pk_map_close(rb);
	pk_map_close(mb);
	pk_list_close(lb);
	pk_array_close(ab);
	PK_OK(pk_pool_close(pb));
	PK_OK(pk_pool_open(&pb, test_file("twin")));
	PK_RC(pk_map_open(&m, pb, &refs[0]), 0);
	pk_map_close(m);
	refs[0] = pk_map_value(mh);
	PK_RC(pk_map_open(&m, pb, &refs[0]), PK_ESTALE);
	PK_OK(pk_pool_close(pb));
	assert_unchanged();
}
END_TEST

/* handles of pool B used while pool A has the thread's transaction */
START_TEST(test_misuse_foreign__handles_across_transactions)
{
	pk_pool *pb;
	pk_map *rb, *mb;
	pk_list *lb;
	pk_array *ab;
	pk_value k = cstr("x"), v = pk_int(1), bv;
	void *w;

	PK_OK(pk_pool_create(&pb, test_file("other"), POOL_SIZE, 0));
	twin(pb, &rb, &mb, &lb, &ab);
	bv = pk_list_value(lb);
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_map_put(mb, &k, &v), PK_ETXN);
	PK_RC(pk_list_append(lb, &v), PK_ETXN);
	PK_RC(pk_array_set(ab, 0, &v), PK_ETXN);
	PK_RC(pk_array_window(&w, ab, 0, 1), PK_ETXN);
	PK_RC(pk_container_set_flags(pb, &bv, 1), PK_ETXN);
	/* a value of B stored in A */
	PK_RC(pk_map_put(mh, &k, &bv), PK_ESTALE);
	PK_RC(pk_list_append(lh, &bv), PK_ESTALE);
	/* reads need no transaction and work */
	PK_OK(pk_map_get(&v, mb, &(pk_value){ .type = PK_INT, .u.i = 1 }));
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	ck_assert_int_eq(pk_tx_depth(pb), 0);
	PK_OK(pk_tx_commit(pool));
	pk_map_close(rb);
	pk_map_close(mb);
	pk_list_close(lb);
	pk_array_close(ab);
	PK_OK(pk_pool_close(pb));
	assert_unchanged();
}
END_TEST

/* ------------------------------------------------------- wrong kind */

START_TEST(test_misuse_kind__open_as_another_kind)
{
	pk_map *m = NULL;
	pk_list *l = NULL;
	pk_array *a = NULL;
	pk_value mv = pk_map_value(mh), lv = pk_list_value(lh),
		 av = pk_array_value(ah), forged, scalars[4] = { pk_int(1),
			 pk_nil(), cstr("m"), pk_double(1) };

	PK_RC(pk_list_open(&l, pool, &mv), PK_EKIND);
	PK_RC(pk_array_open(&a, pool, &mv), PK_EKIND);
	PK_RC(pk_map_open(&m, pool, &lv), PK_EKIND);
	PK_RC(pk_array_open(&a, pool, &lv), PK_EKIND);
	PK_RC(pk_map_open(&m, pool, &av), PK_EKIND);
	PK_RC(pk_list_open(&l, pool, &av), PK_EKIND);
	for (int i = 0; i < 4; i++) {
		PK_RC(pk_map_open(&m, pool, &scalars[i]), PK_EKIND);
		PK_RC(pk_list_open(&l, pool, &scalars[i]), PK_EKIND);
		PK_RC(pk_array_open(&a, pool, &scalars[i]), PK_EKIND);
	}
	ck_assert(m == NULL && l == NULL && a == NULL);

	/* a value tagged PK_MAP whose reference is a live list */
	forged = lv;
	forged.type = PK_MAP;
	PK_RC(pk_map_open(&m, pool, &forged), PK_EKIND);
	ck_assert_ptr_null(m);
	/* storing it would make the pool lie about the list: refused */
	PK_RC(pk_map_put(root, &(pk_value){ .type = PK_INT, .u.i = 9 },
			&forged), PK_ESTALE);
	PK_RC(pk_list_append(lh, &forged), PK_ESTALE);
	PK_RC(pk_container_flags(&(uint16_t){ 0 }, pool, &forged),
			PK_ESTALE);
	forged = av;
	forged.type = PK_LIST;
	PK_RC(pk_list_open(&l, pool, &forged), PK_EKIND);
	PK_RC(pk_list_set(lh, 0, &forged), PK_ESTALE);
	forged = mv;
	forged.type = PK_ARRAY;
	PK_RC(pk_array_open(&a, pool, &forged), PK_EKIND);
	PK_RC(pk_map_put(mh, &(pk_value){ .type = PK_INT, .u.i = 9 },
			&forged), PK_ESTALE);
	/* flags of a non-container value */
	PK_RC(pk_container_flags(&(uint16_t){ 0 }, pool, &scalars[0]),
			PK_EVALUE);
	PK_RC(pk_container_set_flags(pool, &scalars[2], 1), PK_EVALUE);
	assert_unchanged();
}
END_TEST

/* references that lead nowhere: every offset, generation and kind */
START_TEST(test_misuse_kind__forged_offsets)
{
	static const uint64_t offs[] = { 0, 1, 4095, 4096, 4097, 8192,
		POOL_SIZE - 8, POOL_SIZE, POOL_SIZE + 4096, UINT64_MAX - 7,
		UINT64_MAX };
	pk_type types[3] = { PK_MAP, PK_LIST, PK_ARRAY };
	pk_value v, k = pk_int(5);
	pk_map *m = NULL;
	pk_list *l = NULL;
	pk_array *a = NULL;
	uint16_t f;

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]) + 3; i++) {
		for (int t = 0; t < 3; t++) {
			v.type = types[t];
			/* the last three: real offsets, wrong generations */
			if (i < sizeof(offs) / sizeof(offs[0])) {
				v.u.ref.off = offs[i];
				v.u.ref.gen = 1;
			} else {
				pk_value r = i % 3 == 0 ? pk_map_value(mh) :
					i % 3 == 1 ? pk_list_value(lh) :
					pk_array_value(ah);
				v.u.ref.off = r.u.ref.off;
				v.u.ref.gen = r.u.ref.gen + 1;
			}
			int rc = t == 0 ? pk_map_open(&m, pool, &v) :
				t == 1 ? pk_list_open(&l, pool, &v) :
				pk_array_open(&a, pool, &v);
			/* another kind at a real offset is PK_EKIND only
			 * when the generation matches */
			ck_assert_msg(rc == PK_ESTALE, "off %llu type %d: %s",
					(unsigned long long)v.u.ref.off,
					v.type, pk_strerror(rc));
			PK_RC(pk_map_put(root, &k, &v), PK_ESTALE);
			PK_RC(pk_list_append(lh, &v), PK_ESTALE);
			PK_RC(pk_container_flags(&f, pool, &v), PK_ESTALE);
			PK_RC(pk_container_set_flags(pool, &v, 1), PK_ESTALE);
		}
	}
	ck_assert(m == NULL && l == NULL && a == NULL);
	assert_unchanged();
}
END_TEST

/* ---------------------------------------------------------- stale */

/* every function on handles, cursors and values of a freed container */
START_TEST(test_misuse_stale__freed_containers)
{
	pk_cursor *mc, *lc, *ac, *c;
	pk_value k = pk_int(1), v = pk_int(2), out, mv = pk_map_value(mh),
		 lv = pk_list_value(lh), av = pk_array_value(ah);
	pk_map *m = NULL;
	pk_list *l = NULL;
	pk_array *a = NULL;
	uint64_t n;
	int64_t buf[4];
	const void *p;
	void *w;
	size_t len;
	int has;
	uint16_t f;

	PK_OK(pk_map_cursor(&mc, mh));
	PK_OK(pk_list_cursor(&lc, lh));
	PK_OK(pk_array_cursor(&ac, ah));
	/* removing them from the root frees all three */
	PK_OK(pk_map_clear(root));
	assert_healthy();

	PK_RC(pk_map_open(&m, pool, &mv), PK_ESTALE);
	PK_RC(pk_list_open(&l, pool, &lv), PK_ESTALE);
	PK_RC(pk_array_open(&a, pool, &av), PK_ESTALE);
	ck_assert(m == NULL && l == NULL && a == NULL);
	PK_RC(pk_map_put(root, &k, &mv), PK_ESTALE);
	PK_RC(pk_map_put(root, &k, &lv), PK_ESTALE);
	PK_RC(pk_map_put(root, &k, &av), PK_ESTALE);
	PK_RC(pk_container_flags(&f, pool, &mv), PK_ESTALE);
	PK_RC(pk_container_set_flags(pool, &lv, 1), PK_ESTALE);

	PK_RC(pk_map_put(mh, &k, &v), PK_ESTALE);
	PK_RC(pk_map_get(&out, mh, &k), PK_ESTALE);
	PK_RC(pk_map_get_copy(&out, cbuf, sizeof(cbuf), mh, &k), PK_ESTALE);
	PK_RC(pk_map_contains(&has, mh, &k), PK_ESTALE);
	PK_RC(pk_map_remove(mh, &k), PK_ESTALE);
	PK_RC(pk_map_length(&n, mh), PK_ESTALE);
	PK_RC(pk_map_clear(mh), PK_ESTALE);
	PK_RC(pk_map_cursor(&c, mh), PK_ESTALE);
	PK_RC(pk_cursor_next(&k, &v, mc), PK_ESTALE);

	PK_RC(pk_list_length(&n, lh), PK_ESTALE);
	PK_RC(pk_list_get(&out, lh, 0), PK_ESTALE);
	PK_RC(pk_list_set(lh, 0, &v), PK_ESTALE);
	PK_RC(pk_list_append(lh, &v), PK_ESTALE);
	PK_RC(pk_list_extend(lh, &v, 1), PK_ESTALE);
	PK_RC(pk_list_insert(lh, 0, &v), PK_ESTALE);
	PK_RC(pk_list_pop(lh, 0), PK_ESTALE);
	PK_RC(pk_list_remove_range(lh, 0, 1), PK_ESTALE);
	PK_RC(pk_list_clear(lh), PK_ESTALE);
	PK_RC(pk_list_cursor(&c, lh), PK_ESTALE);
	PK_RC(pk_cursor_next(&k, &v, lc), PK_ESTALE);

	PK_RC(pk_array_length(&n, ah), PK_ESTALE);
	PK_RC(pk_array_type(NULL, NULL, ah), PK_ESTALE);
	PK_RC(pk_array_read(buf, ah, 0, 1), PK_ESTALE);
	PK_RC(pk_array_write(ah, 0, 1, buf), PK_ESTALE);
	PK_RC(pk_array_get(&out, ah, 0), PK_ESTALE);
	PK_RC(pk_array_set(ah, 0, &v), PK_ESTALE);
	PK_RC(pk_array_resize(ah, 8), PK_ESTALE);
	PK_RC(pk_array_data(&p, &len, ah), PK_ESTALE);
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_array_window(&w, ah, 0, 1), PK_ESTALE);
	/* stale handles failed before writing: the transaction is usable */
	PK_RC(pk_map_put(mh, &k, &v), PK_ESTALE);
	PK_OK(pk_map_put(root, &k, &v));
	PK_OK(pk_tx_commit(pool));
	PK_RC(pk_array_cursor(&c, ah), PK_ESTALE);
	PK_RC(pk_cursor_next(&k, &v, ac), PK_ESTALE);

	pk_cursor_free(mc);
	pk_cursor_free(lc);
	pk_cursor_free(ac);
	ck_assert_uint_eq(map_len(root), 1);
	assert_healthy();
}
END_TEST

/*
 * The memory of a freed container reused by a new container of the same
 * kind: the old reference reports PK_ESTALE, the new one works.
 */
START_TEST(test_misuse_stale__memory_reused)
{
	pk_value mv = pk_map_value(mh), lv = pk_list_value(lh),
		 av = pk_array_value(ah), k;
	pk_map *m[16] = { NULL }, *o = NULL;
	pk_list *l[16] = { NULL }, *lo = NULL;
	pk_array *a[16] = { NULL }, *ao = NULL;
	int hm = -1, hl = -1, ha = -1;
	uint64_t n;

	k = cstr("m"); PK_OK(pk_map_remove(root, &k));
	k = cstr("l"); PK_OK(pk_map_remove(root, &k));
	k = cstr("a"); PK_OK(pk_map_remove(root, &k));
	/* a new session allocates from the space freed in the last one */
	reopen();
	for (int i = 0; i < 16; i++) {
		PK_OK(pk_map_new(&m[i], pool));
		PK_OK(pk_list_new(&l[i], pool));
		PK_OK(pk_array_new(&a[i], pool, PK_ELEM_I64, 0, 4, NULL));
		if (pk_map_value(m[i]).u.ref.off == mv.u.ref.off)
			hm = i;
		if (pk_list_value(l[i]).u.ref.off == lv.u.ref.off)
			hl = i;
		if (pk_array_value(a[i]).u.ref.off == av.u.ref.off)
			ha = i;
	}
	ck_assert_msg(hm >= 0 && hl >= 0 && ha >= 0, "freed headers were not "
			"reused: %d %d %d", hm, hl, ha);
	PK_RC(pk_map_open(&o, pool, &mv), PK_ESTALE);
	PK_RC(pk_list_open(&lo, pool, &lv), PK_ESTALE);
	PK_RC(pk_array_open(&ao, pool, &av), PK_ESTALE);
	/* handles of the last session only say PK_ECLOSED */
	PK_RC(pk_map_length(&n, mh), PK_ECLOSED);
	k = pk_int(1);
	PK_RC(pk_map_put(root, &k, &mv), PK_ESTALE);
	PK_RC(pk_list_append(l[hl], &lv), PK_ESTALE);
	PK_RC(pk_map_put(m[hm], &k, &av), PK_ESTALE);
	/* the old ones tagged as another kind are still just stale */
	mv.type = PK_LIST;
	PK_RC(pk_list_open(&lo, pool, &mv), PK_ESTALE);
	PK_OK(pk_map_put(m[hm], &k, &k));
	PK_OK(pk_map_length(&n, m[hm]));
	ck_assert_uint_eq(n, 1);
	for (int i = 0; i < 16; i++) {
		pk_map_close(m[i]);
		pk_list_close(l[i]);
		pk_array_close(a[i]);
	}
	PK_OK(pk_pool_gc(NULL, pool));
	assert_healthy();
}
END_TEST

/* containers freed by gc and by an aborted transaction */
START_TEST(test_misuse_stale__gc_and_abort)
{
	pk_map *m, *m2, *o = NULL;
	pk_list *l;
	pk_value v, k = pk_int(1);
	uint64_t freed, n;

	PK_OK(pk_map_new(&m, pool));
	PK_OK(pk_list_new(&l, pool));
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 2);
	PK_RC(pk_map_length(&n, m), PK_ESTALE);
	PK_RC(pk_list_length(&n, l), PK_ESTALE);
	v = pk_map_value(m);
	PK_RC(pk_map_open(&o, pool, &v), PK_ESTALE);
	PK_RC(pk_map_put(root, &k, &v), PK_ESTALE);
	pk_map_close(m);
	pk_list_close(l);

	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_new(&m2, pool));
	v = pk_map_value(m2);
	PK_OK(pk_map_put(root, &k, &v));
	PK_OK(pk_tx_abort(pool));
	PK_RC(pk_map_length(&n, m2), PK_ESTALE);
	PK_RC(pk_map_open(&o, pool, &v), PK_ESTALE);
	PK_RC(pk_map_put(root, &k, &v), PK_ESTALE);
	pk_map_close(m2);
	assert_unchanged();
}
END_TEST

/* ------------------------------------------------ iterating, mutating */

static int
step(pk_cursor *c)
{
	pk_value k, v;
	return pk_cursor_next(&k, &v, c);
}

START_TEST(test_misuse_iter__map_changes)
{
	pk_cursor *c;
	pk_value k, v = pk_int(0);

	for (int i = 2; i < 20; i++) {
		k = pk_int(i);
		PK_OK(pk_map_put(mh, &k, &v));
	}
	/* replacing values does not disturb a cursor */
	PK_OK(pk_map_cursor(&c, mh));
	PK_OK(step(c));
	k = pk_int(5);
	v = cstr("a long value that needs a blob of its own, over 56 bytes!");
	PK_OK(pk_map_put(mh, &k, &v));
	PK_OK(step(c));
	/* inserting does, for good */
	k = pk_int(100);
	PK_OK(pk_map_put(mh, &k, &v));
	PK_RC(step(c), PK_ECHANGED);
	PK_RC(step(c), PK_ECHANGED);
	pk_cursor_free(c);
	/* removing does, and removing an absent key does not */
	PK_OK(pk_map_cursor(&c, mh));
	PK_OK(step(c));
	k = pk_int(1000);
	PK_RC(pk_map_remove(mh, &k), PK_NOTFOUND);
	PK_OK(step(c));
	k = pk_int(100);
	PK_OK(pk_map_remove(mh, &k));
	PK_RC(step(c), PK_ECHANGED);
	pk_cursor_free(c);
	/* an insert that was aborted changed nothing */
	PK_OK(pk_map_cursor(&c, mh));
	PK_OK(step(c));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_put(mh, &k, &v));
	PK_OK(pk_tx_abort(pool));
	PK_OK(step(c));
	/* clearing does */
	PK_OK(pk_map_clear(mh));
	PK_RC(step(c), PK_ECHANGED);
	pk_cursor_free(c);
	/* an empty map iterates to PK_ITEROVER at once, and stays there */
	PK_OK(pk_map_cursor(&c, mh));
	PK_RC(step(c), PK_ITEROVER);
	PK_RC(step(c), PK_ITEROVER);
	pk_cursor_free(c);
	assert_healthy();
}
END_TEST

START_TEST(test_misuse_iter__list_and_array_changes)
{
	pk_cursor *c;
	pk_value v = pk_int(3);
	int64_t x = 9;

	/* setting elements does not disturb a list cursor */
	PK_OK(pk_list_cursor(&c, lh));
	PK_OK(step(c));
	PK_OK(pk_list_set(lh, 1, &v));
	PK_OK(step(c));
	PK_RC(step(c), PK_ITEROVER);
	/* an append seen after the end still counts */
	PK_OK(pk_list_append(lh, &v));
	PK_RC(step(c), PK_ECHANGED);
	pk_cursor_free(c);
	/* every length change does */
	for (int op = 0; op < 5; op++) {
		PK_OK(pk_list_cursor(&c, lh));
		PK_OK(step(c));
		switch (op) {
		case 0: PK_OK(pk_list_insert(lh, 0, &v)); break;
		case 1: PK_OK(pk_list_pop(lh, -1)); break;
		case 2: PK_OK(pk_list_extend(lh, &v, 1)); break;
		case 3: PK_OK(pk_list_remove_range(lh, 0, 1)); break;
		case 4: PK_OK(pk_list_clear(lh)); break;
		}
		PK_RC(step(c), PK_ECHANGED);
		pk_cursor_free(c);
	}
	/* an empty remove_range changes nothing */
	PK_OK(pk_list_append(lh, &v));
	PK_OK(pk_list_cursor(&c, lh));
	PK_OK(pk_list_remove_range(lh, 1, 0));
	PK_OK(step(c));
	pk_cursor_free(c);

	/* arrays: writes do not disturb, resizes do */
	PK_OK(pk_array_cursor(&c, ah));
	PK_OK(step(c));
	PK_OK(pk_array_set(ah, 1, &v));
	PK_OK(pk_array_write(ah, 2, 1, &x));
	PK_OK(pk_array_resize(ah, 4)); /* the same length: no change */
	PK_OK(step(c));
	PK_OK(pk_array_resize(ah, 2));
	PK_RC(step(c), PK_ECHANGED);
	pk_cursor_free(c);
	assert_healthy();
}
END_TEST

/* -------------------------------------------------------- transactions */

START_TEST(test_misuse_tx__protocol)
{
	pk_value k = pk_int(1), v = pk_int(2);
	uint64_t freed;

	PK_RC(pk_tx_commit(pool), PK_ETXN);
	PK_RC(pk_tx_abort(pool), PK_ETXN);
	/* a failure before any write keeps the transaction */
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_list_get(&v, lh, 99), PK_ERANGE);
	PK_RC(pk_list_set(lh, 99, &v), PK_ERANGE);
	PK_RC(pk_list_pop(lh, 99), PK_ERANGE);
	PK_RC(pk_map_remove(mh, &v), PK_NOTFOUND);
	PK_RC(pk_array_set(ah, 99, &v), PK_ERANGE);
	PK_RC(pk_pool_gc(&freed, pool), PK_ETXN);
	v = pk_int(2);
	PK_OK(pk_map_put(mh, &k, &v));
	PK_OK(pk_tx_abort(pool));
	PK_RC(pk_tx_commit(pool), PK_ETXN);
	/* an inner abort aborts everything; the levels still end one by one */
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_put(mh, &k, &v));
	PK_OK(pk_tx_abort(pool));
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_RC(pk_map_put(mh, &k, &v), PK_EABORTED);
	PK_RC(pk_list_append(lh, &v), PK_EABORTED);
	PK_RC(pk_array_set(ah, 0, &v), PK_EABORTED);
	PK_RC(pk_tx_begin(pool), PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_RC(pk_tx_commit(pool), PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_RC(pk_tx_commit(pool), PK_ETXN);
	assert_unchanged();
}
END_TEST

/* a libpmemobj transaction of the caller's own is not joined */
START_TEST(test_misuse_tx__foreign_pmemobj_transaction)
{
	PMEMobjpool *pop = pmemobj_create(test_file("raw"), "raw",
			PMEMOBJ_MIN_POOL, 0600);
	pk_value k = pk_int(1), v = pk_int(2);

	ck_assert_ptr_nonnull(pop);
	ck_assert_int_eq(pmemobj_tx_begin(pop, NULL, TX_PARAM_NONE), 0);
	PK_RC(pk_map_put(mh, &k, &v), PK_ETXN);
	PK_RC(pk_tx_begin(pool), PK_ETXN);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	pmemobj_tx_commit();
	ck_assert_int_eq(pmemobj_tx_end(), 0);
	pmemobj_close(pop);
	assert_unchanged();
}
END_TEST

/* closing the pool ends the transaction; the handles say PK_ECLOSED */
START_TEST(test_misuse_tx__close_inside)
{
	pk_value k = pk_int(1), v = pk_int(2);
	pk_value mv = pk_map_value(mh), lv = pk_list_value(lh),
		 av = pk_array_value(ah);

	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_map_put(mh, &k, &v));
	PK_RC(pk_pool_close(pool), PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	PK_RC(pk_tx_commit(pool), PK_ETXN);
	PK_RC(pk_map_put(mh, &k, &v), PK_ECLOSED);
	pk_map_close(root);
	pk_map_close(mh);
	pk_list_close(lh);
	pk_array_close(ah);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
	PK_OK(pk_map_open(&mh, pool, &mv));
	PK_OK(pk_list_open(&lh, pool, &lv));
	PK_OK(pk_array_open(&ah, pool, &av));
	assert_unchanged();
}
END_TEST

/* -------------------------------------------------------- bad values */

static const uint8_t bigint_ok[9] = { 0, 0, 0, 0, 0, 0, 0, 0x80, 0 };
static const uint8_t bigint_long[10] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

/* values no container may store, each with the code it must give */
static const struct bad {
	pk_value v;
	int rc;
	const char *what;
} bad_values[] = {
	{ { PK_STRING, { .buf = { "\xff", 1 } } }, PK_EVALUE, "0xff" },
	{ { PK_STRING, { .buf = { "\xc0\x80", 2 } } }, PK_EVALUE, "overlong" },
	{ { PK_STRING, { .buf = { "\xe0\x80\xaf", 3 } } }, PK_EVALUE,
		"overlong 3" },
	{ { PK_STRING, { .buf = { "\xed\xa0\x80", 3 } } }, PK_EVALUE,
		"surrogate" },
	{ { PK_STRING, { .buf = { "\xf4\x90\x80\x80", 4 } } }, PK_EVALUE,
		"past U+10FFFF" },
	{ { PK_STRING, { .buf = { "ab\xe2\x82", 4 } } }, PK_EVALUE,
		"truncated" },
	{ { PK_STRING, { .buf = { "\x80", 1 } } }, PK_EVALUE,
		"continuation" },
	{ { PK_STRING, { .buf = { "\xf8\x88\x80\x80\x80", 5 } } }, PK_EVALUE,
		"5 bytes" },
	{ { PK_STRING, { .buf = { NULL, 3 } } }, EINVAL, "string NULL" },
	{ { PK_STRING, { .buf = { NULL, SIZE_MAX } } }, EINVAL,
		"string NULL SIZE_MAX" },
	{ { PK_BYTES, { .buf = { NULL, 1 } } }, EINVAL, "bytes NULL" },
	{ { PK_BIGINT, { .buf = { NULL, 9 } } }, PK_EVALUE, "bigint NULL" },
	{ { PK_BIGINT, { .buf = { bigint_ok, 8 } } }, PK_EVALUE,
		"bigint in int64" },
	{ { PK_BIGINT, { .buf = { bigint_long, 10 } } }, PK_EVALUE,
		"bigint not minimal" },
	{ { PK_BIGINT, { .buf = { bigint_ok, 0 } } }, PK_EVALUE,
		"bigint empty" },
	{ { PK_BOOL, { .i = 2 } }, PK_EVALUE, "bool 2" },
	{ { PK_BOOL, { .i = -1 } }, PK_EVALUE, "bool -1" },
	{ { (pk_type)9, { .i = 0 } }, PK_EVALUE, "type 9" }, /* the first not a scalar */
	{ { PK_TUPLE, { .buf = { "\x63", 1 } } }, PK_EVALUE, "tuple of type 99" },
	{ { PK_TUPLE, { .buf = { "\x02\x01", 2 } } }, PK_EVALUE, "tuple cut short" },
	{ { PK_FROZENSET, { .buf = { "\x00\x00", 2 } } }, PK_EVALUE, "frozen set of nil twice" },
	{ { (pk_type)15, { .i = 0 } }, PK_EVALUE, "type 15" },
	{ { (pk_type)24, { .i = 0 } }, PK_EVALUE, "type 24" }, /* the first not a kind */
	{ { (pk_type)255, { .i = 0 } }, PK_EVALUE, "type 255" },
	{ { (pk_type)-1, { .i = 0 } }, PK_EVALUE, "type -1" },
	{ { (pk_type)INT32_MAX, { .i = 0 } }, PK_EVALUE, "type INT_MAX" },
};
#define N_BAD (sizeof(bad_values) / sizeof(bad_values[0]))

/* pk_utf8_valid() refuses every string the library refuses, and takes
 * what it takes */
START_TEST(test_misuse_values__utf8_valid)
{
	for (size_t i = 0; i < N_BAD; i++) {
		const pk_value *b = &bad_values[i].v;
		if (b->type == PK_STRING && bad_values[i].rc == PK_EVALUE)
			ck_assert_msg(!pk_utf8_valid(b->u.buf.ptr,
					b->u.buf.len), "%s", bad_values[i].what);
	}
	ck_assert(pk_utf8_valid("", 0));
	ck_assert(pk_utf8_valid(NULL, 0));
	ck_assert(!pk_utf8_valid(NULL, 1));
	ck_assert(pk_utf8_valid("a\0b", 3));
	ck_assert(pk_utf8_valid("\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	ck_assert(pk_utf8_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
}
END_TEST

/*
 * Every bad value as a key and as a value of every writing function,
 * inside a transaction (_i == 1) or not: the given code, nothing changed,
 * and the transaction still usable.
 */
START_TEST(test_misuse_values__refused_everywhere)
{
	pk_value ok = pk_int(1), out;
	int has;

	if (_i == 1)
		PK_OK(pk_tx_begin(pool));
	for (size_t i = 0; i < N_BAD; i++) {
		const pk_value *b = &bad_values[i].v;
		int rc = bad_values[i].rc;
		pk_value two[2] = { ok, *b };
#define BAD(expr) ck_assert_msg((expr) == rc, "%s: %s gave %s", \
		bad_values[i].what, #expr, pk_strerror(expr))
		BAD(pk_map_put(mh, b, &ok));
		BAD(pk_map_put(mh, &ok, b));
		BAD(pk_map_put(mh, b, b));
		BAD(pk_map_get(&out, mh, b));
		BAD(pk_map_get_copy(&out, cbuf, sizeof(cbuf), mh, b));
		BAD(pk_map_contains(&has, mh, b));
		BAD(pk_map_remove(mh, b));
		BAD(pk_list_append(lh, b));
		BAD(pk_list_set(lh, 0, b));
		BAD(pk_list_insert(lh, 0, b));
		BAD(pk_list_extend(lh, two, 2));
		BAD(pk_list_extend(lh, b, 1));
		BAD(pk_array_set(ah, 0, b));
#undef BAD
	}
	if (_i == 1) {
		ck_assert_int_eq(pk_tx_depth(pool), 1);
		PK_OK(pk_tx_commit(pool));
	}
	assert_unchanged();
}
END_TEST

/* containers are no keys; scalars that are fine as keys stay fine */
START_TEST(test_misuse_values__container_keys)
{
	pk_value keys[3] = { pk_map_value(mh), pk_list_value(lh),
		pk_array_value(ah) }, v = pk_int(1), out;
	int has;

	for (int i = 0; i < 3; i++) {
		PK_RC(pk_map_put(root, &keys[i], &v), PK_EKEYTYPE);
		PK_RC(pk_map_put(root, &keys[i], &keys[i]), PK_EKEYTYPE);
		PK_RC(pk_map_get(&out, root, &keys[i]), PK_EKEYTYPE);
		PK_RC(pk_map_contains(&has, root, &keys[i]), PK_EKEYTYPE);
		PK_RC(pk_map_remove(root, &keys[i]), PK_EKEYTYPE);
		/* a stale or forged container key is still no key */
		keys[i].u.ref.gen++;
		PK_RC(pk_map_put(root, &keys[i], &v), PK_EKEYTYPE);
		keys[i].u.ref.off = UINT64_MAX;
		PK_RC(pk_map_get(&out, root, &keys[i]), PK_EKEYTYPE);
	}
	assert_unchanged();
}
END_TEST

/* values a typed array refuses, each with its code */
START_TEST(test_misuse_values__array_elements)
{
	pk_array *u8, *f32, *by;
	pk_value v;
	uint8_t b3[3] = { 1, 2, 3 };

	PK_OK(pk_array_new(&u8, pool, PK_ELEM_U8, 0, 2, NULL));
	PK_OK(pk_array_new(&f32, pool, PK_ELEM_F32, 0, 2, NULL));
	PK_OK(pk_array_new(&by, pool, PK_ELEM_BYTES, 4, 2, NULL));
	v = pk_int(256);
	PK_RC(pk_array_set(u8, 0, &v), PK_ERANGE);
	v = pk_int(-1);
	PK_RC(pk_array_set(u8, 0, &v), PK_ERANGE);
	v = pk_double(1);
	PK_RC(pk_array_set(u8, 0, &v), PK_EKIND);
	v = cstr("x");
	PK_RC(pk_array_set(u8, 0, &v), PK_EKIND);
	PK_RC(pk_array_set(f32, 0, &v), PK_EKIND);
	PK_RC(pk_array_set(by, 0, &v), PK_EKIND);
	v = pk_double(1e300);
	PK_RC(pk_array_set(f32, 0, &v), PK_ERANGE);
	v = pk_bytes(b3, 3);
	PK_RC(pk_array_set(by, 0, &v), PK_EVALUE);
	v = pk_bytes(NULL, 4);
	PK_RC(pk_array_set(by, 0, &v), EINVAL);
	v = pk_array_value(ah);
	PK_RC(pk_array_set(u8, 0, &v), PK_EKIND);
	PK_RC(pk_array_set(by, 0, &v), PK_EKIND);
	v = pk_nil();
	PK_RC(pk_array_set(u8, 0, &v), PK_EKIND);
	pk_array_close(u8);
	pk_array_close(f32);
	pk_array_close(by);
	PK_OK(pk_pool_gc(NULL, pool));
	assert_unchanged();
}
END_TEST

/* ------------------------------------------------------ ranges, sizes */

START_TEST(test_misuse_range__list_indexes)
{
	static const int64_t bad[] = { 2, 3, -3, INT64_MAX, INT64_MIN,
		INT64_MIN + 1, INT64_MAX - 1 };
	pk_list *empty;
	pk_value v = pk_int(5), out;
	uint64_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		PK_RC(pk_list_get(&out, lh, bad[i]), PK_ERANGE);
		PK_RC(pk_list_set(lh, bad[i], &v), PK_ERANGE);
		PK_RC(pk_list_pop(lh, bad[i]), PK_ERANGE);
	}
	PK_OK(pk_list_new(&empty, pool));
	PK_RC(pk_list_pop(empty, -1), PK_ERANGE);
	PK_RC(pk_list_pop(empty, 0), PK_ERANGE);
	PK_RC(pk_list_get(&out, empty, 0), PK_ERANGE);
	PK_RC(pk_list_get(&out, empty, -1), PK_ERANGE);
	/* empty and reversed ranges remove nothing, clamped ones clamp */
	PK_OK(pk_list_remove_range(lh, INT64_MAX, INT64_MIN));
	PK_OK(pk_list_remove_range(lh, 1, 1));
	PK_OK(pk_list_remove_range(lh, INT64_MAX - 1, INT64_MAX));
	PK_OK(pk_list_remove_range(lh, INT64_MIN, INT64_MIN + 1));
	ck_assert_uint_eq(list_len(lh), 2);
	/* insert clamps as Python does */
	PK_OK(pk_list_insert(empty, INT64_MIN, &v));
	PK_OK(pk_list_insert(empty, INT64_MAX, &v));
	PK_OK(pk_list_insert(empty, -1, &v));
	PK_OK(pk_list_length(&n, empty));
	ck_assert_uint_eq(n, 3);
	PK_OK(pk_list_remove_range(empty, INT64_MIN, INT64_MAX));
	PK_OK(pk_list_length(&n, empty));
	ck_assert_uint_eq(n, 0);
	pk_list_close(empty);
	PK_OK(pk_pool_gc(NULL, pool));
	assert_unchanged();
}
END_TEST

START_TEST(test_misuse_range__array_spans)
{
	static const struct { uint64_t start, count; } spans[] = {
		{ 0, 5 }, { 4, 1 }, { 5, 0 }, { 1, UINT64_MAX },
		{ UINT64_MAX, 1 }, { UINT64_MAX, UINT64_MAX },
		{ 2, UINT64_MAX - 1 }, { (uint64_t)1 << 61, 4 },
		{ 3, ((uint64_t)1 << 61) + 1 },
	};
	static const int64_t idx[] = { 4, -5, INT64_MAX, INT64_MIN };
	int64_t buf[8] = { 0 };
	pk_value v = pk_int(1), out;
	void *w;

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		PK_RC(pk_array_read(buf, ah, spans[i].start, spans[i].count),
				PK_ERANGE);
		PK_RC(pk_array_write(ah, spans[i].start, spans[i].count, buf),
				PK_ERANGE);
	}
	/* empty spans at the end are fine and change nothing */
	PK_OK(pk_array_read(buf, ah, 4, 0));
	PK_OK(pk_array_write(ah, 4, 0, buf));
	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		PK_RC(pk_array_get(&out, ah, idx[i]), PK_ERANGE);
		PK_RC(pk_array_set(ah, idx[i], &v), PK_ERANGE);
	}
	PK_RC(pk_array_window(&w, ah, 0, 1), PK_ETXN);
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_array_window(&w, ah, 0, 5), PK_ERANGE);
	PK_RC(pk_array_window(&w, ah, 3, 2), PK_ERANGE);
	PK_RC(pk_array_window(&w, ah, 0, UINT64_MAX), PK_ERANGE);
	PK_RC(pk_array_window(&w, ah, UINT64_MAX, UINT64_MAX), PK_ERANGE);
	PK_RC(pk_array_window(&w, ah, (uint64_t)1 << 62, (uint64_t)1 << 62),
			PK_ERANGE);
	PK_OK(pk_array_window(&w, ah, 4, 4)); /* empty, at the end */
	PK_OK(pk_tx_commit(pool));
	assert_unchanged();
}
END_TEST

/* sizes whose byte count overflows, or that no pool could hold */
START_TEST(test_misuse_range__huge_sizes)
{
	static const struct { pk_elem elem; size_t width; uint64_t len;
		int rc; } cases[] = {
		{ PK_ELEM_U8, 0, UINT64_MAX, EINVAL },
		{ PK_ELEM_U8, 0, UINT64_MAX - 63, EINVAL },
		{ PK_ELEM_U8, 0, UINT64_MAX - 64, PK_ENOSPACE },
		{ PK_ELEM_U64, 0, (uint64_t)1 << 61, EINVAL },
		{ PK_ELEM_U64, 0, UINT64_MAX / 8, EINVAL },
		{ PK_ELEM_U64, 0, ((uint64_t)1 << 60) - 8, PK_ENOSPACE },
		{ PK_ELEM_BYTES, UINT32_MAX, (uint64_t)1 << 33, EINVAL },
		{ PK_ELEM_BYTES, UINT32_MAX, (uint64_t)1 << 31, PK_ENOSPACE },
		{ PK_ELEM_BYTES, (size_t)UINT32_MAX + 1, 1, EINVAL },
		{ PK_ELEM_BYTES, SIZE_MAX, 1, EINVAL },
		{ PK_ELEM_BYTES, 0, 1, EINVAL },
		{ PK_ELEM_I32, 4, 1, EINVAL },
		{ PK_ELEM_I32, SIZE_MAX, 1, EINVAL },
		{ (pk_elem)0, 0, 1, EINVAL },
		{ (pk_elem)12, 0, 1, EINVAL },
		{ (pk_elem)-1, 0, 1, EINVAL },
		{ (pk_elem)255, 8, 1, EINVAL },
		{ PK_ELEM_U8, 0, (uint64_t)1 << 40, PK_ENOSPACE },
		{ PK_ELEM_F64, 0, POOL_SIZE / 8, PK_ENOSPACE },
	};
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	pk_array *a;

	PK_OK(pk_pool_stats_get(&before, pool));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = (pk_array *)&a;
		int rc = pk_array_new(&a, pool, cases[i].elem, cases[i].width,
				cases[i].len, NULL);
		ck_assert_msg(rc == cases[i].rc, "case %zu: %s", i,
				pk_strerror(rc));
		ck_assert_ptr_null(a);
	}
	static const struct { uint64_t len; int rc; } resizes[] = {
		{ UINT64_MAX, EINVAL }, { UINT64_MAX / 8 + 1, EINVAL },
		{ (uint64_t)1 << 61, EINVAL }, { UINT64_MAX / 8, EINVAL },
		{ UINT64_MAX / 8 - 8, PK_ENOSPACE },
		{ ((uint64_t)1 << 60) - 8, PK_ENOSPACE },
		{ (uint64_t)1 << 40, PK_ENOSPACE },
		{ POOL_SIZE / 8, PK_ENOSPACE },
	};
	for (size_t i = 0; i < sizeof(resizes) / sizeof(resizes[0]); i++) {
		int rc = pk_array_resize(ah, resizes[i].len);
		ck_assert_msg(rc == resizes[i].rc, "resize %zu: %s", i,
				pk_strerror(rc));
		ck_assert_uint_eq(array_len(ah), 4);
	}
	/*
	 * In a transaction, running out of space before writing keeps it;
	 * after writing (the new array's header) it aborts it.
	 */
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_array_resize(ah, POOL_SIZE / 8), PK_ENOSPACE);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_OK(pk_array_set(ah, 0, &(pk_value){ .type = PK_INT, .u.i = 7 }));
	PK_RC(pk_array_new(&a, pool, PK_ELEM_U8, 0, POOL_SIZE, NULL),
			PK_ENOSPACE);
	PK_RC(pk_array_set(ah, 1, &(pk_value){ .type = PK_INT, .u.i = 7 }),
			PK_EABORTED);
	ck_assert_int_eq(pk_tx_depth(pool), 1);
	PK_RC(pk_tx_commit(pool), PK_EABORTED);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(before.used, after.used);
	ck_assert_uint_eq(before.objects, after.objects);
	assert_unchanged();
}
END_TEST

static Suite *
misuse_suite(void)
{
	Suite *s = suite_create("misuse");
	TCase *tc;

	tc = tcase_create("version");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_misuse_version__structs);
	tcase_add_test(tc, test_misuse_version__tables);
	suite_add_tcase(s, tc);

	tc = tcase_create("null");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_null__pool_functions);
	tcase_add_test(tc, test_misuse_null__map_functions);
	tcase_add_test(tc, test_misuse_null__list_functions);
	tcase_add_test(tc, test_misuse_null__array_functions);
	tcase_add_test(tc, test_misuse_null__flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("closed");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_closed__every_function);
	suite_add_tcase(s, tc);

	tc = tcase_create("foreign");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_foreign__same_history_refs);
	tcase_add_test(tc, test_misuse_foreign__handles_across_transactions);
	suite_add_tcase(s, tc);

	tc = tcase_create("kind");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_kind__open_as_another_kind);
	tcase_add_test(tc, test_misuse_kind__forged_offsets);
	suite_add_tcase(s, tc);

	tc = tcase_create("stale");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_stale__freed_containers);
	tcase_add_test(tc, test_misuse_stale__memory_reused);
	tcase_add_test(tc, test_misuse_stale__gc_and_abort);
	suite_add_tcase(s, tc);

	tc = tcase_create("iter");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_iter__map_changes);
	tcase_add_test(tc, test_misuse_iter__list_and_array_changes);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_tx__protocol);
	tcase_add_test(tc, test_misuse_tx__foreign_pmemobj_transaction);
	tcase_add_test(tc, test_misuse_tx__close_inside);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_loop_test(tc, test_misuse_values__refused_everywhere, 0, 2);
	tcase_add_test(tc, test_misuse_values__utf8_valid);
	tcase_add_test(tc, test_misuse_values__container_keys);
	tcase_add_test(tc, test_misuse_values__array_elements);
	suite_add_tcase(s, tc);

	tc = tcase_create("range");
	tcase_add_checked_fixture(tc, setup_kinds, teardown_kinds);
	tcase_add_test(tc, test_misuse_range__list_indexes);
	tcase_add_test(tc, test_misuse_range__array_spans);
	tcase_add_test(tc, test_misuse_range__huge_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(misuse_suite());
}
