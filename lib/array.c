/*
 * array.c -- the persistent typed array
 *
 * A header (struct pk_array_hdr) and the elements, contiguous, in one
 * pk_arraydata allocation, so the array can be read in place and written
 * in place inside a transaction. An empty array holds no allocation.
 * (Over 800 lines, as one file: its element encoding, checks and bounds
 * serve every operation inline; a third of it is the public functions'
 * lock brackets.)
 * Resizing copies the elements into a new allocation: arrays are meant
 * to be sized once and written often, and one allocation is what makes
 * pk_array_data() and pk_array_window() possible.
 *
 * Crash atomicity: every byte changed here is snapshotted before it is
 * written (pk__snap), except memory allocated in the same transaction.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "internal.h"

/* the range of the header that resize changes */
#define HDR_MUT_OFF offsetof(struct pk_array_hdr, length)
#define HDR_MUT_LEN (offsetof(struct pk_array_hdr, reserved) - HDR_MUT_OFF)

/* corrupt -- report damage found in an array: PK_ECORRUPT */
static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "array: %s", what);
}

/* elem_width -- bytes of a fixed-width type; 0 for byte strings and junk */
static size_t
elem_width(unsigned elem)
{
	static const uint8_t width[PK_ELEM_END_] = {
#define PK_ELEM_WIDTH_(name, value, sname, size, typecode, cls) [name] = size,
		PK_ELEM_TABLE(PK_ELEM_WIDTH_)
#undef PK_ELEM_WIDTH_
	};
	return elem < PK_ELEM_END_ ? width[elem] : 0;
}

/*
 * size_ok -- 1 if length elements of width bytes, with the allocation's
 * header, can be addressed at all; *bytes is then length * width
 */
static int
size_ok(uint64_t length, size_t width, uint64_t *bytes)
{
	return !__builtin_mul_overflow(length, (uint64_t)width, bytes) &&
		*bytes <= SIZE_MAX - sizeof(struct pk_arraydata);
}

/*
 * check_hdr -- what every use of a header relies on: a known element
 * type with its width, and a size that does not overflow
 */
static int
check_hdr(const struct pk_array_hdr *a, uint64_t *bytes)
{
	size_t w = elem_width(a->elem);

	if (a->elem == PK_ELEM_BYTES ? a->width == 0 : w == 0 || a->width != w)
		return corrupt("bad element type or width");
	if (!size_ok(a->length, a->width, bytes))
		return corrupt("length overflows");
	return 0;
}

/* elems_of -- the elements of array a, of bytes bytes (NULL when empty),
 * bounded by the pool */
static inline int
elems_of(uint8_t **out, pk_pool *pool, const struct pk_array_hdr *a,
		uint64_t bytes)
{
	struct pk_arraydata *d;

	*out = NULL;
	if (a->length == 0)
		return 0;
	d = pk__ptr(pool, a->data, sizeof(*d) + bytes);
	if (d == NULL)
		return corrupt("elements outside the pool");
	*out = d->data;
	return 0;
}

/*
 * array_hdr -- the header of the array h refers to, and its elements (NULL
 * when empty), bounded by the pool. The allocation's magic is not read on
 * this path (a cache line more per access, far from the element read);
 * resize, destroy and the pool walk check it before they rely on it.
 */
static int
array_hdr(struct pk_array_hdr **out, uint8_t **elems,
		const struct pk_handle *h)
{
	struct pk_array_hdr *a;
	uint64_t bytes;
	int rc;

	if ((rc = pk__handle_get((void **)&a, h)) != 0 ||
	    (rc = check_hdr(a, &bytes)) != 0 ||
	    (rc = elems_of(elems, h->pool, a, bytes)) != 0)
		return rc;
	*out = a;
	return 0;
}

/* array_check -- array_hdr()'s checks, for what every kind does alike
 * (the kind's check) */
static int
array_check(pk_pool *pool, const void *hdr)
{
	uint64_t bytes = 0;
	uint8_t *elems;
	int rc = check_hdr(hdr, &bytes);

	return rc != 0 ? rc : elems_of(&elems, pool, hdr, bytes);
}

/*
 * data_obj -- the allocation holding an array's elements, checked in
 * full before it is freed or reported: NULL for an empty array
 */
