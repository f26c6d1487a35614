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
 *   pk_error_class(code) to an exception type, with pk_swig_message()'s
 *   text (swig/pmemkit_head.i); in Lua and Java a macro calling the
 *   language's function with the wrapper's interpreter (L, jenv);
 * - typemaps for pk_value (in: `const pk_value *`; argout: `pk_value *out`,
 *   `pk_value *key`, `pk_value *val`; out: a returned `pk_value`), since
 *   values are the language's own scalars (the in typemaps of the values
 *   a function writes are here, under "Values the C function writes").
 *   Ruby, Perl and Tcl give only the in typemaps, the argout typemap of a
 *   cursor's step and a C converter `pk_swig_from_value(const pk_value *)`
 *   to their object; they also give `pk_swig_raise_msg(int code, const
 *   char *msg)`, pk_swig_raise() with another message, and an in typemap
 *   for `(const void *bytes, size_t len)`, a byte string or NULL (see
 *   "Element bytes").
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
/* a check for the modules' own C code (Lua's strings), not for their
 * users: a void pointer has no form in a language */
%ignore pk_utf8_valid;
/* a tuple is one of the language's own values: its converters (in and
 * out) call these, its users never see an encoding */
%ignore pk_tuple_pack;
%ignore pk_tuple_next;
%ignore pk_tuple_length;
%ignore pk_frozenset_pack;
/* not a code, a type or a flag: the ends of the generated enums */
%ignore PK_ERROR_END_;
%ignore PK_ELEM_END_;
%ignore PK_FLAG_END_;
%ignore PK_POOL_FLAG_END_;
/* languages create and open with flat arguments: pk_swig_pool_create() */
%ignore pk_pool_options;
/* ranges of sorted maps go through flat functions (pmemkit_head.i) */
%ignore pk_sorted_range;
%ignore pk_sorted_range_cursor;
%ignore pk_sorted_remove_range;
%ignore pk_pool_create_opts;
%ignore pk_pool_open_opts;
/* in-place access to an array's elements: a pointer into the pool would
 * outlive pk_pool_close(), which unmaps it (a language that offers a view,
 * as Python's buffer protocol, calls them from its own C code) */
%ignore pk_array_data;
/* a copy into the caller's buffer: the modules call pk_blocks_get() */
%ignore pk_blocks_read;
/* likewise pk_region_get(); and the address only C and a language's own
 * C code (a buffer view) can use */
%ignore pk_region_read;
%ignore pk_region_addr;
%ignore pk_array_window;

/* ---- Policy: each rule once, every language's form side by side ------- */
/*
 * The typemap-library languages (Python, Ruby, Perl, Tcl: SWIG's unified
 * typemap library, %set_output/%append_output) share one form of each
 * rule. SWIG's Lua and Java modules have no such library: their forms sit
 * next to it, under SWIGLUA and SWIGJAVA, so that a rule is read, and
 * changed, in one place, and a language without it shows. Where a rule
 * applies to named types or parameters (handles, scalar and struct
 * out-parameters), each language defines a macro and the list of what it
 * applies to comes once, after: a new function or struct of that shape
 * needs one line there.
 *
 * Each language's C code defines `pk_swig_raise(code)` (see the top of
 * this file); Lua's and Java's take their interpreter from the wrapper
 * (L, jenv).
 */
#if defined(SWIGPYTHON) || defined(SWIGRUBY) || defined(SWIGPERL) || \
	defined(SWIGTCL) || defined(SWIGOCTAVE) || \
	defined(SWIGR) || defined(SWIGJAVASCRIPT)
#define PK_SWIG_TYPEMAP_LIB
#endif

/* -- Return codes -------------------------------------------------------- */
/*
 * 0 becomes "no result" (the out-parameters are the result); anything else
 * raises the language's exception for the code's class. Functions whose
 * int is a result, not a return code, keep it: PK_INT_RESULT(function),
 * listed after.
 */
#if defined(PK_SWIG_TYPEMAP_LIB)
%typemap(out) int {
	if ($1 != 0) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(VOID_Object);
}
%define PK_INT_RESULT(FUNC)
%typemap(out) int FUNC = long;
%enddef
/* a struct's int field (pk_pool_stats) */
%typemap(out) int unclean = long;

