/*
 * pmemkit.i -- the Ruby extension Pmemkit::Native: typemaps for values,
 * the error mapping and checked helpers for typed arrays. The shared
 * policy and the wrapped API come from swig/pmemkit.i; the Ruby classes
 * (Pmemkit::Pool, Map, SortedMap, List, TypedArray, Log, Blocks, Set,
 * Region) are in lib/pmemkit/*.rb. An Array where a key or a set
 * element is expected (and a Pmemkit::Tuple anywhere) is a PK_TUPLE; a
 * PK_TUPLE reads back as a frozen Pmemkit::Tuple (an Array). Likewise a
 * ::Set where a key, a set element or a tuple item is expected (and a
 * Pmemkit::FrozenSet anywhere) is a PK_FROZENSET, which reads back as a
 * frozen Pmemkit::FrozenSet (a ::Set).
 *
 * Memory: the Ruby wrappers raise with rb_exc_raise(), which longjmps past
 * SWIG's freearg code, so every temporary here is a Ruby object (strings,
 * ALLOCV buffers) that the GC reclaims, never malloc().
 */
%module "pmemkit::native"

%include "swig/pmemkit_head.i"

%{
#include <ruby.h>
#include <ruby/encoding.h>

/* ---- errors ---------------------------------------------------------- */

/* error class name (pk_error_class()) => exception class; installed by
 * lib/pmemkit/errors.rb from the table (pk_rb_set_exceptions) */
static VALUE pk_rb_exc_map = Qnil;
/* Pmemkit::Ref, the Struct that stands for a reference to a container */
static VALUE pk_rb_cRef = Qnil;
/* Pmemkit::Tuple < Array: what a PK_TUPLE is while Ruby holds it */
static VALUE pk_rb_cTuple = Qnil;
/* ::Set, and Pmemkit::FrozenSet < ::Set: what a PK_FROZENSET is while
 * Ruby holds it */
static VALUE pk_rb_cSet = Qnil, pk_rb_cFrozenSet = Qnil;
static ID pk_rb_id_bit_length, pk_rb_id_new, pk_rb_id_freeze, pk_rb_id_to_a;

/* Raise the exception for @code with @msg: errno codes as Ruby's
 * Errno::* (SystemCallError picks the subclass), pmemkit codes as the
 * class the Ruby code registered for their error class, with #code. */
static void
pk_rb_raise(int code, const char *msg)
{
	VALUE m = rb_utf8_str_new_cstr(msg), klass = Qnil, base = Qnil, exc;

	if (code > 0)
		rb_exc_raise(rb_funcall(rb_eSystemCallError, pk_rb_id_new, 2,
				m, INT2NUM(code)));
	if (!NIL_P(pk_rb_exc_map)) {
		base = rb_hash_lookup(pk_rb_exc_map, rb_str_new_cstr("Error"));
		klass = rb_hash_lookup(pk_rb_exc_map,
				rb_str_new_cstr(pk_error_class(code)));
	}
	if (NIL_P(klass))
		klass = NIL_P(base) ? rb_eRuntimeError : base;
	exc = rb_class_new_instance(1, &m, klass);
	if (!NIL_P(base) && RTEST(rb_obj_is_kind_of(exc, base)))
		rb_ivar_set(exc, rb_intern("@code"), INT2NUM(code));
	rb_exc_raise(exc);
}

static void
pk_swig_raise(int code)
{
	pk_rb_raise(code, pk_swig_message(code));
}
#define pk_swig_raise_msg(code, msg) pk_rb_raise((code), (msg))

/* ---- values ---------------------------------------------------------- */

static VALUE pk_rb_from_value(const pk_value *v);

/* pk_rb_tuple_from -- a PK_TUPLE as a frozen Pmemkit::Tuple, or a
 * PK_FROZENSET as a frozen Pmemkit::FrozenSet (its members in the
 * library's order), the items converted as values are (nested tuples and
 * frozen sets likewise) and frozen: a key read back cannot be changed in
 * place */
static VALUE
pk_rb_tuple_from(const pk_value *t)
{
	VALUE a = rb_obj_alloc(pk_rb_cTuple);
	size_t pos = 0;
	pk_value item;
	int rc;

	while ((rc = pk_tuple_next(&item, t, &pos)) == 0)
		rb_ary_push(a, rb_obj_freeze(pk_rb_from_value(&item)));
	if (rc != PK_ITEROVER)
		pk_swig_raise(rc);
	if (t->type == PK_FROZENSET) {
		/* Set#freeze freezes its Hash too: call it */
		return rb_funcall(rb_class_new_instance(1, &a,
				pk_rb_cFrozenSet), pk_rb_id_freeze, 0);
	}
	return rb_obj_freeze(a);
}

static VALUE
pk_rb_from_value(const pk_value *v)
{
	const char *p = (const char *)v->u.buf.ptr;

	switch (v->type) {
	case PK_NIL:
		return Qnil;
	case PK_BOOL:
		return v->u.i ? Qtrue : Qfalse;
	case PK_INT:
		return LL2NUM((long long)v->u.i);
	case PK_DOUBLE:
		return DBL2NUM(v->u.d);
	case PK_BYTES:
		return rb_str_new(p, (long)v->u.buf.len); /* ASCII-8BIT */
	case PK_STRING:
		return rb_utf8_str_new(p, (long)v->u.buf.len);
	case PK_BIGINT:
		return rb_integer_unpack(p, v->u.buf.len, 1, 0,
				INTEGER_PACK_LITTLE_ENDIAN | INTEGER_PACK_2COMP);
	case PK_TUPLE:
	case PK_FROZENSET:
		return pk_rb_tuple_from(v);
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		/* the Ruby code opens a handle for it */
		return rb_struct_new(pk_rb_cRef, INT2FIX(v->type),
				ULL2NUM(v->u.ref.off), ULL2NUM(v->u.ref.gen));
	}
	rb_raise(rb_eTypeError, "pmemkit: unknown value type %d", (int)v->type);
	return Qnil;
}
/* a value result, for the shared typemaps (swig/pmemkit.i) */
#define pk_swig_from_value(v) pk_rb_from_value(v)

/* A String as PK_BYTES (binary encoding) or PK_STRING (any other encoding,
 * transcoded to UTF-8). The transcoded copy, if any, goes to *keep. */
static void
pk_rb_str_value(VALUE s, pk_value *v, VALUE *keep)
{
	rb_encoding *enc = rb_enc_get(s);
	int cr;

	if (enc == rb_ascii8bit_encoding()) {
		v->type = PK_BYTES;
	} else {
		cr = rb_enc_str_coderange(s);
		if (cr == ENC_CODERANGE_BROKEN)
			pk_rb_raise(PK_EVALUE, "invalid byte sequence in the "
					"string's encoding (store binary data "
					"as an ASCII-8BIT String)");
		if (enc != rb_utf8_encoding() && !(cr == ENC_CODERANGE_7BIT &&
				rb_enc_asciicompat(enc))) {
			s = rb_str_encode(s, rb_enc_from_encoding(
					rb_utf8_encoding()), 0, Qnil);
			*keep = s;
		}
		v->type = PK_STRING;
	}
	v->u.buf.ptr = RSTRING_PTR(s);
	v->u.buf.len = (size_t)RSTRING_LEN(s);
}

/* what pk_rb_to_value() converts for (its key argument) */
enum { PK_RB_VALUE, PK_RB_KEY, PK_RB_ELEM, PK_RB_ITEM, PK_RB_MEMBER };

static void pk_rb_to_value(VALUE o, pk_value *v, VALUE *keep, int key);

/* whether @o is a ::Set (a Pmemkit::FrozenSet too) */
static int
pk_rb_is_set(VALUE o)
{
	return !NIL_P(pk_rb_cSet) && RTEST(rb_obj_is_kind_of(o, pk_rb_cSet));
}

/*
 * pk_rb_tuple_value -- the Array @a as a PK_TUPLE, or (@type
 * PK_FROZENSET) the ::Set @a as a PK_FROZENSET: its items as keys are
 * (nested Arrays as nested tuples, nested ::Sets as nested frozen sets,
 * @depth the nesting so far, 1 for the outermost), their encoding in a
 * new String in *keep. Anything but a scalar, an Array or a ::Set raises
 * Pmemkit::KeyTypeError (as C says for a container); a structure that
 * contains itself nests too deep.
 */
static void
pk_rb_tuple_value(VALUE a, pk_value *v, VALUE *keep, int key, int depth,
		pk_type type)
{
	long i, n;
	VALUE buf = 0, keeps = rb_ary_new(), enc = Qnil;
	pk_value *items;
	size_t len = 0;
	int rc, ikey;
	int (*pack)(void *, size_t, size_t *, const pk_value *, size_t) =
		type == PK_FROZENSET ? pk_frozenset_pack : pk_tuple_pack;

	if (depth > PK_TUPLE_DEPTH)
		pk_rb_raise(PK_EVALUE, "tuples and frozen sets nest deeper "
				"than 32 (one that contains itself?)");
	if (type == PK_FROZENSET) {
		a = rb_funcall(a, pk_rb_id_to_a, 0);
		ikey = key == PK_RB_VALUE ? PK_RB_MEMBER : key;
	} else {
		ikey = key == PK_RB_VALUE ? PK_RB_ITEM : key;
	}
	n = RARRAY_LEN(a);
	items = ALLOCV_N(pk_value, buf, n ? n : 1);
	for (i = 0; i < n; i++) {
		VALUE item = RARRAY_AREF(a, i), k = Qnil;
		if (RB_TYPE_P(item, T_ARRAY))
			pk_rb_tuple_value(item, &items[i], &k, key, depth + 1,
					PK_TUPLE);
		else if (pk_rb_is_set(item))
			pk_rb_tuple_value(item, &items[i], &k, key, depth + 1,
					PK_FROZENSET);
		else
			pk_rb_to_value(item, &items[i], &k, ikey);
		if (!NIL_P(k))
			rb_ary_push(keeps, k);
	}
	rc = pack(NULL, 0, &len, items, (size_t)n);
	if (rc == 0) {
		enc = rb_str_new(NULL, (long)len);
		rc = pack(RSTRING_PTR(enc), len, &len, items, (size_t)n);
	}
	ALLOCV_END(buf);
	RB_GC_GUARD(keeps);
	RB_GC_GUARD(a);
	if (rc != 0)
		pk_swig_raise(rc);
	*keep = enc;
	v->type = type;
	v->u.buf.ptr = RSTRING_PTR(enc);
	v->u.buf.len = len;
}

/*
 * Ruby object -> pk_value. Strings are borrowed from @o, which the caller
 * keeps alive for the call; anything made on the way (a big integer's
 * bytes, a transcoded string, a tuple's encoding) is stored in *keep.
 * key: PK_RB_VALUE for any value; else scalars only, an Array as a tuple
 * (PK_RB_KEY: a map's key, PK_RB_ELEM: a set's element, PK_RB_ITEM: a
 * tuple's item, PK_RB_MEMBER: a frozen set's member, as the error says),
 * a ::Set as a frozen set. A Pmemkit::Tuple is a tuple anywhere, a
 * Pmemkit::FrozenSet a frozen set; any other Array or ::Set as a value is
 * the Ruby code's (a List, a Set).
 */
static void
pk_rb_to_value(VALUE o, pk_value *v, VALUE *keep, int key)
{
	memset(v, 0, sizeof(*v));
	switch (TYPE(o)) {
	case T_NIL:
		v->type = PK_NIL;
		return;
	case T_TRUE:
	case T_FALSE:
		v->type = PK_BOOL;
		v->u.i = o == Qtrue;
		return;
	case T_FIXNUM:
		v->type = PK_INT;
		v->u.i = (int64_t)NUM2LL(o);
		return;
	case T_BIGNUM: {
		/* bit_length excludes the sign bit (for n < 0, that of ~n) */
		long bits = NUM2LONG(rb_funcall(o, pk_rb_id_bit_length, 0));
		size_t len;
		VALUE b;

		if (bits < 64) {
			v->type = PK_INT;
			v->u.i = (int64_t)NUM2LL(o);
			return;
		}
		len = (size_t)bits / 8 + 1;
		b = rb_str_new(NULL, (long)len);
		rb_integer_pack(o, RSTRING_PTR(b), len, 1, 0,
				INTEGER_PACK_LITTLE_ENDIAN | INTEGER_PACK_2COMP);
		*keep = b;
		v->type = PK_BIGINT;
		v->u.buf.ptr = RSTRING_PTR(b);
		v->u.buf.len = len;
		return;
	}
	case T_FLOAT:
		v->type = PK_DOUBLE;
		v->u.d = RFLOAT_VALUE(o);
		return;
	case T_STRING:
		pk_rb_str_value(o, v, keep);
		return;
	case T_SYMBOL:
		/* stored as its name: a String */
		*keep = rb_sym2str(o);
		pk_rb_str_value(*keep, v, keep);
		return;
	case T_ARRAY:
		if (key || rb_obj_is_kind_of(o, pk_rb_cTuple)) {
			pk_rb_tuple_value(o, v, keep, key, 1, PK_TUPLE);
			return;
		}
		break;
	case T_OBJECT:
	case T_DATA:
		/* ::Set is a T_OBJECT up to Ruby 3.4, a T_DATA after */
		if (pk_rb_is_set(o) && (key || rb_obj_is_kind_of(o,
				pk_rb_cFrozenSet))) {
			pk_rb_tuple_value(o, v, keep, key, 1, PK_FROZENSET);
			return;
		}
		break;
	case T_STRUCT:
		if (!key && rb_obj_is_kind_of(o, pk_rb_cRef)) {
			int t = NUM2INT(rb_struct_aref(o, INT2FIX(0)));
			if (t < PK_MAP)
				rb_raise(rb_eTypeError, "pmemkit: bad reference");
			v->type = (pk_type)t;
			v->u.ref.off = NUM2ULL(rb_struct_aref(o, INT2FIX(1)));
			v->u.ref.gen = NUM2ULL(rb_struct_aref(o, INT2FIX(2)));
			return;
		}
		break;
	default:
		break;
	}
	if (key) {
		static const char *const what[][2] = {
			[PK_RB_KEY] = { "key", "keys" },
			[PK_RB_ELEM] = { "set element", "elements" },
			[PK_RB_ITEM] = { "tuple item", "items" },
			[PK_RB_MEMBER] = { "frozen set member", "members" },
		};
		VALUE m = rb_sprintf("unsupported %s type: %"PRIsVALUE
				" (%s are nil, true, false, Integer, Float, "
				"String, Symbol or an Array or ::Set of them)",
				what[key][0], rb_obj_class(o), what[key][1]);
		pk_rb_raise(PK_EKEYTYPE, StringValueCStr(m));
	}
	rb_raise(rb_eTypeError, "pmemkit: cannot store a value of class %"
			PRIsVALUE, rb_obj_class(o));
}
%}

