/*
 * pmemkit_head.i -- the prologue every language shares.
 *
 * A language's interface file (bindings/<lang>/pmemkit.i) %includes this
 * first, before its own C code, and swig/pmemkit.i (the policy and the
 * wrapped API) last. What is here is C that every language's converters
 * and error code call, so that a rule the languages share is written once.
 */

%{
#include "pmemkit.h"
#include <stdlib.h>
#include <string.h>

/*
 * pk_swig_message -- the text of a language's exception for return code
 * @code: pk_errormsg()'s detail of the failure, but pk_strerror()'s text
 * for the ordinary outcomes PK_NOTFOUND and PK_ITEROVER (they do not set
 * pk_errormsg(), which would tell an older failure) and when there is no
 * detail.
 */
static __attribute__((unused)) const char *
pk_swig_message(int code)
{
	const char *detail = pk_errormsg();

	return code == PK_NOTFOUND || code == PK_ITEROVER ||
		detail[0] == '\0' ? pk_strerror(code) : detail;
}

/*
 * pk_swig_code_name -- the symbolic name of return code @code, the part of
 * pk_strerror() before its colon ("PK_NOTFOUND", "ENOENT"): a pointer into
 * pk_strerror()'s static text, its length in *@len (not NUL-terminated).
 */
static __attribute__((unused)) const char *
pk_swig_code_name(int code, size_t *len)
{
	const char *desc = pk_strerror(code);
	const char *colon = strchr(desc, ':');

	*len = colon != NULL ? (size_t)(colon - desc) : strlen(desc);
	return desc;
}
%}

/* ---- Integers beyond int64 (Ruby, Perl, Tcl) ------------------------- */
%{
/*
 * pk_swig_int_bytes -- an integer given as little-endian two's complement
 * bytes (@b, @len of them, borrowed) as a pk_value: PK_INT when it fits in
 * an int64, else PK_BIGINT of its minimal bytes (a prefix of @b). A pool
 * keeps each integer in one form only (the key 5 is found however it was
 * given), so a language that makes integer bytes turns them into a value
 * here.
 */
static __attribute__((unused)) void
pk_swig_int_bytes(pk_value *v, const unsigned char *b, size_t len)
{
	uint64_t u;
	size_t i;

	/* drop sign bytes that repeat the sign of the byte below them */
	while (len > 1 && ((b[len - 1] == 0 && !(b[len - 2] & 0x80)) ||
			(b[len - 1] == 0xff && (b[len - 2] & 0x80))))
		len--;
	if (len > 8) {
		v->type = PK_BIGINT;
		v->u.buf.ptr = b;
		v->u.buf.len = len;
		return;
	}
	u = len > 0 && (b[len - 1] & 0x80) ? ~(uint64_t)0 : 0;
	for (i = len; i-- > 0;)
		u = (u << 8) | b[i];
	v->type = PK_INT;
	v->u.i = (int64_t)u;
}

/*
 * pk_swig_uint64 -- an unsigned 64-bit integer as a pk_value: PK_INT up to
 * INT64_MAX, else PK_BIGINT of its bytes in @scratch (9: the 8 bytes and a
 * zero sign byte), which must outlive @v.
 */
static __attribute__((unused)) void
pk_swig_uint64(pk_value *v, uint64_t u, unsigned char scratch[9])
{
	int i;

	for (i = 0; i < 8; i++)
		scratch[i] = (unsigned char)(u >> (8 * i));
	scratch[8] = 0;
	pk_swig_int_bytes(v, scratch, 9);
}

/*
 * pk_swig_array_span -- the bytes of @count elements of @array, in *@out,
 * for a language reading them into one string of at most @max bytes: 0;
 * PK_ERANGE when they would not fit (pk_errormsg() is not set: the error's
 * text is pk_strerror()'s); else pk_array_type()'s failure.
 */
static __attribute__((unused)) int
pk_swig_array_span(size_t *out, pk_array *array, uint64_t count, uint64_t max)
{
	size_t width = 0;
	int rc = pk_array_type(NULL, &width, array);

	if (rc != 0)
		return rc;
	if (width == 0 || count > max / width)
		return PK_ERANGE;
	*out = (size_t)(count * width);
	return 0;
}

/*
 * Checked forms of pk_array_new() and pk_array_write(), which the languages
 * wrap instead (under the same names): their element bytes come with their
 * length, which must be whole elements. PK_SWIG_ELENGTH is their own
 * failure (not a library code: pk_errormsg() is not set), which the shared
 * typemap raises as PK_EVALUE with PK_SWIG_ELENGTH_MSG.
 */
#define PK_SWIG_ELENGTH (PK_ERROR_MIN - 1)
#define PK_SWIG_ELENGTH_MSG "the bytes are not a whole number of the array's elements"

/* pk_swig_array_new -- pk_array_new() whose @init (@len bytes; NULL for
 * zeros) must be @length elements of @elem (@width bytes for byte
 * strings, whose row's size is 0) */
static __attribute__((unused)) int
pk_swig_array_new(pk_array **out, pk_pool *pool, int elem, size_t width,
		uint64_t length, const void *init, size_t len)
{
	const pk_elem_row *row;
	size_t w = 0;
	int64_t i;

	for (i = 0; (row = pk_elem_table(i)) != NULL; i++)
		if (row->code == elem)
			w = row->size != 0 ? (size_t)row->size : width;
	if (w == 0)	/* pk_array_new() judges a bad type or width */
		init = NULL;
	else if (init != NULL && (length > SIZE_MAX / w || len != length * w))
		return PK_SWIG_ELENGTH;
	return pk_array_new(out, pool, (pk_elem)elem, width, length, init);
}

/*
 * pk_swig_pool_create -- pk_pool_create_opts() with flat arguments: every
 * language passes its keyword arguments or switches here (size 0: a pool
 * that grows; replica NULL or ""; flags from PK_POOL_FLAG_TABLE)
 */
static __attribute__((unused)) int
pk_swig_pool_create(pk_pool **out, const char *path, uint64_t size,
		uint64_t max_size, unsigned mode, unsigned flags,
		const char *replica)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	o.size = size;
	o.max_size = max_size;
	o.mode = mode;
	o.flags = flags;
	o.replica = replica != NULL && *replica != '\0' ? replica : NULL;
	return pk_pool_create_opts(out, path, &o);
}

