/*
 * test_array.c -- the typed array: every element type, single elements
 * with their range checks, ranges, resizing, in-place access, windows in
 * transactions, byte-for-byte rollback of every mutating operation,
 * persistence, arrays held by maps, iteration, running out of space
 */
#include <float.h>
#include <math.h>

#include "fixture.h"


/* ---------------------------------------------------------------------- */
/* element types and reference contents */

struct tdesc {
	pk_elem elem;
	size_t width;	/* as given to pk_array_new() */
	size_t w;	/* bytes per element */
	const char *name;
};

static const struct tdesc types[] = {
	{ PK_ELEM_I8, 0, 1, "int8" },
	{ PK_ELEM_U8, 0, 1, "uint8" },
	{ PK_ELEM_I16, 0, 2, "int16" },
	{ PK_ELEM_U16, 0, 2, "uint16" },
	{ PK_ELEM_I32, 0, 4, "int32" },
	{ PK_ELEM_U32, 0, 4, "uint32" },
	{ PK_ELEM_I64, 0, 8, "int64" },
	{ PK_ELEM_U64, 0, 8, "uint64" },
	{ PK_ELEM_F32, 0, 4, "float32" },
	{ PK_ELEM_F64, 0, 8, "float64" },
	{ PK_ELEM_BYTES, 1, 1, "bytes1" },
	{ PK_ELEM_BYTES, 3, 3, "bytes3" },
	{ PK_ELEM_BYTES, 16, 16, "bytes16" },
	{ PK_ELEM_BYTES, 100, 100, "bytes100" },
};
#define NTYPES (int)(sizeof(types) / sizeof(types[0]))

static int
is_int(pk_elem e)
{
	return e >= PK_ELEM_I8 && e <= PK_ELEM_U64;
}

/* fill -- n elements of type t at buf, distinct per index and seed */
static void
fill(const struct tdesc *t, uint8_t *buf, uint64_t n, unsigned seed)
{
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *p = buf + i * t->w;
		uint64_t x = (i + 1) * 0x9E3779B97F4A7C15ULL + seed;
		if (t->elem == PK_ELEM_F32) {
			float f = (float)((double)i * 0.25 - 3.0 + seed);
			memcpy(p, &f, 4);
		} else if (t->elem == PK_ELEM_F64) {
			double d = (double)i * 0.125 - 7.0 + seed;
			memcpy(p, &d, 8);
		} else if (t->elem == PK_ELEM_BYTES) {
			for (size_t k = 0; k < t->w; k++)
				p[k] = (uint8_t)(i * 31 + k * 7 + seed);
		} else {
			memcpy(p, &x, t->w); /* the low bytes (x86) */
		}
	}
}

/* check_elem -- v is what pk_array_get() must give for the bytes at p */
static void
check_elem(const struct tdesc *t, const uint8_t *p, const pk_value *v,
		uint64_t i)
{
	int8_t i8; uint8_t u8; int16_t i16; uint16_t u16;
	int32_t i32; uint32_t u32; int64_t i64; float f; double d;
	int64_t want = 0;

	switch (t->elem) {
	case PK_ELEM_I8: memcpy(&i8, p, 1); want = i8; break;
	case PK_ELEM_U8: memcpy(&u8, p, 1); want = u8; break;
	case PK_ELEM_I16: memcpy(&i16, p, 2); want = i16; break;
	case PK_ELEM_U16: memcpy(&u16, p, 2); want = u16; break;
	case PK_ELEM_I32: memcpy(&i32, p, 4); want = i32; break;
	case PK_ELEM_U32: memcpy(&u32, p, 4); want = u32; break;
	case PK_ELEM_I64:
	case PK_ELEM_U64: memcpy(&i64, p, 8); want = i64; break;
	case PK_ELEM_F32:
		memcpy(&f, p, 4);
		ck_assert_int_eq(v->type, PK_DOUBLE);
		ck_assert_msg(v->u.d == (double)f, "%s[%llu]: %g, want %g",
				t->name, (unsigned long long)i, v->u.d, f);
		return;
	case PK_ELEM_F64:
		memcpy(&d, p, 8);
		ck_assert_int_eq(v->type, PK_DOUBLE);
		ck_assert_msg(v->u.d == d, "%s[%llu]: %g, want %g", t->name,
				(unsigned long long)i, v->u.d, d);
		return;
	default:
		ck_assert_int_eq(v->type, PK_BYTES);
		ck_assert_uint_eq(v->u.buf.len, t->w);
		ck_assert_msg(memcmp(v->u.buf.ptr, p, t->w) == 0,
				"%s[%llu]: bytes differ", t->name,
				(unsigned long long)i);
		return;
	}
	ck_assert_int_eq(v->type, PK_INT);
	ck_assert_msg(v->u.i == want, "%s[%llu]: %lld, want %lld", t->name,
			(unsigned long long)i, (long long)v->u.i,
			(long long)want);
}

static uint64_t
alen(pk_array *a)
{
	uint64_t n;
	PK_OK(pk_array_length(&n, a));
	return n;
}

/* check_contents -- a holds exactly the n elements at want */
static void
check_contents(pk_array *a, const struct tdesc *t, const uint8_t *want,
		uint64_t n)
{
	const void *ptr;
	size_t len;
	uint8_t *got = malloc(n * t->w + 1);

	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(alen(a), n);
	PK_OK(pk_array_read(got, a, 0, n));
	ck_assert_msg(memcmp(got, want, n * t->w) == 0, "%s: contents differ",
			t->name);
	PK_OK(pk_array_data(&ptr, &len, a));
	ck_assert_uint_eq(len, n * t->w);
	if (n == 0)
		ck_assert_ptr_null(ptr);
	else
		ck_assert(memcmp(ptr, want, len) == 0);
	for (uint64_t i = 0; i < n; i++) {
		pk_value v;
		PK_OK(pk_array_get(&v, a, (int64_t)i));
		check_elem(t, want + i * t->w, &v, i);
	}
	free(got);
}

/* store -- keep a in the root map under name */
static void
store(const char *name, pk_array *a)
{
	pk_value k = cstr(name), v = pk_array_value(a);
	PK_OK(pk_map_put(root, &k, &v));
}

/* fetch -- a new handle to the array stored under name */
static pk_array *
fetch(const char *name)
{
	pk_value k = cstr(name), v;
	pk_array *a;
	PK_OK(pk_map_get(&v, root, &k));
	ck_assert_int_eq(v.type, PK_ARRAY);
	PK_OK(pk_array_open(&a, pool, &v));
	return a;
}

/* ---------------------------------------------------------------------- */
/* core */

