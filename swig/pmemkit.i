/*
 * pmemkit.i -- the part of the SWIG interface every language shares.
 *
 * A language's interface file (bindings/<lang>/pmemkit.i) declares its
 * %module, defines the language-specific pieces listed below, then
 * %includes this file. Everything the C API declares is wrapped from the
 * header itself, so a new function in include/pmemkit.h appears in every
 * language at once.
 *
 * Pieces a language provides before %including this file:
 * - a C function `void pk_swig_raise(int code)` (in a %{ %} block) that
 *   sets the language's exception for a pmemkit return code, mapping
 *   pk_error_class(code) to an exception type;
 * - typemaps for pk_value (in: `const pk_value *`, out: `pk_value *out`,
 *   `pk_value *key`, `pk_value *val`, and a returned `pk_value`), since
 *   values are the language's own scalars. (Ruby, Perl and Tcl provide
 *   only the in typemaps, the argout typemap of a cursor's step and a C
 *   converter `pk_swig_from_value(const pk_value *)` to their object: the
 *   rest is their block below, which also wants
 *   `pk_swig_raise_msg(int code, const char *msg)`, the exception of
 *   pk_swig_raise() with another message, and an in typemap for
 *   `(const void *bytes, size_t len)`, a byte string or NULL.)
 */

%{
#include "pmemkit.h"
#include <stdlib.h>
#include <string.h>
%}

/* Headers: fixed-width integers, the typemap library's OUTPUT typemaps. */
%include <stdint.i>
%include <typemaps.i>

/* ---- What is not wrapped ---------------------------------------------- */

/* static inline value constructors: every language has its own values */
%ignore pk_nil;
%ignore pk_bool;
%ignore pk_int;
%ignore pk_double;
%ignore pk_bytes;
%ignore pk_string;
/* the value structs are converted by typemaps, never wrapped as objects */
%ignore pk_value;
%ignore pk_ref;
/* set by each language's own C code, for its runtime's global lock */
%ignore pk_set_wait_hooks;
/* a copy into the caller's buffer: each language converts a value into
 * its own object under its own rules (Python's cffi path calls it) */
%ignore pk_map_get_copy;
%ignore pk_value::u;
%ignore pk_value_u;
%ignore pk_value_u_buf;
/* not a code, a type or a flag: the ends of the generated enums */
%ignore PK_ERROR_END_;
%ignore PK_ELEM_END_;
%ignore PK_FLAG_END_;

/* ---- Policy shared by the typemap-library languages ------------------- */
/* (Lua is not one: SWIG's Lua module has no %set_output/%append_output;
 * bindings/lua/pmemkit.i states the same policy in Lua's terms.) */
#if defined(SWIGPYTHON) || defined(SWIGRUBY) || defined(SWIGPERL) || \
	defined(SWIGTCL) || defined(SWIGOCTAVE) || \
	defined(SWIGR) || defined(SWIGJAVASCRIPT)

/*
 * Return codes: 0 becomes "no result" (the out-parameters are the result);
 * anything else raises the language's exception for the code's class.
 */
%typemap(out) int {
	if ($1 != 0) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(VOID_Object);
}
/* functions whose int is a result, not a return code */
%typemap(out) int pk_tx_depth = long;
%typemap(out) int unclean = long;

/* Handles returned through `TYPE **out`: a pointer object, not owned (the
 * language's code releases it with the matching close function). */
%define PK_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) "$1 = &temp;";
%typemap(argout) TYPE **out {
	%append_output(SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*descriptor, 0));
}
%enddef
PK_HANDLE_OUT(pk_pool)
PK_HANDLE_OUT(pk_map)
PK_HANDLE_OUT(pk_list)
PK_HANDLE_OUT(pk_array)
PK_HANDLE_OUT(pk_cursor)

/* Scalar out-parameters: returned as results, in argument order. */
%apply unsigned long long *OUTPUT { uint64_t *out, uint64_t *freed };
%apply int *OUTPUT { int *out };
%apply unsigned short *OUTPUT { uint16_t *out };
%apply size_t *OUTPUT { size_t *width };
%typemap(in, numinputs=0) pk_elem *elem (pk_elem temp = 0) "$1 = &temp;";
%typemap(argout) pk_elem *elem {
	%append_output(SWIG_From(int)((int)*$1));
}

/* Struct out-parameters: a new object owned by the language; the struct's
 * version (pmemkit.h) is the one this module was built with. */
%define PK_STRUCT_OUT(TYPE, VERSION)
%typemap(in, numinputs=0) TYPE *out (TYPE temp) "memset(&temp, 0, sizeof(temp)); temp.version = VERSION; $1 = &temp;";
%typemap(argout) TYPE *out {
	TYPE *copy = (TYPE *)malloc(sizeof(TYPE));
	if (copy == NULL)
		SWIG_exception_fail(SWIG_MemoryError, "out of memory");
	*copy = *$1;
	%append_output(SWIG_NewPointerObj(SWIG_as_voidptr(copy), $descriptor, SWIG_POINTER_OWN));
}
%enddef
PK_STRUCT_OUT(pk_pool_stats, PK_POOL_STATS_VERSION)
PK_STRUCT_OUT(pk_check_report, PK_CHECK_REPORT_VERSION)

/* pk_pool_check() reports a damaged pool through its report: the return
 * code comes back as the first result, only other failures raise. */