/* pk_swig_pool_open -- pk_pool_open_opts() with flags only */
static __attribute__((unused)) int
pk_swig_pool_open(pk_pool **out, const char *path, unsigned flags)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	o.flags = flags;
	return pk_pool_open_opts(out, path, &o);
}

/*
 * pk_swig_sorted_range -- a pk_sorted_range from flat arguments: which
 * of lo, hi and prefix are given is in @has (PK_SWIG_HAS_LO, _HI,
 * _PREFIX), since each language's nil is a key
 */
enum { PK_SWIG_HAS_LO = 1, PK_SWIG_HAS_HI = 2, PK_SWIG_HAS_PREFIX = 4 };
static pk_sorted_range
pk_swig_sorted_range(unsigned has, const pk_value *lo, unsigned lo_open,
		const pk_value *hi, unsigned hi_open, unsigned reverse,
		const pk_value *prefix)
{
	pk_sorted_range r = PK_SORTED_RANGE_INIT;

	r.lo = has & PK_SWIG_HAS_LO ? lo : NULL;
	r.hi = has & PK_SWIG_HAS_HI ? hi : NULL;
	r.prefix = has & PK_SWIG_HAS_PREFIX ? prefix : NULL;
	r.lo_open = lo_open != 0;
	r.hi_open = hi_open != 0;
	r.reverse = reverse != 0;
	return r;
}

/* pk_swig_sorted_range_cursor -- pk_sorted_range_cursor(), flat */
static __attribute__((unused)) int
pk_swig_sorted_range_cursor(pk_cursor **out, pk_sorted *map, unsigned has,
		const pk_value *lo, unsigned lo_open, const pk_value *hi,
		unsigned hi_open, unsigned reverse, const pk_value *prefix)
{
	pk_sorted_range r = pk_swig_sorted_range(has, lo, lo_open, hi,
			hi_open, reverse, prefix);

	return pk_sorted_range_cursor(out, map, &r);
}

/* pk_swig_sorted_remove_range -- pk_sorted_remove_range(), flat */
static __attribute__((unused)) int
pk_swig_sorted_remove_range(uint64_t *removed, pk_sorted *map, unsigned has,
		const pk_value *lo, unsigned lo_open, const pk_value *hi,
		unsigned hi_open, const pk_value *prefix)
{
	pk_sorted_range r = pk_swig_sorted_range(has, lo, lo_open, hi,
			hi_open, 0, prefix);

	return pk_sorted_remove_range(removed, map, &r);
}

/* pk_swig_array_write -- pk_array_write() of the elements in the @len
 * bytes at @src (a whole number of them), from element @start */
static __attribute__((unused)) int
pk_swig_array_write(pk_array *array, uint64_t start, const void *src,
		size_t len)
{
	size_t width = 0;
	int rc = pk_array_type(NULL, &width, array);

	if (rc != 0)
		return rc;
	if (width == 0 || len % width != 0)
		return PK_SWIG_ELENGTH;
	return pk_array_write(array, start, len / width, src);
}
%}
/* ---- end of the Ruby/Perl/Tcl block ----------------------------------- */