/* every type, zero-filled and from a buffer, and after reopen */
START_TEST(test_array_core__types)
{
	const struct tdesc *t = &types[_i];
	const uint64_t n = 37;
	uint8_t *zero = calloc(n, t->w), *init = malloc(n * t->w);
	pk_array *z, *a;
	pk_elem elem;
	size_t width;

	ck_assert(zero != NULL && init != NULL);
	fill(t, init, n, 1);
	PK_OK(pk_array_new(&z, pool, t->elem, t->width, n, NULL));
	PK_OK(pk_array_new(&a, pool, t->elem, t->width, n, init));
	PK_OK(pk_array_type(&elem, &width, a));
	ck_assert_int_eq(elem, t->elem);
	ck_assert_uint_eq(width, t->w);
	PK_OK(pk_array_type(NULL, &width, z));
	ck_assert_uint_eq(width, t->w);
	PK_OK(pk_array_type(&elem, NULL, z));
	ck_assert_int_eq(elem, t->elem);
	check_contents(z, t, zero, n);
	check_contents(a, t, init, n);
	store("zero", z);
	store("init", a);
	pk_array_close(z);
	pk_array_close(a);

	reopen();
	z = fetch("zero");
	a = fetch("init");
	check_contents(z, t, zero, n);
	check_contents(a, t, init, n);
	PK_OK(pk_array_type(&elem, &width, a));
	ck_assert_int_eq(elem, t->elem);
	ck_assert_uint_eq(width, t->w);
	pk_array_close(z);
	pk_array_close(a);

	/* an empty array holds no data, with or without init */
	PK_OK(pk_array_new(&a, pool, t->elem, t->width, 0, init));
	check_contents(a, t, zero, 0);
	pk_array_close(a);
	free(zero);
	free(init);
}
END_TEST

/* integer limits: each type's min and max fit, one beyond does not */
START_TEST(test_array_core__int_limits)
{
	static const struct {
		pk_elem elem;
		int64_t min, max;
		int bounded;	/* min - 1 and max + 1 are int64 values */
	} lim[] = {
		{ PK_ELEM_I8, INT8_MIN, INT8_MAX, 1 },
		{ PK_ELEM_U8, 0, UINT8_MAX, 1 },
		{ PK_ELEM_I16, INT16_MIN, INT16_MAX, 1 },
		{ PK_ELEM_U16, 0, UINT16_MAX, 1 },
		{ PK_ELEM_I32, INT32_MIN, INT32_MAX, 1 },
		{ PK_ELEM_U32, 0, UINT32_MAX, 1 },
		{ PK_ELEM_I64, INT64_MIN, INT64_MAX, 0 },
	};
	pk_array *a;
	pk_value v, out;

	for (size_t k = 0; k < sizeof(lim) / sizeof(lim[0]); k++) {
		PK_OK(pk_array_new(&a, pool, lim[k].elem, 0, 4, NULL));
		v = pk_int(lim[k].min);
		PK_OK(pk_array_set(a, 0, &v));
		v = pk_int(lim[k].max);
		PK_OK(pk_array_set(a, 1, &v));
		v = pk_bool(1);
		PK_OK(pk_array_set(a, 2, &v));
		v = pk_int(-5 < lim[k].min ? 5 : -5);
		PK_OK(pk_array_set(a, 3, &v));
		if (lim[k].bounded) {
			v = pk_int(lim[k].min - 1);
			PK_RC(pk_array_set(a, 0, &v), PK_ERANGE);
			v = pk_int(lim[k].max + 1);
			PK_RC(pk_array_set(a, 1, &v), PK_ERANGE);
			v = pk_int(INT64_MIN);
			PK_RC(pk_array_set(a, 2, &v), PK_ERANGE);
			v = pk_int(INT64_MAX);
			PK_RC(pk_array_set(a, 3, &v), PK_ERANGE);
		}
		/* failed sets changed nothing */
		PK_OK(pk_array_get(&out, a, 0));
		ck_assert_int_eq(out.type, PK_INT);
		ck_assert(out.u.i == lim[k].min);
		PK_OK(pk_array_get(&out, a, 1));
		ck_assert(out.u.i == lim[k].max);
		PK_OK(pk_array_get(&out, a, 2));
		ck_assert_int_eq(out.type, PK_INT);
		ck_assert_int_eq(out.u.i, 1);
		PK_OK(pk_array_get(&out, a, 3));
		ck_assert_int_eq(out.u.i, -5 < lim[k].min ? 5 : -5);
		pk_array_close(a);
	}

	/* uint64 elements are the same 64 bits as the PK_INT */
	uint64_t raw[3];
	PK_OK(pk_array_new(&a, pool, PK_ELEM_U64, 0, 3, NULL));
	v = pk_int(-1);
	PK_OK(pk_array_set(a, 0, &v));
	v = pk_int(INT64_MIN);
	PK_OK(pk_array_set(a, 1, &v));
	v = pk_int(INT64_MAX);
	PK_OK(pk_array_set(a, 2, &v));
	PK_OK(pk_array_read(raw, a, 0, 3));
	ck_assert(raw[0] == UINT64_MAX);
	ck_assert(raw[1] == (uint64_t)1 << 63);
	ck_assert(raw[2] == (uint64_t)INT64_MAX);
	raw[0] = UINT64_MAX - 1;
	PK_OK(pk_array_write(a, 0, 1, raw));
	PK_OK(pk_array_get(&out, a, 0));
	ck_assert_int_eq(out.u.i, -2);
	pk_array_close(a);
}
END_TEST

/* float elements: ints and doubles convert, float32 overflow is refused */
START_TEST(test_array_core__float_values)
{
	pk_array *f, *d;
	pk_value v, out;
	float raw;

	PK_OK(pk_array_new(&f, pool, PK_ELEM_F32, 0, 2, NULL));
	PK_OK(pk_array_new(&d, pool, PK_ELEM_F64, 0, 2, NULL));

	v = pk_int(3);
	PK_OK(pk_array_set(f, 0, &v));
	PK_OK(pk_array_set(d, 0, &v));
	PK_OK(pk_array_get(&out, f, 0));
	ck_assert_int_eq(out.type, PK_DOUBLE);
	ck_assert(out.u.d == 3.0);
	PK_OK(pk_array_get(&out, d, 0));
	ck_assert(out.u.d == 3.0);

	/* double -> float rounds */
	v = pk_double(0.1);
	PK_OK(pk_array_set(f, 1, &v));
	PK_OK(pk_array_get(&out, f, 1));
	ck_assert(out.u.d == (double)0.1f);
	PK_OK(pk_array_read(&raw, f, 1, 1));
	ck_assert(raw == 0.1f);
	PK_OK(pk_array_set(d, 1, &v));
	PK_OK(pk_array_get(&out, d, 1));
	ck_assert(out.u.d == 0.1);

	/* the float32 limits fit; finite values beyond them do not */
	v = pk_double(FLT_MAX);
	PK_OK(pk_array_set(f, 0, &v));
	v = pk_double(-FLT_MAX);
	PK_OK(pk_array_set(f, 0, &v));
	v = pk_double(1e300);
	PK_RC(pk_array_set(f, 0, &v), PK_ERANGE);
	v = pk_double(-(double)FLT_MAX * 2);
	PK_RC(pk_array_set(f, 0, &v), PK_ERANGE);
	PK_OK(pk_array_get(&out, f, 0));
	ck_assert(out.u.d == -(double)FLT_MAX);
	v = pk_double(1e300);
	PK_OK(pk_array_set(d, 0, &v));
	/* infinities and NaN are values of both types */
	v = pk_double(INFINITY);
	PK_OK(pk_array_set(f, 0, &v));
	PK_OK(pk_array_get(&out, f, 0));
	ck_assert(isinf(out.u.d) && out.u.d > 0);
	v = pk_double(NAN);
	PK_OK(pk_array_set(f, 1, &v));
	PK_OK(pk_array_set(d, 1, &v));
	PK_OK(pk_array_get(&out, f, 1));
	ck_assert(isnan(out.u.d));
	PK_OK(pk_array_get(&out, d, 1));
	ck_assert(isnan(out.u.d));
	/* underflow rounds to zero, as any float32 conversion */
	v = pk_double(1e-300);
	PK_OK(pk_array_set(f, 1, &v));
	PK_OK(pk_array_get(&out, f, 1));
	ck_assert(out.u.d == 0.0);
	v = pk_int(INT64_MAX);
	PK_OK(pk_array_set(f, 1, &v));
	PK_OK(pk_array_get(&out, f, 1));
	ck_assert(out.u.d == (double)(float)INT64_MAX);
	pk_array_close(f);
	pk_array_close(d);
}
END_TEST