static int
data_obj(pk_pool *pool, const struct pk_array_hdr *a,
		struct pk_arraydata **out)
{
	struct pk_arraydata *d;
	uint64_t bytes;
	int rc;

	*out = NULL;
	if ((rc = check_hdr(a, &bytes)) != 0)
		return rc;
	if (a->length == 0)
		return a->data == 0 ? 0 : corrupt("an empty array holds data");
	d = pk__ptr(pool, a->data, sizeof(*d) + bytes);
	if (d == NULL || d->magic != PK_MAGIC_ARRAYDATA || d->bytes != bytes)
		return corrupt("bad element data");
	*out = d;
	return 0;
}

/*
 * data_new -- a new allocation for bytes (> 0) bytes of elements: zeroed
 * if zero, else the caller fills every byte
 */
static int
data_new(pk_pool *pool, uint64_t *off, struct pk_arraydata **out,
		uint64_t bytes, int zero)
{
	struct pk_arraydata *d;
	int rc = pk__alloc(pool, off, sizeof(*d) + bytes, PK_TN_ARRAYDATA,
			zero);
	if (rc != 0)
		return rc;
	d = (struct pk_arraydata *)(pool->base + *off);
	d->magic = PK_MAGIC_ARRAYDATA;
	d->reserved = 0;
	d->bytes = bytes;
	memset(d->pad, 0, sizeof(d->pad));
	*out = d;
	return 0;
}

/*
 * resolve -- the element index names, negative from the end. A negative
 * index past the start wraps around to more than length: one test.
 */
static int
resolve(uint64_t *i, int64_t index, uint64_t length)
{
	*i = (uint64_t)index;
	if (index < 0)
		*i += length;
	if (*i >= length)
		return pk__err(PK_ERANGE, "index %lld, length %llu",
				(long long)index, (unsigned long long)length);
	return 0;
}

/* span -- check that [start, start + count) lies in the array */
static int
span(const struct pk_array_hdr *a, uint64_t start, uint64_t count)
{
	if (start > a->length || count > a->length - start)
		return pk__err(PK_ERANGE, "elements [%llu, +%llu), length %llu",
				(unsigned long long)start,
				(unsigned long long)count,
				(unsigned long long)a->length);
	return 0;
}

/* one element of a fixed-width type, in the machine's representation */
union elem {
	int8_t i8; uint8_t u8; int16_t i16; uint16_t u16;
	int32_t i32; uint32_t u32; int64_t i64; uint64_t u64;
	float f; double d;
};

/* element -- the element at p as a value, as pk_array_get() gives it */
static pk_value
element(const struct pk_array_hdr *a, const uint8_t *p)
{
	union elem e;

	if (a->elem == PK_ELEM_BYTES)
		return pk_bytes(p, a->width);
	memcpy(&e, p, a->width);
	switch (a->elem) {
	case PK_ELEM_I8: return pk_int(e.i8);
	case PK_ELEM_U8: return pk_int(e.u8);
	case PK_ELEM_I16: return pk_int(e.i16);
	case PK_ELEM_U16: return pk_int(e.u16);
	case PK_ELEM_I32: return pk_int(e.i32);
	case PK_ELEM_U32: return pk_int(e.u32);
	case PK_ELEM_I64: return pk_int(e.i64);
	case PK_ELEM_U64: return pk_int((int64_t)e.u64); /* the same bits */
	case PK_ELEM_F32: return pk_double(e.f);
	default: return pk_double(e.d); /* PK_ELEM_F64: check_hdr saw it */
	}
}

/* int_fits -- whether integer i is in the range of an integer element */
static int
int_fits(unsigned elem, int64_t i)
{
	switch (elem) {
	case PK_ELEM_I8: return i >= INT8_MIN && i <= INT8_MAX;
	case PK_ELEM_U8: return i >= 0 && i <= UINT8_MAX;
	case PK_ELEM_I16: return i >= INT16_MIN && i <= INT16_MAX;
	case PK_ELEM_U16: return i >= 0 && i <= UINT16_MAX;
	case PK_ELEM_I32: return i >= INT32_MIN && i <= INT32_MAX;
	case PK_ELEM_U32: return i >= 0 && i <= UINT32_MAX;
	/* uint64 takes an int64's bits, the inverse of pk_array_get() */
	default: return 1;
	}
}