#elif defined(SWIGLUA)
%typemap(out) int {
	if ($1 != 0) {
		pk_swig_raise($1);
		SWIG_fail;
	}
}
%define PK_INT_RESULT(FUNC)
%typemap(out) int FUNC "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";
%enddef

#elif defined(SWIGJAVA)
/* void, and a failure throws the checked PmemkitException subclass of the
 * code's class. An int that is not a return code is copied before int is
 * redefined (jstype applies to arguments too). The exception stays
 * pending while the argout and freearg typemaps run: they check for it. */
%apply int { int code, int unclean, int after, int how };
%typemap(jstype) int "void"
%typemap(javaout) int { $jnicall; }
%typemap(out, throws="PmemkitException") int {
	$result = (jint)$1;
	if ($1 != 0)
		pk_swig_raise($1);
}
/* (a negative result is still a failure) */
%define PK_INT_RESULT(FUNC)
%typemap(jstype) int FUNC "int"
%typemap(javaout) int FUNC { return $jnicall; }
%typemap(out, throws="PmemkitException") int FUNC {
	$result = (jint)$1;
	if ($1 < 0)
		pk_swig_raise($1);
}
%enddef
#endif

PK_INT_RESULT(pk_tx_depth)

/* -- Outcomes: return codes that are not failures ------------------------ */
/*
 * pk_pool_check() reports a damaged pool through its report: PK_ECORRUPT
 * is an outcome, only other failures raise. PK_NOTFOUND and PK_ITEROVER
 * are outcomes too: where a language does not raise them (raising would
 * be the slow path of every lookup and every loop), they become a first
 * result saying whether there was an entry. The typemap-library languages
 * return pk_pool_check's code; Ruby, Perl and Tcl return their "nothing"
 * (Ruby nil, Perl (), Tcl "") for pk_cursor_next, and Perl and Tcl for
 * pk_map_get too (Ruby's Map#[] takes a default through
 * pk_rb_map_lookup), their out-parameters being the result only when the
 * call returned 0 (each language's argout typemaps test `result == 0`);
 * Perl's and Tcl's pk_map_remove returns 1 or 0; Java returns pk_pool_check's code and a
 * cursor step's boolean (a get throws NotFoundException, which
 * java.util.Map's get catches); Lua returns a boolean for each: ok,
 * report; found, value; removed; more, key, value.
 */
#if defined(PK_SWIG_TYPEMAP_LIB)
%typemap(out) int pk_pool_check {
	if ($1 != 0 && $1 != PK_ECORRUPT) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(SWIG_From(int)($1));
}
#if defined(SWIGRUBY) || defined(SWIGPERL) || defined(SWIGTCL)
%typemap(out) int pk_cursor_next {
	if ($1 != 0 && $1 != PK_NOTFOUND && $1 != PK_ITEROVER) {
		pk_swig_raise($1);
		SWIG_fail;
	}
#ifndef SWIGPERL	/* Perl's "nothing" is no output at all */
	%set_output(VOID_Object);
#endif
}
#endif
#if defined(SWIGPERL) || defined(SWIGTCL)
%typemap(out) int pk_map_get = int pk_cursor_next;
%typemap(out) int pk_map_remove {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	%set_output(SWIG_From(int)($1 == 0));
}
#endif

#elif defined(SWIGLUA)
%define PK_OUTCOME(FUNC, CODE)
%typemap(out) int FUNC {
	if ($1 != 0 && $1 != CODE) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	lua_pushboolean(L, $1 == 0); SWIG_arg++;
}
%enddef
PK_OUTCOME(pk_pool_check, PK_ECORRUPT)
PK_OUTCOME(pk_map_get, PK_NOTFOUND)
PK_OUTCOME(pk_map_remove, PK_NOTFOUND)
PK_OUTCOME(pk_cursor_next, PK_ITEROVER)

#elif defined(SWIGJAVA)
%typemap(jstype) int pk_pool_check "int"
%typemap(javaout) int pk_pool_check { return $jnicall; }
%typemap(out, throws="PmemkitException") int pk_pool_check {
	$result = (jint)$1;
	if ($1 != 0 && $1 != PK_ECORRUPT)
		pk_swig_raise($1);
}
%typemap(jni) int pk_cursor_next "jboolean"
%typemap(jtype) int pk_cursor_next "boolean"
%typemap(jstype) int pk_cursor_next "boolean"
%typemap(javaout) int pk_cursor_next { return $jnicall; }
%typemap(out, throws="PmemkitException") int pk_cursor_next {
	$result = $1 == 0;
	if ($1 != 0 && $1 != PK_ITEROVER)
		pk_swig_raise($1);
}
#endif

