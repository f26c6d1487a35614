/*
 * mutate.h -- the no-ops scripts/mutate-snapshots puts in place of one
 * snapshot, flush, drain or persist call (forced into every file of its
 * scratch build with -include; never part of the library)
 */
#ifndef PK_MUTATE_H
#define PK_MUTATE_H

#include <stddef.h>
#include <string.h>
#include <libpmem.h>
#include <libpmemobj.h>

#define PK_MUT_FN static inline __attribute__((unused))

/* a snapshot that records nothing and reports success */
PK_MUT_FN int
pk__mut_pk__snap(const void *ptr, size_t len)
{
	(void)ptr;
	(void)len;
	return 0;
}

PK_MUT_FN void
pk__mut_pmemobj_persist(PMEMobjpool *pop, const void *p, size_t n)
{
	(void)pop;
	(void)p;
	(void)n;
}

PK_MUT_FN void
pk__mut_pmemobj_flush(PMEMobjpool *pop, const void *p, size_t n)
{
	(void)pop;
	(void)p;
	(void)n;
}

PK_MUT_FN void
pk__mut_pmemobj_drain(PMEMobjpool *pop)
{
	(void)pop;
}

/* persistent copies become plain stores, left in the cache */
PK_MUT_FN void *
pk__mut_pmemobj_memcpy(PMEMobjpool *pop, void *d, const void *s, size_t n,
		unsigned flags)
{
	(void)pop;
	(void)flags;
	return memcpy(d, s, n);
}

PK_MUT_FN void *
pk__mut_pmemobj_memset(PMEMobjpool *pop, void *d, int c, size_t n,
		unsigned flags)
{
	(void)pop;
	(void)flags;
	return memset(d, c, n);
}

PK_MUT_FN void
pk__mut_pmem_persist(const void *p, size_t n)
{
	(void)p;
	(void)n;
}

#endif