/*
 * encode -- the element for value v in *e, or for byte strings *src
 * pointing at v's own bytes; nothing is written to the pool
 */
static int
encode(union elem *e, const void **src, const struct pk_array_hdr *a,
		const pk_value *v)
{
	double d;

	*src = e;
	switch (a->elem) {
	case PK_ELEM_BYTES:
		if (v->type != PK_BYTES)
			return pk__err(PK_EKIND, "byte elements take PK_BYTES");
		if (v->u.buf.len != a->width)
			return pk__err(PK_EVALUE, "%zu bytes for elements of %u",
					v->u.buf.len, (unsigned)a->width);
		*src = v->u.buf.ptr;
		return 0;
	case PK_ELEM_F32:
	case PK_ELEM_F64:
		if (v->type == PK_INT)
			d = (double)v->u.i;
		else if (v->type == PK_DOUBLE)
			d = v->u.d;
		else
			return pk__err(PK_EKIND, "float elements take PK_INT "
					"or PK_DOUBLE");
		if (a->elem == PK_ELEM_F64) {
			e->d = d;
			return 0;
		}
		/* rounding is the point of float32; overflow is not */
		e->f = (float)d;
		if (isinf(e->f) && isfinite(d))
			return pk__err(PK_ERANGE, "%g overflows float32", d);
		return 0;
	}
	if (v->type != PK_INT && v->type != PK_BOOL)
		return pk__err(PK_EKIND, "integer elements take PK_INT or "
				"PK_BOOL");
	if (!int_fits(a->elem, v->u.i))
		return pk__err(PK_ERANGE, "%lld does not fit the element type",
				(long long)v->u.i);
	switch (a->elem) {
	case PK_ELEM_I8: e->i8 = (int8_t)v->u.i; break;
	case PK_ELEM_U8: e->u8 = (uint8_t)v->u.i; break;
	case PK_ELEM_I16: e->i16 = (int16_t)v->u.i; break;
	case PK_ELEM_U16: e->u16 = (uint16_t)v->u.i; break;
	case PK_ELEM_I32: e->i32 = (int32_t)v->u.i; break;
	case PK_ELEM_U32: e->u32 = (uint32_t)v->u.i; break;
	default: e->u64 = (uint64_t)v->u.i; break; /* I64, U64 */
	}
	return 0;
}

/* what pk_array_new() asks for, checked: the kind's create takes it */
struct array_args {
	unsigned elem;
	size_t width;
	uint64_t length, bytes;
	const void *init;
};

/* array_create -- a new array in the running transaction (the kind's
 * create) */
static int
array_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	const struct array_args *x = arg;
	unsigned elem = x->elem;
	size_t width = x->width;
	uint64_t length = x->length, bytes = x->bytes;
	const void *init = x->init;
	struct pk_array_hdr *a;
	struct pk_arraydata *d = NULL;
	uint64_t doff = 0, gen;
	int rc;

	if ((rc = pk__alloc(pool, off, sizeof(*a), PK_TN_ARRAY, 1)) != 0 ||
	    (length > 0 && (rc = data_new(pool, &doff, &d, bytes,
			    init == NULL)) != 0) ||
	    (rc = pk__gen_next(pool, &gen)) != 0 ||
	    (rc = pk__created(pool, *off)) != 0)
		return rc;
	if (d != NULL && init != NULL)
		memcpy(d->data, init, bytes);
	a = (struct pk_array_hdr *)(pool->base + *off);
	a->h.magic = PK_MAGIC_ARRAY;
	a->h.version = 1;
	a->h.gen = gen;
	a->elem = (uint8_t)elem;
	a->width = (uint32_t)width;
	a->length = length;
	a->data = doff;
	return 0;
}

/* array_destroy -- free an array whose last reference went */
static int
array_destroy(pk_pool *pool, uint64_t off)
{
	struct pk_array_hdr *a = (struct pk_array_hdr *)(pool->base + off);
	struct pk_arraydata *d;
	int rc = data_obj(pool, a, &d);

	if (rc == 0 && d != NULL)
		rc = pk__free(pool, a->data);
	return rc != 0 ? rc : pk__obj_free(pool, off);
}

/* array_walk -- the one allocation an array owns; it holds no references */
static int
array_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	struct pk_array_hdr *a = (struct pk_array_hdr *)(pool->base + off);
	struct pk_arraydata *d;
	int rc = data_obj(pool, a, &d);

	if (rc != 0 || d == NULL)
		return rc;
	/* not movable: pk_array_data() hands out pointers into it */
	return w->object(w, a->data, NULL);
}