/* -- Handles returned through `TYPE **out` ------------------------------- */
/*
 * A pointer object, not owned: the language's code releases it with the
 * matching close function. Java passes a one-element holder array, which
 * the proxy fills in from the address the C function stored (argout code
 * runs after a failed call too: it must not call JNI with the exception
 * pending).
 */
#if defined(PK_SWIG_TYPEMAP_LIB)
%define PK_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) "$1 = &temp;";
%typemap(argout) TYPE **out {
	%append_output(SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*descriptor, 0));
}
%enddef

#elif defined(SWIGLUA)
%define PK_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) "$1 = &temp;";
%typemap(argout) TYPE **out {
	SWIG_NewPointerObj(L, *$1, $*descriptor, 0); SWIG_arg++;
}
%enddef

#elif defined(SWIGJAVA)
%define PK_HANDLE_OUT(TYPE)
%typemap(jni) TYPE **out "jlongArray"
%typemap(jtype) TYPE **out "long[]"
%typemap(jstype) TYPE **out "$*javaclassname[]"
%typemap(javain, pre="    long[] temp$javainput = new long[1];",
		post="    $javainput[0] = temp$javainput[0] == 0 ? null : new $*javaclassname(temp$javainput[0], false);")
		TYPE **out "temp$javainput"
%typemap(in) TYPE **out (TYPE *temp = NULL) "$1 = &temp;"
%typemap(argout) TYPE **out {
	if (!(*jenv)->ExceptionCheck(jenv)) {
		jlong jv = 0;
		*(TYPE **)&jv = temp$argnum;
		(*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &jv);
	}
}
%enddef
#endif

PK_HANDLE_OUT(pk_pool)
PK_HANDLE_OUT(pk_map)
PK_HANDLE_OUT(pk_list)
PK_HANDLE_OUT(pk_array)
PK_HANDLE_OUT(pk_log)
PK_HANDLE_OUT(pk_blocks)
PK_HANDLE_OUT(pk_set)
PK_HANDLE_OUT(pk_record)
PK_HANDLE_OUT(pk_sorted)
PK_HANDLE_OUT(pk_region)
PK_HANDLE_OUT(pk_cursor)

/* -- Scalar out-parameters ----------------------------------------------- */
/*
 * Results, in argument order (Java: one-element holder arrays). Each
 * language gives the form `TYPE *PK_OUT` of every scalar type; the list
 * after names the parameters.
 */
#if defined(PK_SWIG_TYPEMAP_LIB)
%apply unsigned long long *OUTPUT { uint64_t *PK_OUT };
%apply int *OUTPUT { int *PK_OUT };
%apply unsigned short *OUTPUT { uint16_t *PK_OUT };
%apply size_t *OUTPUT { size_t *PK_OUT };
%typemap(in, numinputs=0) pk_elem *PK_OUT (pk_elem temp = 0) "$1 = &temp;";
%typemap(argout) pk_elem *PK_OUT {
	%append_output(SWIG_From(int)((int)*$1));
}

#elif defined(SWIGLUA)
/* integers are Lua integers (SWIG's Lua typemaps would make them floats);
 * an int out-parameter is a yes or no (pk_map_contains): a boolean */
%define PK_LUA_INT_OUT(TYPE)
%typemap(in, numinputs=0) TYPE *PK_OUT (TYPE temp = 0) "$1 = &temp;";
%typemap(argout) TYPE *PK_OUT "lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++;";
%enddef
PK_LUA_INT_OUT(uint64_t)
PK_LUA_INT_OUT(uint16_t)
PK_LUA_INT_OUT(size_t)
PK_LUA_INT_OUT(pk_elem)
%typemap(in, numinputs=0) int *PK_OUT (int temp = 0) "$1 = &temp;";
%typemap(argout) int *PK_OUT "lua_pushboolean(L, *$1); SWIG_arg++;";

