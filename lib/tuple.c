/*
 * tuple.c -- tuples and frozen sets: their encoding (layout.h), and their
 * equality and hash as keys
 *
 * A tuple is a scalar whose payload is its items' encoding, so every
 * container stores it as it stores a byte string. As a key it follows the
 * rule of every key (value.c): items equal as numbers are equal, so
 * (1, "a") and (1.0, "a") are one key. The encoding keeps each item's own
 * type, for the reader; equality and the hash therefore walk the items and
 * put each in canonical form rather than compare or hash the bytes.
 *
 * A frozen set is encoded as a tuple of its members sorted by key_cmp(),
 * a total order on canonical keys, each member once. Two frozen sets with
 * the same members then list them in the same order, so the tuple's
 * item-by-item equality and ordered hash serve them unchanged; the check
 * of a stored one includes the order, which also rules out duplicates.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* is_var -- whether items of type t carry a length and bytes */
static int
is_var(unsigned t)
{
	return t == PK_BYTES || t == PK_STRING || t == PK_BIGINT ||
		pk__composite(t);
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
	if (!pk__composite(tuple->type) ||
	    (tuple->u.buf.ptr == NULL && tuple->u.buf.len != 0))
		return pk__err(PK_EVALUE, "not a tuple or frozen set");
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
 * pk__tuple_cmp -- two tuples (or frozen sets) item by item, each item in
 * canonical form compared by cmp; a tuple before any longer one it starts
 */
int
pk__tuple_cmp(const struct pk_key *a, const struct pk_key *b,
		int (*cmp)(const struct pk_key *, const struct pk_key *))
{
	size_t apos = 0, bpos = 0;
	pk_value ai, bi;
	struct pk_key ak, bk;

	for (;;) {
		int ra = item_read(&ai, a->ptr, a->len, &apos);
		int rb = item_read(&bi, b->ptr, b->len, &bpos);
		int c;
		if (ra != 0 || rb != 0)
			return (ra != 0 ? 0 : 1) - (rb != 0 ? 0 : 1);
		pk__key_canon(&ak, &ai);
		pk__key_canon(&bk, &bi);
		if ((c = cmp(&ak, &bk)) != 0)
			return c;
	}
}

/*
 * key_cmp -- a total order on canonical keys (<0, 0, >0): by class, then
 * by value; NaN after every other double, tuples and frozen sets item by
 * item, the shorter first when one is the other's start. 0 exactly when
 * pk__key_equal() says one key.
 */
static int
key_cmp(const struct pk_key *a, const struct pk_key *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	switch (a->cls) {
	case PK_KC_NIL:
		return 0;
	case PK_KC_INT:
		return (a->i > b->i) - (a->i < b->i);
	case PK_KC_DOUBLE:
		if (isnan(a->d) || isnan(b->d))
			return isnan(a->d) - isnan(b->d);
		return (a->d > b->d) - (a->d < b->d);
	case PK_KC_TUPLE:
	case PK_KC_FROZENSET:
		return pk__tuple_cmp(a, b, key_cmp);
	default: {
		size_t n = a->len < b->len ? a->len : b->len;
		int c = n != 0 ? memcmp(a->ptr, b->ptr, n) : 0;
		return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
	}
	}
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
	pk_value item, prev;
	struct pk_key pk, ik;
	int rc, n = 0;

	if (depth > PK_TUPLE_DEPTH)
		return pk__err(PK_EVALUE, "tuples nest deeper than %d",
				PK_TUPLE_DEPTH);
	if (v->u.buf.ptr == NULL && v->u.buf.len != 0)
		return pk__err(EINVAL, "NULL buffer");
	while ((rc = item_read(&item, v->u.buf.ptr, v->u.buf.len,
				&pos)) == 0) {
		if (item.type == PK_BOOL && item.u.i > 1)
			return pk__err(PK_EVALUE, "bool must be 0 or 1");
		rc = pk__composite(item.type) ?
			pk__tuple_check(&item, depth + 1) :
			pk__value_check(&item);
		if (rc != 0)
			return rc;
		/* a frozen set's members ascend strictly */
		if (v->type == PK_FROZENSET) {
			pk__key_canon(&ik, &item);
			if (n++ > 0 && (pk__key_canon(&pk, &prev),
					key_cmp(&pk, &ik) >= 0))
				return pk__err(PK_EVALUE, "a frozen set's "
						"members are out of order");
			prev = item;
		}
	}
	if (rc != PK_ITEROVER)
		return pk__err(PK_EVALUE, "a tuple's bytes are not an "
				"encoding");
	return 0;
}

/* item_check -- check v as an item, and give the bytes of its encoding */
static int
item_check(const pk_value *v, size_t *size)
{
	int rc;

	if (v->type >= PK_MAP && pk__kind_of_type(v->type) != NULL)
		return pk__err(PK_EKEYTYPE, "a tuple holds only scalars and "
				"tuples, not a %s",
				pk__kind_of_type(v->type)->name);
	rc = pk__composite(v->type) ? pk__tuple_check(v, 2) :
		pk__value_check(v);
	if (rc != 0)
		return rc;
	if (is_var(v->type) && v->u.buf.len > UINT32_MAX)
		return pk__err(PK_EVALUE, "a tuple's item is longer than "
				"4 GiB");
	*size = 1 + (is_var(v->type) ? PK_TUPLE_LEN + v->u.buf.len :
			fixed_len(v->type));
	return 0;
}

/* item_write -- encode v at p, returning the bytes written */
static size_t
item_write(uint8_t *p, const pk_value *v)
{
	size_t at = 0;

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
	return at;
}

/*
 * pack -- encode items[order[i]] for i < n (order NULL: in the given
 * order), snprintf-style; skip[i] set leaves that one out
 */
static int
pack(void *buf, size_t cap, size_t *len, const pk_value *items, size_t n,
		const size_t *order, const uint8_t *skip)
{
	size_t need = 0, at = 0, size;
	int rc;

	if (len == NULL || (items == NULL && n != 0) ||
	    (buf == NULL && cap != 0))
		return pk__err(EINVAL, "NULL argument");
	for (size_t i = 0; i < n; i++) {
		if ((rc = item_check(&items[i], &size)) != 0)
			return rc;
		if (skip == NULL || !skip[i])
			need += size;
	}
	*len = need;
	if (need > cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = order != NULL ? order[i] : i;
		if (skip == NULL || !skip[j])
			at += item_write((uint8_t *)buf + at, &items[j]);
	}
	return 0;
}

/* pk_tuple_pack -- encode items as a tuple (pmemkit.h) */
int
pk_tuple_pack(void *buf, size_t cap, size_t *len, const pk_value *items,
		size_t n)
{
	return pack(buf, cap, len, items, n, NULL, NULL);
}

/* the items being sorted by pk_frozenset_pack() (qsort has no argument) */
static __thread const pk_value *sort_items;

/* cmp_order -- qsort's comparison of two indexes into sort_items; equal
 * keys by index, so the first given comes first */
static int
cmp_order(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	struct pk_key a, b;
	int c;

	pk__key_canon(&a, &sort_items[i]);
	pk__key_canon(&b, &sort_items[j]);
	c = key_cmp(&a, &b);
	return c != 0 ? c : (i > j) - (i < j);
}

/* pk_frozenset_pack -- encode distinct items as a frozen set (pmemkit.h) */
int
pk_frozenset_pack(void *buf, size_t cap, size_t *len, const pk_value *items,
		size_t n)
{
	size_t *order, size;
	uint8_t *skip;
	int rc;

	if (items == NULL && n != 0)
		return pk__err(EINVAL, "NULL argument");
	/* checked before they are sorted: the order reads them */
	for (size_t i = 0; i < n; i++)
		if ((rc = item_check(&items[i], &size)) != 0)
			return rc;
	order = malloc((n + 1) * sizeof(*order));
	skip = calloc(n + 1, 1);
	if (order == NULL || skip == NULL) {
		free(order);
		free(skip);
		return pk__err(ENOMEM, "no memory to sort a frozen set");
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_items = items;
	if (n > 1)
		qsort(order, n, sizeof(*order), cmp_order);
	/* each key once: the first given of those equal */
	for (size_t i = 1; i < n; i++) {
		struct pk_key a, b;
		pk__key_canon(&a, &items[order[i - 1]]);
		pk__key_canon(&b, &items[order[i]]);
		if (key_cmp(&a, &b) == 0)
			skip[order[i]] = 1;
	}
	rc = pack(buf, cap, len, items, n, order, skip);
	free(order);
	free(skip);
	return rc;
}

/* pk__tuple_hash -- a checked tuple's or frozen set's hash as a key: its
 * items' hashes as keys, folded in order through the pool's keyed hash
 * (a frozen set's order is canonical) */
uint64_t
pk__tuple_hash(const pk_pool *pool, const struct pk_key *k)
{
	uint64_t acc[2] = { 0, 0 };
	size_t pos = 0;
	pk_value item;
	struct pk_key ik;

	while (item_read(&item, k->ptr, k->len, &pos) == 0) {
		pk__key_canon(&ik, &item);
		acc[1] = pk__key_hash(pool, &ik);
		acc[0] = pk__hash_bytes(pool, k->cls, acc, sizeof(acc));
	}
	return pk__hash_bytes(pool, k->cls, acc, sizeof(acc[0]));
}

/* pk__tuple_equal -- whether two checked tuples (or frozen sets) are one
 * key: as many items, equal pairwise as keys */
int
pk__tuple_equal(const struct pk_key *a, const struct pk_key *b)
{
	return a->cls == b->cls && key_cmp(a, b) == 0;
}
