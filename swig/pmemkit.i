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
 *   values are the language's own scalars.
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
/* (added for Python) pointers into the pool, which pk_pool_close()
 * unmaps: no language wraps them raw; a language that reaches an array's
 * elements in place does it in its own C code (Python: the buffer
 * protocol, Array.modify()) */
%ignore pk_array_data;
%ignore pk_array_window;
/* (end of the addition for Python) */
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

/* macros SWIG cannot evaluate (casts) */
%constant size_t PK_POOL_MIN_SIZE = PK_POOL_MIN_SIZE;

/* ---- The API, from the header itself ---------------------------------- */
%include "pmemkit_tables.h"
%include "pmemkit.h"