/* values of the wrong type, bytes of the wrong length, bad indexes */
START_TEST(test_array_core__set_errors)
{
	const struct tdesc *t = &types[_i];
	uint8_t init[3 * 100], bytes[101];
	pk_array *a;
	pk_value v, bad[8];
	int nbad = 0;

	fill(t, init, 3, 2);
	memset(bytes, 0xAB, sizeof(bytes));
	PK_OK(pk_array_new(&a, pool, t->elem, t->width, 3, init));
	bad[nbad++] = pk_nil();
	bad[nbad++] = cstr("x");
	if (t->elem != PK_ELEM_BYTES) {
		bad[nbad++] = pk_bytes(bytes, t->w);
	} else {
		bad[nbad++] = pk_int(1);
		bad[nbad++] = pk_double(1.0);
		bad[nbad++] = pk_bool(1);
		bad[nbad++] = pk_string((const char *)bytes, 0);
	}
	if (is_int(t->elem))
		bad[nbad++] = pk_double(1.0);
	if (t->elem == PK_ELEM_F32 || t->elem == PK_ELEM_F64)
		bad[nbad++] = pk_bool(0);
	{
		pk_map *m;
		PK_OK(pk_map_new(&m, pool));
		bad[nbad++] = pk_map_value(m);
		pk_map_close(m);
	}
	for (int k = 0; k < nbad; k++)
		PK_RC(pk_array_set(a, 1, &bad[k]), PK_EKIND);

	if (t->elem == PK_ELEM_BYTES) {
		v = pk_bytes(bytes, t->w - 1);
		PK_RC(pk_array_set(a, 0, &v), PK_EVALUE);
		v = pk_bytes(bytes, t->w + 1);
		PK_RC(pk_array_set(a, 0, &v), PK_EVALUE);
		v = pk_bytes(bytes, t->w);
		PK_OK(pk_array_set(a, 0, &v));
		memcpy(init, bytes, t->w);
	} else {
		v = pk_int(1);
		PK_OK(pk_array_set(a, 0, &v));
		PK_OK(pk_array_read(init, a, 0, 1));
	}
	/* a bool must be 0 or 1 wherever it goes */
	v = pk_bool(1);
	v.u.i = 2;
	PK_RC(pk_array_set(a, 1, &v), PK_EVALUE);
	PK_RC(pk_array_set(a, 1, NULL), EINVAL);

	/* indexes: negative from the end, out of range either way */
	pk_value out;
	PK_OK(pk_array_get(&out, a, -1));
	check_elem(t, init + 2 * t->w, &out, 2);
	PK_OK(pk_array_get(&out, a, -3));
	check_elem(t, init, &out, 0);
	static const int64_t badidx[] = { 3, 4, -4, INT64_MAX, INT64_MIN };
	for (size_t k = 0; k < sizeof(badidx) / sizeof(badidx[0]); k++) {
		PK_RC(pk_array_get(&out, a, badidx[k]), PK_ERANGE);
		PK_OK(pk_array_get(&out, a, 2));
		PK_RC(pk_array_set(a, badidx[k], &out), PK_ERANGE);
	}
	check_contents(a, t, init, 3);
	pk_array_close(a);
}
END_TEST

/* read and write of ranges, with their bounds */
START_TEST(test_array_core__read_write)
{
	const struct tdesc *t = &types[_i];
	const uint64_t n = 200;
	uint8_t *ref = calloc(n, t->w), *src = malloc(n * t->w);
	uint8_t *got = malloc(n * t->w);
	pk_array *a;

	ck_assert(ref != NULL && src != NULL && got != NULL);
	fill(t, src, n, 3);
	PK_OK(pk_array_new(&a, pool, t->elem, t->width, n, NULL));
	/* pieces at the start, the middle and the end */
	PK_OK(pk_array_write(a, 0, 10, src));
	memcpy(ref, src, 10 * t->w);
	PK_OK(pk_array_write(a, 50, 60, src + 50 * t->w));
	memcpy(ref + 50 * t->w, src + 50 * t->w, 60 * t->w);
	PK_OK(pk_array_write(a, n - 1, 1, src));
	memcpy(ref + (n - 1) * t->w, src, t->w);
	check_contents(a, t, ref, n);
	PK_OK(pk_array_read(got, a, 55, 20));
	ck_assert(memcmp(got, ref + 55 * t->w, 20 * t->w) == 0);

	/* empty ranges anywhere up to the end are fine */
	PK_OK(pk_array_write(a, n, 0, src));
	PK_OK(pk_array_read(got, a, n, 0));
	PK_OK(pk_array_write(a, 7, 0, src));
	/* beyond the end, and counts that would wrap around */
	PK_RC(pk_array_read(got, a, n + 1, 0), PK_ERANGE);
	PK_RC(pk_array_read(got, a, 0, n + 1), PK_ERANGE);
	PK_RC(pk_array_read(got, a, n - 5, 6), PK_ERANGE);
	PK_RC(pk_array_read(got, a, 1, UINT64_MAX), PK_ERANGE);
	PK_RC(pk_array_read(got, a, UINT64_MAX, 2), PK_ERANGE);
	PK_RC(pk_array_write(a, n + 1, 0, src), PK_ERANGE);
	PK_RC(pk_array_write(a, 0, n + 1, src), PK_ERANGE);
	PK_RC(pk_array_write(a, n - 5, 6, src), PK_ERANGE);
	PK_RC(pk_array_write(a, 1, UINT64_MAX, src), PK_ERANGE);
	PK_RC(pk_array_write(a, UINT64_MAX, 2, src), PK_ERANGE);
	PK_RC(pk_array_read(NULL, a, 0, 1), EINVAL);
	PK_RC(pk_array_write(a, 0, 1, NULL), EINVAL);
	check_contents(a, t, ref, n);

	/* the whole array at once, persisted */
	PK_OK(pk_array_write(a, 0, n, src));
	store("a", a);
	pk_array_close(a);
	reopen();
	a = fetch("a");
	check_contents(a, t, src, n);
	pk_array_close(a);
	free(ref);
	free(src);
	free(got);
}
END_TEST

