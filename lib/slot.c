/*
 * slot.c -- how values are stored in containers
 *
 * Every container stores values the same way: a type byte, a length and a
 * payload, inline when it fits and otherwise in a pk_blob of its own
 * (PK_SLOT_EXT in the type byte, the blob's offset as payload). The caller
 * has snapshotted the destination; blobs are allocated and freed in the
 * same transaction as the write that needs or drops them, and container
 * references are counted there too.
 */
#include <string.h>

#include "internal.h"

/* is_buf -- whether values of type t are byte strings */
static int
is_buf(pk_type t)
{
	return t == PK_BYTES || t == PK_STRING || t == PK_BIGINT ||
		pk__composite(t);
}

/* is_container -- whether type byte t is a container reference */
static int
is_container(unsigned t)
{
	return pk__kind_of_type(t) != NULL;
}

/* pk__payload_len -- bytes of v's payload when stored inline */
size_t
pk__payload_len(const pk_value *v)
{
	switch (v->type) {
	case PK_NIL: return 0;
	case PK_BOOL: return 1;
	case PK_INT:
	case PK_DOUBLE: return 8;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
	case PK_TUPLE:
	case PK_FROZENSET: return v->u.buf.len;
	default: return 8; /* container offset */
	}
}

/*
 * pk__payload_write -- encode v as a type byte, a length and the payload
 * at dst: inline, or with ext set as the offset of a new blob. Storing a
 * container reference takes a reference to it.
 */
int
pk__payload_write(pk_pool *pool, uint8_t *type, uint8_t *len, uint8_t *dst,
		const pk_value *v, int ext)
{
	int rc;

	/* a pool that holds a tuple says so, for libraries without them */
	if (pk__composite(v->type) &&
	    (rc = pk__incompat_mark(pool, PK_INCOMPAT_TUPLE)) != 0)
		return rc;
	if (ext) {
		uint64_t off;
		struct pk_blob *b;

		rc = pk__alloc(pool, &off, sizeof(*b) + v->u.buf.len,
				PK_TN_BLOB, 0);
		if (rc != 0)
			return rc;
		b = (struct pk_blob *)(pool->base + off);
		b->magic = PK_MAGIC_BLOB;
		b->reserved = 0;
		b->len = v->u.buf.len;
		if (v->u.buf.len)
			memcpy(b->data, v->u.buf.ptr, v->u.buf.len);
		memcpy(dst, &off, 8);
		*type = (uint8_t)(v->type | PK_SLOT_EXT);
		*len = 8;
		return 0;
	}
	*type = (uint8_t)v->type;
	*len = (uint8_t)pk__payload_len(v);
	switch (v->type) {
	case PK_NIL:
		break;
	case PK_BOOL:
		dst[0] = (uint8_t)v->u.i;
		break;
	case PK_INT:
		memcpy(dst, &v->u.i, 8);
		break;
	case PK_DOUBLE:
		memcpy(dst, &v->u.d, 8);
		break;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
	case PK_TUPLE:
	case PK_FROZENSET:
		if (v->u.buf.len)
			memcpy(dst, v->u.buf.ptr, v->u.buf.len);
		break;
	default:
		rc = pk__ref_acquire(pool, v);
		if (rc != 0)
			return rc;
		memcpy(dst, &v->u.ref.off, 8);
		break;
	}
	return 0;
}

/* tuple_read_check -- a stored tuple is checked as it is read, so that
 * every tuple the library hands out is well formed and nests no deeper
 * than PK_TUPLE_DEPTH (the modules' converters recurse on it) */
static int
tuple_read_check(const pk_value *v)
{
	if (pk__composite(v->type) && pk__tuple_check(v, 1) != 0)
		return pk__err(PK_ECORRUPT, "bad tuple");
	return 0;
}

/*
 * pk__payload_read -- decode a stored payload into out, whose bytes point
 * into the pool; a bad length, blob or reference is PK_ECORRUPT
 */