/* ---- typemaps for values --------------------------------------------- */

%typemap(in) const pk_value * (pk_value temp, VALUE keep = Qnil) {
	pk_rb_to_value($input, &temp, &keep, PK_RB_VALUE);
	$1 = &temp;
}
%typemap(in) const pk_value *key (pk_value temp, VALUE keep = Qnil) {
	pk_rb_to_value($input, &temp, &keep, PK_RB_KEY);
	$1 = &temp;
}
/* a set's element is a scalar, as a map's key */
%typemap(in) const pk_value *elem (pk_value temp, VALUE keep = Qnil) {
	pk_rb_to_value($input, &temp, &keep, PK_RB_ELEM);
	$1 = &temp;
}
%typemap(freearg) const pk_value *, const pk_value *key, const pk_value *elem "RB_GC_GUARD(keep$argnum);";
/* a sorted map's range bounds and seek probe are keys (an Array a tuple) */
%apply const pk_value *key { const pk_value *lo, const pk_value *hi, const pk_value *probe };

/* a record's class name: a String's UTF-8 (C checks it) */
%typemap(in) (const char *cls, size_t len) (VALUE keep = Qnil) {
	keep = StringValue($input);
	if (rb_enc_get(keep) != rb_utf8_encoding())
		keep = rb_str_encode(keep, rb_enc_from_encoding(
				rb_utf8_encoding()), 0, Qnil);
	$1 = RSTRING_PTR(keep);
	$2 = (size_t)RSTRING_LEN(keep);
}
%typemap(freearg) (const char *cls, size_t len) "RB_GC_GUARD(keep$argnum);";

