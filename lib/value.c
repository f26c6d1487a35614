/*
 * value.c -- checking values and putting keys in canonical form
 *
 * Keys that are equal as numbers are one key: false, 0 and 0.0 (and -0.0);
 * true, 1 and 1.0. A double with an integral value in the int64 range
 * therefore hashes and compares as that integer. Every NaN is one key.
 * Tuples compare item by item by the same rules (tuple.c).
 */
#include <math.h>
#include <string.h>

#include "internal.h"

/* pk__utf8_valid -- 1 if s is well-formed UTF-8 (no surrogates, <= U+10FFFF) */
int
pk__utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1; cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2; cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3; cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i <= n)
			return 0;
		for (size_t j = 1; j <= n; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* pk_utf8_valid -- pk__utf8_valid() for the language modules (pmemkit.h) */
int
pk_utf8_valid(const void *s, size_t len)
{
	return (s != NULL || len == 0) && pk__utf8_valid(s, len);
}

/* bigint_minimal -- 1 if b is the shortest encoding and outside int64 */
static int
bigint_minimal(const uint8_t *b, size_t len)
{
	if (len <= 8)
		return 0;
	/* the top byte must not be pure sign extension of the one below */
	if ((b[len - 1] == 0x00 && !(b[len - 2] & 0x80)) ||
	    (b[len - 1] == 0xFF && (b[len - 2] & 0x80)))
		return 0;
	return 1;
}

/* pk__value_check -- validate a value before anything is written */
int
pk__value_check(const pk_value *v)
{
	if (v == NULL)
		return pk__err(EINVAL, "NULL value");
	switch (v->type) {
	case PK_NIL:
	case PK_INT:
	case PK_DOUBLE:
		return 0;
	case PK_BOOL:
		if (v->u.i != 0 && v->u.i != 1)
			return pk__err(PK_EVALUE, "bool must be 0 or 1");
		return 0;
	case PK_BYTES:
		if (v->u.buf.ptr == NULL && v->u.buf.len != 0)
			return pk__err(EINVAL, "NULL buffer");
		return 0;
	case PK_STRING:
		if (v->u.buf.ptr == NULL && v->u.buf.len != 0)
			return pk__err(EINVAL, "NULL buffer");
		if (!pk__utf8_valid(v->u.buf.ptr, v->u.buf.len))
			return pk__err(PK_EVALUE, "string is not valid UTF-8");
		return 0;
	case PK_BIGINT:
		if (v->u.buf.ptr == NULL ||
		    !bigint_minimal(v->u.buf.ptr, v->u.buf.len))
			return pk__err(PK_EVALUE, "a bigint must be the minimal "
					"two's complement of a value outside "
					"int64");
		return 0;
	case PK_TUPLE:
	case PK_FROZENSET:
		return pk__tuple_check(v, 1);
	default:
		/* a reference to a container of any kind */
		if (pk__kind_of_type(v->type) != NULL)
			return 0;
		return pk__err(PK_EVALUE, "unknown value type %d",
				(int)v->type);
	}
}

/* pk__key_canon -- the canonical form of a checked scalar */
void
pk__key_canon(struct pk_key *k, const pk_value *v)
{
	memset(k, 0, sizeof(*k));
	switch (v->type) {
	case PK_NIL:
		k->cls = PK_KC_NIL;
		return;
	case PK_BOOL:
	case PK_INT:
		k->cls = PK_KC_INT;
		k->i = v->u.i;
		return;
	case PK_DOUBLE: {
		double d = v->u.d;
		/* -2^63 <= d < 2^63, integral: the int of that value */
		if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
		    d == trunc(d)) {
			k->cls = PK_KC_INT;
			k->i = (int64_t)d;
		} else {
			k->cls = PK_KC_DOUBLE;
			k->d = isnan(d) ? NAN : d;
		}
		return;
	}
	default:
		k->cls = v->type == PK_BYTES ? PK_KC_BYTES :
			v->type == PK_STRING ? PK_KC_STRING :
			v->type == PK_BIGINT ? PK_KC_BIGINT :
			v->type == PK_TUPLE ? PK_KC_TUPLE : PK_KC_FROZENSET;
		k->ptr = v->u.buf.ptr;
		k->len = v->u.buf.len;
		return;
	}
}

/* pk__key_make -- canonical form of a key value, checked */
int
pk__key_make(struct pk_key *k, const pk_value *v)
{
	int rc = pk__value_check(v);
	if (rc != 0)
		return rc;
	if (v->type >= PK_MAP)
		return pk__err(PK_EKEYTYPE, "a container cannot be a key");
	pk__key_canon(k, v);
	return 0;
}

/* pk__key_hash -- the pool's keyed hash of the key's canonical bytes: an
 * int's or a double's 8, nil's none, the others' own (map.c's fast_key()
 * hashes ints, bytes and strings the same way, inline) */
uint64_t
pk__key_hash(const pk_pool *pool, const struct pk_key *k)
{
	switch (k->cls) {
	case PK_KC_INT:
		return pk__hash_bytes(pool, k->cls, &k->i, 8);
	case PK_KC_DOUBLE:
		return pk__hash_bytes(pool, k->cls, &k->d, 8);
	case PK_KC_NIL:
		return pk__hash_bytes(pool, k->cls, &k->i, 0);
	case PK_KC_TUPLE:
	case PK_KC_FROZENSET:
		return pk__tuple_hash(pool, k);
	default:
		return pk__hash_bytes(pool, k->cls, k->ptr, k->len);
	}
}

/* pk__key_equal -- whether two canonical keys are one key (NaNs are) */
int
pk__key_equal(const struct pk_key *a, const struct pk_key *b)
{
	if (a->cls != b->cls)
		return 0;
	switch (a->cls) {
	case PK_KC_NIL:
		return 1;
	case PK_KC_INT:
		return a->i == b->i;
	case PK_KC_DOUBLE:
		return a->d == b->d || (isnan(a->d) && isnan(b->d));
	case PK_KC_TUPLE:
	case PK_KC_FROZENSET:
		return pk__tuple_equal(a, b);
	default:
		return a->len == b->len &&
			(a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
	}
}

/*
 * pk__value_check_in -- pk__value_check, and a reference must lead to a
 * live container of the pool: checked before an operation writes, so a
 * stale reference fails it without aborting the caller's transaction
 */
int
pk__value_check_in(pk_pool *pool, const pk_value *v)
{
	struct pk_obj_hdr *h;
	int rc = pk__value_check(v);

	if (rc != 0 || v->type < PK_MAP)
		return rc;
	return pk__ref_target(&h, pool, v);
}
