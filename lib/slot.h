/*
 * slot.h -- the one encoding of values in every container (slot.c)
 */
#ifndef PK_SLOT_H
#define PK_SLOT_H

#include "internal.h"

/* slot.c -- one encoding of values for every container */
PK_HIDDEN size_t pk__payload_len(const pk_value *v);
PK_HIDDEN int pk__payload_write(pk_pool *pool, uint8_t *type, uint8_t *len,
		uint8_t *dst, const pk_value *v, int ext);
PK_HIDDEN int pk__payload_read(pk_pool *pool, pk_value *out, uint8_t type,
		uint8_t len, const uint8_t *src);
PK_HIDDEN int pk__payload_release(pk_pool *pool, uint8_t type,
		const uint8_t *src);
PK_HIDDEN int pk__slot_write(pk_pool *pool, struct pk_slot *s,
		const pk_value *key, const pk_value *val);
PK_HIDDEN int pk__slot_set_value(pk_pool *pool, struct pk_slot *s,
		const pk_value *val);
PK_HIDDEN int pk__slot_key(pk_pool *pool, pk_value *out,
		const struct pk_slot *s);
PK_HIDDEN int pk__slot_value(pk_pool *pool, pk_value *out,
		const struct pk_slot *s);
PK_HIDDEN int pk__slot_release(pk_pool *pool, const struct pk_slot *s);
PK_HIDDEN int pk__slot_plain(const pk_value *key, const pk_value *val);
PK_HIDDEN int pk__slot_plain_stored(const struct pk_slot *s);
PK_HIDDEN int pk__slot_walk(const struct pk_slot *s, struct pk_walker *w);
PK_HIDDEN int pk__payload_walk(uint8_t type, uint8_t len, const uint8_t *src,
		struct pk_walker *w);

#endif /* PK_SLOT_H */
