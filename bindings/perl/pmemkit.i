/*
 * pmemkit.i -- the Perl module's low-level package, Pmemkit::Raw: the error
 * objects, the typemaps between Perl scalars and pk_values, and a few
 * helpers for the Perl classes in lib/ (Pmemkit::Pool, ::Map, ::List,
 * ::Array), which are the API users see. The shared policy and the
 * wrapped C API come from swig/pmemkit.i.
 */
%module "Pmemkit::Raw"

/* pk_value::u::ref is a Perl keyword; pk_value is never wrapped */
#pragma SWIG nowarn=SWIGWARN_PARSE_KEYWORD

%include "swig/pmemkit_head.i"

%{
#include <errno.h>

/* ---- errors ---------------------------------------------------------- */

/*
 * " at FILE line N.\n" of the first caller outside the module (Carp's
 * shortmess: Pmemkit.pm lists the module's packages in %Carp::Internal),
 * from Pmemkit::Error::_where; NULL before Pmemkit::Error is loaded. A
 * new SV (the caller owns it).
 */
static SV *
pk_pl_where(pTHX)
{
	CV *cv = get_cv("Pmemkit::Error::_where", 0);
	SV *where = NULL;
	int n;
	dSP;

	if (cv == NULL)
		return NULL;
	ENTER;
	SAVETMPS;
	PUSHMARK(SP);
	PUTBACK;
	n = call_sv((SV *)cv, G_SCALAR | G_EVAL);
	SPAGAIN;
	if (n == 1) {
		SV *r = POPs;
		if (SvOK(r) && !SvTRUE(ERRSV))
			where = newSVsv(r);
	}
	PUTBACK;
	FREETMPS;
	LEAVE;
	return where;
}

/*
 * SWIG's own argument errors ("TypeError in method 'pk_list_get', ...")
 * name the caller's line too: $@ ends with it and a newline, so the
 * croak of SWIG_fail adds no line of the module's.
 */
static void
pk_pl_swig_error(pTHX_ int code, const char *msg)
{
	SV *where = pk_pl_where(aTHX);

	sv_setpvf(get_sv("@", GV_ADD), "%s %s%s", SWIG_ErrorType(code), msg,
			where != NULL ? SvPV_nolen(where) : "");
	SvREFCNT_dec(where);
}
#undef SWIG_Error
#define SWIG_Error(code, msg) pk_pl_swig_error(aTHX_ (code), (msg))

/*
 * Die with a usage error (a string), through Carp::croak so that it names
 * the caller's line rather than the module's.
 */
static void
pk_pl_croak(pTHX_ const char *fmt, ...)
{
	va_list ap;
	SV *msg;
	dSP;

	va_start(ap, fmt);
	msg = sv_2mortal(vnewSVpvf(fmt, &ap));
	va_end(ap);
	if (get_cv("Carp::croak", 0) != NULL) {
		PUSHMARK(SP);
		XPUSHs(msg);
		PUTBACK;
		call_pv("Carp::croak", G_DISCARD);
	}
	croak_sv(msg);
}

/*
 * Set $@ to a Pmemkit::Error object for a return code; the wrapper then
 * dies with it (SWIG_fail ends in croak(NULL), which rethrows $@). The
 * object's package is Pmemkit::Error::<class> for the code's class in the
 * table (pk_error_class()), whose @ISA Pmemkit::Error sets up from the
 * same table when it loads; errno codes are Pmemkit::Error::OSError and
 * also set $!.
 */
static void
pk_pl_raise(int code, const char *msg)
{
	dTHX;
	const char *cls = pk_error_class(code);
	const char *name = pk_strerror(code);
	const char *colon = strchr(name, ':');
	SV *where = pk_pl_where(aTHX);
	HV *hv = newHV();
	HV *stash;
	SV *obj;

	if (strcmp(cls, "Error") == 0)
		stash = gv_stashpvs("Pmemkit::Error", GV_ADD);
	else
		stash = gv_stashsv(sv_2mortal(newSVpvf("Pmemkit::Error::%s",
				cls)), GV_ADD);
	(void)hv_stores(hv, "code", newSViv(code));
	(void)hv_stores(hv, "class", newSVpv(cls, 0));
	(void)hv_stores(hv, "name", colon != NULL ?
			newSVpvn(name, (STRLEN)(colon - name)) : newSVpv(name, 0));
	(void)hv_stores(hv, "message", newSVpv(msg, 0));
	if (where != NULL)
		(void)hv_stores(hv, "where", where);
	obj = sv_bless(newRV_noinc((SV *)hv), stash);
	sv_setsv(ERRSV, obj);
	SvREFCNT_dec(obj);
	if (code > 0)
		errno = code;
}
#define pk_swig_raise(code) pk_pl_raise((code), pk_swig_message(code))
#define pk_swig_raise_msg(code, msg) pk_pl_raise((code), (msg))

/* ---- values ---------------------------------------------------------- */

static void pk_pl_tuple_to(pTHX_ AV *av, pk_value *v, int depth,
		pk_type type);
static SV *pk_pl_tuple_from(pTHX_ const pk_value *v);
static SV *pk_pl_call1(pTHX_ const char *fn, SV *arg);

/* A new mortal SV for a value read from a pool. Scalars become Perl
 * scalars; what the Perl code finishes is blessed: container references
 * (Pmemkit::_Ref, [type, off, gen]) and big integers (Pmemkit::_BigInt, a
 * ref to their bytes). Keys that are bytes come back as Pmemkit::Bytes,
 * so that passing them back finds the same key (plain strings are text
 * keys); tuples are Pmemkit::Tuple objects whose items are converted as
 * keys are, frozen sets (the scalar) Pmemkit::FrozenSet::Scalar ones. */
static SV *
pk_pl_from_value(pTHX_ const pk_value *v, int key)
{
	switch (v->type) {
	case PK_NIL:
		return sv_newmortal();
	case PK_BOOL:
		return boolSV(v->u.i != 0);
	case PK_INT:
		return sv_2mortal(newSViv((IV)v->u.i));
	case PK_DOUBLE:
		return sv_2mortal(newSVnv(v->u.d));
	case PK_STRING:
		return sv_2mortal(newSVpvn_utf8((const char *)v->u.buf.ptr,
				v->u.buf.len, 1));
	case PK_BYTES:
	case PK_BIGINT: {
		SV *s = newSVpvn((const char *)v->u.buf.ptr, v->u.buf.len);
		if (v->type == PK_BYTES && !key)
			return sv_2mortal(s);
		return sv_2mortal(sv_bless(newRV_noinc(s), gv_stashpv(
				v->type == PK_BYTES ? "Pmemkit::Bytes" :
				"Pmemkit::_BigInt", GV_ADD)));
	}
	case PK_TUPLE:
	case PK_FROZENSET:
		return pk_pl_tuple_from(aTHX_ v);
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED: {
		AV *av = newAV();
		av_push(av, newSViv((IV)v->type));
		av_push(av, newSVuv((UV)v->u.ref.off));
		av_push(av, newSVuv((UV)v->u.ref.gen));
		return sv_2mortal(sv_bless(newRV_noinc((SV *)av),
				gv_stashpvs("Pmemkit::_Ref", GV_ADD)));
	}
	}
	croak("pmemkit: unknown value type %d", (int)v->type);
	return NULL;
}
/* a value result, for the shared typemaps (swig/pmemkit.i) */
#define pk_swig_from_value(v) pk_pl_from_value(aTHX_ (v), 0)

/* what pk_pl_to_value() makes of a string */
enum pk_pl_mode {
	PK_PL_VALUE,	/* text when it is UTF-8 (or has the flag), else bytes */
	PK_PL_KEY,	/* always text (Latin-1 characters as their UTF-8) */
	PK_PL_NUMBER	/* a number when Perl would read one, else as a value */
};

/* A numeric string (Perl's looks_like_number) as a PK_INT, a PK_BIGINT
 * above int64 (in scratch) or a PK_DOUBLE; 0 when it is not one. */
static int
pk_pl_number(pTHX_ SV *sv, const char *p, STRLEN len, pk_value *v,
		unsigned char *scratch)
{
	UV uv = 0;
	int t = grok_number(p, len, &uv);

	if (t == 0)
		return 0;
	if ((t & IS_NUMBER_IN_UV) && !(t & (IS_NUMBER_NOT_INT |
			IS_NUMBER_GREATER_THAN_UV_MAX | IS_NUMBER_INFINITY |
			IS_NUMBER_NAN)) &&
			(!(t & IS_NUMBER_NEG) || uv <= (UV)IV_MAX + 1)) {
		if (t & IS_NUMBER_NEG) {
			v->type = PK_INT;
			v->u.i = uv == (UV)IV_MAX + 1 ? (int64_t)IV_MIN :
				-(int64_t)uv;
		} else if (uv > (UV)IV_MAX) {
			pk_swig_uint64(v, (uint64_t)uv, scratch);
		} else {
			v->type = PK_INT;
			v->u.i = (int64_t)uv;
		}
		return 1;
	}
	v->type = PK_DOUBLE;
	v->u.d = SvNV(sv_mortalcopy(sv));
	return 1;
}

/*
 * A Perl scalar -> pk_value; bytes are borrowed from @sv or from mortal
 * copies, which live until the wrapper returns. scratch (9 bytes) holds
 * an unsigned integer above IV_MAX as a PK_BIGINT. The rule (see
 * README.md): undef is nil; a boolean (5.36's !!1, !!0, builtin::true) is
 * a bool; a string is text (PK_STRING) when it has the UTF-8 flag or its
 * bytes are UTF-8 (pk_utf8_valid()), bytes otherwise, but a map key is
 * always text; a number is an int when it is an integer (IV/UV), else a
 * double; Pmemkit::bytes()/string() force a kind. Croaks for anything else
 * (the Perl code converts containers, Math::BigInt, hashes and arrays
 * before they get here).
 */
static void
pk_pl_to_value(pTHX_ SV *sv, pk_value *v, unsigned char *scratch,
		enum pk_pl_mode mode)
{
	memset(v, 0, sizeof(*v));
	if (SvGMAGICAL(sv))
		sv = sv_mortalcopy(sv);
	if (!SvOK(sv)) {
		v->type = PK_NIL;
		return;
	}
	if (SvROK(sv)) {
		SV *obj = SvRV(sv);
		STRLEN len;
		if (!sv_isobject(sv))
			pk_pl_croak(aTHX_ "pmemkit: cannot store a reference to %s",
				sv_reftype(obj, 0));
		if (sv_derived_from(sv, "Pmemkit::Bytes")) {
			SV *s = sv_mortalcopy(obj);
			v->u.buf.ptr = SvPVbyte(s, len);
			v->u.buf.len = len;
			v->type = PK_BYTES;
		} else if (sv_derived_from(sv, "Pmemkit::String")) {
			SV *s = sv_mortalcopy(obj);
			v->u.buf.ptr = SvPVutf8(s, len);
			v->u.buf.len = len;
			v->type = PK_STRING;
		} else if (sv_derived_from(sv, "Pmemkit::_BigInt")) {
			v->u.buf.ptr = SvPVbyte(obj, len);
			v->u.buf.len = len;
			v->type = PK_BIGINT;
		} else if (sv_derived_from(sv, "Pmemkit::_Ref") &&
				SvTYPE(obj) == SVt_PVAV && av_len((AV *)obj) == 2) {
			SV **t = av_fetch((AV *)obj, 0, 0);
			SV **off = av_fetch((AV *)obj, 1, 0);
			SV **gen = av_fetch((AV *)obj, 2, 0);
			if (!t || !off || !gen || SvIV(*t) < PK_MAP)
				pk_pl_croak(aTHX_ "pmemkit: bad container reference");
			v->type = (pk_type)SvIV(*t);
			v->u.ref.off = (uint64_t)SvUV(*off);
			v->u.ref.gen = (uint64_t)SvUV(*gen);
		} else if (sv_derived_from(sv, "Pmemkit::Tuple") &&
				SvTYPE(obj) == SVt_PVAV) {
			pk_pl_tuple_to(aTHX_ (AV *)obj, v, 1, PK_TUPLE);
		} else if (sv_derived_from(sv, "Pmemkit::FrozenSet::Scalar") &&
				SvTYPE(obj) == SVt_PVAV) {
			pk_pl_tuple_to(aTHX_ (AV *)obj, v, 1, PK_FROZENSET);
		} else {
			/* a key (a tied hash's FETCH passes it as it is): a
			 * stored frozen set or a Pmemkit::frozen_set() value is
			 * the frozen set (scalar) of its members */
			SV *fs = mode != PK_PL_KEY ? NULL : pk_pl_call1(aTHX_
					"Pmemkit::FrozenSet::Scalar::_of", sv);
			if (fs != NULL && SvROK(fs) && SvTYPE(SvRV(fs)) == SVt_PVAV &&
					sv_derived_from(fs, "Pmemkit::FrozenSet::Scalar")) {
				pk_pl_tuple_to(aTHX_ (AV *)SvRV(fs), v, 1, PK_FROZENSET);
				return;
			}
			pk_pl_croak(aTHX_ "pmemkit: cannot store an object of class %s",
				sv_reftype(obj, 1));
		}
		return;
	}
#ifdef SvIsBOOL
	if (SvIsBOOL(sv)) {
		v->type = PK_BOOL;
		v->u.i = SvTRUE_nomg(sv);
		return;
	}
#endif
	if (SvPOK(sv)) {
		STRLEN len;
		const char *p = SvPV_nomg(sv, len);
		if (mode == PK_PL_NUMBER &&
				pk_pl_number(aTHX_ sv, p, len, v, scratch))
			return;
		/* ASCII (perl's inline test) is UTF-8 without a call */
		if (SvUTF8(sv) || is_utf8_invariant_string((const U8 *)p, len) ||
				pk_utf8_valid(p, len)) {
			v->type = PK_STRING;
		} else if (mode == PK_PL_KEY) {
			/* Latin-1 characters: their UTF-8, not the caller's SV */
			SV *s = sv_mortalcopy(sv);
			p = SvPVutf8(s, len);
			v->type = PK_STRING;
		} else {
			v->type = PK_BYTES;
		}
		v->u.buf.ptr = p;
		v->u.buf.len = len;
		return;
	}
	if (SvIOK(sv)) {
		if (SvIsUV(sv) && SvUVX(sv) > (UV)IV_MAX) {
			pk_swig_uint64(v, (uint64_t)SvUVX(sv), scratch);
		} else {
			v->type = PK_INT;
			v->u.i = (int64_t)SvIVX(sv);
		}
		return;
	}
	if (SvNOK(sv)) {
		v->type = PK_DOUBLE;
		v->u.d = SvNVX(sv);
		return;
	}
	pk_pl_croak(aTHX_ "pmemkit: cannot store a %s", sv_reftype(sv, 0));
}

/* ---- tuples ----------------------------------------------------------- */

/* pk_pl_call1 -- the scalar result of the Perl function fn called with
 * arg, as a mortal copy */
static SV *
pk_pl_call1(pTHX_ const char *fn, SV *arg)
{
	SV *r;
	int n;
	dSP;

	ENTER;
	SAVETMPS;
	PUSHMARK(SP);
	XPUSHs(arg);
	PUTBACK;
	n = call_pv(fn, G_SCALAR);
	SPAGAIN;
	r = n == 1 ? newSVsv(POPs) : newSV(0);
	PUTBACK;
	FREETMPS;
	LEAVE;
	return sv_2mortal(r);
}

/* pk_pl_fail -- die with the Pmemkit::Error of return code rc (msg, or
 * the library's message) */
static void
pk_pl_fail(pTHX_ int rc, const char *msg)
{
	pk_pl_raise(rc, msg != NULL ? msg : pk_swig_message(rc));
	croak(NULL);
}

/*
 * pk_pl_tuple_to -- a Pmemkit::Tuple's items (av; depth 1 for the
 * outermost) as a PK_TUPLE value (type), or a Pmemkit::FrozenSet::Scalar's
 * members as a PK_FROZENSET one, its encoding in a mortal buffer. Items
 * are converted as map keys are (a plain string is text); a Math::BigInt
 * as Pmemkit::_key_to_c() gives it; a nested tuple or frozen set
 * recursively, at most PK_TUPLE_DEPTH deep. Pmemkit::tuple() and
 * Pmemkit::frozenset() checked the items when they made the object;
 * anything else croaks or fails as pk_tuple_pack() says.
 */
static void
pk_pl_tuple_to(pTHX_ AV *av, pk_value *v, int depth, pk_type type)
{
	SSize_t i, n = av_len(av) + 1;
	pk_value *items;
	unsigned char *scratch;
	void *buf = NULL;
	size_t len = 0;
	int rc;
	int (*pack)(void *, size_t, size_t *, const pk_value *, size_t);

	if (depth > PK_TUPLE_DEPTH)
		pk_pl_fail(aTHX_ PK_EVALUE,
			"tuples and frozen sets nest at most 32 deep");
	items = (pk_value *)SvPVX(sv_2mortal(newSV(sizeof(pk_value) * (n ? n : 1))));
	scratch = (unsigned char *)SvPVX(sv_2mortal(newSV(9 * (n ? n : 1))));
	for (i = 0; i < n; i++) {
		SV **e = av_fetch(av, i, 0);
		SV *sv = e != NULL ? *e : &PL_sv_undef;
		if (SvROK(sv) && sv_isobject(sv)) {
			if (sv_derived_from(sv, "Pmemkit::Tuple") &&
					SvTYPE(SvRV(sv)) == SVt_PVAV) {
				pk_pl_tuple_to(aTHX_ (AV *)SvRV(sv), &items[i],
						depth + 1, PK_TUPLE);
				continue;
			}
			if (sv_derived_from(sv, "Pmemkit::FrozenSet::Scalar") &&
					SvTYPE(SvRV(sv)) == SVt_PVAV) {
				pk_pl_tuple_to(aTHX_ (AV *)SvRV(sv), &items[i],
						depth + 1, PK_FROZENSET);
				continue;
			}
			if (sv_derived_from(sv, "Math::BigInt"))
				sv = pk_pl_call1(aTHX_ "Pmemkit::_key_to_c", sv);
		}
		pk_pl_to_value(aTHX_ sv, &items[i], scratch + 9 * i, PK_PL_KEY);
	}
	pack = type == PK_FROZENSET ? pk_frozenset_pack : pk_tuple_pack;
	rc = pack(NULL, 0, &len, items, (size_t)n);
	if (rc == 0) {
		buf = SvPVX(sv_2mortal(newSV(len ? len : 1)));
		rc = pack(buf, len, &len, items, (size_t)n);
	}
	if (rc != 0)
		pk_pl_fail(aTHX_ rc, NULL);
	v->type = type;
	v->u.buf.ptr = buf;
	v->u.buf.len = len;
}

/*
 * pk_pl_tuple_from -- a new mortal Pmemkit::Tuple (a read-only array of
 * read-only items) for a PK_TUPLE value, a Pmemkit::FrozenSet::Scalar for
 * a PK_FROZENSET one (its members in the library's order); items are what
 * a key reads as (bytes are Pmemkit::Bytes), big integers Math::BigInt.
 */
static SV *
pk_pl_tuple_from(pTHX_ const pk_value *v)
{
	AV *av = newAV();
	SV *rv = sv_2mortal(newRV_noinc((SV *)av));
	pk_value item;
	size_t pos = 0;
	SSize_t i;
	int rc;

	while ((rc = pk_tuple_next(&item, v, &pos)) == 0) {
		SV *e = pk_pl_from_value(aTHX_ &item, 1);
		if (item.type == PK_BIGINT)
			e = pk_pl_call1(aTHX_ "Pmemkit::_from_bigint_bytes",
					SvRV(e));
		else if (item.type == PK_BYTES)
			SvREADONLY_on(SvRV(e));
		av_push(av, newSVsv(e));
	}
	if (rc != PK_ITEROVER)
		pk_pl_fail(aTHX_ rc, NULL);
	/* blessed first: perl does not bless a read-only referent */
	sv_bless(rv, v->type == PK_FROZENSET ?
			gv_stashpvs("Pmemkit::FrozenSet::Scalar", GV_ADD) :
			gv_stashpvs("Pmemkit::Tuple", GV_ADD));
	for (i = 0; i <= av_len(av); i++)
		SvREADONLY_on(AvARRAY(av)[i]);
	SvREADONLY_on((SV *)av);
	return rv;
}
%}