/* resize: growing zero-fills, shrinking keeps the start, 0 frees */
START_TEST(test_array_core__resize)
{
	const struct tdesc *t = &types[_i];
	uint8_t *ref = calloc(1000, t->w);
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	pk_pool_stats st0 = PK_POOL_STATS_INIT, st1 = PK_POOL_STATS_INIT;
	pk_array *a;
	pk_cursor *c;
	pk_value k, v;

	ck_assert_ptr_nonnull(ref);
	fill(t, ref, 10, 4);
	PK_OK(pk_array_new(&a, pool, t->elem, t->width, 10, ref));
	store("a", a);
	PK_OK(pk_array_cursor(&c, a));
	PK_OK(pk_array_resize(a, 1000));
	check_contents(a, t, ref, 1000);
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	fill(t, ref + 990 * t->w, 10, 5);
	PK_OK(pk_array_write(a, 990, 10, ref + 990 * t->w));
	PK_OK(pk_array_resize(a, 995));
	check_contents(a, t, ref, 995);
	PK_OK(pk_array_resize(a, 995)); /* the same length: nothing to do */
	check_contents(a, t, ref, 995);
	/* what the shrink cut off does not come back on growing */
	PK_OK(pk_array_resize(a, 1000));
	memset(ref + 995 * t->w, 0, 5 * t->w);
	check_contents(a, t, ref, 1000);

	/* to 0 gives the elements' allocation back; and back again */
	PK_OK(pk_pool_stats_get(&st0, pool));
	PK_OK(pk_array_resize(a, 0));
	PK_OK(pk_pool_stats_get(&st1, pool));
	ck_assert_uint_eq(st1.objects, st0.objects - 1);
	ck_assert_uint_lt(st1.used, st0.used);
	check_contents(a, t, ref, 0);
	PK_OK(pk_array_resize(a, 0));
	PK_OK(pk_array_resize(a, 20));
	memset(ref, 0, 20 * t->w);
	check_contents(a, t, ref, 20);
	PK_OK(pk_array_resize(a, 0));
	PK_OK(pk_pool_check(&rep, pool));

	/* sizes that overflow */
	PK_RC(pk_array_resize(a, UINT64_MAX), EINVAL);
	if (t->w > 1)
		PK_RC(pk_array_resize(a, UINT64_MAX / t->w + 1), EINVAL);
	PK_RC(pk_array_resize(NULL, 1), EINVAL);

	/* the length persists */
	fill(t, ref, 30, 6);
	PK_OK(pk_array_resize(a, 30));
	PK_OK(pk_array_write(a, 0, 30, ref));
	pk_array_close(a);
	reopen();
	a = fetch("a");
	check_contents(a, t, ref, 30);
	pk_array_close(a);
	free(ref);
}
END_TEST

/* pk_array_data() is the array in place: what read() gives, no copy */
START_TEST(test_array_core__data_in_place)
{
	double src[500], got[500];
	const void *p1, *p2;
	size_t len;
	pk_array *a;

	for (int i = 0; i < 500; i++)
		src[i] = i * 1.5;
	PK_OK(pk_array_new(&a, pool, PK_ELEM_F64, 0, 500, src));
	PK_OK(pk_array_data(&p1, &len, a));
	ck_assert_uint_eq(len, sizeof(src));
	PK_OK(pk_array_read(got, a, 0, 500));
	ck_assert(memcmp(p1, got, len) == 0);
	/* the pointer sees later writes: it is the array, not a copy */
	pk_value v = pk_double(-1.0);
	PK_OK(pk_array_set(a, 499, &v));
	ck_assert(((const double *)p1)[499] == -1.0);
	PK_OK(pk_array_data(&p2, &len, a));
	ck_assert_ptr_eq(p1, p2);
	/* elements are aligned for every element type */
	ck_assert_uint_eq((uintptr_t)p1 % 8, 0);
	PK_RC(pk_array_data(NULL, &len, a), EINVAL);
	PK_RC(pk_array_data(&p1, NULL, a), EINVAL);
	pk_array_close(a);
}
END_TEST

/* a 1,000,000-element float64 array written in one transaction */
START_TEST(test_array_core__million_float64)
{
	const uint64_t n = 1000000;
	double *src = malloc(n * sizeof(double)), *got = malloc(n *
			sizeof(double));
	pk_array *a;
	const void *p;
	size_t len;

	ck_assert(src != NULL && got != NULL);
	for (uint64_t i = 0; i < n; i++)
		src[i] = (double)i * 0.001 - 17.0;
	PK_OK(pk_array_new(&a, pool, PK_ELEM_F64, 0, n, NULL));
	store("big", a);
	PK_OK(pk_array_write(a, 0, n, src));
	PK_OK(pk_array_read(got, a, 0, n));
	ck_assert(memcmp(got, src, n * sizeof(double)) == 0);
	pk_array_close(a);
	reopen();
	a = fetch("big");
	ck_assert_uint_eq(alen(a), n);
	PK_OK(pk_array_data(&p, &len, a));
	ck_assert_uint_eq(len, n * sizeof(double));
	ck_assert(memcmp(p, src, len) == 0);
	pk_value v;
	PK_OK(pk_array_get(&v, a, -1));
	ck_assert(v.u.d == src[n - 1]);
	PK_OK(pk_pool_check(&(pk_check_report)PK_CHECK_REPORT_INIT, pool));
	pk_array_close(a);
	free(src);
	free(got);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* windows */

START_TEST(test_array_window__commit_persists)
{
	int32_t init[100], *w;
	pk_array *a;

	for (int i = 0; i < 100; i++)
		init[i] = i;
	PK_OK(pk_array_new(&a, pool, PK_ELEM_I32, 0, 100, init));
	store("a", a);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_array_window((void **)&w, a, 10, 20));
	for (int i = 0; i < 10; i++)
		w[i] = -i - 1000;
	/* a second window in the same transaction, overlapping the first */
	PK_OK(pk_array_window((void **)&w, a, 15, 100));
	w[84] = 4242;
	PK_OK(pk_tx_commit(pool));
	for (int i = 0; i < 10; i++)
		init[10 + i] = -i - 1000;
	init[99] = 4242;
	check_contents(a, &types[4], (uint8_t *)init, 100);
	pk_array_close(a);
	reopen();
	a = fetch("a");
	check_contents(a, &types[4], (uint8_t *)init, 100);
	pk_array_close(a);
}
END_TEST

START_TEST(test_array_window__abort_restores)
{
	uint8_t init[16 * 50];
	uint8_t *w;
	pk_array *a;

	fill(&types[12], init, 50, 7);
	PK_OK(pk_array_new(&a, pool, PK_ELEM_BYTES, 16, 50, init));
	store("a", a);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_array_window((void **)&w, a, 0, 50));
	memset(w, 0x5A, 16 * 50);
	/* visible inside the transaction */
	pk_value v;
	PK_OK(pk_array_get(&v, a, 3));
	ck_assert_int_eq(((const uint8_t *)v.u.buf.ptr)[0], 0x5A);
	PK_OK(pk_tx_abort(pool));
	check_contents(a, &types[12], init, 50);
	pk_array_close(a);
	reopen();
	a = fetch("a");
	check_contents(a, &types[12], init, 50);
	pk_array_close(a);
}
END_TEST

