/*
 * pending.c -- pool operations declared in the header whose work is being
 * written (this session): each fails with ENOTSUP until then
 */
#include <errno.h>

#include "internal.h"

int
pk_pool_repair(const char *path)
{
	(void)path;
	return pk__err(ENOTSUP, "pk_pool_repair");
}