/* ---- handles ---------------------------------------------------------- */

/*
 * Where a container's handle is taken, the Perl classes' objects
 * (Pmemkit::Map, ::List, ::Array, ::Log, ::Blocks, ::Set: a reference to a reference to the hash
 * of their fields, the handle in "h") may be passed for it: the methods
 * pass themselves, so that no Perl code on the per-get and per-put paths
 * dereferences an object whose class overloads %{} and @{} (which would
 * cost each call perl's overload lookup).
 */
%define PK_PL_HANDLE(TYPE)
%typemap(in) TYPE *, const TYPE * {
	SV *sv = $input;
	void *argp = NULL;
	int res;
	if (SvROK(sv) && SvOBJECT(SvRV(sv)) && SvROK(SvRV(sv)) &&
			SvTYPE(SvRV(SvRV(sv))) == SVt_PVHV) {
		SV **h = hv_fetchs((HV *)SvRV(SvRV(sv)), "h", 0);
		sv = h != NULL ? *h : &PL_sv_undef;
	}
	res = SWIG_ConvertPtr(sv, &argp, $descriptor, 0);
	if (!SWIG_IsOK(res)) {
		%argument_fail(res, "$type", $symname, $argnum);
	}
	$1 = ($ltype)argp;
}
%enddef
PK_PL_HANDLE(pk_map)
PK_PL_HANDLE(pk_list)
PK_PL_HANDLE(pk_array)
PK_PL_HANDLE(pk_log)
PK_PL_HANDLE(pk_blocks)
PK_PL_HANDLE(pk_set)
PK_PL_HANDLE(pk_record)
PK_PL_HANDLE(pk_sorted)

