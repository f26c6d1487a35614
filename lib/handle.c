/*
 * handle.c -- volatile handles to persistent containers
 *
 * A handle remembers the container's offset and generation. Each use
 * checks both against the container's header, so a handle whose container
 * was freed (its magic cleared) or whose memory now holds another object
 * (another generation) reports PK_ESTALE instead of touching it.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/*
 * pk__container_check -- the header of the container at off, if it is one
 * of the kind magic names: PK_EKIND for another kind of container,
 * PK_ESTALE for anything else (freed memory), PK_ECORRUPT for an offset
 * outside the pool.
 */
int
pk__container_check(void **out, pk_pool *pool, uint64_t off, uint32_t magic,
		size_t size)
{
	/* containers are 8-byte aligned: anything else is not one */
	struct pk_obj_hdr *h = off % 8 == 0 ? pk__ptr(pool, off, size) : NULL;

	if (h == NULL)
		return pk__err(PK_ECORRUPT, "offset %llu is not in the pool",
				(unsigned long long)off);
	if (h->magic != magic)
		return pk__kind_of_magic(h->magic) != NULL ?
			pk__err(PK_EKIND, NULL) : pk__err(PK_ESTALE, NULL);
	if (out != NULL)
		*out = h;
	return 0;
}

int
pk__handle_init(struct pk_handle *h, pk_pool *pool, uint64_t off,
		uint32_t magic)
{
	struct pk_obj_hdr *hdr = NULL;
	const struct pk_kind *k = pk__kind_of_magic(magic);
	/* the whole header must lie in the pool, not only its first bytes:
	 * every use reads fields beyond them */
	int rc = pk__container_check((void **)&hdr, pool, off, magic,
			k != NULL ? k->hdr_size : sizeof(struct pk_obj_hdr));
	if (rc != 0)
		return rc;
	h->pool = pool;
	h->off = off;
	h->gen = hdr->gen;
	h->magic = magic;
	pk__pool_ref(pool);
	return 0;
}

/* pk__handle_new -- a new handle of size bytes to the container at off */
int
pk__handle_new(struct pk_handle **out, size_t size, pk_pool *pool,
		uint64_t off, uint32_t magic)
{
	struct pk_handle *h = malloc(size);
	int rc;

	*out = NULL;
	if (h == NULL)
		return pk__err(ENOMEM, NULL);
	if ((rc = pk__handle_init(h, pool, off, magic)) != 0) {
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

/* pk__handle_open -- a new handle to the container a value refers to */
int
pk__handle_open(struct pk_handle **out, size_t size, pk_pool *pool,
		const pk_value *val, pk_type type)
{
	const struct pk_kind *k = pk__kind_of_type(type);
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if (pool == NULL || val == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	if (val->type != type)
		return pk__err(PK_EKIND, "the value is not a %s",
				type == PK_MAP ? "map" : type == PK_LIST ?
				"list" : "typed array");
	rc = pk__handle_new(out, size, pool, val->u.ref.off, k->magic);
	if (rc == 0 && (*out)->gen != val->u.ref.gen) {
		pk__handle_close(*out);
		*out = NULL;
		rc = pk__err(PK_ESTALE, NULL);
	}
	/*
	 * Another kind of container at that offset is PK_EKIND only if it is
	 * the very container the reference names (a value tagged with the
	 * wrong type); of another generation it is a later object in the
	 * memory of one that no longer exists: PK_ESTALE.
	 */
	if (rc == PK_EKIND) {
		const struct pk_obj_hdr *h = pk__ptr(pool, val->u.ref.off,
				sizeof(*h));
		if (h->gen != val->u.ref.gen)
			rc = pk__err(PK_ESTALE, NULL);
	}
	return rc == PK_ECORRUPT ? pk__err(PK_ESTALE, NULL) : rc;
}

void
pk__handle_close(struct pk_handle *h)
{
	if (h == NULL)
		return;
	pk__pool_unref(h->pool);
	free(h);
}

pk_value
pk__handle_value(const struct pk_handle *h, pk_type type)
{
	pk_value v;

	v.type = type;
	v.u.ref.off = h != NULL ? h->off : 0;
	v.u.ref.gen = h != NULL ? h->gen : 0;
	return v;
}

/* pk__handle_get -- the container a handle refers to, checked */
int
pk__handle_get(void **out, const struct pk_handle *h)
{
	struct pk_obj_hdr *hdr;

	if (PK_UNLIKELY(h == NULL))
		return pk__err(EINVAL, "NULL handle");
	if (PK_UNLIKELY(h->pool->pop == NULL))
		return pk__err(PK_ECLOSED, NULL);
	if (PK_UNLIKELY((hdr = pk__handle_peek(h)) == NULL))
		return pk__err(PK_ESTALE, NULL);
	*out = hdr;
	return 0;
}

/* pk__cursor_new -- a cursor over the container of handle h */
int
pk__cursor_new(struct pk_cursor **out, const struct pk_handle *h,
		uint64_t modcount)
{
	struct pk_cursor *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return pk__err(ENOMEM, NULL);
	c->h = *h;
	pk__pool_ref(c->h.pool);
	c->modcount = modcount;
	*out = c;
	return 0;
}

/* flags_target -- the header of the container ref refers to, checked */
static int
flags_target(struct pk_obj_hdr **out, pk_pool *pool, const pk_value *ref)
{
	if (pool == NULL || ref == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	return pk__ref_target(out, pool, ref);
}

static int
container_flags(uint16_t *out, pk_pool *pool, const pk_value *ref)
{
	struct pk_obj_hdr *h;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = flags_target(&h, pool, ref)) != 0)
		return rc;
	*out = h->flags;
	return 0;
}

static int
container_set_flags(pk_pool *pool, const pk_value *ref, uint16_t flags)
{
	struct pk_obj_hdr *h;
	struct pk_op op;
	int rc;

	if ((rc = flags_target(&h, pool, ref)) != 0 ||
	    (rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	rc = pk__snap(&h->flags, sizeof(h->flags));
	if (rc == 0)
		h->flags = flags;
	return pk__op_end(&op, rc);
}

/* ---- the public functions, each under its locks (lock.c) ---- */

int
pk_container_flags(uint16_t *out, pk_pool *pool, const pk_value *ref)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_SHARED);
	rc = container_flags(out, pool, ref);
	pk__unlock(&l);
	return rc;
}

int
pk_container_set_flags(pk_pool *pool, const pk_value *ref, uint16_t flags)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = container_set_flags(pool, ref, flags);
	pk__unlock(&l);
	return rc;
}