START_TEST(test_array_window__needs_transaction)
{
	pk_array *a;
	pk_pool *other;
	void *w = (void *)1;

	PK_OK(pk_array_new(&a, pool, PK_ELEM_U8, 0, 10, NULL));
	PK_RC(pk_array_window(&w, a, 0, 10), PK_ETXN);
	ck_assert_ptr_null(w);
	PK_RC(pk_array_window(&w, a, 0, 0), PK_ETXN);
	/* a transaction on another pool is not one on this pool */
	PK_OK(pk_pool_create(&other, test_file("other"), POOL_SIZE, 0));
	PK_OK(pk_tx_begin(other));
	PK_RC(pk_array_window(&w, a, 0, 10), PK_ETXN);
	PK_OK(pk_tx_abort(other));
	PK_OK(pk_pool_close(other));

	/* bad bounds fail before any change: the transaction goes on */
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_array_window(&w, a, 5, 4), PK_ERANGE);
	PK_RC(pk_array_window(&w, a, 0, 11), PK_ERANGE);
	PK_RC(pk_array_window(&w, a, 11, 11), PK_ERANGE);
	PK_RC(pk_array_window(&w, a, UINT64_MAX, UINT64_MAX), PK_ERANGE);
	PK_RC(pk_array_window(NULL, a, 0, 1), EINVAL);
	PK_RC(pk_array_window(&w, NULL, 0, 1), EINVAL);
	PK_OK(pk_array_window(&w, a, 10, 10)); /* empty, at the end */
	PK_OK(pk_array_window(&w, a, 2, 3));
	*(uint8_t *)w = 9;
	PK_OK(pk_tx_commit(pool));
	pk_value v;
	PK_OK(pk_array_get(&v, a, 2));
	ck_assert_int_eq(v.u.i, 9);

	/* an aborted transaction gives no window */
	pk_value big = pk_int(1000);
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_array_set(a, 0, &v));
	PK_RC(pk_array_set(a, 0, &big), PK_ERANGE); /* no harm done */
	PK_OK(pk_tx_abort(pool));
	PK_RC(pk_array_window(&w, a, 0, 1), PK_EABORTED);
	PK_RC(pk_tx_commit(pool), PK_EABORTED);

	/* an empty array has an empty window */
	pk_array *e;
	PK_OK(pk_array_new(&e, pool, PK_ELEM_F32, 0, 0, NULL));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_array_window(&w, e, 0, 0));
	ck_assert_ptr_null(w);
	PK_OK(pk_tx_commit(pool));
	pk_array_close(e);
	pk_array_close(a);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* rollback: every mutating operation, undone byte for byte */

struct astate {
	uint64_t len;
	pk_elem elem;
	size_t width;
	uint8_t *bytes;
	pk_pool_stats st;
};

static void
capture(struct astate *s, pk_array *a)
{
	const void *p;
	size_t n;

	PK_OK(pk_array_length(&s->len, a));
	PK_OK(pk_array_type(&s->elem, &s->width, a));
	PK_OK(pk_array_data(&p, &n, a));
	s->bytes = malloc(n + 1);
	ck_assert_ptr_nonnull(s->bytes);
	if (n > 0)
		memcpy(s->bytes, p, n);
	s->st.version = PK_POOL_STATS_VERSION;
	PK_OK(pk_pool_stats_get(&s->st, pool));
}

static void
expect_state(const struct astate *s, pk_array *a, const char *when)
{
	struct astate now;

	capture(&now, a);
	ck_assert_msg(now.len == s->len, "%s: length %llu, was %llu", when,
			(unsigned long long)now.len,
			(unsigned long long)s->len);
	ck_assert_msg(now.elem == s->elem && now.width == s->width,
			"%s: type changed", when);
	ck_assert_msg(memcmp(now.bytes, s->bytes, s->len * s->width) == 0,
			"%s: contents differ", when);
	ck_assert_msg(now.st.used == s->st.used && now.st.objects ==
			s->st.objects, "%s: %llu objects, %llu bytes used; "
			"were %llu, %llu", when,
			(unsigned long long)now.st.objects,
			(unsigned long long)now.st.used,
			(unsigned long long)s->st.objects,
			(unsigned long long)s->st.used);
	free(now.bytes);
}

enum { RB_SET, RB_WRITE, RB_GROW, RB_SHRINK, RB_EMPTY, RB_WINDOW, RB_NEW,
	RB_ALL, RB_COUNT };

/* mutate -- change the array with operation op; must be visible */
static void
mutate(pk_array *a, int op)
{
	int32_t buf[3000], *w;
	pk_value v = pk_int(-77), out;
	pk_array *n;
	uint64_t len;

	for (int i = 0; i < 3000; i++)
		buf[i] = i * 3 + 1;
	switch (op) {
	case RB_SET:
		PK_OK(pk_array_set(a, 5, &v));
		PK_OK(pk_array_set(a, -1, &v));
		PK_OK(pk_array_get(&out, a, -1));
		ck_assert_int_eq(out.u.i, -77);
		break;
	case RB_WRITE:
		PK_OK(pk_array_write(a, 100, 600, buf));
		PK_OK(pk_array_get(&out, a, 101));
		ck_assert_int_eq(out.u.i, 4);
		break;
	case RB_GROW:
		PK_OK(pk_array_resize(a, 5000));
		PK_OK(pk_array_write(a, 2000, 3000, buf));
		ck_assert_uint_eq(alen(a), 5000);
		break;
	case RB_SHRINK:
		PK_OK(pk_array_resize(a, 10));
		ck_assert_uint_eq(alen(a), 10);
		break;
	case RB_EMPTY:
		PK_OK(pk_array_resize(a, 0));
		ck_assert_uint_eq(alen(a), 0);
		break;
	case RB_WINDOW:
		PK_OK(pk_array_window((void **)&w, a, 0, 1000));
		memset(w, 0xEE, 4000);
		PK_OK(pk_array_get(&out, a, 999));
		ck_assert_int_eq(out.u.i, (int32_t)0xEEEEEEEE);
		break;
	case RB_NEW:
		PK_OK(pk_array_new(&n, pool, PK_ELEM_F64, 0, 700, NULL));
		store("new", n);
		PK_OK(pk_array_resize(n, 800));
		pk_array_close(n);
		break;
	case RB_ALL:
		/* the window before the shrinks, which leave it no room */
		mutate(a, RB_SET);
		mutate(a, RB_WRITE);
		mutate(a, RB_WINDOW);
		mutate(a, RB_GROW);
		mutate(a, RB_NEW);
		mutate(a, RB_SHRINK);
		mutate(a, RB_EMPTY);
		PK_OK(pk_array_length(&len, a));
		ck_assert_uint_eq(len, 0);
		PK_OK(pk_array_resize(a, 3));
		break;
	}
}

static const char *const rb_names[] = { "set", "write", "resize grow",
	"resize shrink", "resize to 0", "window", "new", "all" };

