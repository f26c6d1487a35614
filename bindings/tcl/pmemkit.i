/*
 * pmemkit.i -- the Tcl package's C layer: the commands of the C API in
 * namespace ::pmemkit (pk_map_get, ...), the errors (errorCode), and the
 * conversion of values. pmemkit.tcl builds the package's commands (pools,
 * maps, lists, arrays, logs, block arrays, regions as TclOO objects) on
 * them. The shared policy and the wrapped C API come from swig/pmemkit.i.
 *
 * Values read from a pool come back as a pair {type value}: type is nil,
 * bool, int, double, bytes, string, bigint (value: its little-endian two's
 * complement bytes), tuple (value: the list of its items' pairs),
 * frozenset (the scalar PK_FROZENSET: the list of its members' pairs), map,
 * list, array, log, blocks, set, record or sorted (value: {offset
 * generation}),
 * so that the Tcl code knows what a value is. Values (and keys) to store
 * are any Tcl value, typed by its string (see pk_tcl_untyped), or the
 * result of [::pmemkit::_typed TYPE VALUE] to say what it is (for a
 * tuple or a frozenset, VALUE is a spec: see pk_tcl_tuple).
 */
%module pmemkit

%include "swig/pmemkit_head.i"

%{
#include <errno.h>
#include <limits.h>
#include <math.h>

/* ---- errors ---------------------------------------------------------- */

/*
 * The error for a return code with its message (pk_swig_raise's is
 * pk_swig_message()'s): errorCode is
 * {PMEMKIT <class> <code> <message>} with the class of the table
 * (pk_error_class()), or Tcl's {POSIX <errno name> <message>} for errno
 * codes.
 */
static void
pk_tcl_raise(Tcl_Interp *interp, int code, const char *msg)
{
	Tcl_SetObjResult(interp, Tcl_NewStringObj(msg, -1));
	if (code > 0) {
		Tcl_SetErrno(code);
		Tcl_SetErrorCode(interp, "POSIX", Tcl_ErrnoId(),
				Tcl_ErrnoMsg(code), NULL);
	} else {
		Tcl_Obj *ec[4];
		ec[0] = Tcl_NewStringObj("PMEMKIT", -1);
		ec[1] = Tcl_NewStringObj(pk_error_class(code), -1);
		ec[2] = Tcl_NewIntObj(code);
		ec[3] = Tcl_NewStringObj(msg, -1);
		Tcl_SetObjErrorCode(interp, Tcl_NewListObj(4, ec));
	}
}
/* SWIG's own argument errors (a value of the wrong type for a C
 * parameter) are PMEMKIT Value errors too */
#undef SWIG_Error
#define SWIG_Error(code, msg) pk_tcl_raise(interp, PK_EVALUE, (msg))
/* every wrapper has its interp at hand */
#define pk_swig_raise(code) pk_tcl_raise(interp, (code), pk_swig_message(code))
#define pk_swig_raise_msg(code, msg) pk_tcl_raise(interp, (code), (msg))
/* the shared return-code typemap's empty result (SWIG's Tcl library has
 * no VOID_Object) */
#define VOID_Object Tcl_NewObj()

/* ---- values ---------------------------------------------------------- */

static const char *const pk_tcl_type_names[] = {
	"nil", "bool", "int", "double", "bytes", "string", "bigint", "tuple",
	"frozenset", NULL
};
static const char *const pk_tcl_ref_names[] = { "map", "list", "array", "log",
	"blocks", "set", "record", "sorted", NULL };

static Tcl_Encoding pk_tcl_utf8;

/*
 * [::pmemkit::_typed TYPE VALUE] makes a value of this object type: it
 * carries the pk_type to store VALUE as. Its string is VALUE's.
 */
static void pk_typed_free(Tcl_Obj *o) { Tcl_DecrRefCount((Tcl_Obj *)o->internalRep.twoPtrValue.ptr2); }
static void pk_typed_dup(Tcl_Obj *src, Tcl_Obj *dst);
static void
pk_typed_string(Tcl_Obj *o)
{
	int len;
	const char *s = Tcl_GetStringFromObj(
			(Tcl_Obj *)o->internalRep.twoPtrValue.ptr2, &len);
	o->bytes = Tcl_Alloc((unsigned)len + 1);
	memcpy(o->bytes, s, (size_t)len + 1);
	o->length = len;
}
static const Tcl_ObjType pk_typed_type = {
	"pmemkit::typed", pk_typed_free, pk_typed_dup, pk_typed_string, NULL
};
static void
pk_typed_dup(Tcl_Obj *src, Tcl_Obj *dst)
{
	dst->internalRep = src->internalRep;
	Tcl_IncrRefCount((Tcl_Obj *)dst->internalRep.twoPtrValue.ptr2);
	dst->typePtr = &pk_typed_type;
}

/* Tcl's own value types, looked up once (pk_tcl_types_init) */
static const Tcl_ObjType *pk_tcl_int_type, *pk_tcl_wide_type,
	*pk_tcl_bignum_type, *pk_tcl_double_type, *pk_tcl_bytearray_type,
	*pk_tcl_list_type;

static void
pk_tcl_types_init(void)
{
	pk_tcl_int_type = Tcl_GetObjType("int");
	pk_tcl_wide_type = Tcl_GetObjType("wideInt");
	pk_tcl_bignum_type = Tcl_GetObjType("bignum");
	pk_tcl_double_type = Tcl_GetObjType("double");
	pk_tcl_bytearray_type = Tcl_GetObjType("bytearray");
	pk_tcl_list_type = Tcl_GetObjType("list");
}

/* a pure byte array: stored as bytes (pk_tcl_untyped); its string, once
 * made, would make it text */
static int
pk_tcl_is_bytes(Tcl_Obj *o)
{
	return o->typePtr == pk_tcl_bytearray_type && o->bytes == NULL;
}

/*
 * pk_tcl_check_bytes -- whether a value is a byte string, as Tcl's byte
 * commands (binary, binary channels) take one: a byte array, or a string
 * whose characters are all U+0000-U+00FF, one byte each. A character above
 * U+00FF raises PMEMKIT Value (Tcl 9's rule): Tcl 8.6 would keep its low 8
 * bits, and store something else than was given. Text is bytes through
 * [encoding convertto utf-8]. [_typed bytes VALUE] checks it: every value
 * stored as bytes but a pure byte array comes through there.
 */
static int
pk_tcl_check_bytes(Tcl_Interp *interp, Tcl_Obj *o)
{
	int len;

	/* a byte array with a string may have been made from that string
	 * (8.6 truncates then): only a pure one is its bytes unchecked */
	if (o->typePtr != pk_tcl_bytearray_type || o->bytes != NULL) {
		const char *s = Tcl_GetStringFromObj(o, &len), *p = s, *end = s + len;
		while (p < end) {
			Tcl_UniChar c;
			if ((unsigned char)*p < 0x80) {
				p++;
				continue;
			}
			p += Tcl_UtfToUniChar(p, &c);
			if (c > 0xff) {
				Tcl_Obj *msg = Tcl_ObjPrintf("pmemkit: expected bytes but "
						"character %d is U+%04X: a byte string's characters "
						"are U+0000-U+00FF (text is bytes through "
						"[encoding convertto utf-8])",
						Tcl_NumUtfChars(s, (int)(p - s)) - 1, (unsigned)c);
				Tcl_IncrRefCount(msg);
				pk_tcl_raise(interp, PK_EVALUE, Tcl_GetString(msg));
				Tcl_DecrRefCount(msg);
				return TCL_ERROR;
			}
		}
	}
	return TCL_OK;
}

static int
pk_tcl_typed_cmd(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	static const char *const names[] = { "nil", "bool", "int", "double",
		"bytes", "string", "bigint", "tuple", "frozenset", "map", "list",
		"array", "log", "blocks", "set", "record", "sorted", NULL };
	static const pk_type types[] = { PK_NIL, PK_BOOL, PK_INT, PK_DOUBLE,
		PK_BYTES, PK_STRING, PK_BIGINT, PK_TUPLE, PK_FROZENSET, PK_MAP,
		PK_LIST, PK_ARRAY, PK_LOG, PK_BLOCKS, PK_SET, PK_RECORD,
		PK_SORTED };
	Tcl_Obj *o;
	int i;

	(void)cd;
	if (objc != 3) {
		Tcl_WrongNumArgs(interp, 1, objv, "type value");
		return TCL_ERROR;
	}
	if (Tcl_GetIndexFromObj(interp, objv[1], names, "type", 0, &i) != TCL_OK)
		return TCL_ERROR;
	if (types[i] == PK_BYTES && pk_tcl_check_bytes(interp, objv[2]) != TCL_OK)
		return TCL_ERROR;
	o = Tcl_NewObj();
	Tcl_InvalidateStringRep(o);
	o->internalRep.twoPtrValue.ptr1 = (void *)(intptr_t)types[i];
	o->internalRep.twoPtrValue.ptr2 = objv[2];
	Tcl_IncrRefCount(objv[2]);
	o->typePtr = &pk_typed_type;
	Tcl_SetObjResult(interp, o);
	return TCL_OK;
}

/* A new Tcl value for a value read from a pool: {type value}; a tuple's
 * value is the list of its items' pairs, a frozen set's (PK_FROZENSET,
 * the scalar) the list of its members' pairs in the library's order. */
static Tcl_Obj *
pk_tcl_from_value(const pk_value *v)
{
	Tcl_Obj *pair[2], *ref[2];
	const unsigned char *p = (const unsigned char *)v->u.buf.ptr;
	size_t i;

	if (v->type >= PK_MAP && v->type <= PK_SORTED) {
		pair[0] = Tcl_NewStringObj(pk_tcl_ref_names[v->type - PK_MAP], -1);
		ref[0] = Tcl_NewWideIntObj((Tcl_WideInt)v->u.ref.off);
		ref[1] = Tcl_NewWideIntObj((Tcl_WideInt)v->u.ref.gen);
		pair[1] = Tcl_NewListObj(2, ref);
		return Tcl_NewListObj(2, pair);
	}
	if (v->type > PK_BIGINT) {
		if (v->type == PK_TUPLE || v->type == PK_FROZENSET) {
			pk_value item;
			size_t pos = 0;
			int rc;
			pair[1] = Tcl_NewListObj(0, NULL);
			while ((rc = pk_tuple_next(&item, v, &pos)) == 0)
				Tcl_ListObjAppendElement(NULL, pair[1], pk_tcl_from_value(&item));
			if (rc == PK_ITEROVER) {
				pair[0] = Tcl_NewStringObj(
						pk_tcl_type_names[v->type], -1);
				return Tcl_NewListObj(2, pair);
			}
			/* not an encoding: refused as below */
			Tcl_DecrRefCount(pair[1]);
		}
		/* a type this module does not know: the Tcl code refuses it */
		pair[0] = Tcl_NewStringObj("unknown", -1);
		pair[1] = Tcl_NewIntObj((int)v->type);
		return Tcl_NewListObj(2, pair);
	}
	pair[0] = Tcl_NewStringObj(pk_tcl_type_names[v->type], -1);
	switch (v->type) {
	case PK_NIL:
		pair[1] = Tcl_NewObj();
		break;
	case PK_BOOL:
		/* "true"/"false": stored back as text unless -bool (a
		 * value's string decides its type) */
		pair[1] = Tcl_NewStringObj(v->u.i ? "true" : "false", -1);
		break;
	case PK_INT:
		pair[1] = Tcl_NewWideIntObj((Tcl_WideInt)v->u.i);
		break;
	case PK_DOUBLE:
		pair[1] = Tcl_NewDoubleObj(v->u.d);
		break;
	case PK_STRING:
		/* Tcl's own UTF-8 encodes NUL and characters beyond the BMP
		 * differently: convert when they occur */
		for (i = 0; i < v->u.buf.len; i++)
			if (p[i] == 0 || p[i] >= 0xf0)
				break;
		if (i == v->u.buf.len) {
			pair[1] = Tcl_NewStringObj((const char *)p, (int)v->u.buf.len);
		} else {
			Tcl_DString ds;
			Tcl_ExternalToUtfDString(pk_tcl_utf8, (const char *)p,
					(int)v->u.buf.len, &ds);
			pair[1] = Tcl_NewStringObj(Tcl_DStringValue(&ds),
					Tcl_DStringLength(&ds));
			Tcl_DStringFree(&ds);
		}
		break;
	default: /* PK_BYTES, PK_BIGINT */
		pair[1] = Tcl_NewByteArrayObj(p, (int)v->u.buf.len);
		break;
	}
	return Tcl_NewListObj(2, pair);
}
/* a value result, for the shared typemaps (swig/pmemkit.i) */
#define pk_swig_from_value(v) pk_tcl_from_value(v)

/* Text for PK_STRING: Tcl's string in real UTF-8 (a copy in *keep when
 * Tcl's encoding differs: NUL as C0 80, surrogates). */
static int
pk_tcl_text(Tcl_Obj *o, pk_value *v, Tcl_Obj **keep)
{
	int len, i;
	const char *s = Tcl_GetStringFromObj(o, &len);

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] == 0xc0 || (unsigned char)s[i] == 0xed)
			break;
	if (i < len) {
		Tcl_DString ds;
		Tcl_UtfToExternalDString(pk_tcl_utf8, s, len, &ds);
		*keep = Tcl_NewByteArrayObj((const unsigned char *)
				Tcl_DStringValue(&ds), Tcl_DStringLength(&ds));
		Tcl_IncrRefCount(*keep);
		Tcl_DStringFree(&ds);
		s = (const char *)Tcl_GetByteArrayFromObj(*keep, &len);
	}
	v->type = PK_STRING;
	v->u.buf.ptr = s;
	v->u.buf.len = (size_t)len;
	return TCL_OK;
}

