/*
 * tuple.c -- tuples: their encoding (layout.h), and their equality and
 * hash as keys
 *
 * A tuple is a scalar whose payload is its items' encoding, so every
 * container stores it as it stores a byte string. As a key it follows the
 * rule of every key (value.c): items equal as numbers are equal, so
 * (1, "a") and (1.0, "a") are one key. The encoding keeps each item's own
 * type, for the reader; equality and the hash therefore walk the items and
 * put each in canonical form rather than compare or hash the bytes.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* is_var -- whether items of type t carry a length and bytes */
static int
is_var(unsigned t)
{
	return t == PK_BYTES || t == PK_STRING || t == PK_BIGINT ||
		t == PK_TUPLE;
}

/* fixed_len -- the bytes of an item of fixed size */
static size_t
fixed_len(unsigned t)
{
	return t == PK_NIL ? 0 : t == PK_BOOL ? 1 : 8;
}

/*
 * item_read -- decode the item at *pos of the encoding (p, n) into out,
 * unchecked beyond its framing: 0, PK_ITEROVER at the end, or PK_EVALUE
 * for framing that runs past the end or an unknown type
 */
static int
item_read(pk_value *out, const uint8_t *p, size_t n, size_t *pos)
{
	size_t at = *pos, len;
	uint32_t l32;
	unsigned t;

	if (at >= n)
		return PK_ITEROVER;
	t = p[at++];
	if (is_var(t)) {
		if (n - at < PK_TUPLE_LEN)
			return PK_EVALUE;
		memcpy(&l32, p + at, PK_TUPLE_LEN);
		at += PK_TUPLE_LEN;
		len = l32;
	} else if (t <= PK_DOUBLE) {
		len = fixed_len(t);
	} else {
		return PK_EVALUE;
	}
	if (n - at < len)
		return PK_EVALUE;
	out->type = (pk_type)t;
	switch (t) {
	case PK_NIL:
		out->u.i = 0;
		break;
	case PK_BOOL:
		out->u.i = p[at];
		break;
	case PK_INT:
		memcpy(&out->u.i, p + at, 8);
		break;
	case PK_DOUBLE:
		memcpy(&out->u.d, p + at, 8);
		break;
	default:
		out->u.buf.ptr = len != 0 ? p + at : (const void *)"";
		out->u.buf.len = len;
		break;
	}
	*pos = at + len;
	return 0;
}