/* Set#delete, a record's attribute or a sorted map's key removed: true
 * when it was there, false when not (not an error: PK_NOTFOUND is an outcome) */
%typemap(out) int pk_set_discard, int pk_record_remove, int pk_sorted_remove {
	if ($1 != 0 && $1 != PK_NOTFOUND)
		pk_swig_raise($1);
	$result = $1 == 0 ? Qtrue : Qfalse;
}

/* several values: a Ruby Array of scalars or references */
%typemap(in) (const pk_value *vals, size_t n) (VALUE buf = 0, VALUE keeps = Qnil) {
	long i, n;
	Check_Type($input, T_ARRAY);
	n = RARRAY_LEN($input);
	keeps = rb_ary_new();
	$1 = ALLOCV_N(pk_value, buf, n ? n : 1);
	$2 = (size_t)n;
	for (i = 0; i < n; i++) {
		VALUE keep = Qnil;
		pk_rb_to_value(rb_ary_entry($input, i), &$1[i], &keep, 0);
		if (!NIL_P(keep))
			rb_ary_push(keeps, keep);
	}
}
%typemap(freearg) (const pk_value *vals, size_t n) {
	RB_GC_GUARD(keeps$argnum);
	ALLOCV_END(buf$argnum);
}

/* A cursor's step: [key, value], or nil at the end (swig/pmemkit.i: the
 * ordinary outcomes). */