START_TEST(test_array_rollback__every_operation)
{
	int32_t init[1000];
	struct astate before;
	pk_array *a;
	char when[64];

	for (int i = 0; i < 1000; i++)
		init[i] = i * 7 - 3000;
	PK_OK(pk_array_new(&a, pool, PK_ELEM_I32, 0, 1000, init));
	store("a", a);
	capture(&before, a);
	for (int levels = 1; levels <= 2; levels++) {
		for (int l = 0; l < levels; l++)
			PK_OK(pk_tx_begin(pool));
		mutate(a, _i);
		for (int l = 1; l < levels; l++)
			PK_OK(pk_tx_commit(pool));
		PK_OK(pk_tx_abort(pool));
		snprintf(when, sizeof(when), "%s, %d levels", rb_names[_i],
				levels);
		expect_state(&before, a, when);
	}
	pk_value k = cstr("new"), out;
	PK_RC(pk_map_get(&out, root, &k), PK_NOTFOUND);
	PK_OK(pk_pool_check(&(pk_check_report)PK_CHECK_REPORT_INIT, pool));
	pk_array_close(a);
	reopen();
	a = fetch("a");
	snprintf(when, sizeof(when), "%s, after reopen", rb_names[_i]);
	expect_state(&before, a, when);

	/* and committed, the change stays */
	PK_OK(pk_tx_begin(pool));
	mutate(a, _i);
	PK_OK(pk_tx_commit(pool));
	PK_OK(pk_pool_check(&(pk_check_report)PK_CHECK_REPORT_INIT, pool));
	free(before.bytes);
	pk_array_close(a);
}
END_TEST

/* an array created in an aborted transaction is gone */
START_TEST(test_array_rollback__new_is_stale)
{
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	pk_array *a;
	uint64_t n;

	PK_OK(pk_pool_stats_get(&before, pool));
	PK_OK(pk_tx_begin(pool));
	PK_OK(pk_array_new(&a, pool, PK_ELEM_I16, 0, 100, NULL));
	store("a", a);
	PK_OK(pk_tx_abort(pool));
	PK_RC(pk_array_length(&n, a), PK_ESTALE);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
	ck_assert_uint_eq(after.used, before.used);
	pk_array_close(a);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* arrays held by maps */

START_TEST(test_array_nest__in_maps_after_reopen)
{
	pk_map *child;
	pk_array *a;
	int64_t init[64];
	pk_value k = pk_int(1), v, out;

	for (int i = 0; i < 64; i++)
		init[i] = (int64_t)i << 40;
	PK_OK(pk_map_new(&child, pool));
	v = pk_map_value(child);
	pk_value ck = cstr("child");
	PK_OK(pk_map_put(root, &ck, &v));
	PK_OK(pk_array_new(&a, pool, PK_ELEM_I64, 0, 64, init));
	v = pk_array_value(a);
	ck_assert_int_eq(v.type, PK_ARRAY);
	PK_OK(pk_map_put(child, &k, &v));
	pk_array_close(a);
	pk_map_close(child);

	reopen();
	PK_OK(pk_map_get(&out, root, &ck));
	PK_OK(pk_map_open(&child, pool, &out));
	PK_OK(pk_map_get(&out, child, &k));
	ck_assert_int_eq(out.type, PK_ARRAY);
	PK_OK(pk_array_open(&a, pool, &out));
	check_contents(a, &types[6], (uint8_t *)init, 64);
	/* the value of a reopened handle names the same array */
	v = pk_array_value(a);
	ck_assert(v.u.ref.off == out.u.ref.off && v.u.ref.gen ==
			out.u.ref.gen);
	/* a map is not an array, nor an array a map */
	pk_array *bad = (pk_array *)1;
	PK_RC(pk_array_open(&bad, pool, &ck), PK_EKIND);
	ck_assert_ptr_null(bad);
	PK_OK(pk_map_get(&out, root, &ck));
	PK_RC(pk_array_open(&bad, pool, &out), PK_EKIND);
	ck_assert_ptr_null(bad);
	out.type = PK_ARRAY;
	PK_RC(pk_array_open(&bad, pool, &out), PK_EKIND);
	PK_OK(pk_map_get(&out, child, &k));
	pk_map *m;
	PK_RC(pk_map_open(&m, pool, &out), PK_EKIND);
	out.type = PK_MAP;
	PK_RC(pk_map_open(&m, pool, &out), PK_EKIND);
	PK_OK(pk_pool_check(&(pk_check_report)PK_CHECK_REPORT_INIT, pool));
	pk_array_close(a);
	pk_map_close(child);
}
END_TEST

START_TEST(test_array_nest__two_references)
{
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	pk_value ka = cstr("a"), kb = cstr("b"), v, out;
	pk_array *a;
	uint64_t n;

	PK_OK(pk_pool_stats_get(&before, pool));
	PK_OK(pk_array_new(&a, pool, PK_ELEM_U16, 0, 1000, NULL));
	v = pk_array_value(a);
	PK_OK(pk_map_put(root, &ka, &v));
	PK_OK(pk_map_put(root, &kb, &v));
	PK_OK(pk_map_remove(root, &ka));
	/* still held by "b" */
	PK_OK(pk_array_length(&n, a));
	ck_assert_uint_eq(n, 1000);
	v = pk_int(65535);
	PK_OK(pk_array_set(a, 999, &v));
	reopen();
	PK_RC(pk_array_length(&n, a), PK_ECLOSED);
	pk_array_close(a);
	a = fetch("b");
	PK_OK(pk_array_get(&out, a, 999));
	ck_assert_int_eq(out.u.i, 65535);
	PK_OK(pk_map_remove(root, &kb));

	/* the last reference went: freed, every use reports it */
	const void *p;
	size_t len;
	pk_cursor *c;
	void *w;
	PK_RC(pk_array_length(&n, a), PK_ESTALE);
	PK_RC(pk_array_type(NULL, NULL, a), PK_ESTALE);
	PK_RC(pk_array_get(&out, a, 0), PK_ESTALE);
	PK_RC(pk_array_set(a, 0, &v), PK_ESTALE);
	PK_RC(pk_array_read(&n, a, 0, 1), PK_ESTALE);
	PK_RC(pk_array_write(a, 0, 1, &n), PK_ESTALE);
	PK_RC(pk_array_resize(a, 3), PK_ESTALE);
	PK_RC(pk_array_data(&p, &len, a), PK_ESTALE);
	PK_RC(pk_array_cursor(&c, a), PK_ESTALE);
	PK_OK(pk_tx_begin(pool));
	PK_RC(pk_array_window(&w, a, 0, 1), PK_ESTALE);
	PK_OK(pk_tx_commit(pool));
	v = pk_array_value(a);
	pk_array *again;
	PK_RC(pk_array_open(&again, pool, &v), PK_ESTALE);
	PK_RC(pk_map_put(root, &ka, &v), PK_ESTALE);
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
	ck_assert_uint_eq(after.used, before.used);
	pk_array_close(a);
}
END_TEST

/* gc frees unreferenced arrays and their data; check walks stored ones */
START_TEST(test_array_nest__gc_and_check)
{
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	pk_array *kept, *lost, *empty;
	uint64_t freed, n;

	PK_OK(pk_pool_stats_get(&before, pool));
	PK_OK(pk_array_new(&kept, pool, PK_ELEM_BYTES, 5, 300, NULL));
	PK_OK(pk_array_new(&empty, pool, PK_ELEM_F32, 0, 0, NULL));
	PK_OK(pk_array_new(&lost, pool, PK_ELEM_U32, 0, 300, NULL));
	store("kept", kept);
	store("empty", empty);
	PK_RC(pk_pool_check(&rep, pool), PK_ECORRUPT);
	ck_assert_uint_eq(rep.leaked, 2); /* the header and the data */
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_eq(freed, 2);
	PK_RC(pk_array_length(&n, lost), PK_ESTALE);
	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.objects, rep.reachable);
	PK_OK(pk_array_length(&n, kept));
	ck_assert_uint_eq(n, 300);
	pk_value kk = cstr("kept"), ke = cstr("empty");
	PK_OK(pk_map_remove(root, &kk));
	PK_OK(pk_map_remove(root, &ke));
	PK_OK(pk_pool_stats_get(&after, pool));
	ck_assert_uint_eq(after.objects, before.objects);
	pk_array_close(kept);
	pk_array_close(lost);
	pk_array_close(empty);
}
END_TEST

