/*
 * test_format.c -- pools written by an earlier library open and read the
 * same
 *
 * tests/format/v2.pool.gz is a pool of format 2 written by the library as
 * it was at commit f22bca4, before the sources were reorganised, by this
 * program's writer:
 *
 *	test_format --write FILE
 *
 * (built against that library: the program compiles against either API).
 * It holds every kind of value, key and container, shared and nested
 * containers, container flags, a map large enough to have split buckets
 * and overflow chains, a list over several segments, and the free slots
 * removes leave. The test reads it all back, checks the pool, then
 * changes it and reads it back again after a reopen: a new library must
 * keep reading and writing the pools users already have. When the format
 * changes, a new fixture joins this one; this one stays.
 */
#include <math.h>
#include <stdint.h>

#include "common.h"

/* the API as of f22bca4 or as of now: this program builds with both */
#ifdef PK_POOL_STATS_VERSION
#define NEXT(c, k, v) pk_cursor_next(k, v, c)
#define CHECK_REPORT(r) pk_check_report r = PK_CHECK_REPORT_INIT
#else
#define NEXT(c, k, v) pk_cursor_next(c, k, v)
#define CHECK_REPORT(r) pk_check_report r
#define PK_FLAG_TUPLE 0x0001
#define PK_FLAG_TYPECODE 0x0002
#endif

#define FIXTURE_SIZE ((size_t)32 << 20)
#define BIG_MAP 2000	/* entries of "squares" */
#define BIG_LIST 600	/* elements of "list" */
#define CHURN 500	/* entries put and removed again in "churn" */

static const uint8_t bigint70[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x40 }; /* 2^70 */
static const uint8_t bigint_neg[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0x7f, 0xff }; /* a negative one of ten bytes, minimal */
static const char str[] = "\xc3\xbcn\xc3\xaf\0code \xe2\x82\xac";
static const char bytes5[] = { 'a', 0, 'b', 0, (char)0xff };
static const char longkey[] = "a key of more than fifty-six bytes, so it is "
	"stored out of line in a blob of its own";

/* pattern -- n deterministic bytes, seeded */
static void
pattern(uint8_t *p, size_t n, unsigned seed)
{
	uint32_t x = 2463534242u ^ seed;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static pk_value
sval(const char *s)
{
	return pk_string(s, strlen(s));
}

/* ---------------------------------------------------------- the writer */

/* W(expr): the call must return 0, outside Check's tests */
#define W(expr) do { \
	int rc_ = (expr); \
	if (rc_ != 0) { \
		fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, \
				#expr, pk_strerror(rc_), pk_errormsg()); \
		exit(1); \
	} \
} while (0)

static void
put(pk_map *m, pk_value k, pk_value v)
{
	W(pk_map_put(m, &k, &v));
}

static pk_array *
array_of(pk_pool *p, pk_elem elem, size_t width, const void *init, size_t n)
{
	pk_array *a;

	W(pk_array_new(&a, p, elem, width, n, init));
	return a;
}