%typemap(argout) (pk_value *key, pk_value *val) {
	if (result == 0)
		$result = rb_assoc_new(pk_rb_from_value($1), pk_rb_from_value($2));
}

/* element bytes: a binary String, or nil for zeros (swig/pmemkit.i checks
 * their length); pk_array_read is pk_rb_array_read below, which sizes its
 * String itself */
%typemap(in) (const void *bytes, size_t len) {
	if (NIL_P($input)) {
		$1 = NULL;
		$2 = 0;
	} else {
		Check_Type($input, T_STRING);
		$1 = RSTRING_PTR($input);
		$2 = (size_t)RSTRING_LEN($input);
	}
}
%ignore pk_array_read;

/* Ruby class names are constants: capitalised as Ruby writes them */
%rename(PoolStats) pk_pool_stats;
%rename(CheckReport) pk_check_report;
%rename(DefragReport) pk_defrag_report;
%rename(ErrorRow) pk_error_row;
%rename(ElemRow) pk_elem_row;
%rename(FlagRow) pk_flag_row;
%rename(PoolFlagRow) pk_pool_flag_row;

/*
 * ---- the GVL ------------------------------------------------------------
 * Calls keep the GVL, except the long ones below, which run through
 * rb_thread_call_without_gvl() so that other Ruby threads run meanwhile
 * (as the Python module releases the GIL for them). None of them changes
 * a value another thread may be reading: a read's result is borrowed
 * from the pool until it is converted, which happens under the GVL, so no
 * call that writes values runs without it (gc frees only what the root
 * no longer reaches). Closing a pool keeps the GVL: a thread converting a
 * borrowed value must never find the pool unmapped. They cannot be
 * interrupted: Thread#kill and Ctrl-C take effect when they return.
 *
 * pk_pool_defrag() keeps the GVL although it is long: it moves objects,
 * so a value another thread had read and not yet converted would dangle.
 * pk_pool_sync() and pk_pool_repair() (a closed pool) change no value.
 *
 * Each is reached under its C name, which a macro sends to its pk_rb_*
 * form, so that SWIG's wrappers and typemaps stay those of the C
 * function. A wait for a pool's lock in any other call keeps the GVL
 * (Ruby has no API to release it around a wait: no wait hooks).
 */
