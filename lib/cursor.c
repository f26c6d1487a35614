/*
 * cursor.c -- the one iteration protocol, dispatched by container kind
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/* cursor_next -- the next entry, by the cursor's container kind */
static int
cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	const struct pk_kind *k;

	if (cur == NULL)
		return pk__err(EINVAL, "NULL cursor");
	if ((k = pk__kind_of_magic(cur->h.magic)) == NULL)
		return pk__err(PK_EKIND, "unknown cursor kind");
	return k->cursor_next(cur, key, val);
}

/*
 * cursor_check -- whether the container is unchanged since the cursor was
 * made
 */
static int
cursor_check(pk_cursor *cur)
{
	const struct pk_kind *k;
	void *hdr;
	int rc;

	if (cur == NULL)
		return pk__err(EINVAL, "NULL cursor");
	if ((k = pk__kind_of_magic(cur->h.magic)) == NULL)
		return pk__err(PK_EKIND, "unknown cursor kind");
	if ((rc = pk__handle_get(&hdr, &cur->h)) != 0)
		return rc;
	return *(const uint64_t *)((const char *)hdr + k->modcount_off) ==
		cur->modcount ? 0 : pk__err(PK_ECHANGED, NULL);
}

/* pk_cursor_free -- release a cursor (pmemkit.h) */
void
pk_cursor_free(pk_cursor *cur)
{
	if (cur == NULL)
		return;
	pk__pool_unref(cur->h.pool);
	free(cur);
}

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_cursor_next -- step to the next entry (pmemkit.h) */
int
pk_cursor_next(pk_value *key, pk_value *val, pk_cursor *cur)
{
	const struct pk_kind *k = cur != NULL ?
		pk__kind_of_magic(cur->h.magic) : NULL;
	struct pk_cursor before;
	struct pk_read r;
	int rc;

	if (k == NULL || !k->cursor_optimistic) {
		pk__read_begin(&r, PK_HANDLE_OF(cur), PK_READ_LOCKED);
		do
			rc = cursor_next(cur, key, val);
		while (!pk__read_done(&r));
		return rc;
	}
	before = *cur;
	pk__read_begin(&r, PK_HANDLE_OF(cur), PK_READ_OPTIMISTIC);
	while (rc = k->cursor_next(cur, key, val), !pk__read_done(&r))
		*cur = before;	/* what it cached may be torn */
	return rc;
}

/*
 * pk_cursor_check -- whether the next pk_cursor_next() would find the
 * container unchanged: no key inserted or removed, no element inserted or
 * removed, no resize since the cursor was made (pmemkit.h)
 */
int
pk_cursor_check(pk_cursor *cur)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(cur), PK_READ_OPTIMISTIC);
	do
		rc = cursor_check(cur);
	while (!pk__read_done(&r));
	return rc;
}