/* ---- typemaps for values --------------------------------------------- */

%typemap(in) const pk_value * (pk_value temp, unsigned char scratch[9]) {
	pk_pl_to_value(aTHX_ $input, &temp, scratch, PK_PL_VALUE);
	$1 = &temp;
}
%typemap(in) const pk_value *key (pk_value temp, unsigned char scratch[9]) {
	pk_pl_to_value(aTHX_ $input, &temp, scratch, PK_PL_KEY);
	$1 = &temp;
}
/* a set's element is what a map takes as a key, and Perl gives it as one:
 * a plain string is always text, as a map key is */
%typemap(in) const pk_value *elem = const pk_value *key;
/* a set's discard returns 1 or 0, as pk_map_remove (swig/pmemkit.i) */
%typemap(out) int pk_set_discard {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(SWIG_From(int)($1 == 0));
}

/* a record's attribute name is text, as a map key is; a missing one is
 * no result (get) or 0 (remove), as for maps */
%typemap(in) const pk_value *name = const pk_value *key;
%typemap(out) int pk_record_get {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
}
%typemap(out) int pk_record_remove = int pk_set_discard;
/* a record's class name: a string, as its UTF-8 */
%typemap(in) (const char *cls, size_t len) {
	STRLEN n;
	$1 = SvPVutf8(sv_mortalcopy($input), n);
	$2 = (size_t)n;
}