/* An integer: PK_INT, or PK_BIGINT beyond int64 (its bytes come from
 * ::pmemkit::_bigint_bytes, which also rejects what is not an integer). */
static int
pk_tcl_integer(Tcl_Interp *interp, Tcl_Obj *o, pk_value *v, Tcl_Obj **keep)
{
	Tcl_WideInt w;
	Tcl_Obj *cmd[2];
	const unsigned char *b;
	int len, i;

	/* a bignum between 2^63 and 2^64 converts too (wrapped): only an
	 * int representation is an int64 */
	if (Tcl_GetWideIntFromObj(NULL, o, &w) == TCL_OK &&
			(o->typePtr == pk_tcl_int_type || o->typePtr == pk_tcl_wide_type)) {
		v->type = PK_INT;
		v->u.i = (int64_t)w;
		return TCL_OK;
	}
	cmd[0] = Tcl_NewStringObj("::pmemkit::_bigint_bytes", -1);
	cmd[1] = o;
	Tcl_IncrRefCount(cmd[0]);
	i = Tcl_EvalObjv(interp, 2, cmd, 0);
	Tcl_DecrRefCount(cmd[0]);
	if (i != TCL_OK)
		return TCL_ERROR;
	*keep = Tcl_GetObjResult(interp);
	Tcl_IncrRefCount(*keep);
	Tcl_ResetResult(interp);
	b = Tcl_GetByteArrayFromObj(*keep, &len);
	pk_swig_int_bytes(v, b, (size_t)len);
	return TCL_OK;
}