static int array_cursor_next(struct pk_cursor *c, pk_value *key,
		pk_value *val);

const struct pk_kind pk__array_kind = {
	.type = PK_ARRAY,
	.magic = PK_MAGIC_ARRAY,
	.name = "typed array",
	.hdr_size = sizeof(struct pk_array_hdr),
	.type_num = PK_TN_ARRAY,
	.modcount_off = offsetof(struct pk_array_hdr, modcount),
	.count_off = offsetof(struct pk_array_hdr, length),
	.create = array_create,
	.check = array_check,
	.destroy = array_destroy,
	.walk = array_walk,
	.cursor_next = array_cursor_next,
};

/* array_args_make -- pk_array_new()'s arguments, checked, before the pool
 * is touched */
static int
array_args_make(struct array_args *x, pk_elem elem, size_t width,
		uint64_t length, const void *init)
{
	size_t w = elem_width((unsigned)elem);

	if (elem == PK_ELEM_BYTES) {
		if (width == 0 || width > UINT32_MAX)
			return pk__err(EINVAL, "byte elements of %zu bytes",
					width);
		w = width;
	} else if (w == 0) {
		return pk__err(EINVAL, "unknown element type %d", (int)elem);
	} else if (width != 0) {
		return pk__err(EINVAL, "a width is only given for "
				"PK_ELEM_BYTES");
	}
	if (!size_ok(length, w, &x->bytes))
		return pk__err(EINVAL, "%llu elements of %zu bytes overflow",
				(unsigned long long)length, w);
	x->elem = (unsigned)elem;
	x->width = w;
	x->length = length;
	x->init = init;
	return 0;
}

/* array_type -- the element type and width */
static int
array_type(pk_elem *elem, size_t *width, pk_array *array)
{
	struct pk_array_hdr *a;
	uint8_t *el;
	int rc;

	if ((rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0)
		return rc;
	if (elem != NULL)
		*elem = (pk_elem)a->elem;
	if (width != NULL)
		*width = a->width;
	return 0;
}

/* array_read -- copy elements [start, start + count) out */
static int
array_read(void *out, pk_array *array, uint64_t start, uint64_t count)
{
	struct pk_array_hdr *a;
	uint8_t *el;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0 ||
	    (rc = span(a, start, count)) != 0)
		return rc;
	if (count > 0)
		memcpy(out, el + start * a->width, count * a->width);
	return 0;
}

/* array_write -- copy elements in, in one transaction */
static int
array_write(pk_array *array, uint64_t start, uint64_t count,
		const void *src)
{
	struct pk_array_hdr *a;
	struct pk_op op;
	uint8_t *el;
	int rc;

	if (src == NULL)
		return pk__err(EINVAL, "NULL src");
	if ((rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0 ||
	    (rc = span(a, start, count)) != 0)
		return rc;
	if (count == 0)
		return 0; /* nothing changes: no transaction */
	uint8_t *p = el + start * a->width;
	size_t n = count * a->width;
	if ((rc = pk__op_begin(&op, array->h.pool, 1)) != 0)
		return rc;
	rc = pk__snap(p, n);
	if (rc == 0)
		memcpy(p, src, n);
	return pk__op_end(&op, rc);
}

/* array_get -- element index as a value */
static int
array_get(pk_value *out, pk_array *array, int64_t index)
{
	struct pk_array_hdr *a;
	uint8_t *el;
	uint64_t i;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0 ||
	    (rc = resolve(&i, index, a->length)) != 0)
		return rc;
	*out = element(a, el + i * a->width);
	return 0;
}