/* a sorted map's keys, probes, bounds and prefix are keys (a plain string
 * is text); a missing key or no entry next to a probe is no result (get,
 * seek; at raises PK_ERANGE), a remove returns 1 or 0, as for maps */
%typemap(in) const pk_value *probe = const pk_value *key;
%typemap(in) const pk_value *lo = const pk_value *key;
%typemap(in) const pk_value *hi = const pk_value *key;
%typemap(in) const pk_value *prefix = const pk_value *key;
%typemap(out) int pk_sorted_get = int pk_record_get;
%typemap(out) int pk_sorted_seek = int pk_record_get;
%typemap(out) int pk_sorted_at = int pk_record_get;
%typemap(out) int pk_sorted_remove = int pk_set_discard;

/* several values: a reference to an array of scalars or references */
%typemap(in) (const pk_value *vals, size_t n) {
	AV *av;
	SSize_t i, n;
	unsigned char *scratch;
	if (!SvROK($input) || SvTYPE(SvRV($input)) != SVt_PVAV)
		SWIG_croak("pmemkit: expected an array reference");
	av = (AV *)SvRV($input);
	n = av_len(av) + 1;
	/* mortal buffers: freed however the wrapper ends */
	$1 = (pk_value *)SvPVX(sv_2mortal(newSV(sizeof(pk_value) * (n ? n : 1))));
	scratch = (unsigned char *)SvPVX(sv_2mortal(newSV(9 * (n ? n : 1))));
	$2 = (size_t)n;
	for (i = 0; i < n; i++) {
		SV **e = av_fetch(av, i, 0);
		pk_pl_to_value(aTHX_ e ? *e : &PL_sv_undef, &$1[i],
				scratch + 9 * i, PK_PL_VALUE);
	}
}