static void
write_pool(const char *path)
{
	pk_pool *p;
	pk_map *root, *sq, *churn, *shared, *inner;
	pk_list *list, *tuple, *holder;
	pk_array *a;
	uint8_t blob[300];
	char name[32];

	W(pk_pool_create(&p, path, FIXTURE_SIZE, 0));
	W(pk_pool_root(&root, p));

	/* scalars, as values */
	put(root, sval("nil"), pk_nil());
	put(root, sval("true"), pk_bool(1));
	put(root, sval("false"), pk_bool(0));
	put(root, sval("int"), pk_int(INT64_MIN));
	put(root, sval("int1"), pk_int(42));
	put(root, sval("double"), pk_double(3.25));
	put(root, sval("nan"), pk_double(NAN));
	put(root, sval("-inf"), pk_double(-INFINITY));
	pk_value b = { .type = PK_BIGINT };
	b.u.buf.ptr = bigint70;
	b.u.buf.len = sizeof(bigint70);
	put(root, sval("big"), b);
	b.u.buf.ptr = bigint_neg;
	b.u.buf.len = sizeof(bigint_neg);
	put(root, sval("bigneg"), b);
	put(root, sval("bytes"), pk_bytes(bytes5, sizeof(bytes5)));
	pattern(blob, sizeof(blob), 1);
	put(root, sval("blob"), pk_bytes(blob, sizeof(blob)));
	put(root, sval("str"), pk_string(str, sizeof(str) - 1));
	put(root, sval("longstr"), pk_string((const char *)longkey,
			sizeof(longkey) - 1));

	/* scalars, as keys */
	put(root, pk_int(7), sval("seven"));
	put(root, pk_double(2.5), sval("two and a half"));
	put(root, pk_bytes(bytes5, sizeof(bytes5)), sval("bytes key"));
	put(root, pk_nil(), sval("nil key"));
	b.u.buf.ptr = bigint70;
	b.u.buf.len = sizeof(bigint70);
	put(root, b, sval("bigint key"));
	put(root, pk_string(longkey, sizeof(longkey) - 1), sval("long key"));

	/* a map that split and chained */
	W(pk_map_new(&sq, p));
	put(root, sval("squares"), pk_map_value(sq));
	for (int64_t i = 0; i < BIG_MAP; i++)
		put(sq, pk_int(i), pk_int(i * i));

	/* the free slots removes leave */
	W(pk_map_new(&churn, p));
	put(root, sval("churn"), pk_map_value(churn));
	for (int i = 0; i < CHURN; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		put(churn, sval(name), pk_int(i));
	}
	for (int i = 0; i < CHURN; i++) {
		if (i % 5 == 0)
			continue;
		snprintf(name, sizeof(name), "k%d", i);
		pk_value k = sval(name);
		W(pk_map_remove(churn, &k));
	}

	/* a list over several segments, with blobs */
	W(pk_list_new(&list, p));
	put(root, sval("list"), pk_list_value(list));
	for (int i = 0; i < BIG_LIST; i++) {
		pk_value v = pk_int(i);
		uint8_t lb[200];
		if (i % 3 == 1) {
			snprintf(name, sizeof(name), "e%d", i);
			v = sval(name);
		} else if (i % 50 == 0) {
			pattern(lb, sizeof(lb), (unsigned)i);
			v = pk_bytes(lb, sizeof(lb));
		}
		W(pk_list_append(list, &v));
	}

	/* a tuple (flags) */
	W(pk_list_new(&tuple, p));
	pk_value tv[2] = { pk_int(1), sval("a") };
	W(pk_list_extend(tuple, tv, 2));
	put(root, sval("tuple"), pk_list_value(tuple));
	pk_value tref = pk_list_value(tuple);
	W(pk_container_set_flags(p, &tref, PK_FLAG_TUPLE));

	/* a typed array of every element type */
	{
		int8_t i8[] = { -128, 0, 127 };
		uint8_t u8[] = { 0, 1, 255 };
		int16_t i16[] = { -32768, 2, 32767 };
		uint16_t u16[] = { 0, 3, 65535 };
		int32_t i32[] = { INT32_MIN, 4, INT32_MAX };
		uint32_t u32[] = { 0, 5, UINT32_MAX };
		int64_t i64[] = { INT64_MIN, 6, INT64_MAX };
		uint64_t u64[] = { 0, 7, UINT64_MAX };
		float f32[] = { -1.5f, 0.0f, 1e30f };
		double f64[] = { -2.25, 0.0, 1e300 };
		const char w3[] = "abcdefghi";
		const void *init[] = { i8, u8, i16, u16, i32, u32, i64, u64,
			f32, f64, w3 };
		const char *names[] = { "i8", "u8", "i16", "u16", "i32",
			"u32", "i64", "u64", "f32", "f64", "w3" };
		for (int e = PK_ELEM_I8; e <= PK_ELEM_BYTES; e++) {
			a = array_of(p, (pk_elem)e, e == PK_ELEM_BYTES ? 3 : 0,
					init[e - 1], 3);
			put(root, sval(names[e - 1]), pk_array_value(a));
			pk_array_close(a);
		}
		/* an i64 array made as Python's 'l' */
		a = array_of(p, PK_ELEM_I64, 0, i64, 3);
		put(root, sval("l"), pk_array_value(a));
		pk_value aref = pk_array_value(a);
		W(pk_container_set_flags(p, &aref,
				PK_FLAG_TYPECODE | 'l' << 8));
		pk_array_close(a);
		/* empty */
		a = array_of(p, PK_ELEM_F64, 0, NULL, 0);
		put(root, sval("empty"), pk_array_value(a));
		pk_array_close(a);
	}

	/* shared and nested containers */
	W(pk_map_new(&shared, p));
	put(shared, sval("x"), pk_int(1));
	W(pk_list_new(&holder, p));
	pk_value sv = pk_map_value(shared);
	W(pk_list_append(holder, &sv));
	put(root, sval("holder"), pk_list_value(holder));
	put(root, sval("shared"), sv);
	W(pk_map_new(&inner, p));
	a = array_of(p, PK_ELEM_U16, 0, NULL, 4);
	put(inner, sval("arr"), pk_array_value(a));
	pk_array_close(a);
	pk_value iv = pk_map_value(inner);
	W(pk_list_append(holder, &iv));

	pk_map_close(inner);
	pk_map_close(shared);
	pk_list_close(holder);
	pk_list_close(tuple);
	pk_list_close(list);
	pk_map_close(churn);
	pk_map_close(sq);
	pk_map_close(root);
	W(pk_pool_close(p));
}