/* damaged element data is reported, not trusted */
START_TEST(test_array_nest__damage_detected)
{
	/* the elements start 64 bytes into their allocation, after the
	 * magic, a reserved word, the byte count and padding (struct
	 * pk_arraydata, lib/layout.h) */
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	pk_array *a;
	const void *p;
	size_t len;
	uint64_t freed;

	PK_OK(pk_array_new(&a, pool, PK_ELEM_I8, 0, 100, NULL));
	store("a", a);
	PK_OK(pk_array_data(&p, &len, a));
	uint32_t *magic = (uint32_t *)((uint8_t *)p - 64);
	uint64_t *bytes = (uint64_t *)((uint8_t *)p - 64 + 8);
	uint32_t saved = *magic;

	*magic = 0xDEADBEEF;
	PK_RC(pk_pool_check(&rep, pool), PK_ECORRUPT);
	ck_assert_uint_eq(rep.damaged, 1);
	PK_RC(pk_pool_gc(&freed, pool), PK_ECORRUPT);
	PK_RC(pk_array_resize(a, 200), PK_ECORRUPT);
	*magic = saved;
	*bytes = 99;
	PK_RC(pk_pool_check(&rep, pool), PK_ECORRUPT);
	ck_assert_uint_eq(rep.damaged, 1);
	PK_RC(pk_array_resize(a, 0), PK_ECORRUPT);
	*bytes = 100;
	PK_OK(pk_pool_check(&rep, pool));
	PK_OK(pk_array_resize(a, 200));
	pk_array_close(a);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* cursors */

START_TEST(test_array_cursor__visits_in_order)
{
	const struct tdesc *t = &types[_i];
	const uint64_t n = 50;
	uint8_t *init = malloc(n * t->w);
	pk_array *a;
	pk_cursor *c;
	pk_value k, v;
	uint64_t i = 0;
	int rc;

	ck_assert_ptr_nonnull(init);
	fill(t, init, n, 8);
	PK_OK(pk_array_new(&a, pool, t->elem, t->width, n, init));
	PK_OK(pk_array_cursor(&c, a));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		ck_assert_int_eq(k.type, PK_INT);
		ck_assert_int_eq(k.u.i, (int64_t)i);
		check_elem(t, init + i * t->w, &v, i);
		i++;
	}
	PK_RC(rc, PK_ITEROVER);
	ck_assert_uint_eq(i, n);
	PK_RC(pk_cursor_next(NULL, NULL, c), PK_ITEROVER);
	pk_cursor_free(c);
	pk_array_close(a);
	free(init);
}
END_TEST

START_TEST(test_array_cursor__changed)
{
	pk_array *a;
	pk_cursor *c;
	pk_value k, v, x = pk_int(7);

	PK_OK(pk_array_new(&a, pool, PK_ELEM_I32, 0, 3, NULL));
	PK_OK(pk_array_cursor(&c, a));
	PK_OK(pk_cursor_next(&k, NULL, c));
	/* setting and writing elements does not disturb a cursor */
	PK_OK(pk_array_set(a, 1, &x));
	PK_OK(pk_array_write(a, 2, 1, &(int32_t){ 8 }));
	PK_OK(pk_cursor_next(NULL, &v, c));
	ck_assert_int_eq(v.u.i, 7);
	PK_OK(pk_cursor_next(&k, &v, c));
	ck_assert_int_eq(k.u.i, 2);
	ck_assert_int_eq(v.u.i, 8);
	PK_OK(pk_array_resize(a, 4));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ECHANGED);
	pk_cursor_free(c);

	/* an empty array ends at once */
	PK_OK(pk_array_resize(a, 0));
	PK_OK(pk_array_cursor(&c, a));
	PK_RC(pk_cursor_next(&k, &v, c), PK_ITEROVER);
	pk_cursor_free(c);
	PK_RC(pk_array_cursor(NULL, a), EINVAL);
	PK_RC(pk_array_cursor(&c, NULL), EINVAL);
	ck_assert_ptr_null(c);
	pk_array_close(a);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* errors */