/* a cursor's entry: the key, then the value; nothing at the end (see the
 * ordinary outcomes in swig/pmemkit.i) */
%typemap(argout) (pk_value *key, pk_value *val) {
	if (result == 0) {
		%append_output(pk_pl_from_value(aTHX_ $1, 1));
		%append_output(pk_pl_from_value(aTHX_ $2, 0));
	}
}

/* element bytes of typed arrays: a byte string, or undef for zeros
 * (swig/pmemkit.i checks their length) */
%typemap(in) (const void *bytes, size_t len) {
	STRLEN n = 0;
	$1 = SvOK($input) ? (void *)SvPVbyte($input, n) : NULL;
	$2 = (size_t)n;
}
/* pk_array_read is _array_read below, which sizes its string itself */
%ignore pk_array_read;

%include "swig/pmemkit.i"

/* ---- helpers for the Perl code ---------------------------------------- */
%rename(_array_set) pk_pl_array_set;
%rename(_frozenset) pk_pl_frozenset;
%rename(_array_read) pk_pl_array_read;
%inline %{
/* pk_array_set() with a numeric string taken as its number, as Perl's
 * numeric context does ("12" from a regex capture into an i32 array). */
static void
pk_pl_array_set(pk_array *array, int64_t index, SV *sv)
{
	dTHX;
	pk_value v;
	unsigned char scratch[9];
	int rc;

	pk_pl_to_value(aTHX_ sv, &v, scratch, PK_PL_NUMBER);
	rc = pk_array_set(array, index, &v);
	if (rc != 0) {
		pk_swig_raise(rc);
		croak(NULL);
	}
}

/* A new Pmemkit::FrozenSet::Scalar of the members in the array items
 * (which Pmemkit::frozenset() checked): the library's canonical order,
 * repeats (1 and 1.0) kept once, as the first given, as a pool reads
 * it back. */
static SV *
pk_pl_frozenset(SV *items)
{
	dTHX;
	pk_value v;

	if (!SvROK(items) || SvTYPE(SvRV(items)) != SVt_PVAV)
		croak("pmemkit: expected an array reference");
	pk_pl_tuple_to(aTHX_ (AV *)SvRV(items), &v, 1, PK_FROZENSET);
	return pk_pl_tuple_from(aTHX_ &v);
}

/* Elements [start, start + count) as a byte string. */
static SV *
pk_pl_array_read(pk_array *array, uint64_t start, uint64_t count)
{
	dTHX;
	size_t len = 0;
	SV *s;
	int rc = pk_swig_array_span(&len, array, count, (uint64_t)SSize_t_MAX);

	if (rc != 0) {
		/* PK_ERANGE here is this function's: pk_errormsg() is older */
		pk_pl_raise(rc, rc == PK_ERANGE ? pk_strerror(rc) :
				pk_swig_message(rc));
		croak(NULL);
	}
	s = sv_2mortal(newSV(len + 1));
	SvPOK_only(s);
	SvCUR_set(s, len);
	*SvEND(s) = '\0';
	rc = pk_array_read(SvPVX(s), array, start, count);
	if (rc != 0) {
		pk_swig_raise(rc);
		croak(NULL);
	}
	return s;
}
%}