/* ------------------------------------------------------------ the test */

static pk_pool *pool;
static pk_map *root;

static pk_value
get(pk_map *m, pk_value k)
{
	pk_value v;

	PK_OK(pk_map_get(&v, m, &k));
	return v;
}

static void
expect_buf(pk_value v, pk_type t, const void *p, size_t n)
{
	ck_assert_int_eq(v.type, t);
	ck_assert_uint_eq(v.u.buf.len, n);
	ck_assert(memcmp(v.u.buf.ptr, p, n) == 0);
}

static void
expect_int(pk_value v, int64_t i)
{
	ck_assert_int_eq(v.type, PK_INT);
	ck_assert_int_eq(v.u.i, i);
}

static void
expect_str(pk_value v, const char *s)
{
	expect_buf(v, PK_STRING, s, strlen(s));
}

static pk_map *
open_map(pk_value v)
{
	pk_map *m;

	PK_OK(pk_map_open(&m, pool, &v));
	return m;
}

static pk_list *
open_list(pk_value v)
{
	pk_list *l;

	PK_OK(pk_list_open(&l, pool, &v));
	return l;
}

static uint64_t
map_len(pk_map *m)
{
	uint64_t n;

	PK_OK(pk_map_length(&n, m));
	return n;
}

static void
check_healthy(void)
{
	CHECK_REPORT(rep);

	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.leaked + rep.dangling + rep.refcounts +
			rep.damaged, 0);
}