/* array_set -- write element index from a value, checked to fit */
static int
array_set(pk_array *array, int64_t index, const pk_value *val)
{
	struct pk_array_hdr *a;
	union elem e;
	const void *src;
	uint8_t *el;
	struct pk_op op;
	uint64_t i;
	int rc;

	/* everything is checked before the transaction: a bad value or
	 * index leaves the caller's transaction usable */
	if ((rc = pk__value_check(val)) != 0 ||
	    (rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0 ||
	    (rc = resolve(&i, index, a->length)) != 0 ||
	    (rc = encode(&e, &src, a, val)) != 0)
		return rc;
	uint8_t *p = el + i * a->width;
	if ((rc = pk__op_begin(&op, array->h.pool, 1)) != 0)
		return rc;
	rc = pk__snap(p, a->width);
	if (rc == 0)
		memcpy(p, src, a->width);
	return pk__op_end(&op, rc);
}

/*
 * array_resize -- the new allocation is made first, so running out of
 * space fails before anything of the array changed
 */
static int
array_resize(pk_array *array, uint64_t length)
{
	struct pk_array_hdr *a;
	struct pk_arraydata *d, *nd = NULL;
	struct pk_op op;
	uint64_t bytes, noff = 0;
	int rc;

	if ((rc = pk__handle_get((void **)&a, PK_HANDLE_OF(array))) != 0 ||
	    (rc = data_obj(array->h.pool, a, &d)) != 0)
		return rc;
	if (!size_ok(length, a->width, &bytes))
		return pk__err(EINVAL, "%llu elements of %u bytes overflow",
				(unsigned long long)length,
				(unsigned)a->width);
	if (length == a->length)
		return 0;
	pk_pool *pool = array->h.pool;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if (length > 0 && (rc = data_new(pool, &noff, &nd, bytes, 0)) == 0) {
		uint64_t keep = d == NULL ? 0 : d->bytes < bytes ? d->bytes :
			bytes;
		if (keep > 0)
			memcpy(nd->data, d->data, keep);
		memset(nd->data + keep, 0, bytes - keep);
	}
	if (rc == 0 && d != NULL)
		rc = pk__free(pool, a->data);
	if (rc == 0)
		rc = pk__snap((char *)a + HDR_MUT_OFF, HDR_MUT_LEN);
	if (rc == 0) {
		a->length = length;
		a->data = noff;
		a->modcount++;
	}
	return pk__op_end(&op, rc);
}

/* array_data -- the elements in place, for reading */
static int
array_data(const void **ptr, size_t *len, pk_array *array)
{
	struct pk_array_hdr *a;
	uint8_t *el;
	int rc;

	if (ptr == NULL || len == NULL)
		return pk__err(EINVAL, "NULL argument");
	*ptr = NULL;
	*len = 0;
	if ((rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0)
		return rc;
	*ptr = el;
	*len = a->length * a->width;
	return 0;
}

/*
 * array_window -- an operation of the caller's transaction that only
 * snapshots: the caller's writes through the pointer are then covered by
 * the undo log like the library's own
 */
static int
array_window(void **ptr, pk_array *array, uint64_t start, uint64_t stop)
{
	struct pk_array_hdr *a;
	struct pk_op op;
	uint8_t *el, *p;
	int rc;

	if (ptr == NULL)
		return pk__err(EINVAL, "NULL ptr");
	*ptr = NULL;
	if ((rc = array_hdr(&a, &el, PK_HANDLE_OF(array))) != 0)
		return rc;
	pk_pool *pool = array->h.pool;
	if (pk_tx_depth(pool) == 0)
		return pk__err(PK_ETXN, "a window needs a transaction open on "
				"the array's pool (pk_tx_begin)");
	if (start > stop || stop > a->length)
		return pk__err(PK_ERANGE, "window [%llu, %llu), length %llu",
				(unsigned long long)start,
				(unsigned long long)stop,
				(unsigned long long)a->length);
	p = el == NULL ? NULL : el + start * a->width;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if (stop > start)
		rc = pk__snap(p, (stop - start) * a->width);
	if ((rc = pk__op_end(&op, rc)) == 0)
		*ptr = p;
	return rc;
}

/*
 * array_cursor_next -- the next element, with its index as key;
 * PK_ECHANGED once the array was resized, PK_ITEROVER past the end
 */
static int
array_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_array_hdr *a;
	uint8_t *el;
	int rc;

	if ((rc = array_hdr(&a, &el, &cur->h)) != 0)
		return rc;
	if (a->modcount != cur->modcount)
		return pk__err(PK_ECHANGED, NULL);
	if (cur->index >= a->length)
		return PK_ITEROVER;
	if (key != NULL)
		*key = pk_int((int64_t)cur->index);
	if (val != NULL)
		*val = element(a, el + cur->index * a->width);
	cur->index++;
	return 0;
}

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_array_type -- element type and width (pmemkit.h) */
int
pk_array_type(pk_elem *elem, size_t *width, pk_array *array)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(array), PK_READ_LOCKED);
	do
		rc = array_type(elem, width, array);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_array_read -- copy elements out (pmemkit.h) */
