/*
 * pending.c -- pool operations declared in the header whose work is being
 * written (this session): each fails with ENOTSUP until then
 */
#include <errno.h>

#include "internal.h"

int
pk_pool_defrag(pk_defrag_report *out, pk_pool *pool)
{
	(void)out;
	(void)pool;
	return pk__err(ENOTSUP, "pk_pool_defrag");
}