int
pk__payload_read(pk_pool *pool, pk_value *out, uint8_t type, uint8_t len,
		const uint8_t *src)
{
	unsigned t = type & ~PK_SLOT_EXT;
	uint64_t off, n;

	out->type = (pk_type)t;
	if (type & PK_SLOT_EXT) {
		const struct pk_blob *b;

		/* the length first: src holds len bytes, no more */
		if (!is_buf((pk_type)t) || len != 8)
			return pk__err(PK_ECORRUPT, "bad out-of-line payload");
		memcpy(&off, src, 8);
		b = pk__ptr(pool, off, sizeof(*b));
		/* the length read once, as the slot's lengths are */
		n = b != NULL ? __atomic_load_n(&b->len, __ATOMIC_RELAXED) : 0;
		if (b == NULL || b->magic != PK_MAGIC_BLOB ||
		    pk__ptr(pool, off + sizeof(*b), n) == NULL)
			return pk__err(PK_ECORRUPT, "bad blob at offset %llu",
					(unsigned long long)off);
		out->u.buf.ptr = b->data;
		out->u.buf.len = n;
		return tuple_read_check(out);
	}
	switch (t) {
	case PK_NIL:
		out->u.i = 0;
		return len == 0 ? 0 : pk__err(PK_ECORRUPT, "bad nil");
	case PK_BOOL:
		if (len != 1)
			return pk__err(PK_ECORRUPT, "bad bool");
		out->u.i = src[0] != 0;
		return 0;
	case PK_INT:
		if (len != 8)
			return pk__err(PK_ECORRUPT, "bad int");
		memcpy(&out->u.i, src, 8);
		return 0;
	case PK_DOUBLE:
		if (len != 8)
			return pk__err(PK_ECORRUPT, "bad double");
		memcpy(&out->u.d, src, 8);
		return 0;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
	case PK_TUPLE:
	case PK_FROZENSET:
		if (len > PK_SLOT_DATA)
			return pk__err(PK_ECORRUPT, "bad inline length %u",
					len);
		out->u.buf.ptr = src;
		out->u.buf.len = len;
		return tuple_read_check(out);
	default:
		if (!is_container(t) || len != 8)
			return pk__err(PK_ECORRUPT, "bad value type %u", t);
		memcpy(&off, src, 8);
		{
			const struct pk_kind *k = pk__kind_of_type(t);
			struct pk_obj_hdr *h;
			int rc = pk__container_check((void **)&h, pool, off,
					k->magic, k->hdr_size);
			if (rc != 0)
				return rc == PK_ESTALE || rc == PK_EKIND ?
					pk__err(PK_ECORRUPT, "dangling "
						"reference to %llu",
						(unsigned long long)off) : rc;
			out->u.ref.off = off;
			out->u.ref.gen = h->gen;
		}
		return 0;
	}
}

/* pk__payload_release -- free a payload's blob, or drop its reference */
int
pk__payload_release(pk_pool *pool, uint8_t type, const uint8_t *src)
{
	unsigned t = type & ~PK_SLOT_EXT;
	uint64_t off;

	if (type & PK_SLOT_EXT) {
		const struct pk_blob *b;

		memcpy(&off, src, 8);
		b = pk__ptr(pool, off, sizeof(*b));
		if (b == NULL || b->magic != PK_MAGIC_BLOB)
			return pk__err(PK_ECORRUPT, "bad blob at offset %llu",
					(unsigned long long)off);
		return pk__free(pool, off);
	}
	if (is_container(t)) {
		memcpy(&off, src, 8);
		return pk__ref_release(pool, off);
	}
	return 0;
}

/* pk__slot_write -- fill a free (snapshotted) slot with key and value */
int
pk__slot_write(pk_pool *pool, struct pk_slot *s, const pk_value *key,
		const pk_value *val)
{
	size_t kl = pk__payload_len(key), vl = pk__payload_len(val);
	int kext = 0, vext = 0, rc;

	/* move the larger byte string out first, then the other if needed */
	if (kl + vl > PK_SLOT_DATA) {
		if (is_buf(val->type) && (vl >= kl || !is_buf(key->type))) {
			vext = 1;
			vl = 8;
		} else {
			kext = 1;
			kl = 8;
		}
	}
	if (kl + vl > PK_SLOT_DATA) {
		if (!kext && is_buf(key->type))
			kext = 1;
		else
			vext = 1;
	}
	rc = pk__payload_write(pool, &s->ktype, &s->klen, s->data, key, kext);
	if (rc != 0)
		return rc;
	return pk__payload_write(pool, &s->vtype, &s->vlen,
			s->data + s->klen, val, vext);
}

/* pk__slot_plain -- whether key and value fit a slot inline and hold no
 * reference: writing them allocates nothing and counts nothing (a tuple's
 * first store marks the pool with a persisted store of its own, which
 * needs no transaction) */
int
pk__slot_plain(const pk_value *key, const pk_value *val)
{
	return pk__payload_len(key) + pk__payload_len(val) <= PK_SLOT_DATA &&
		!is_container(key->type) && !is_container(val->type);
}

/* pk__slot_plain_stored -- whether releasing a slot frees nothing */
int
pk__slot_plain_stored(const struct pk_slot *s)
{
	return !((s->ktype | s->vtype) & PK_SLOT_EXT) &&
		!is_container(s->ktype) && !is_container(s->vtype);
}

/*
 * pk__slot_set_value -- replace the value of a live (snapshotted) slot.
 * The new value is written before the old one is released, so storing a
 * container where it already is cannot free it on the way.
 */
