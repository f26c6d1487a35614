/*
 * handle.c -- volatile handles to persistent containers
 *
 * A handle remembers the container's offset and generation. Each use
 * checks both against the container's header, so a handle whose container
 * was freed (its magic cleared) or whose memory now holds another object
 * (another generation) reports PK_ESTALE instead of touching it.
 */
#include <errno.h>

#include "internal.h"

static int
is_container_magic(uint32_t m)
{
	return m == PK_MAGIC_MAP;
}

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
	struct pk_obj_hdr *h = pk__ptr(pool, off, size);

	if (h == NULL)
		return pk__err(PK_ECORRUPT, "offset %llu is outside the pool",
				(unsigned long long)off);
	if (h->magic != magic)
		return is_container_magic(h->magic) ?
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
	int rc = pk__container_check((void **)&hdr, pool, off, magic,
			sizeof(struct pk_obj_hdr));
	if (rc != 0)
		return rc;
	h->pool = pool;
	h->off = off;
	h->gen = hdr->gen;
	h->magic = magic;
	pk__pool_ref(pool);
	return 0;
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
	hdr = pk__ptr(h->pool, h->off, sizeof(*hdr));
	if (PK_UNLIKELY(hdr == NULL || hdr->magic != h->magic ||
			hdr->gen != h->gen))
		return pk__err(PK_ESTALE, NULL);
	*out = hdr;
	return 0;
}
