/*
 * cursor.c -- the one iteration protocol, dispatched by container kind
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

int
pk_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	if (cur == NULL)
		return pk__err(EINVAL, "NULL cursor");
	switch (cur->h.magic) {
	case PK_MAGIC_MAP:
		return pk__map_cursor_next(cur, key, val);
	default:
		return pk__err(PK_EKIND, "unknown cursor kind");
	}
}

void
pk_cursor_free(pk_cursor *cur)
{
	if (cur == NULL)
		return;
	pk__pool_unref(cur->h.pool);
	free(cur);
}