int
pk_array_read(void *out, pk_array *array, uint64_t start, uint64_t count)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(array), PK_READ_LOCKED);
	do
		rc = array_read(out, array, start, count);
	while (!pk__read_done(&r));
	return rc;
}

/*
 * pk_array_get -- read one element as a value: integers as PK_INT (uint64
 * elements as the same 64 bits), floats as PK_DOUBLE, byte strings as
 * PK_BYTES (borrowed) (pmemkit.h)
 */
int
pk_array_get(pk_value *out, pk_array *array, int64_t index)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(array), PK_READ_OPTIMISTIC);
	do
		rc = array_get(out, array, index);
	while (!pk__read_done(&r));
	return rc;
}

/*
 * pk_array_data -- the elements in place, for reading without a copy
 * (pmemkit.h)
 */
int
pk_array_data(const void **ptr, size_t *len, pk_array *array)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(array), PK_READ_LOCKED);
	do
		rc = array_data(ptr, len, array);
	while (!pk__read_done(&r));
	return rc;
}

/*
 * pk_array_new -- element types of a typed array, from PK_ELEM_TABLE
 * (pmemkit_tables.h), which also gives each one's name, size, typecode and
 * class (pmemkit.h)
 */
int
pk_array_new(pk_array **out, pk_pool *pool, pk_elem elem, size_t width,
		uint64_t length, const void *init)
{
	struct array_args x;
	int rc;

/*
 * pk_array_write -- copy elements in, atomically (one transaction)
 * (pmemkit.h)
 */
	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	if ((rc = array_args_make(&x, elem, width, length, init)) != 0)
		return rc;
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__array_kind, &x);
}
int
pk_array_write(pk_array *array, uint64_t start, uint64_t count,
		const void *src)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(array), 0)) != 0)
		return rc;
	do
		rc = array_write(array, start, count, src);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_array_set -- write one element from a value, checking it fits: PK_INT
 * or PK_BOOL for integer elements (in the element's range), PK_INT or
 * PK_DOUBLE for float elements, PK_BYTES of exactly the width for byte
 * elements (pmemkit.h)
 */
int
pk_array_set(pk_array *array, int64_t index, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(array), 0)) != 0)
		return rc;
	do
		rc = array_set(array, index, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_array_resize -- change the number of elements; new elements are zero
 * (pmemkit.h)
 */
int
pk_array_resize(pk_array *array, uint64_t length)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(array), 0)) != 0)
		return rc;
	do
		rc = array_resize(array, length);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_array_window -- a writable window on elements [start, stop), inside the
 * calling thread's transaction (pmemkit.h)
 */
int
pk_array_window(void **ptr, pk_array *array, uint64_t start, uint64_t stop)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(array), 0)) != 0)
		return rc;
	do
		rc = array_window(ptr, array, start, stop);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_array_open -- open a handle to the array a value refers to (pmemkit.h) */
int
pk_array_open(pk_array **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__array_kind);
}

/*
 * pk_array_close -- release an array handle (NULL is a no-op); the array is
 * unchanged (pmemkit.h)
 */
void
pk_array_close(pk_array *array)
{
	pk__container_close(PK_HANDLE_OF(array));
}

/*
 * pk_array_value -- a value that refers to the array, to store it in a
 * container (pmemkit.h)
 */
pk_value
pk_array_value(const pk_array *array)
{
	return pk__container_value(PK_HANDLE_OF(array), &pk__array_kind);
}

/* pk_array_length -- number of elements (pmemkit.h) */
int
pk_array_length(uint64_t *out, pk_array *array)
{
	return pk__container_length(out, PK_HANDLE_OF(array),
			&pk__array_kind);
}

/*
 * pk_array_cursor -- iterate over the elements in order: the cursor's key is
 * the index (PK_INT), its value the element as pk_array_get() gives it
 * (pmemkit.h)
 */
int
pk_array_cursor(pk_cursor **out, pk_array *array)
{
	return pk__container_cursor(out, PK_HANDLE_OF(array),
			&pk__array_kind);
}