/* read_back -- everything write_pool() stored, as it stored it */
static void
read_back(void)
{
	uint8_t blob[300];
	char name[32];
	pk_value v;

	ck_assert_int_eq(get(root, sval("nil")).type, PK_NIL);
	v = get(root, sval("true"));
	ck_assert(v.type == PK_BOOL && v.u.i == 1);
	v = get(root, sval("false"));
	ck_assert(v.type == PK_BOOL && v.u.i == 0);
	expect_int(get(root, sval("int")), INT64_MIN);
	expect_int(get(root, sval("int1")), 42);
	v = get(root, sval("double"));
	ck_assert(v.type == PK_DOUBLE && v.u.d == 3.25);
	v = get(root, sval("nan"));
	ck_assert(v.type == PK_DOUBLE && isnan(v.u.d));
	v = get(root, sval("-inf"));
	ck_assert(v.type == PK_DOUBLE && v.u.d == -INFINITY);
	expect_buf(get(root, sval("big")), PK_BIGINT, bigint70,
			sizeof(bigint70));
	expect_buf(get(root, sval("bigneg")), PK_BIGINT, bigint_neg,
			sizeof(bigint_neg));
	expect_buf(get(root, sval("bytes")), PK_BYTES, bytes5,
			sizeof(bytes5));
	pattern(blob, sizeof(blob), 1);
	expect_buf(get(root, sval("blob")), PK_BYTES, blob, sizeof(blob));
	expect_buf(get(root, sval("str")), PK_STRING, str, sizeof(str) - 1);
	expect_buf(get(root, sval("longstr")), PK_STRING, longkey,
			sizeof(longkey) - 1);

	expect_str(get(root, pk_int(7)), "seven");
	expect_str(get(root, pk_double(7.0)), "seven");
	expect_str(get(root, pk_double(2.5)), "two and a half");
	expect_str(get(root, pk_bytes(bytes5, sizeof(bytes5))), "bytes key");
	expect_str(get(root, pk_nil()), "nil key");
	pk_value b = { .type = PK_BIGINT };
	b.u.buf.ptr = bigint70;
	b.u.buf.len = sizeof(bigint70);
	expect_str(get(root, b), "bigint key");
	expect_str(get(root, pk_string(longkey, sizeof(longkey) - 1)),
			"long key");

	pk_map *sq = open_map(get(root, sval("squares")));
	ck_assert_uint_eq(map_len(sq), BIG_MAP);
	for (int64_t i = 0; i < BIG_MAP; i++)
		expect_int(get(sq, pk_int(i)), i * i);
	/* every entry once through a cursor */
	{
		pk_cursor *c;
		pk_value k, x;
		uint64_t n = 0, sum = 0;
		int rc;
		PK_OK(pk_map_cursor(&c, sq));
		while ((rc = NEXT(c, &k, &x)) == 0) {
			ck_assert_int_eq(x.u.i, k.u.i * k.u.i);
			sum += (uint64_t)k.u.i;
			n++;
		}
		ck_assert_int_eq(rc, PK_ITEROVER);
		pk_cursor_free(c);
		ck_assert_uint_eq(n, BIG_MAP);
		ck_assert_uint_eq(sum, (uint64_t)BIG_MAP * (BIG_MAP - 1) / 2);
	}
	pk_map_close(sq);

	pk_map *churn = open_map(get(root, sval("churn")));
	ck_assert_uint_eq(map_len(churn), CHURN / 5);
	for (int i = 0; i < CHURN; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		pk_value k = sval(name), x;
		int rc = pk_map_get(&x, churn, &k);
		if (i % 5 == 0) {
			ck_assert_int_eq(rc, 0);
			expect_int(x, i);
		} else {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		}
	}
	pk_map_close(churn);

	pk_list *list = open_list(get(root, sval("list")));
	{
		uint64_t n;
		PK_OK(pk_list_length(&n, list));
		ck_assert_uint_eq(n, BIG_LIST);
		for (int i = 0; i < BIG_LIST; i++) {
			uint8_t lb[200];
			PK_OK(pk_list_get(&v, list, i));
			if (i % 3 == 1) {
				snprintf(name, sizeof(name), "e%d", i);
				expect_str(v, name);
			} else if (i % 50 == 0) {
				pattern(lb, sizeof(lb), (unsigned)i);
				expect_buf(v, PK_BYTES, lb, sizeof(lb));
			} else {
				expect_int(v, i);
			}
		}
	}
	pk_list_close(list);

	{
		pk_value tref = get(root, sval("tuple"));
		pk_list *t = open_list(tref);
		uint16_t flags;
		PK_OK(pk_container_flags(&flags, pool, &tref));
		ck_assert_uint_eq(flags, PK_FLAG_TUPLE);
		PK_OK(pk_list_get(&v, t, 0));
		expect_int(v, 1);
		PK_OK(pk_list_get(&v, t, 1));
		expect_str(v, "a");
		pk_list_close(t);
	}

	{
		static const struct {
			const char *name;
			pk_elem elem;
			size_t width;
			const char *bytes; /* 3 elements, little-endian */
		} arrays[] = {
			{ "i8", PK_ELEM_I8, 1, "\x80\x00\x7f" },
			{ "u8", PK_ELEM_U8, 1, "\x00\x01\xff" },
			{ "i16", PK_ELEM_I16, 2, "\x00\x80\x02\x00\xff\x7f" },
			{ "u16", PK_ELEM_U16, 2, "\x00\x00\x03\x00\xff\xff" },
			{ "i32", PK_ELEM_I32, 4, "\x00\x00\x00\x80\x04\x00\x00"
				"\x00\xff\xff\xff\x7f" },
			{ "u32", PK_ELEM_U32, 4, "\x00\x00\x00\x00\x05\x00\x00"
				"\x00\xff\xff\xff\xff" },
			{ "i64", PK_ELEM_I64, 8, NULL },
			{ "u64", PK_ELEM_U64, 8, NULL },
			{ "f32", PK_ELEM_F32, 4, NULL },
			{ "f64", PK_ELEM_F64, 8, NULL },
			{ "w3", PK_ELEM_BYTES, 3, "abcdefghi" },
		};
		for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]);
				i++) {
			pk_value aref = get(root, sval(arrays[i].name));
			pk_array *a;
			pk_elem elem;
			size_t width, len;
			uint64_t n;
			const void *data;
			PK_OK(pk_array_open(&a, pool, &aref));
			PK_OK(pk_array_type(&elem, &width, a));
			ck_assert_int_eq(elem, arrays[i].elem);
			ck_assert_uint_eq(width, arrays[i].width);
			PK_OK(pk_array_length(&n, a));
			ck_assert_uint_eq(n, 3);
			PK_OK(pk_array_data(&data, &len, a));
			ck_assert_uint_eq(len, 3 * width);
			if (arrays[i].bytes != NULL)
				ck_assert(memcmp(data, arrays[i].bytes,
						len) == 0);
			pk_array_close(a);
		}
		pk_value aref = get(root, sval("i64"));
		pk_array *a;
		PK_OK(pk_array_open(&a, pool, &aref));
		PK_OK(pk_array_get(&v, a, 0));
		expect_int(v, INT64_MIN);
		PK_OK(pk_array_get(&v, a, -1));
		expect_int(v, INT64_MAX);
		pk_array_close(a);
		aref = get(root, sval("u64"));
		PK_OK(pk_array_open(&a, pool, &aref));
		PK_OK(pk_array_get(&v, a, 2));
		expect_int(v, -1); /* UINT64_MAX's bits */
		pk_array_close(a);
		aref = get(root, sval("f32"));
		PK_OK(pk_array_open(&a, pool, &aref));
		PK_OK(pk_array_get(&v, a, 0));
		ck_assert(v.type == PK_DOUBLE && v.u.d == -1.5);
		pk_array_close(a);
		aref = get(root, sval("f64"));
		PK_OK(pk_array_open(&a, pool, &aref));
		PK_OK(pk_array_get(&v, a, 2));
		ck_assert(v.type == PK_DOUBLE && v.u.d == 1e300);
		pk_array_close(a);
		aref = get(root, sval("l"));
		uint16_t flags;
		PK_OK(pk_container_flags(&flags, pool, &aref));
		ck_assert_uint_eq(flags, PK_FLAG_TYPECODE | 'l' << 8);
		aref = get(root, sval("empty"));
		PK_OK(pk_array_open(&a, pool, &aref));
		uint64_t n;
		PK_OK(pk_array_length(&n, a));
		ck_assert_uint_eq(n, 0);
		pk_array_close(a);
	}

	{
		pk_value sv = get(root, sval("shared"));
		pk_list *holder = open_list(get(root, sval("holder")));
		PK_OK(pk_list_get(&v, holder, 0));
		ck_assert_int_eq(v.type, PK_MAP);
		ck_assert(v.u.ref.off == sv.u.ref.off &&
				v.u.ref.gen == sv.u.ref.gen);
		pk_map *shared = open_map(sv);
		expect_int(get(shared, sval("x")), 1);
		pk_map_close(shared);
		PK_OK(pk_list_get(&v, holder, 1));
		pk_map *inner = open_map(v);
		pk_value aref = get(inner, sval("arr"));
		pk_array *a;
		uint64_t n;
		PK_OK(pk_array_open(&a, pool, &aref));
		PK_OK(pk_array_length(&n, a));
		ck_assert_uint_eq(n, 4);
		pk_array_close(a);
		pk_map_close(inner);
		pk_list_close(holder);
	}
}