/* pk_tuple_next -- the item at *pos of a tuple (pmemkit.h) */
int
pk_tuple_next(pk_value *item, const pk_value *tuple, size_t *pos)
{
	int rc;

	if (item == NULL || tuple == NULL || pos == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (tuple->type != PK_TUPLE ||
	    (tuple->u.buf.ptr == NULL && tuple->u.buf.len != 0))
		return pk__err(PK_EVALUE, "not a tuple");
	rc = item_read(item, tuple->u.buf.ptr, tuple->u.buf.len, pos);
	if (rc == PK_EVALUE)
		return pk__err(rc, "a tuple's bytes are not an encoding");
	return rc;
}

/* pk_tuple_length -- the number of items in a tuple (pmemkit.h) */
int
pk_tuple_length(uint64_t *out, const pk_value *tuple)
{
	size_t pos = 0;
	uint64_t n = 0;
	pk_value item;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL argument");
	while ((rc = pk_tuple_next(&item, tuple, &pos)) == 0)
		n++;
	if (rc != PK_ITEROVER)
		return rc;
	*out = n;
	return 0;
}

/*
 * pk__tuple_check -- whether a PK_TUPLE value is a well-formed encoding
 * whose items are valid scalars and tuples, nested at most PK_TUPLE_DEPTH
 * deep (depth is the value's own: 1 for a tuple of scalars)
 */
int
pk__tuple_check(const pk_value *v, int depth)
{
	size_t pos = 0;
	pk_value item;
	int rc;

	if (depth > PK_TUPLE_DEPTH)
		return pk__err(PK_EVALUE, "tuples nest deeper than %d",
				PK_TUPLE_DEPTH);
	if (v->u.buf.ptr == NULL && v->u.buf.len != 0)
		return pk__err(EINVAL, "NULL buffer");
	while ((rc = item_read(&item, v->u.buf.ptr, v->u.buf.len,
				&pos)) == 0) {
		if (item.type == PK_BOOL && item.u.i > 1)
			return pk__err(PK_EVALUE, "bool must be 0 or 1");
		rc = item.type == PK_TUPLE ?
			pk__tuple_check(&item, depth + 1) :
			pk__value_check(&item);
		if (rc != 0)
			return rc;
	}
	if (rc != PK_ITEROVER)
		return pk__err(PK_EVALUE, "a tuple's bytes are not an "
				"encoding");
	return 0;
}

/* pk_tuple_pack -- encode items as a tuple (pmemkit.h) */
int
pk_tuple_pack(void *buf, size_t cap, size_t *len, const pk_value *items,
		size_t n)
{
	size_t need = 0, at = 0;
	uint8_t *p = buf;
	int rc;

	if (len == NULL || (items == NULL && n != 0) ||
	    (buf == NULL && cap != 0))
		return pk__err(EINVAL, "NULL argument");
	for (size_t i = 0; i < n; i++) {
		const pk_value *v = &items[i];
		if (v->type >= PK_MAP && v->type != PK_TUPLE &&
		    pk__kind_of_type(v->type) != NULL)
			return pk__err(PK_EKEYTYPE, "a tuple holds only "
					"scalars and tuples, not a %s",
					pk__kind_of_type(v->type)->name);
		rc = v->type == PK_TUPLE ? pk__tuple_check(v, 2) :
			pk__value_check(v);
		if (rc != 0)
			return rc;
		if (is_var(v->type) && v->u.buf.len > UINT32_MAX)
			return pk__err(PK_EVALUE, "a tuple's item is longer "
					"than 4 GiB");
		need += 1 + (is_var(v->type) ? PK_TUPLE_LEN + v->u.buf.len :
				fixed_len(v->type));
	}
	*len = need;
	if (need > cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const pk_value *v = &items[i];
		p[at++] = (uint8_t)v->type;
		if (is_var(v->type)) {
			uint32_t l32 = (uint32_t)v->u.buf.len;
			memcpy(p + at, &l32, PK_TUPLE_LEN);
			at += PK_TUPLE_LEN;
			if (l32 != 0)
				memcpy(p + at, v->u.buf.ptr, l32);
			at += l32;
		} else if (v->type == PK_BOOL) {
			p[at++] = (uint8_t)v->u.i;
		} else if (v->type != PK_NIL) {
			memcpy(p + at, &v->u.i, 8);
			at += 8;
		}
	}
	return 0;
}

/* pk__tuple_hash -- a checked tuple's hash as a key: its items' hashes as
 * keys, folded in order through the pool's keyed hash */
uint64_t
pk__tuple_hash(const pk_pool *pool, const void *ptr, size_t len)
{
	uint64_t acc[2] = { 0, 0 };
	size_t pos = 0;
	pk_value item;
	struct pk_key k;

	while (item_read(&item, ptr, len, &pos) == 0) {
		pk__key_canon(&k, &item);
		acc[1] = pk__key_hash(pool, &k);
		acc[0] = pk__hash_bytes(pool, PK_KC_TUPLE, acc, sizeof(acc));
	}
	return pk__hash_bytes(pool, PK_KC_TUPLE, acc, sizeof(acc[0]));
}

/* pk__tuple_equal -- whether two checked tuples are one key: as many
 * items, equal pairwise as keys */
int
pk__tuple_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	size_t apos = 0, bpos = 0;
	pk_value ai, bi;
	struct pk_key ak, bk;

	for (;;) {
		int ra = item_read(&ai, a, alen, &apos);
		int rb = item_read(&bi, b, blen, &bpos);
		if (ra != 0 || rb != 0)
			return ra == rb;
		pk__key_canon(&ak, &ai);
		pk__key_canon(&bk, &bi);
		if (!pk__key_equal(&ak, &bk))
			return 0;
	}
}
