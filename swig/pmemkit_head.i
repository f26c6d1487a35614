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
