/*
 * value.h -- keys in canonical form and their keyed hashes (value.c, siphash.c, mulhash.h)
 */
#ifndef PK_VALUE_H
#define PK_VALUE_H

#include "internal.h"

/* siphash.c, and mulhash.h: the keyed hashes of maps */
PK_HIDDEN uint64_t pk__siphash13(const uint64_t key[2], const void *data,
		size_t len);

/* value.c -- keys in canonical form, so equal numbers hash alike */
enum pk_keyclass {
	PK_KC_NIL = 1, PK_KC_INT, PK_KC_DOUBLE, PK_KC_BYTES, PK_KC_STRING,
	PK_KC_BIGINT, PK_KC_TUPLE, PK_KC_FROZENSET
};

/* pk__composite -- whether values of type t are tuples or frozen sets:
 * scalars whose payload is items (tuple.c) */
static inline int
pk__composite(unsigned t)
{
	return t == PK_TUPLE || t == PK_FROZENSET;
}
struct pk_key {
	int cls;
	int64_t i;		/* PK_KC_INT */
	double d;		/* PK_KC_DOUBLE, canonical NaN */
	const void *ptr;	/* bytes to frozen set */
	size_t len;
};
PK_HIDDEN int pk__key_make(struct pk_key *k, const pk_value *v);
/* the canonical form of a checked scalar */
PK_HIDDEN void pk__key_canon(struct pk_key *k, const pk_value *v);
PK_HIDDEN uint64_t pk__key_hash(const pk_pool *pool, const struct pk_key *k);

/* pk__hash_bytes -- the pool's keyed hash of a key's canonical bytes; the
 * class tweaks the key, so classes never share hash streams */
static inline uint64_t
pk__hash_bytes(const pk_pool *pool, int cls, const void *data, size_t len)
{
	const struct pk_root *r = pool->root;
	uint64_t key[2] = { r->seed[0] ^ (uint64_t)cls, r->seed[1] };

	return r->incompat & PK_INCOMPAT_MULHASH ?
		pk__mulhash(key, data, len) : pk__siphash13(key, data, len);
}
PK_HIDDEN int pk__key_equal(const struct pk_key *a, const struct pk_key *b);
/* order.c -- the order of keys in sorted maps */
PK_HIDDEN int pk__key_order(const struct pk_key *a, const struct pk_key *b);
PK_HIDDEN int pk__value_check(const pk_value *v);
PK_HIDDEN int pk__value_check_in(pk_pool *pool, const pk_value *v);
PK_HIDDEN int pk__utf8_valid(const uint8_t *s, size_t len);

/* tuple.c -- tuples' and frozen sets' checks, and their hash and equality
 * as keys (k of class PK_KC_TUPLE or PK_KC_FROZENSET) */
PK_HIDDEN int pk__tuple_check(const pk_value *v, int depth);
PK_HIDDEN uint64_t pk__tuple_hash(const pk_pool *pool,
		const struct pk_key *k);
PK_HIDDEN int pk__tuple_equal(const struct pk_key *a,
		const struct pk_key *b);
PK_HIDDEN int pk__tuple_cmp(const struct pk_key *a, const struct pk_key *b,
		int (*cmp)(const struct pk_key *, const struct pk_key *));

#endif /* PK_VALUE_H */