/*
 * pk_tcl_canon_int -- whether s (len bytes) is an integer as Tcl prints
 * one back: an optional "-", then 0 or a digit 1-9 and more digits (no
 * "+", no leading zeros, no spaces, not "-0"); any size.
 */
static int
pk_tcl_canon_int(const char *s, int len)
{
	int i = s[0] == '-';

	if (i == len || (s[i] == '0' && len != 1))
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * pk_tcl_canon_double -- whether s (len bytes, NUL-terminated) is a
 * finite double as Tcl prints one back (Tcl_PrintDouble: "2.5", "2.0",
 * "1e+20", "-0.0"), and its value in *d. Inf and NaN are words here.
 */
static int
pk_tcl_canon_double(const char *s, int len, double *d)
{
	char buf[TCL_DOUBLE_SPACE];
	int i;

	if (len >= TCL_DOUBLE_SPACE)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
				s[i] == 'e' || s[i] == '-' || s[i] == '+'))
			return 0;
	if (Tcl_GetDouble(NULL, s, d) != TCL_OK)
		return 0;
	Tcl_PrintDouble(NULL, *d, buf);
	return strcmp(buf, s) == 0;
}

/*
 * pk_tcl_untyped -- the type a value without an option is stored as,
 * decided by its string alone (never by its internal representation,
 * which Tcl shares between equal literals and changes on any use): a
 * canonical integer is PK_INT (pk_tcl_integer: a big integer beyond
 * int64), a canonical finite double PK_DOUBLE (its value in *d), anything
 * else PK_STRING. One exception: a pure byte array (a bytearray with no
 * string, as [binary format] and byte values read from a pool make) is
 * PK_BYTES. Pure ints and doubles skip the string: theirs would be
 * canonical (but for Inf and NaN).
 */