#elif defined(SWIGJAVA)
%define PK_JAVA_HOLDER(CTYPE, JNITYPE, JTYPE, JAVATYPE)
%typemap(jni) CTYPE *PK_OUT %{JNITYPE##Array%}
%typemap(jtype) CTYPE *PK_OUT "JTYPE[]"
%typemap(jstype) CTYPE *PK_OUT "JTYPE[]"
%typemap(javain) CTYPE *PK_OUT "$javainput"
%typemap(in) CTYPE *PK_OUT (CTYPE temp) {
	if ($input == NULL || (*jenv)->GetArrayLength(jenv, $input) < 1) {
		SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException,
				"pmemkit: expected a holder array of one element");
		return $null;
	}
	temp = (CTYPE)0;
	$1 = &temp;
}
%typemap(argout) CTYPE *PK_OUT {
	if (!(*jenv)->ExceptionCheck(jenv)) {
		JNITYPE jv = (JNITYPE)temp$argnum;
		(*jenv)->Set##JAVATYPE##ArrayRegion(jenv, $input, 0, 1, &jv);
	}
}
%enddef
PK_JAVA_HOLDER(uint64_t, jlong, long, Long)
PK_JAVA_HOLDER(int, jint, int, Int)
PK_JAVA_HOLDER(uint16_t, jint, int, Int)
PK_JAVA_HOLDER(pk_elem, jint, int, Int)
PK_JAVA_HOLDER(size_t, jlong, long, Long)
#endif

%apply uint64_t *PK_OUT { uint64_t *out, uint64_t *freed, uint64_t *count,
	uint64_t *bytes, uint64_t *shallow, uint64_t *deep, uint64_t *removed };
%apply int *PK_OUT { int *out };
%apply uint16_t *PK_OUT { uint16_t *out };
%apply size_t *PK_OUT { size_t *width };
%apply pk_elem *PK_OUT { pk_elem *elem };

/* -- Struct out-parameters ----------------------------------------------- */
/*
 * The caller's struct, zeroed, with the version (pmemkit.h) this module was
 * built with: the typemap-library languages return a new object owned by
 * the language, Lua a plain table of its fields (not the version), Java
 * fills the struct object the proxy passes.
 */
#if defined(PK_SWIG_TYPEMAP_LIB)
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

#elif defined(SWIGLUA)
%define PK_STRUCT_OUT(TYPE, VERSION)
%typemap(in, numinputs=0) TYPE *out (TYPE temp) "memset(&temp, 0, sizeof(temp)); temp.version = VERSION; $1 = &temp;";
%ignore TYPE;
%enddef
%define PK_LUA_FIELD(F) lua_pushinteger(L, (lua_Integer)$1->F); lua_setfield(L, -2, #F); %enddef
%typemap(argout) pk_pool_stats *out {
	lua_createtable(L, 0, 5);
	PK_LUA_FIELD(size) PK_LUA_FIELD(used) PK_LUA_FIELD(objects)
	PK_LUA_FIELD(recovered)
	lua_pushboolean(L, $1->unclean); lua_setfield(L, -2, "unclean");
	SWIG_arg++;
}
%typemap(argout) pk_check_report *out {
	lua_createtable(L, 0, 6);
	PK_LUA_FIELD(objects) PK_LUA_FIELD(reachable) PK_LUA_FIELD(leaked)
	PK_LUA_FIELD(dangling) PK_LUA_FIELD(refcounts) PK_LUA_FIELD(damaged)
	SWIG_arg++;
}
%typemap(argout) pk_defrag_report *out {
	lua_createtable(L, 0, 4);
	PK_LUA_FIELD(objects) PK_LUA_FIELD(moved)
	PK_LUA_FIELD(moved_bytes) PK_LUA_FIELD(freed_bytes)
	SWIG_arg++;
}

#elif defined(SWIGJAVA)
%define PK_STRUCT_OUT(TYPE, VERSION)
%typemap(in) TYPE *out {
	$1 = *(TYPE **)&$input;
	if ($1 == NULL) {
		SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException,
				"pmemkit: no struct for the result");
		return $null;
	}
	memset($1, 0, sizeof(*$1));
	$1->version = VERSION;
}
%enddef
#endif

PK_STRUCT_OUT(pk_pool_stats, PK_POOL_STATS_VERSION)
PK_STRUCT_OUT(pk_check_report, PK_CHECK_REPORT_VERSION)
PK_STRUCT_OUT(pk_defrag_report, PK_DEFRAG_REPORT_VERSION)