START_TEST(test_array_errors__bad_arguments)
{
	pk_array *a = (pk_array *)1;
	uint64_t n;
	pk_elem e;
	size_t w;
	pk_value v = pk_int(0), out;
	uint8_t buf[8];

	/* unknown types, bad widths, sizes that overflow */
	PK_RC(pk_array_new(&a, pool, (pk_elem)0, 0, 1, NULL), EINVAL);
	ck_assert_ptr_null(a);
	PK_RC(pk_array_new(&a, pool, (pk_elem)12, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, (pk_elem)-1, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, PK_ELEM_I32, 4, 1, NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, PK_ELEM_BYTES, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, PK_ELEM_BYTES, (size_t)1 << 32, 1,
			NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, PK_ELEM_I16, 0, UINT64_MAX / 2 + 1,
			NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, PK_ELEM_BYTES, 1000, UINT64_MAX / 999,
			NULL), EINVAL);
	PK_RC(pk_array_new(&a, pool, PK_ELEM_U8, 0, UINT64_MAX, NULL),
			EINVAL);
	/* large but addressable: the pool is too small */
	PK_RC(pk_array_new(&a, pool, PK_ELEM_F64, 0, (uint64_t)1 << 30, NULL),
			PK_ENOSPACE);
	PK_RC(pk_array_new(NULL, pool, PK_ELEM_U8, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_new(&a, NULL, PK_ELEM_U8, 0, 1, NULL), EINVAL);
	PK_RC(pk_array_open(NULL, pool, &v), EINVAL);
	PK_RC(pk_array_open(&a, NULL, &v), EINVAL);
	PK_RC(pk_array_open(&a, pool, NULL), EINVAL);
	PK_RC(pk_array_open(&a, pool, &v), PK_EKIND);

	PK_OK(pk_array_new(&a, pool, PK_ELEM_U8, 0, 4, NULL));
	PK_RC(pk_array_length(NULL, a), EINVAL);
	PK_RC(pk_array_length(&n, NULL), EINVAL);
	PK_RC(pk_array_type(&e, &w, NULL), EINVAL);
	PK_RC(pk_array_read(NULL, a, 0, 0), EINVAL);
	PK_RC(pk_array_read(buf, NULL, 0, 1), EINVAL);
	PK_RC(pk_array_write(NULL, 0, 1, buf), EINVAL);
	PK_RC(pk_array_write(a, 0, 0, NULL), EINVAL);
	PK_RC(pk_array_get(NULL, a, 0), EINVAL);
	PK_RC(pk_array_get(&out, NULL, 0), EINVAL);
	PK_RC(pk_array_set(NULL, 0, &v), EINVAL);
	PK_RC(pk_array_set(a, 0, NULL), EINVAL);
	PK_RC(pk_array_resize(NULL, 0), EINVAL);
	PK_RC(pk_array_data(NULL, NULL, a), EINVAL);
	{
		const void *p;
		size_t len;
		PK_RC(pk_array_data(&p, &len, NULL), EINVAL);
	}
	ck_assert_str_ne(pk_errormsg(), "");
	v = pk_array_value(NULL);
	ck_assert_int_eq(v.type, PK_ARRAY);
	ck_assert_uint_eq(v.u.ref.off, 0);
	pk_array *b = (pk_array *)1;
	PK_RC(pk_array_open(&b, pool, &v), PK_ESTALE);
	ck_assert_ptr_null(b);
	pk_array_close(NULL);
	pk_array_close(a);
}
END_TEST

START_TEST(test_array_errors__closed_pool)
{
	pk_array *a, *other;
	pk_cursor *c, *c2;
	pk_value one = pk_int(1), v, out;
	uint64_t n;
	const void *p;
	size_t len;
	void *w;

	PK_OK(pk_array_new(&a, pool, PK_ELEM_I32, 0, 4, NULL));
	PK_OK(pk_array_cursor(&c, a));
	v = pk_array_value(a);
	PK_OK(pk_pool_close(pool));
	PK_RC(pk_array_length(&n, a), PK_ECLOSED);
	PK_RC(pk_array_type(NULL, NULL, a), PK_ECLOSED);
	PK_RC(pk_array_get(&out, a, 0), PK_ECLOSED);
	PK_RC(pk_array_set(a, 0, &one), PK_ECLOSED);
	PK_RC(pk_array_read(&n, a, 0, 1), PK_ECLOSED);
	PK_RC(pk_array_write(a, 0, 1, &n), PK_ECLOSED);
	PK_RC(pk_array_resize(a, 8), PK_ECLOSED);
	PK_RC(pk_array_data(&p, &len, a), PK_ECLOSED);
	PK_RC(pk_array_window(&w, a, 0, 1), PK_ECLOSED);
	PK_RC(pk_array_cursor(&c2, a), PK_ECLOSED);
	PK_RC(pk_cursor_next(&v, &out, c), PK_ECLOSED);
	PK_RC(pk_array_new(&other, pool, PK_ELEM_I32, 0, 4, NULL),
			PK_ECLOSED);
	PK_RC(pk_array_open(&other, pool, &v), PK_ECLOSED);
	pk_cursor_free(c);
	pk_array_close(a);
	pk_map_close(root);
	root = NULL;
	pool = NULL;
}
END_TEST

/* ---------------------------------------------------------------------- */
/* out of space */

START_TEST(test_array_space__resize_until_full)
{
	pk_pool *sp;
	pk_map *sr;
	pk_array *a;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	pk_pool_stats before = PK_POOL_STATS_INIT, after = PK_POOL_STATS_INIT;
	uint64_t len = 1000, tried = 0;
	uint8_t *saved;
	const void *p;
	size_t n;
	int rc;

	PK_OK(pk_pool_create(&sp, test_file("small"), PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_root(&sr, sp));
	double init[1000];
	for (int i = 0; i < 1000; i++)
		init[i] = i + 0.5;
	PK_OK(pk_array_new(&a, sp, PK_ELEM_F64, 0, len, init));
	pk_value k = cstr("a"), v = pk_array_value(a);
	PK_OK(pk_map_put(sr, &k, &v));

	/*
	 * Grow by half each time; the old and the new copy must both fit.
	 * How far it gets is libpmemobj's business: in a pool this small,
	 * 1.12 fails allocations of about 130 KB to 2.4 MB outright, and the
	 * runs of the size classes passed on the way are not given back.
	 */
	for (;;) {
		PK_OK(pk_pool_stats_get(&before, sp));
		PK_OK(pk_array_data(&p, &n, a));
		saved = malloc(n);
		ck_assert_ptr_nonnull(saved);
		memcpy(saved, p, n);
		tried = len + len / 2;
		if ((rc = pk_array_resize(a, tried)) != 0)
			break;
		len = tried;
		free(saved);
	}
	PK_RC(rc, PK_ENOSPACE);
	ck_assert_msg(len > 1000, "only %llu elements fit",
			(unsigned long long)len);
	ck_assert_uint_eq(alen(a), len);
	PK_OK(pk_array_data(&p, &n, a));
	ck_assert_uint_eq(n, len * 8);
	ck_assert(memcmp(p, saved, n) == 0);
	ck_assert(memcmp(p, init, sizeof(init)) == 0);
	PK_OK(pk_pool_stats_get(&after, sp));
	ck_assert_uint_eq(after.objects, before.objects);
	ck_assert_uint_eq(after.used, before.used);
	PK_OK(pk_pool_check(&rep, sp));

	/* inside a transaction the failure aborts it; the array is as it was */
	PK_OK(pk_tx_begin(sp));
	PK_RC(pk_array_resize(a, tried), PK_ENOSPACE);
	PK_OK(pk_tx_abort(sp));
	ck_assert_uint_eq(alen(a), len);
	PK_OK(pk_array_data(&p, &n, a));
	ck_assert(memcmp(p, saved, n) == 0);
	PK_OK(pk_pool_check(&rep, sp));

	/* the space comes back: empty, then grow again */
	PK_OK(pk_array_resize(a, 0));
	PK_OK(pk_array_resize(a, len));
	pk_array_close(a);
	pk_map_close(sr);
	PK_OK(pk_pool_close(sp));
	PK_OK(pk_pool_open(&sp, test_file("small")));
	PK_OK(pk_pool_check(&rep, sp));
	PK_OK(pk_pool_close(sp));
	free(saved);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("array");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_array_core__types, 0, NTYPES);
	tcase_add_test(tc, test_array_core__int_limits);
	tcase_add_test(tc, test_array_core__float_values);
	tcase_add_loop_test(tc, test_array_core__set_errors, 0, NTYPES);
	tcase_add_loop_test(tc, test_array_core__read_write, 0, NTYPES);
	tcase_add_loop_test(tc, test_array_core__resize, 0, NTYPES);
	tcase_add_test(tc, test_array_core__data_in_place);
	tcase_add_test(tc, test_array_core__million_float64);
	suite_add_tcase(s, tc);

	tc = tcase_create("window");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_array_window__commit_persists);
	tcase_add_test(tc, test_array_window__abort_restores);
	tcase_add_test(tc, test_array_window__needs_transaction);
	suite_add_tcase(s, tc);

	tc = tcase_create("rollback");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_array_rollback__every_operation, 0,
			RB_COUNT);
	tcase_add_test(tc, test_array_rollback__new_is_stale);
	suite_add_tcase(s, tc);

	tc = tcase_create("nest");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_array_nest__in_maps_after_reopen);
	tcase_add_test(tc, test_array_nest__two_references);
	tcase_add_test(tc, test_array_nest__gc_and_check);
	tcase_add_test(tc, test_array_nest__damage_detected);
	suite_add_tcase(s, tc);

	tc = tcase_create("cursor");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_array_cursor__visits_in_order, 0,
			NTYPES);
	tcase_add_test(tc, test_array_cursor__changed);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_array_errors__bad_arguments);
	tcase_add_test(tc, test_array_errors__closed_pool);
	suite_add_tcase(s, tc);

	tc = tcase_create("space");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_array_space__resize_until_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(suite());
}