static pk_type
pk_tcl_untyped(Tcl_Obj *o, double *d)
{
	const Tcl_ObjType *t = o->typePtr;
	const char *s;
	int len;

	if (o->bytes == NULL && t != NULL) {
		if (t == pk_tcl_bytearray_type)
			return PK_BYTES;
		if (t == pk_tcl_int_type || t == pk_tcl_wide_type ||
				t == pk_tcl_bignum_type)
			return PK_INT;
		if (t == pk_tcl_double_type && isfinite(o->internalRep.doubleValue)) {
			*d = o->internalRep.doubleValue;
			return PK_DOUBLE;
		}
	}
	s = Tcl_GetStringFromObj(o, &len);
	if (len == 0 || !((s[0] >= '0' && s[0] <= '9') || s[0] == '-'))
		return PK_STRING;
	if (pk_tcl_canon_int(s, len))
		return PK_INT;
	if (pk_tcl_canon_double(s, len, d))
		return PK_DOUBLE;
	return PK_STRING;
}

/* Tcl's error for a value (expected a boolean, ...) as PMEMKIT Value */
static int
pk_tcl_value_error(Tcl_Interp *interp)
{
	Tcl_Obj *msg = Tcl_GetObjResult(interp);

	Tcl_IncrRefCount(msg);
	pk_tcl_raise(interp, PK_EVALUE, Tcl_GetString(msg));
	Tcl_DecrRefCount(msg);
	return TCL_ERROR;
}

static int pk_tcl_tuple(Tcl_Interp *interp, pk_type kind, Tcl_Obj *spec,
		pk_value *v, Tcl_Obj **keep, int depth);
static int pk_tcl_convert(Tcl_Interp *interp, pk_type want, Tcl_Obj *o,
		pk_value *v, Tcl_Obj **keep);

/*
 * A Tcl value -> pk_value (values and keys alike). A [::pmemkit::_typed]
 * value is what it says; any other is typed by pk_tcl_untyped(). Whatever
 * is made on the way is kept in *keep (released by the caller).
 */
static int
pk_tcl_to_value(Tcl_Interp *interp, Tcl_Obj *o, pk_value *v, Tcl_Obj **keep)
{
	pk_type want;
	double d;

	memset(v, 0, sizeof(*v));
	if (o->typePtr == &pk_typed_type) {
		want = (pk_type)(intptr_t)o->internalRep.twoPtrValue.ptr1;
		o = (Tcl_Obj *)o->internalRep.twoPtrValue.ptr2;
	} else {
		want = pk_tcl_untyped(o, &d);
		if (want == PK_DOUBLE) {
			v->type = PK_DOUBLE;
			v->u.d = d;
			return TCL_OK;
		}
	}
	return pk_tcl_convert(interp, want, o, v, keep);
}

/* pk_tcl_convert -- the value o as the type want (a [_typed] value's, or
 * the one its string gives) */
static int
pk_tcl_convert(Tcl_Interp *interp, pk_type want, Tcl_Obj *o, pk_value *v,
		Tcl_Obj **keep)
{
	switch (want) {
	case PK_NIL:
		v->type = PK_NIL;
		return TCL_OK;
	case PK_BOOL: {
		int b;
		if (Tcl_GetBooleanFromObj(interp, o, &b) != TCL_OK)
			return pk_tcl_value_error(interp);
		v->type = PK_BOOL;
		v->u.i = b;
		return TCL_OK;
	}
	case PK_INT:
		return pk_tcl_integer(interp, o, v, keep);
	case PK_DOUBLE:
		v->type = PK_DOUBLE;
		if (Tcl_GetDoubleFromObj(interp, o, &v->u.d) != TCL_OK)
			return pk_tcl_value_error(interp);
		return TCL_OK;
	case PK_BYTES: /* checked by _typed (pk_tcl_check_bytes) */
	case PK_BIGINT: {
		int len;
		v->type = want;
		v->u.buf.ptr = Tcl_GetByteArrayFromObj(o, &len);
		v->u.buf.len = (size_t)len;
		return TCL_OK;
	}
	case PK_STRING:
		return pk_tcl_text(o, v, keep);
	case PK_TUPLE:
	case PK_FROZENSET:
		return pk_tcl_tuple(interp, want, o, v, keep, 1);
	default: {
		/* a reference: {offset generation} */
		Tcl_Obj **e;
		Tcl_WideInt off, gen;
		int n;
		if (Tcl_ListObjGetElements(interp, o, &n, &e) != TCL_OK)
			return TCL_ERROR;
		if (n != 2 || Tcl_GetWideIntFromObj(interp, e[0], &off) != TCL_OK ||
				Tcl_GetWideIntFromObj(interp, e[1], &gen) != TCL_OK) {
			Tcl_SetObjResult(interp, Tcl_NewStringObj(
					"pmemkit: bad container reference", -1));
			return TCL_ERROR;
		}
		v->type = want;
		v->u.ref.off = (uint64_t)off;
		v->u.ref.gen = (uint64_t)gen;
		return TCL_OK;
	}
	}
}
%}

