/*
 * region.c -- raw persistent memory: a file mapped whole (libpmem)
 *
 * A region is a file mapped into memory, to load from and store to, and
 * to make persistent range by range. Where the mapping is persistent
 * memory (pmem_is_pmem(), or PMEM_IS_PMEM_FORCE=1) persistence is cache
 * flushes and a fence; elsewhere each persist is an msync() of the pages
 * the range touches, which libpmem rounds out itself. Every call that
 * takes a range checks it against the mapping first: a range outside it
 * is PK_ERANGE and nothing is read or written.
 *
 * A region is not a container: it is not in a pool, has no transactions
 * and no crash atomicity beyond the 8-byte stores of the hardware; what
 * is persistent after a crash is what was persisted before it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libpmem.h>

#include "internal.h"

struct pk_region {
	char *addr;
	size_t len;
	int is_pmem;
};

/* range_check -- PK_ERANGE unless [off, off + len) is in the region */
static inline int
range_check(const pk_region *r, uint64_t off, uint64_t len)
{
	if (r == NULL)
		return pk__err(EINVAL, "NULL region");
	if (r->addr == NULL)
		return pk__err(PK_ECLOSED, "the region is unmapped");
	if (off > r->len || len > r->len - off)
		return pk__err(PK_ERANGE, "bytes %llu to %llu of a region of "
				"%zu", (unsigned long long)off,
				(unsigned long long)off + len, r->len);
	return 0;
}

/* region_sync -- make [p, p + len) persistent: flushes and a fence on pmem,
 * msync() elsewhere */
static int
region_sync(const pk_region *r, const void *p, size_t len)
{
	if (len == 0)
		return 0;
	if (r->is_pmem) {
		pmem_persist(p, len);
		return 0;
	}
	if (pmem_msync(p, len) != 0)
		return pk__err(errno, "msync: %s", pmem_errormsg());
	return 0;
}

/* mem_flags -- libpmem's flags for pmemkit's */
static unsigned
mem_flags(unsigned flags)
{
	return (flags & PK_REGION_NODRAIN) ? PMEM_F_MEM_NODRAIN : 0;
}

/* flags_check -- EINVAL for flags no call knows */
static int
flags_check(unsigned flags, unsigned known)
{
	if (flags & ~known)
		return pk__err(EINVAL, "unknown flags 0x%x", flags & ~known);
	return 0;
}

/* pk_region_map -- map a file (pmemkit.h) */
int
pk_region_map(pk_region **out, const char *path, uint64_t size,
		unsigned flags,
		unsigned mode)
{
	pk_region *r;
	int pflags = 0, rc;
	struct stat st;
	size_t len;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if (path == NULL)
		return pk__err(EINVAL, "NULL path");
	if ((rc = flags_check(flags, PK_REGION_CREATE | PK_REGION_EXCL)) != 0)
		return rc;
	if (flags & PK_REGION_CREATE) {
		if (size == 0)
			return pk__err(EINVAL, "a new region needs a size");
		pflags |= PMEM_FILE_CREATE;
		if (flags & PK_REGION_EXCL)
			pflags |= PMEM_FILE_EXCL;
	} else if (size != 0 || (flags & PK_REGION_EXCL)) {
		return pk__err(EINVAL, "a size or PK_REGION_EXCL without "
				"PK_REGION_CREATE");
	}
	if (size > SIZE_MAX)
		return pk__err(EINVAL, "a size of %llu",
				(unsigned long long)size);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return pk__err(ENOMEM, NULL);
	/*
	 * An existing file is mapped as it is: libpmem would set its length
	 * to size, cutting off what is past it. A missing one is created
	 * with PMEM_FILE_EXCL, so libpmem removes it again if it cannot map
	 * it (ENOSPC); if another process made it meanwhile, it is mapped.
	 */
	if ((flags & PK_REGION_CREATE) && (flags & PK_REGION_EXCL) == 0) {
		if (stat(path, &st) == 0)
			size = 0, pflags = 0;
		else
			pflags |= PMEM_FILE_EXCL;
	}
	r->addr = pmem_map_file(path, (size_t)size, pflags, (mode_t)mode, &len,
			&r->is_pmem);
	if (r->addr == NULL && errno == EEXIST &&
	    (flags & PK_REGION_EXCL) == 0)
		r->addr = pmem_map_file(path, 0, 0, (mode_t)mode, &len,
				&r->is_pmem);
	if (r->addr == NULL) {
		int err = errno != 0 ? errno : EINVAL;
		free(r);
		return pk__err(err, "%s: %s", path, pmem_errormsg());
	}
	r->len = len;
	*out = r;
	return 0;
}

/* pk_region_close -- unmap and free (pmemkit.h) */
int
pk_region_close(pk_region *r)
{
	int rc = 0;

	if (r == NULL)
		return 0;
	if (r->addr != NULL && pmem_unmap(r->addr, r->len) != 0)
		rc = pk__err(errno, "munmap: %s", pmem_errormsg());
	free(r);
	return rc;
}

/* pk_region_length -- the mapped length (pmemkit.h) */
int
pk_region_length(uint64_t *out, pk_region *r)
{
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = range_check(r, 0, 0)) != 0)
		return rc;
	*out = r->len;
	return 0;
}

/* pk_region_is_pmem -- whether the mapping is persistent memory
 * (pmemkit.h) */
int
pk_region_is_pmem(int *out, pk_region *r)
{
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = range_check(r, 0, 0)) != 0)
		return rc;
	*out = r->is_pmem;
	return 0;
}

/* pk_region_addr -- the mapping's first byte (pmemkit.h) */
void *
pk_region_addr(pk_region *r)
{
	return r != NULL ? r->addr : NULL;
}