%{
#include <errno.h>
#include <ruby/thread.h>

/* the arguments and result of a call made without the GVL */
struct pk_rb_call {
	void *p[3];
	uint64_t u[4];
	int rc;
};

/* PK_RB_NOGIL(NAME, CALL) -- pk_rb_NAME_cb(), which runs CALL (the
 * function, with arguments taken from struct pk_rb_call *c) */
#define PK_RB_NOGIL(NAME, CALL) \
static void * \
pk_rb_##NAME##_cb(void *arg) \
{ \
	struct pk_rb_call *c = arg; \
	c->rc = CALL; \
	return NULL; \
}
PK_RB_NOGIL(pool_create, pk_pool_create(c->p[0], c->p[1], (size_t)c->u[0],
		(unsigned)c->u[1]))
PK_RB_NOGIL(pool_open, pk_pool_open(c->p[0], c->p[1]))
PK_RB_NOGIL(swig_pool_create, pk_swig_pool_create(c->p[0], c->p[1], c->u[0],
		c->u[1], (unsigned)c->u[2], (unsigned)c->u[3], c->p[2]))
PK_RB_NOGIL(swig_pool_open, pk_swig_pool_open(c->p[0], c->p[1],
		(unsigned)c->u[0]))
PK_RB_NOGIL(pool_sync, pk_pool_sync(c->p[0]))
PK_RB_NOGIL(pool_repair, pk_pool_repair(c->p[0]))
PK_RB_NOGIL(pool_check, pk_pool_check(c->p[0], c->p[1]))
PK_RB_NOGIL(pool_stats_get, pk_pool_stats_get(c->p[0], c->p[1]))
PK_RB_NOGIL(pool_prefault, pk_pool_prefault(c->p[0]))
PK_RB_NOGIL(pool_gc, pk_pool_gc(c->p[0], c->p[1]))
PK_RB_NOGIL(pool_kind_stats, pk_pool_kind_stats(&c->u[0], &c->u[1], c->p[0],
		(pk_type)c->u[2]))
PK_RB_NOGIL(container_bytes, pk_container_bytes(&c->u[0], &c->u[1], c->p[0],
		c->p[1]))
PK_RB_NOGIL(swig_array_new, pk_swig_array_new(c->p[0], c->p[1], (int)c->u[0],
		(size_t)c->u[1], c->u[2], c->p[2], (size_t)c->u[3]))
PK_RB_NOGIL(swig_array_write, pk_swig_array_write(c->p[0], c->u[0], c->p[1],
		(size_t)c->u[1]))
PK_RB_NOGIL(array_read, pk_array_read(c->p[0], c->p[1], c->u[0], c->u[1]))
PK_RB_NOGIL(array_resize, pk_array_resize(c->p[0], c->u[0]))

/* pk_rb_nogil -- run @cb(@c) without the GVL; its return code */
static int
pk_rb_nogil(void *(*cb)(void *), struct pk_rb_call *c)
{
	rb_thread_call_without_gvl(cb, c, NULL, NULL);
	return c->rc;
}

/* the path is copied: the GVL's other holders may move a String's bytes */
static int
pk_rb_pool_create(pk_pool **out, const char *path, size_t size, unsigned mode)
{
	char *p = strdup(path);
	struct pk_rb_call c = { { out, p }, { size, mode } };
	int rc = p ? pk_rb_nogil(pk_rb_pool_create_cb, &c) : ENOMEM;

	free(p);
	return rc;
}
static int
pk_rb_pool_open(pk_pool **out, const char *path)
{
	char *p = strdup(path);
	struct pk_rb_call c = { { out, p } };
	int rc = p ? pk_rb_nogil(pk_rb_pool_open_cb, &c) : ENOMEM;

	free(p);
	return rc;
}
/* with options (swig/pmemkit_head.i): the replica's path copied too */
static int
pk_rb_swig_pool_create(pk_pool **out, const char *path, uint64_t size,
		uint64_t max_size, unsigned mode, unsigned flags,
		const char *replica)
{
	char *p = strdup(path), *r = replica ? strdup(replica) : NULL;
	struct pk_rb_call c = { { out, p, r }, { size, max_size, mode, flags } };
	int rc = p && (r || !replica) ?
		pk_rb_nogil(pk_rb_swig_pool_create_cb, &c) : ENOMEM;

	free(p);
	free(r);
	return rc;
}
static int
pk_rb_swig_pool_open(pk_pool **out, const char *path, unsigned flags)
{
	char *p = strdup(path);
	struct pk_rb_call c = { { out, p }, { flags } };
	int rc = p ? pk_rb_nogil(pk_rb_swig_pool_open_cb, &c) : ENOMEM;

	free(p);
	return rc;
}
/* msync of the whole pool: changes no value */
static int
pk_rb_pool_sync(pk_pool *pool)
{
	struct pk_rb_call c = { { pool } };
	return pk_rb_nogil(pk_rb_pool_sync_cb, &c);
}
/* a closed pool's files */
static int
pk_rb_pool_repair(const char *path)
{
	char *p = strdup(path);
	struct pk_rb_call c = { { p } };
	int rc = p ? pk_rb_nogil(pk_rb_pool_repair_cb, &c) : ENOMEM;

	free(p);
	return rc;
}
static int
pk_rb_pool_check(pk_check_report *out, pk_pool *pool)
{
	struct pk_rb_call c = { { out, pool } };
	return pk_rb_nogil(pk_rb_pool_check_cb, &c);
}
static int
pk_rb_pool_stats_get(pk_pool_stats *out, pk_pool *pool)
{
	struct pk_rb_call c = { { out, pool } };
	return pk_rb_nogil(pk_rb_pool_stats_get_cb, &c);
}
static int
pk_rb_pool_prefault(pk_pool *pool)
{
	struct pk_rb_call c = { { pool } };
	return pk_rb_nogil(pk_rb_pool_prefault_cb, &c);
}
static int
pk_rb_pool_gc(uint64_t *freed, pk_pool *pool)
{
	struct pk_rb_call c = { { freed, pool } };
	return pk_rb_nogil(pk_rb_pool_gc_cb, &c);
}
/* the space accounting walks (every object of the pool, every container
 * reachable): out-values in c->u, copied out here */
static int
pk_rb_pool_kind_stats(uint64_t *count, uint64_t *bytes, pk_pool *pool,
		pk_type kind)
{
	struct pk_rb_call c = { { pool }, { 0, 0, (uint64_t)kind } };
	int rc = pk_rb_nogil(pk_rb_pool_kind_stats_cb, &c);

	*count = c.u[0];
	*bytes = c.u[1];
	return rc;
}
/* a container reference is an offset and a generation, no borrowed bytes */
static int
pk_rb_container_bytes(uint64_t *shallow, uint64_t *deep, pk_pool *pool,
		const pk_value *ref)
{
	struct pk_rb_call c = { { pool, (void *)ref } };
	int rc = pk_rb_nogil(pk_rb_container_bytes_cb, &c);

	*shallow = c.u[0];
	*deep = c.u[1];
	return rc;
}
/* element bytes come from a String in the SWIG wrapper's arguments, which
 * the GC finds on this thread's stack and so never moves */
static int
pk_rb_swig_array_new(pk_array **out, pk_pool *pool, int elem, size_t width,
		uint64_t length, const void *init, size_t len)
{
	struct pk_rb_call c = { { out, pool, (void *)init },
			{ (uint64_t)elem, width, length, len } };
	return pk_rb_nogil(pk_rb_swig_array_new_cb, &c);
}
static int
pk_rb_swig_array_write(pk_array *array, uint64_t start, const void *src,
		size_t len)
{
	struct pk_rb_call c = { { array, (void *)src }, { start, len } };
	return pk_rb_nogil(pk_rb_swig_array_write_cb, &c);
}
static int
pk_rb_array_read_nogil(void *out, pk_array *array, uint64_t start,
		uint64_t count)
{
	struct pk_rb_call c = { { out, array }, { start, count } };
	return pk_rb_nogil(pk_rb_array_read_cb, &c);
}
static int
pk_rb_array_resize(pk_array *array, uint64_t length)
{
	struct pk_rb_call c = { { array }, { length } };
	return pk_rb_nogil(pk_rb_array_resize_cb, &c);
}
#define pk_pool_create pk_rb_pool_create
#define pk_pool_open pk_rb_pool_open
#define pk_swig_pool_create pk_rb_swig_pool_create
#define pk_swig_pool_open pk_rb_swig_pool_open
#define pk_pool_sync pk_rb_pool_sync
#define pk_pool_repair pk_rb_pool_repair
#define pk_pool_check pk_rb_pool_check
#define pk_pool_stats_get pk_rb_pool_stats_get
#define pk_pool_prefault pk_rb_pool_prefault
#define pk_pool_gc pk_rb_pool_gc
#define pk_pool_kind_stats pk_rb_pool_kind_stats
#define pk_container_bytes pk_rb_container_bytes
#define pk_swig_array_new pk_rb_swig_array_new
#define pk_swig_array_write pk_rb_swig_array_write
#define pk_array_resize pk_rb_array_resize
%}