%{
/* ---- tuples ------------------------------------------------------------ */

/* pk_tcl_raise with a formatted message */
static int
pk_tcl_raisef(Tcl_Interp *interp, int code, Tcl_Obj *msg)
{
	Tcl_IncrRefCount(msg);
	pk_tcl_raise(interp, code, Tcl_GetString(msg));
	Tcl_DecrRefCount(msg);
	return TCL_ERROR;
}

/*
 * pk_tcl_object_name -- whether s is the name of an existing object of
 * the package (::pmemkit::<kind><serial>): a container, a pool, a
 * region; looked up only for names of that form.
 */
static int
pk_tcl_object_name(Tcl_Interp *interp, const char *s)
{
	const char *p;
	Tcl_CmdInfo info;

	if (strncmp(s, "::pmemkit::", 11) != 0)
		return 0;
	for (p = s + 11; *p >= 'a' && *p <= 'z'; p++)
		;
	return p > s + 11 && *p >= '1' && *p <= '9' &&
		strspn(p, "0123456789") == strlen(p) &&
		Tcl_GetCommandInfo(interp, s, &info);
}

/*
 * pk_tcl_tuple_item -- one item of a tuple spec (pk_tcl_tuple): {-tuple
 * SPEC} a nested tuple, {-frozenset SPEC} a frozen set, {-TYPE VALUE} (-int -double -bool -string -bytes
 * -bigint) that value with that type, -nil nil, a [_typed] value what it
 * says; anything else a plain value typed by its string, as a key is (a
 * pure byte array: bytes). The command of a container (a package
 * object's name) raises PMEMKIT KeyType: storing its name as text would
 * look as if the container had been.
 */
static int
pk_tcl_tuple_item(Tcl_Interp *interp, Tcl_Obj *o, pk_value *v, Tcl_Obj **keep,
		int depth)
{
	static const char *const opts[] = { "-nil", "-bool", "-int", "-double",
		"-string", "-bytes", "-bigint", "-tuple", "-frozenset", NULL };
	static const pk_type types[] = { PK_NIL, PK_BOOL, PK_INT, PK_DOUBLE,
		PK_STRING, PK_BYTES, PK_INT, PK_TUPLE, PK_FROZENSET };
	const char *s = NULL;
	Tcl_Obj **w;
	int n, j, len;

	memset(v, 0, sizeof(*v));
	if (o->typePtr == &pk_typed_type || pk_tcl_is_bytes(o))
		return pk_tcl_to_value(interp, o, v, keep);
	/* a list's string is not made: it would make the strings of its
	 * elements, and a pure byte array's would make it text */
	if (o->typePtr != pk_tcl_list_type) {
		s = Tcl_GetStringFromObj(o, &len);
		if (len < 2 || s[0] != '-')
			goto plain;
	}
	if (Tcl_ListObjGetElements(NULL, o, &n, &w) == TCL_OK) {
		if (s == NULL && n > 1 && (pk_tcl_is_bytes(w[0]) ||
				Tcl_GetString(w[0])[0] != '-'))
			/* a list of words: text (no object's name) */
			return pk_tcl_to_value(interp, o, v, keep);
		if ((n == 1 || n == 2) && !pk_tcl_is_bytes(w[0])) {
			for (j = 0; opts[j] != NULL; j++)
				if (strcmp(Tcl_GetString(w[0]), opts[j]) == 0)
					break;
			if (opts[j] != NULL && (n == 2) == (types[j] != PK_NIL)) {
				if (types[j] == PK_NIL) {
					v->type = PK_NIL;
					return TCL_OK;
				}
				if (types[j] == PK_TUPLE || types[j] == PK_FROZENSET)
					return pk_tcl_tuple(interp, types[j], w[1], v, keep,
							depth + 1);
				if (types[j] == PK_BYTES &&
						pk_tcl_check_bytes(interp, w[1]) != TCL_OK)
					return TCL_ERROR;
				return pk_tcl_convert(interp, types[j], w[1], v, keep);
			}
		}
	}
plain:
	if (s == NULL)
		s = Tcl_GetString(o);
	if (pk_tcl_object_name(interp, s))
		return pk_tcl_raisef(interp, PK_EKEYTYPE, Tcl_ObjPrintf("pmemkit: %s "
				"is an object of the package: a container cannot be a "
				"tuple's item or a frozen set's member (say {-string NAME} "
				"for the text)", s));
	return pk_tcl_to_value(interp, o, v, keep);
}

/*
 * pk_tcl_tuple -- a tuple spec (a Tcl list of items, pk_tcl_tuple_item)
 * -> a PK_TUPLE value, or with kind PK_FROZENSET a frozen set's (its
 * members, in any order, repeats dropped: pk_frozenset_pack()); the
 * encoding is a byte array in *keep. depth: 1 for the outer one.
 */
static int
pk_tcl_tuple(Tcl_Interp *interp, pk_type kind, Tcl_Obj *spec, pk_value *v,
		Tcl_Obj **keep, int depth)
{
	int (*pack)(void *, size_t, size_t *, const pk_value *, size_t) =
		kind == PK_FROZENSET ? pk_frozenset_pack : pk_tuple_pack;
	const char *what = kind == PK_FROZENSET ? "a frozen set" : "a tuple";
	Tcl_Obj **e, *holds, *item_keep;
	pk_value *items = NULL;
	unsigned char *buf;
	size_t len;
	int n, i, rc, ret = TCL_ERROR;

	if (depth > PK_TUPLE_DEPTH)
		return pk_tcl_raisef(interp, PK_EVALUE, Tcl_ObjPrintf("pmemkit: "
				"tuples and frozen sets nest at most %d deep",
				PK_TUPLE_DEPTH));
	if (Tcl_ListObjGetElements(NULL, spec, &n, &e) != TCL_OK)
		return pk_tcl_raisef(interp, PK_EVALUE, Tcl_ObjPrintf("pmemkit: "
				"expected a list of items for %s but got \"%s\"",
				what, Tcl_GetString(spec)));
	/* the items' own keeps, until the encoding has copied them */
	holds = Tcl_NewListObj(0, NULL);
	Tcl_IncrRefCount(holds);
	items = (pk_value *)Tcl_Alloc(sizeof(pk_value) * (unsigned)(n ? n : 1));
	for (i = 0; i < n; i++) {
		item_keep = NULL;
		rc = pk_tcl_tuple_item(interp, e[i], &items[i], &item_keep, depth);
		if (item_keep != NULL) {
			Tcl_ListObjAppendElement(NULL, holds, item_keep);
			Tcl_DecrRefCount(item_keep);
		}
		if (rc != TCL_OK)
			goto out;
	}
	rc = pack(NULL, 0, &len, items, (size_t)n);
	if (rc == 0 && len > INT_MAX)
		rc = PK_EVALUE;
	if (rc != 0) {
		pk_swig_raise(rc);
		goto out;
	}
	*keep = Tcl_NewByteArrayObj(NULL, 0);
	Tcl_IncrRefCount(*keep);
	buf = Tcl_SetByteArrayLength(*keep, (int)len);
	rc = pack(buf, len, &len, items, (size_t)n);
	if (rc != 0) {
		pk_swig_raise(rc);
		goto out;
	}
	v->type = kind;
	v->u.buf.ptr = buf;
	v->u.buf.len = len;
	ret = TCL_OK;
out:
	Tcl_Free((char *)items);
	Tcl_DecrRefCount(holds);
	return ret;
}
%}