/* pk_region_persist -- make a range persistent (pmemkit.h) */
int
pk_region_persist(pk_region *r, uint64_t off, uint64_t len)
{
	int rc = range_check(r, off, len);

	return rc != 0 ? rc : region_sync(r, r->addr + off, (size_t)len);
}

/* pk_region_flush -- flush a range, without the fence (pmemkit.h) */
int
pk_region_flush(pk_region *r, uint64_t off, uint64_t len)
{
	int rc = range_check(r, off, len);

	if (rc != 0)
		return rc;
	if (!r->is_pmem)
		return region_sync(r, r->addr + off, (size_t)len);
	pmem_flush(r->addr + off, (size_t)len);
	return 0;
}

/* pk_region_drain -- wait for the flushes so far (pmemkit.h) */
int
pk_region_drain(pk_region *r)
{
	int rc = range_check(r, 0, 0);

	if (rc == 0 && r->is_pmem)
		pmem_drain();
	return rc;
}

/* pk_region_deep_flush -- persist a range through the memory
 * controller's buffers too (pmemkit.h) */
int
pk_region_deep_flush(pk_region *r, uint64_t off, uint64_t len)
{
	int rc = range_check(r, off, len);

	if (rc != 0 || len == 0)
		return rc;
	if (!r->is_pmem)
		return region_sync(r, r->addr + off, (size_t)len);
	if (pmem_deep_persist(r->addr + off, (size_t)len) != 0)
		return pk__err(errno != 0 ? errno : EIO, "deep flush: %s",
				pmem_errormsg());
	return 0;
}

/* pk_region_write -- copy bytes in, persistent unless told (pmemkit.h) */
int
pk_region_write(pk_region *r, uint64_t off, const pk_value *val, unsigned flags)
{
	size_t len;
	int rc;

	if (val == NULL)
		return pk__err(EINVAL, "NULL value");
	if (val->type != PK_BYTES && val->type != PK_STRING)
		return pk__err(PK_EKIND, "a region takes bytes, not a value "
				"of type %d", (int)val->type);
	len = val->u.buf.len;
	if (val->u.buf.ptr == NULL && len != 0)
		return pk__err(EINVAL, "NULL buffer");
	if ((rc = flags_check(flags, PK_REGION_NODRAIN |
			PK_REGION_NOFLUSH)) != 0 ||
	    (rc = range_check(r, off, len)) != 0 || len == 0)
		return rc;
	if (flags & PK_REGION_NOFLUSH) {
		memcpy(r->addr + off, val->u.buf.ptr, len);
		return 0;
	}
	if (!r->is_pmem) {
		memcpy(r->addr + off, val->u.buf.ptr, len);
		return region_sync(r, r->addr + off, len);
	}
	pmem_memcpy(r->addr + off, val->u.buf.ptr, len, mem_flags(flags));
	return 0;
}

/* pk_region_move -- copy bytes within the region, ranges that may
 * overlap (pmemkit.h) */
int
pk_region_move(pk_region *r, uint64_t dst, uint64_t src, uint64_t len,
		unsigned flags)
{
	int rc;

	if ((rc = flags_check(flags, PK_REGION_NODRAIN |
			PK_REGION_NOFLUSH)) != 0 ||
	    (rc = range_check(r, dst, len)) != 0 ||
	    (rc = range_check(r, src, len)) != 0 || len == 0)
		return rc;
	if (flags & PK_REGION_NOFLUSH) {
		memmove(r->addr + dst, r->addr + src, (size_t)len);
		return 0;
	}
	if (!r->is_pmem) {
		memmove(r->addr + dst, r->addr + src, (size_t)len);
		return region_sync(r, r->addr + dst, (size_t)len);
	}
	pmem_memmove(r->addr + dst, r->addr + src, (size_t)len,
			mem_flags(flags));
	return 0;
}

/* pk_region_fill -- set bytes to one value (pmemkit.h) */
int
pk_region_fill(pk_region *r, uint64_t off, unsigned c, uint64_t len,
		unsigned flags)
{
	int rc;

	if (c > 255)
		return pk__err(EINVAL, "a byte of %u", c);
	if ((rc = flags_check(flags, PK_REGION_NODRAIN |
			PK_REGION_NOFLUSH)) != 0 ||
	    (rc = range_check(r, off, len)) != 0 || len == 0)
		return rc;
	if (flags & PK_REGION_NOFLUSH) {
		memset(r->addr + off, (int)c, (size_t)len);
		return 0;
	}
	if (!r->is_pmem) {
		memset(r->addr + off, (int)c, (size_t)len);
		return region_sync(r, r->addr + off, (size_t)len);
	}
	pmem_memset(r->addr + off, (int)c, (size_t)len, mem_flags(flags));
	return 0;
}

/* pk_region_read -- copy bytes out (pmemkit.h) */
int
pk_region_read(void *buf, pk_region *r, uint64_t off, size_t len)
{
	int rc;

	if (buf == NULL && len != 0)
		return pk__err(EINVAL, "NULL buffer");
	if ((rc = range_check(r, off, len)) != 0)
		return rc;
	if (len != 0)
		memcpy(buf, r->addr + off, len);
	return 0;
}

/* pk_region_get -- bytes of the region, copied to the thread's buffer
 * (pmemkit.h) */
int
pk_region_get(pk_value *out, pk_region *r, uint64_t off, uint64_t len)
{
	void *buf;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = range_check(r, off, len)) != 0 ||
	    (rc = pk__scratch(&buf, (size_t)len)) != 0)
		return rc;
	memcpy(buf, r->addr + off, (size_t)len);
	*out = pk_bytes(buf, (size_t)len);
	return 0;
}
