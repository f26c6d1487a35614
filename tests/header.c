/*
 * header.c -- the public header compiles alone under -std=c99 -pedantic
 * -Werror (see tests/Makefile.inc), and its error table is consistent
 */
#include "pmemkit.h"

#include <string.h>

int
main(void)
{
	pk_value v = pk_int(1);
	/* every code has a message that starts with its name */
#define CHECK_(name, value, cls, msg) \
	if (strncmp(pk_strerror(name), #name ": ", sizeof(#name) + 1) != 0 \
	    || (int)name != value || strcmp(pk_error_class(name), #cls)) \
		return 1;
	PK_ERROR_TABLE(CHECK_)
#undef CHECK_
	return v.u.i == 1 ? 0 : 1;
}