/* ---- typemaps for values --------------------------------------------- */

%typemap(in) const pk_value * (pk_value temp, Tcl_Obj *keep = NULL) {
	if (pk_tcl_to_value(interp, $input, &temp, &keep) != TCL_OK)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) const pk_value * "if (keep$argnum) Tcl_DecrRefCount(keep$argnum);";

/* several values: a Tcl list */
%typemap(in) (const pk_value *vals, size_t n) (Tcl_Obj **keeps = NULL, int count = 0) {
	Tcl_Obj **e;
	int i;
	if (Tcl_ListObjGetElements(interp, $input, &count, &e) != TCL_OK)
		SWIG_fail;
	$1 = (pk_value *)Tcl_Alloc(sizeof(pk_value) * (unsigned)(count ? count : 1));
	keeps = (Tcl_Obj **)Tcl_Alloc(sizeof(Tcl_Obj *) * (unsigned)(count ? count : 1));
	memset(keeps, 0, sizeof(Tcl_Obj *) * (size_t)(count ? count : 1));
	$2 = (size_t)count;
	for (i = 0; i < count; i++)
		if (pk_tcl_to_value(interp, e[i], &$1[i], &keeps[i]) != TCL_OK)
			SWIG_fail;
}
%typemap(freearg) (const pk_value *vals, size_t n) {
	if (keeps$argnum != NULL) {
		int i;
		for (i = 0; i < count$argnum; i++)
			if (keeps$argnum[i])
				Tcl_DecrRefCount(keeps$argnum[i]);
		Tcl_Free((char *)keeps$argnum);
	}
	if ($1 != NULL)
		Tcl_Free((char *)$1);
}

/* a cursor's entry: {keytype key valuetype value}; an empty result at the
 * end (see the ordinary outcomes in swig/pmemkit.i) */
%typemap(argout) (pk_value *key, pk_value *val) {
	if (result == 0) {
		Tcl_Obj *r = pk_tcl_from_value($1);
		Tcl_ListObjAppendList(interp, r, pk_tcl_from_value($2));
		Tcl_SetObjResult(interp, r);
	}
}

/* element bytes of typed arrays: a byte array, or "" for zeros
 * (swig/pmemkit.i checks their length) */
%typemap(in) (const void *bytes, size_t len) {
	int n = 0;
	$1 = Tcl_GetCharLength($input) == 0 ? NULL :
		(void *)Tcl_GetByteArrayFromObj($input, &n);
	$2 = (size_t)n;
}
/* a record's missing attribute and a sorted map's missing key (or no
 * entry next to a key: pk_sorted_seek) are outcomes, as a map's missing
 * key (see the outcomes in swig/pmemkit.i): pk_record_get, pk_sorted_get
 * and pk_sorted_seek give "", pk_record_remove and pk_sorted_remove 1 or 0 */