/* -- Values the C function writes ---------------------------------------- */
/*
 * A value read (`pk_value *out`) or a cursor's entry (`pk_value *key,
 * pk_value *val`) is written into the wrapper's own zeroed pk_value, and
 * borrowed from the pool until the language converts it (the argout
 * typemap, each language's: its values are its own objects). Java passes
 * the holder array the argout fills.
 */
#if defined(SWIGJAVA)
%typemap(in) pk_value *out (pk_value temp) {
	memset(&temp, 0, sizeof(temp));
	$1 = &temp;
}
%typemap(in) (pk_value *key, pk_value *val) (pk_value tk, pk_value tv) {
	memset(&tk, 0, sizeof(tk));
	memset(&tv, 0, sizeof(tv));
	$1 = &tk;
	$2 = &tv;
}
#else
%typemap(in, numinputs=0) pk_value *out (pk_value temp) {
	memset(&temp, 0, sizeof(temp));
	$1 = &temp;
}
%typemap(in, numinputs=0) (pk_value *key, pk_value *val) (pk_value tk, pk_value tv) {
	memset(&tk, 0, sizeof(tk));
	memset(&tv, 0, sizeof(tv));
	$1 = &tk;
	$2 = &tv;
}
#endif
/* Ruby, Perl, Tcl: a value result, and a value out-parameter when the call
 * returned 0, are the language's object from its pk_swig_from_value();
 * Tcl's result is the value itself, not a list of results. */
#if defined(SWIGRUBY) || defined(SWIGPERL) || defined(SWIGTCL)
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
#endif

/* -- Element bytes (Ruby, Perl, Tcl) ------------------------------------- */
/*
 * Element bytes go in through the checked pk_swig_array_new() and
 * pk_swig_array_write() (swig/pmemkit_head.i), under the C names; each
 * language maps its byte string to `(const void *bytes, size_t len)`
 * (NULL for its "nothing", where pk_array_new() makes zeros).
 */
#if defined(SWIGRUBY) || defined(SWIGPERL) || defined(SWIGTCL)
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
#endif

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
%immutable pk_pool_flag_row::name;
%immutable pk_pool_flag_row::value;
%immutable pk_pool_flag_row::option;
%immutable pk_pool_flag_row::meaning;

/* macros SWIG cannot evaluate (casts) */
%constant size_t PK_POOL_MIN_SIZE = PK_POOL_MIN_SIZE;
%constant uint64_t PK_POOL_MAX_DEFAULT = PK_POOL_MAX_DEFAULT;

/* ---- The API, from the header itself ---------------------------------- */
%include "pmemkit_tables.h"
%include "pmemkit.h"

/* creating and opening with options, flat (swig/pmemkit_head.i) */
int pk_swig_pool_create(pk_pool **out, const char *path, uint64_t size,
		uint64_t max_size, unsigned mode, unsigned flags,
		const char *replica);
int pk_swig_pool_open(pk_pool **out, const char *path, unsigned flags);

/* ranges of sorted maps, flat (swig/pmemkit_head.i) */
%constant unsigned PK_SWIG_HAS_LO = PK_SWIG_HAS_LO;
%constant unsigned PK_SWIG_HAS_HI = PK_SWIG_HAS_HI;
%constant unsigned PK_SWIG_HAS_PREFIX = PK_SWIG_HAS_PREFIX;
int pk_swig_sorted_range_cursor(pk_cursor **out, pk_sorted *map,
		unsigned has, const pk_value *lo, unsigned lo_open,
		const pk_value *hi, unsigned hi_open, unsigned reverse,
		const pk_value *prefix);
int pk_swig_sorted_remove_range(uint64_t *removed, pk_sorted *map,
		unsigned has, const pk_value *lo, unsigned lo_open,
		const pk_value *hi, unsigned hi_open, const pk_value *prefix);

#if defined(SWIGRUBY) || defined(SWIGPERL) || defined(SWIGTCL)
/* the checked array functions (see "Element bytes") */
int pk_swig_array_new(pk_array **out, pk_pool *pool, int elem, size_t width,
		uint64_t length, const void *bytes, size_t len);
int pk_swig_array_write(pk_array *array, uint64_t start, const void *bytes,
		size_t len);
#endif
