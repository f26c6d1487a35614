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
%}

/* ---- pk_value out-parameters: their storage (added for Python; the same
 * in every typemap language) -----------------------------------------------
 * A value read comes back through `pk_value *out`, a cursor's entry
 * through `pk_value *key, pk_value *val`: each an empty pk_value local to
 * the wrapper, not an argument of the language's call. The language's
 * argout typemap converts it (a language may still define its own of
 * these after this file). */
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
/* ---- end of pk_value out-parameters ---- */