%typemap(out) int pk_record_get, int pk_sorted_get, int pk_sorted_seek {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(VOID_Object);
}
%typemap(out) int pk_record_remove, int pk_sorted_remove {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(SWIG_From(int)($1 == 0));
}
/* a record's class name: text, in real UTF-8 (as PK_STRING values) */
%typemap(in) (const char *cls, size_t len) (Tcl_Obj *keep = NULL, pk_value name) {
	pk_tcl_text($input, &name, &keep);
	$1 = (char *)name.u.buf.ptr;
	$2 = name.u.buf.len;
}
%typemap(freearg) (const char *cls, size_t len) "if (keep$argnum) Tcl_DecrRefCount(keep$argnum);";
/* read by _array_read below, which sizes its buffer itself */
%ignore pk_array_read;

%include "swig/pmemkit.i"

/* ---- helpers for the Tcl code ----------------------------------------- */
%native(_array_read) int pk_tcl_array_read(ClientData, Tcl_Interp *, int, Tcl_Obj *const[]);
%{
/* [_array_read handle start count]: the elements' bytes */
static int
pk_tcl_array_read(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	pk_array *arr;
	Tcl_WideInt start, count;
	size_t len = 0;
	Tcl_Obj *r;
	int rc;

	(void)cd;
	if (objc != 4) {
		Tcl_WrongNumArgs(interp, 1, objv, "array start count");
		return TCL_ERROR;
	}
	if (SWIG_ConvertPtr(objv[1], (void **)&arr, SWIGTYPE_p_pk_array, 0) != SWIG_OK ||
			Tcl_GetWideIntFromObj(interp, objv[2], &start) != TCL_OK ||
			Tcl_GetWideIntFromObj(interp, objv[3], &count) != TCL_OK ||
			start < 0 || count < 0) {
		Tcl_SetObjResult(interp, Tcl_NewStringObj("pmemkit: bad arguments", -1));
		return TCL_ERROR;
	}
	rc = pk_swig_array_span(&len, arr, (uint64_t)count, INT_MAX);
	if (rc != 0) {
		/* PK_ERANGE here is this function's: pk_errormsg() is older */
		pk_tcl_raise(interp, rc, rc == PK_ERANGE ? pk_strerror(rc) :
				pk_swig_message(rc));
		return TCL_ERROR;
	}
	r = Tcl_NewByteArrayObj(NULL, 0);
	rc = pk_array_read(Tcl_SetByteArrayLength(r, (int)len),
			arr, (uint64_t)start, (uint64_t)count);
	if (rc != 0) {
		Tcl_DecrRefCount(r);
		pk_swig_raise(rc);
		return TCL_ERROR;
	}
	Tcl_SetObjResult(interp, r);
	return TCL_OK;
}
%}

/* ---- commands for the Tcl code that must not touch a value's string -- */
%{

/* [_isbytes VALUE]: 1 for a pure byte array */
static int
pk_tcl_isbytes_cmd(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	(void)cd;
	if (objc != 2) {
		Tcl_WrongNumArgs(interp, 1, objv, "value");
		return TCL_ERROR;
	}
	Tcl_SetObjResult(interp, Tcl_NewBooleanObj(pk_tcl_is_bytes(objv[1])));
	return TCL_OK;
}

/*
 * [_owned ARRAY VALUE]: 1 if ARRAY(VALUE) exists (VALUE is the command of
 * a container of the pool whose array it is); 0 for a pure byte array,
 * without making its string, and for a value that is no name of the
 * package's objects (::pmemkit::<kind><serial>: no look-up for others).
 * The name of another object of the package (of another pool, closed, a
 * pool or a region) raises PMEMKIT Value: it cannot be stored here, and
 * storing its name as text would look as if it had been.
 */
static int
pk_tcl_owned_cmd(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	const char *s, *p;
	Tcl_CmdInfo info;

	(void)cd;
	if (objc != 3) {
		Tcl_WrongNumArgs(interp, 1, objv, "array value");
		return TCL_ERROR;
	}
	if (pk_tcl_is_bytes(objv[2]) ||
			strncmp(s = Tcl_GetString(objv[2]), "::pmemkit::", 11) != 0) {
		Tcl_SetObjResult(interp, Tcl_NewBooleanObj(0));
		return TCL_OK;
	}
	if (Tcl_GetVar2Ex(interp, Tcl_GetString(objv[1]), s, 0) != NULL) {
		Tcl_SetObjResult(interp, Tcl_NewBooleanObj(1));
		return TCL_OK;
	}
	for (p = s + 11; *p >= 'a' && *p <= 'z'; p++)
		;
	if (p > s + 11 && *p >= '1' && *p <= '9' &&
			strspn(p, "0123456789") == strlen(p) &&
			Tcl_GetCommandInfo(interp, s, &info)) {
		Tcl_Obj *msg = Tcl_ObjPrintf("pmemkit: %s is an object of another "
				"pool, a closed one, a pool or a region: it cannot be stored here", s);
		Tcl_IncrRefCount(msg);
		pk_tcl_raise(interp, PK_EVALUE, Tcl_GetString(msg));
		Tcl_DecrRefCount(msg);
		return TCL_ERROR;
	}
	Tcl_SetObjResult(interp, Tcl_NewBooleanObj(0));
	return TCL_OK;
}

/*
 * [_typeopt ARGS MODE]: {TYPE REST...}: the type of the leading type
 * options of ARGS (-nil -bool -int -double -string -bytes -bigint
 * -tuple -frozenset (MODE 0: keys and elements, a frozen set scalar);
 * with MODE 1 or 2 (values) also -dict -list -tree -set -sorted, and
 * -frozenset a new frozen set container; the
 * last one counts, but -tuple with another raises PMEMKIT Value; "--"
 * ends them), "" if none, then the other arguments. MODE 2 (a map's set
 * and lappend, where -tuple is the key's): {TYPE TUPLE REST...}, TUPLE 1
 * if -tuple was there, TYPE the others'. A pure byte array is no option
 * (its string is not made).
 */
static int
pk_tcl_typeopt_cmd(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	static const char *const names[] = { "-nil", "-bool", "-int",
		"-double", "-string", "-bytes", "-bigint", "-tuple", "-dict",
		"-list", "-tree", "-set", "-frozenset", "-sorted", NULL };
	const char *type = "", *other = NULL;
	Tcl_Obj **e, *r;
	int n, i, j, containers, tuple = 0;

	(void)cd;
	if (objc != 3) {
		Tcl_WrongNumArgs(interp, 1, objv, "args containers");
		return TCL_ERROR;
	}
	if (Tcl_ListObjGetElements(interp, objv[1], &n, &e) != TCL_OK ||
			Tcl_GetIntFromObj(interp, objv[2], &containers) != TCL_OK)
		return TCL_ERROR;
	for (i = 0; i < n; i++) {
		const char *s;
		Tcl_Obj **w;
		int wn;
		if (pk_tcl_is_bytes(e[i]))
			break;
		/* nor is a list of other than one word (a -tuple spec: its
		 * string would make its byte arrays' strings) */
		if (e[i]->typePtr == pk_tcl_list_type && e[i]->bytes == NULL &&
				(Tcl_ListObjGetElements(NULL, e[i], &wn, &w) != TCL_OK ||
				wn != 1 || pk_tcl_is_bytes(w[0])))
			break;
		s = Tcl_GetString(e[i]);
		if (s[0] != '-')
			break;
		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		for (j = 0; names[j] != NULL; j++)
			if (strcmp(s, names[j]) == 0)
				break;
		/* a key's -frozenset (MODE 0) is a frozen set scalar;
		 * a value's a new frozen set container */
		if (names[j] == NULL || (j >= 8 && j != 12 && !containers))
			break;
		if (j == 7) {
			tuple = 1;
			if (containers == 2)
				continue;
		} else {
			other = names[j];
		}
		type = names[j] + 1;
	}
	if (containers != 2 && tuple && other != NULL)
		return pk_tcl_raisef(interp, PK_EVALUE, Tcl_ObjPrintf("pmemkit: "
				"-tuple with %s: one type for one value", other));
	r = Tcl_NewListObj(0, NULL);
	Tcl_ListObjAppendElement(interp, r, Tcl_NewStringObj(type, -1));
	if (containers == 2)
		Tcl_ListObjAppendElement(interp, r, Tcl_NewBooleanObj(tuple));
	Tcl_ListObjReplace(interp, r, containers == 2 ? 2 : 1, 0, n - i, e + i);
	Tcl_SetObjResult(interp, r);
	return TCL_OK;
}
%}