static void
open_fixture(void)
{
	char cmd[8300];

	test_setup();
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s/tests/format/v2.pool.gz' "
			"> '%s'", getenv("srcdir") != NULL ?
			getenv("srcdir") : ".", test_path);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
}

static void
reopen(void)
{
	pk_map_close(root);
	PK_OK(pk_pool_close(pool));
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_root(&root, pool));
}

static void
close_fixture(void)
{
	pk_map_close(root);
	pk_pool_close(pool);
	root = NULL;
	pool = NULL;
	test_teardown();
}

START_TEST(test_format_v2__reads_back)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;

	open_fixture();
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_uint_eq(st.format, 2);	/* as the pool was found */
	read_back();
	check_healthy();
	close_fixture();
}
END_TEST

/* the old pool takes changes of every kind, and keeps them */
START_TEST(test_format_v2__takes_changes)
{
	pk_value v, k;

	open_fixture();
	pk_map *sq = open_map(get(root, sval("squares")));
	for (int64_t i = BIG_MAP; i < 2 * BIG_MAP; i++) {
		v = pk_int(i * i);
		k = pk_int(i);
		PK_OK(pk_map_put(sq, &k, &v));
	}
	for (int64_t i = 0; i < BIG_MAP; i += 2) {
		k = pk_int(i);
		PK_OK(pk_map_remove(sq, &k));
	}
	pk_map_close(sq);
	pk_list *list = open_list(get(root, sval("list")));
	v = sval("appended");
	PK_OK(pk_list_append(list, &v));
	PK_OK(pk_list_pop(list, 0));
	pk_list_close(list);
	pk_map *churn = open_map(get(root, sval("churn")));
	PK_OK(pk_map_clear(churn));
	pk_map_close(churn);
	reopen();

	sq = open_map(get(root, sval("squares")));
	ck_assert_uint_eq(map_len(sq), BIG_MAP + BIG_MAP / 2);
	for (int64_t i = 0; i < 2 * BIG_MAP; i++) {
		k = pk_int(i);
		int rc = pk_map_get(&v, sq, &k);
		if (i < BIG_MAP && i % 2 == 0) {
			ck_assert_int_eq(rc, PK_NOTFOUND);
		} else {
			ck_assert_int_eq(rc, 0);
			expect_int(v, i * i);
		}
	}
	pk_map_close(sq);
	list = open_list(get(root, sval("list")));
	uint64_t n;
	PK_OK(pk_list_length(&n, list));
	ck_assert_uint_eq(n, BIG_LIST);
	PK_OK(pk_list_get(&v, list, 0));
	expect_str(v, "e1");
	PK_OK(pk_list_get(&v, list, -1));
	expect_str(v, "appended");
	pk_list_close(list);
	churn = open_map(get(root, sval("churn")));
	ck_assert_uint_eq(map_len(churn), 0);
	pk_map_close(churn);
	check_healthy();
	close_fixture();
}
END_TEST

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0) {
		write_pool(argv[2]);
		return 0;
	}
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("v2");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_format_v2__reads_back);
	tcase_add_test(tc, test_format_v2__takes_changes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
