/*
 * refs.h -- reference counts of containers stored as values (refs.c)
 */
#ifndef PK_REFS_H
#define PK_REFS_H

#include "internal.h"

/* refs.c -- reference counts of containers stored as values */
PK_HIDDEN int pk__ref_target(struct pk_obj_hdr **out, pk_pool *pool,
		const pk_value *v);
PK_HIDDEN int pk__ref_acquire(pk_pool *pool, const pk_value *v);
PK_HIDDEN int pk__ref_release(pk_pool *pool, uint64_t off);
/* before a change overwrites or removes a stored value of this type byte:
 * 0, or PK__ERELOCK (PK_ECORRUPT in a leaf) if it would drop a reference
 * under its container's lock alone */
PK_HIDDEN int pk__ref_drop_check(unsigned type);
PK_HIDDEN int pk__obj_free(pk_pool *pool, uint64_t off);
/* before vals[0..n) are stored in a container: if one is a reference, the
 * container's leaf field (layout.h) says it is no longer a leaf */
PK_HIDDEN int pk__leaf_unset(uint64_t *leaf, const pk_value *vals,
		size_t n);

#endif /* PK_REFS_H */