int
pk__slot_set_value(pk_pool *pool, struct pk_slot *s, const pk_value *val)
{
	uint8_t oldtype = s->vtype, oldpay[8] = { 0 }, kcopy[PK_SLOT_DATA];
	size_t vl = pk__payload_len(val);
	int rc;

	memcpy(oldpay, s->data + s->klen, 8 < PK_SLOT_DATA - s->klen ?
			8 : PK_SLOT_DATA - s->klen);
	if (s->klen + vl <= PK_SLOT_DATA || s->klen + 8 <= PK_SLOT_DATA) {
		rc = pk__payload_write(pool, &s->vtype, &s->vlen,
				s->data + s->klen, val,
				s->klen + vl > PK_SLOT_DATA);
	} else {
		/* a long inline key leaves no room: rewrite the whole slot */
		pk_value key;
		rc = pk__slot_key(pool, &key, s);
		if (rc != 0)
			return rc;
		memcpy(kcopy, key.u.buf.ptr, key.u.buf.len);
		key.u.buf.ptr = kcopy;
		rc = pk__slot_write(pool, s, &key, val);
	}
	if (rc != 0)
		return rc;
	return pk__payload_release(pool, oldtype, oldpay);
}

/* pk__slot_key -- decode a slot's key */
int
pk__slot_key(pk_pool *pool, pk_value *out, const struct pk_slot *s)
{
	if (s->klen > PK_SLOT_DATA)
		return pk__err(PK_ECORRUPT, "bad slot key length");
	return pk__payload_read(pool, out, s->ktype, s->klen, s->data);
}

/* pk__slot_value -- decode a slot's value */
int
pk__slot_value(pk_pool *pool, pk_value *out, const struct pk_slot *s)
{
	/* each read once: in an optimistic read a writer may change them
	 * between the check and the use */
	uint8_t klen = __atomic_load_n(&s->klen, __ATOMIC_RELAXED);
	uint8_t vlen = __atomic_load_n(&s->vlen, __ATOMIC_RELAXED);

	if (klen + vlen > PK_SLOT_DATA)
		return pk__err(PK_ECORRUPT, "bad slot value length");
	return pk__payload_read(pool, out, s->vtype, vlen, s->data + klen);
}

/*
 * pk__slot_release -- free the blobs of a slot's key and value and drop
 * their references; lengths no write could have left are PK_ECORRUPT
 */
int
pk__slot_release(pk_pool *pool, const struct pk_slot *s)
{
	int rc;

	if (s->klen + s->vlen > PK_SLOT_DATA ||
	    ((s->ktype & PK_SLOT_EXT || is_container(s->ktype)) &&
	     s->klen != 8) ||
	    ((s->vtype & PK_SLOT_EXT || is_container(s->vtype)) &&
	     s->vlen != 8))
		return pk__err(PK_ECORRUPT, "bad slot lengths");
	rc = pk__payload_release(pool, s->ktype, s->data);
	if (rc != 0)
		return rc;
	return pk__payload_release(pool, s->vtype, s->data + s->klen);
}

/* pk__payload_walk -- report a payload's blob or container reference */
int
pk__payload_walk(uint8_t type, uint8_t len, const uint8_t *src,
		struct pk_walker *w)
{
	unsigned t = type & ~PK_SLOT_EXT;
	uint64_t off;

	if (pk__composite(t))
		w->incompat |= PK_INCOMPAT_TUPLE;
	if (type & PK_SLOT_EXT) {
		const struct pk_blob *b;
		if (len != 8 || !is_buf((pk_type)t))
			return pk__err(PK_ECORRUPT, "bad out-of-line payload");
		memcpy(&off, src, 8);
		/* a damaged offset must not make gc free the real blob */
		b = pk__ptr(w->pool, off, sizeof(*b));
		if (b == NULL || b->magic != PK_MAGIC_BLOB ||
		    pk__ptr(w->pool, off + sizeof(*b), b->len) == NULL)
			return pk__err(PK_ECORRUPT, "bad blob at offset %llu",
					(unsigned long long)off);
		return w->object(w, off, src);
	}
	if (is_container(t)) {
		if (len != 8)
			return pk__err(PK_ECORRUPT, "bad reference");
		memcpy(&off, src, 8);
		return w->ref(w, off, t);
	}
	return 0;
}

/* pk__slot_walk -- pk__payload_walk for a slot's key and value */
int
pk__slot_walk(const struct pk_slot *s, struct pk_walker *w)
{
	int rc;

	if (s->klen + s->vlen > PK_SLOT_DATA)
		return pk__err(PK_ECORRUPT, "bad slot lengths");
	rc = pk__payload_walk(s->ktype, s->klen, s->data, w);
	return rc != 0 ? rc : pk__payload_walk(s->vtype, s->vlen,
			s->data + s->klen, w);
}