%typemap(out) int pk_pool_check {
	if ($1 != 0 && $1 != PK_ECORRUPT) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(SWIG_From(int)($1));
}

#endif /* typemap-library languages */

/* ---- Values out, and the ordinary outcomes (Ruby, Perl, Tcl) ---------- */
/* (Python's and Lua's .i files declare the same two in-typemaps
 * themselves: adding them to this #if lets those copies go.) */
#if defined(SWIGRUBY) || defined(SWIGPERL) || defined(SWIGTCL)
/* A value out-parameter is a zeroed temporary the language converts from
 * in its argout typemap (never an argument). */
%typemap(in, numinputs=0) pk_value *out (pk_value temp) {
	memset(&temp, 0, sizeof(temp));
	$1 = &temp;
}
/* A value result: the language's object for it, from the C converter the
 * language names pk_swig_from_value(). An out-parameter is a result only
 * when the call returned 0 (see the ordinary outcomes below); Tcl's result
 * is the value itself, not a list of results. */
%typemap(out) pk_value {
	%set_output(pk_swig_from_value(&$1));
}
%typemap(argout) pk_value *out {
	if (result == 0) {
#ifdef SWIGTCL
		%set_output(pk_swig_from_value($1));
#else
		%append_output(pk_swig_from_value($1));
#endif
	}
}
/* A cursor's step: its key and value, as a value out-parameter; each
 * language's argout typemap makes its entry of them. */
%typemap(in, numinputs=0) (pk_value *key, pk_value *val) (pk_value tk, pk_value tv) {
	memset(&tk, 0, sizeof(tk));
	memset(&tv, 0, sizeof(tv));
	$1 = &tk;
	$2 = &tv;
}

/*
 * The header's ordinary outcomes, PK_NOTFOUND and PK_ITEROVER, are
 * answers, not failures (an exception per missing key or per loop would
 * be the slow path of every lookup): a function returning them gives the
 * language's "nothing" (Ruby nil, Perl the empty list, Tcl an empty
 * result); other failures raise. Its out-parameters are the result only
 * when it returned 0: each language's argout typemaps for `pk_value *out`
 * and `(pk_value *key, pk_value *val)` test `result == 0`.
 *   pk_cursor_next: every language here; pk_map_get: Perl and Tcl (Ruby's
 *   Map#[] takes a default through pk_rb_map_lookup instead).
 */
%typemap(out) int pk_cursor_next {
	if ($1 != 0 && $1 != PK_NOTFOUND && $1 != PK_ITEROVER) {
		pk_swig_raise($1);
		SWIG_fail;
	}
#ifndef SWIGPERL	/* Perl's "nothing" is no output at all */
	%set_output(VOID_Object);
#endif
}
#if defined(SWIGPERL) || defined(SWIGTCL)
%typemap(out) int pk_map_get = int pk_cursor_next;
/* pk_map_remove: 1 when the key was there, 0 when it was not. */
%typemap(out) int pk_map_remove {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(SWIG_From(int)($1 == 0));
}
#endif

/* Element bytes go in through the checked pk_swig_array_new() and
 * pk_swig_array_write() (swig/pmemkit_head.i), under the C names; each
 * language maps its byte string to `(const void *bytes, size_t len)`
 * (NULL for its "nothing", where pk_array_new() makes zeros). */
%ignore pk_array_new;
%ignore pk_array_write;
%rename(pk_array_new) pk_swig_array_new;
%rename(pk_array_write) pk_swig_array_write;
%typemap(out) int pk_swig_array_new, int pk_swig_array_write {
	if ($1 == PK_SWIG_ELENGTH) {
		pk_swig_raise_msg(PK_EVALUE, PK_SWIG_ELENGTH_MSG);
		SWIG_fail;
	}
	if ($1 != 0) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(VOID_Object);
}

/* In-place access to an array's elements has no safe form in these
 * languages (a pointer outliving its transaction): their array classes
 * read and write copies. */
%ignore pk_array_data;
%ignore pk_array_window;
#endif /* Ruby, Perl, Tcl */

/* The tables' rows are static data: read-only in every language. */
%immutable pk_error_row::name;
%immutable pk_error_row::cls;
%immutable pk_error_row::message;
%immutable pk_error_row::code;
%immutable pk_elem_row::name;
%immutable pk_elem_row::code;
%immutable pk_elem_row::sname;
%immutable pk_elem_row::size;
%immutable pk_elem_row::typecode;
%immutable pk_elem_row::cls;
%immutable pk_flag_row::name;
%immutable pk_flag_row::value;
%immutable pk_flag_row::meaning;
/* ---- end of the Ruby/Perl/Tcl block ----------------------------------- */

/* macros SWIG cannot evaluate (casts) */
%constant size_t PK_POOL_MIN_SIZE = PK_POOL_MIN_SIZE;

/* ---- The API, from the header itself ---------------------------------- */
%include "pmemkit_tables.h"
%include "pmemkit.h"

#if defined(SWIGRUBY) || defined(SWIGPERL) || defined(SWIGTCL)
/* (Ruby, Perl, Tcl) the checked array functions, above */
int pk_swig_array_new(pk_array **out, pk_pool *pool, int elem, size_t width,
		uint64_t length, const void *bytes, size_t len);
int pk_swig_array_write(pk_array *array, uint64_t start, const void *bytes,
		size_t len);
#endif