%include "swig/pmemkit.i"

/* ---- helpers for the Ruby code ---------------------------------------- */
%inline %{
/* Install the error class name => exception class Hash. */
static void
pk_rb_set_exceptions(VALUE map)
{
	Check_Type(map, T_HASH);
	pk_rb_exc_map = map;
}

/* The value of @key, or @missing when the map has no such key (a miss is
 * common: Map#[] should not pay for an exception). */
static VALUE
pk_rb_map_lookup(pk_map *map, const pk_value *key, VALUE missing)
{
	pk_value out;
	int rc = pk_map_get(&out, map, key);

	if (rc == PK_NOTFOUND)
		return missing;
	if (rc != 0)
		pk_swig_raise(rc);
	return pk_rb_from_value(&out);
}

/* The value of the attribute @name, or @missing when the record has no
 * such attribute. */
static VALUE
pk_rb_record_lookup(pk_record *rec, const pk_value *name, VALUE missing)
{
	pk_value out;
	int rc = pk_record_get(&out, rec, name);

	if (rc == PK_NOTFOUND)
		return missing;
	if (rc != 0)
		pk_swig_raise(rc);
	return pk_rb_from_value(&out);
}

/* The value of @key in a sorted map, or @missing (as pk_rb_map_lookup). */
static VALUE
pk_rb_sorted_lookup(pk_sorted *map, const pk_value *key, VALUE missing)
{
	pk_value out;
	int rc = pk_sorted_get(&out, map, key);

	if (rc == PK_NOTFOUND)
		return missing;
	if (rc != 0)
		pk_swig_raise(rc);
	return pk_rb_from_value(&out);
}

/* [key, value] of a sorted map's entry at @index (negative from the
 * end), or nil outside it. */
static VALUE
pk_rb_sorted_at(pk_sorted *map, int64_t index)
{
	pk_value k, v;
	int rc = pk_sorted_at(&k, &v, map, index);

	if (rc == PK_ERANGE)
		return Qnil;
	if (rc != 0)
		pk_swig_raise(rc);
	return rb_assoc_new(pk_rb_from_value(&k), pk_rb_from_value(&v));
}

/* [key, value] of the entry pk_sorted_seek() picks next to @probe (@how a
 * PK_SEEK_*), or nil when there is none. */
static VALUE
pk_rb_sorted_seek(pk_sorted *map, const pk_value *probe, int how)
{
	pk_value k, v;
	int rc = pk_sorted_seek(&k, &v, map, probe, how);

	if (rc == PK_NOTFOUND)
		return Qnil;
	if (rc != 0)
		pk_swig_raise(rc);
	return rb_assoc_new(pk_rb_from_value(&k), pk_rb_from_value(&v));
}

/* Elements [start, start + count) as a binary String. */
static VALUE
pk_rb_array_read(pk_array *array, uint64_t start, uint64_t count)
{
	size_t len = 0;
	VALUE s;
	int rc = pk_swig_array_span(&len, array, count, LONG_MAX);

	if (rc == PK_ERANGE)
		pk_rb_raise(rc, "index out of range");
	if (rc != 0)
		pk_swig_raise(rc);
	s = rb_str_new(NULL, (long)len);
	rc = pk_rb_array_read_nogil(RSTRING_PTR(s), array, start, count);
	if (rc != 0)
		pk_swig_raise(rc);
	RB_GC_GUARD(s);
	return s;
}
%}