%{
/* [_kind VALUE]: the type a value without a type option is stored as
 * (pk_tcl_untyped): int, double, string or bytes; for the Tcl code's
 * set operations, which compare as the pool does */
static int
pk_tcl_kind_cmd(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	double d;

	(void)cd;
	if (objc != 2) {
		Tcl_WrongNumArgs(interp, 1, objv, "value");
		return TCL_ERROR;
	}
	Tcl_SetObjResult(interp, Tcl_NewStringObj(
			pk_tcl_type_names[pk_tcl_untyped(objv[1], &d)], -1));
	return TCL_OK;
}
%}

%{
/* [_tuplepair SPEC ?frozenset?]: the {type value} pair a pool gives back
 * for the tuple of a -tuple spec (or the frozen set of a -frozenset
 * one), for the Tcl code's set operations */
static int
pk_tcl_tuplepair_cmd(ClientData cd, Tcl_Interp *interp, int objc,
		Tcl_Obj *const objv[])
{
	pk_value v;
	Tcl_Obj *keep = NULL;
	int rc;

	(void)cd;
	if (objc != 2 && !(objc == 3 && strcmp(Tcl_GetString(objv[2]),
			"frozenset") == 0)) {
		Tcl_WrongNumArgs(interp, 1, objv, "spec ?frozenset?");
		return TCL_ERROR;
	}
	rc = pk_tcl_tuple(interp, objc == 3 ? PK_FROZENSET : PK_TUPLE, objv[1],
			&v, &keep, 1);
	if (rc == TCL_OK)
		Tcl_SetObjResult(interp, pk_tcl_from_value(&v));
	if (keep != NULL)
		Tcl_DecrRefCount(keep);
	return rc;
}
%}

%init %{
	pk_tcl_utf8 = Tcl_GetEncoding(interp, "utf-8");
	pk_tcl_types_init();
	Tcl_CreateObjCommand(interp, "::pmemkit::_typed", pk_tcl_typed_cmd, NULL, NULL);
	Tcl_CreateObjCommand(interp, "::pmemkit::_isbytes", pk_tcl_isbytes_cmd, NULL, NULL);
	Tcl_CreateObjCommand(interp, "::pmemkit::_owned", pk_tcl_owned_cmd, NULL, NULL);
	Tcl_CreateObjCommand(interp, "::pmemkit::_typeopt", pk_tcl_typeopt_cmd, NULL, NULL);
	Tcl_CreateObjCommand(interp, "::pmemkit::_kind", pk_tcl_kind_cmd, NULL, NULL);
	Tcl_CreateObjCommand(interp, "::pmemkit::_tuplepair", pk_tcl_tuplepair_cmd, NULL, NULL);
%}