%init %{
	pk_rb_id_bit_length = rb_intern("bit_length");
	pk_rb_id_new = rb_intern("new");
	pk_rb_id_freeze = rb_intern("freeze");
	pk_rb_id_to_a = rb_intern("to_a");
	rb_gc_register_address(&pk_rb_exc_map);
	rb_gc_register_address(&pk_rb_cRef);
	rb_gc_register_address(&pk_rb_cTuple);
	/* Pmemkit::Ref: what a container reference is while Ruby holds it */
	pk_rb_cRef = rb_struct_define_under(rb_define_module("Pmemkit"), "Ref",
			"type", "off", "gen", NULL);
	/* Pmemkit::Tuple: a tuple (lib/pmemkit/tuple.rb adds its methods) */
	pk_rb_cTuple = rb_define_class_under(rb_define_module("Pmemkit"),
			"Tuple", rb_cArray);
	/* Pmemkit::FrozenSet < ::Set: a frozen set (lib/pmemkit/tuple.rb
	 * adds its methods) */
	rb_gc_register_address(&pk_rb_cSet);
	rb_gc_register_address(&pk_rb_cFrozenSet);
	rb_require("set");
	pk_rb_cSet = rb_const_get(rb_cObject, rb_intern("Set"));
	pk_rb_cFrozenSet = rb_define_class_under(rb_define_module("Pmemkit"),
			"FrozenSet", pk_rb_cSet);
%}
