/*
 * durable.c -- process-crash durability on ordinary files
 * (PK_POOL_PROCESS_DURABLE), and pk_pool_sync()
 *
 * On a file that is not persistent memory, libpmemobj makes every store
 * durable with an msync (obj.c: obj_msync_nofail), so each snapshot and
 * commit waits for the disk: milliseconds a put. A process that dies (a
 * signal, abort, the OOM killer) loses nothing that reached the file's
 * pages in the page cache, and every store to a shared mapping is there as
 * soon as it is made; only a kernel crash or a power loss loses what the
 * kernel has not written back. A pool that must survive the crash of its
 * process only can therefore take libpmemobj's persistent-memory path
 * (libpmem's cache flushes and fences: pmem_persist() and its kin), the
 * path every crash test runs on with PMEM_IS_PMEM_FORCE=1, and leave
 * writing back to the kernel until pk_pool_sync() or the pool's close.
 *
 * libpmemobj chooses those functions per pool as it opens it, in six
 * pointers of its private pool descriptor (struct pmemobjpool in
 * src/libpmemobj/obj.h), and calls them through those pointers for every
 * persist, flush, drain and persistent memcpy, memmove and memset of that
 * pool. No public interface sets them, so this file points them at
 * libpmem's functions, as libpmemobj itself does for persistent memory --
 * only in libpmemobj 1.12.1 (the library loaded, not the header compiled
 * against), and only after every field it reads or writes was found to
 * hold what that version puts there. Anything else is refused with
 * ENOTSUP, the pool unchanged: a guess could leave a pool that looks
 * durable and is not.
 */
#define _GNU_SOURCE 1	/* memmem, dl_iterate_phdr */
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libpmem.h>

#include "internal.h"
#include "objpool.h"

/* what libpmemobj sets for persistent memory (obj_replica_init_local) */
static const struct obj_local pmem_local = {
	pmem_persist, pmem_flush, pmem_drain,
	pmem_memcpy, pmem_memmove, pmem_memset,
};

/* the loaded libpmemobj: its version tag found, the segment holding its
 * code (for the checks that a pointer is one of its functions) */
static struct {
	pthread_once_t once;
	int version_ok;
	uintptr_t text_lo, text_hi;
	char version[32];
} lib = { PTHREAD_ONCE_INIT, 0, 0, 0, "" };

/*
 * find_version -- dl_iterate_phdr callback: in the object whose segment
 * holds pmemobj_open, note that segment and read the version tag in its
 * read-only segments. Segments of a loaded object are mapped whole.
 */
static int
find_version(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t fn = (uintptr_t)arg, lo, hi;
	int mine = 0;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		lo = info->dlpi_addr + ph->p_vaddr;
		hi = lo + ph->p_memsz;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) &&
		    fn >= lo && fn < hi) {
			lib.text_lo = lo;
			lib.text_hi = hi;
			mine = 1;
		}
	}
	if (!mine)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_R) ||
		    (ph->p_flags & PF_W))
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *t = memmem(p, ph->p_memsz, OBJ_VERSION_TAG,
				sizeof(OBJ_VERSION_TAG) - 1);
		if (t == NULL)
			continue;
		t += sizeof(OBJ_VERSION_TAG) - 1;
		size_t n = strnlen(t, (size_t)(p + ph->p_memsz - t));
		if (n >= sizeof(lib.version))
			n = sizeof(lib.version) - 1;
		memcpy(lib.version, t, n);
		lib.version[n] = '\0';
		/* 1.12.1, or a packager's 1.12.1-2 or 1.12.1+dfsg: not 1.12.10 */
		n = sizeof(OBJ_VERSION) - 1;
		lib.version_ok = strncmp(lib.version, OBJ_VERSION, n) == 0 &&
			(lib.version[n] < '0' || lib.version[n] > '9');
		break;
	}
	return 1;
}

/* lib_init -- find the loaded libpmemobj and its version, once */
static void
lib_init(void)
{
	void *fn = (void *)(uintptr_t)pmemobj_open;

	dl_iterate_phdr(find_version, fn);
}

/* in_lib -- whether fn lies in the loaded libpmemobj's code */
static int
in_lib(uintptr_t fn)
{
	return fn >= lib.text_lo && fn < lib.text_hi;
}

/* field -- the pointer-sized field at off in the descriptor */
static uintptr_t
field(const char *d, size_t off)
{
	uintptr_t v;

	memcpy(&v, d + off, sizeof(v));
	return v;
}

/* ifield -- the int field at off in the descriptor */
static int
ifield(const char *d, size_t off)
{
	int v;

	memcpy(&v, d + off, sizeof(v));
	return v;
}

/*
 * layout_check -- NULL if the descriptor of the pool holds at every offset
 * above what libpmemobj 1.12.1 puts there, else what differs. Sets
 * *is_pmem to libpmemobj's choice for the pool.
 */
static const char *
layout_check(const pk_pool *pool, int *is_pmem)
{
	const char *d = (const char *)pool->pop;
	struct obj_local loc;
	uintptr_t ops[OBJ_OPS];

	if (!lib.version_ok)
		return "the loaded libpmemobj is not 1.12.1";
	if (field(d, OBJ_OFF_ADDR) != (uintptr_t)d ||
	    field(d, OBJ_OFF_OPS_BASE) != (uintptr_t)d)
		return "the pool descriptor's addresses";
	if (field(d, OBJ_OFF_UUID_LO) != pool->uuid_lo)
		return "the pool descriptor's uuid";
	if (field(d, OBJ_OFF_REPLICA) != 0 || field(d, OBJ_OFF_RPP) != 0 ||
	    ifield(d, OBJ_OFF_MASTER) != 1 || ifield(d, OBJ_OFF_REMOTE) != 0)
		return "a pool with replicas";
	if (ifield(d, OBJ_OFF_RDONLY) != 0)
		return "a pool libpmemobj opened read-only";
	*is_pmem = ifield(d, OBJ_OFF_IS_PMEM);
	if (*is_pmem != 0 && *is_pmem != 1)
		return "the pool descriptor's is_pmem";
	memcpy(ops, d + OBJ_OFF_OPS, sizeof(ops));
	for (int i = 0; i < OBJ_OPS; i++)
		if (!in_lib(ops[i]))
			return "the pool descriptor's pmem_ops";
	memcpy(&loc, d + OBJ_OFF_LOCAL, sizeof(loc));
	if (*is_pmem)
		return memcmp(&loc, &pmem_local, sizeof(loc)) == 0 ? NULL :
			"the pool descriptor's persistent-memory functions";
	/* the msync path: obj_msync_nofail persists and flushes, and none
	 * is libpmem's */
	uintptr_t f[] = { (uintptr_t)loc.persist, (uintptr_t)loc.drain,
		(uintptr_t)loc.memcpy, (uintptr_t)loc.memmove,
		(uintptr_t)loc.memset };
	if (loc.persist != loc.flush)
		return "the pool descriptor's msync functions";
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!in_lib(f[i]))
			return "the pool descriptor's msync functions";
		for (size_t j = 0; j < i; j++)
			if (f[i] == f[j])
				return "the pool descriptor's msync functions";
	}
	return NULL;
}

/*
 * pk__durable_process -- put a pool that libpmemobj just opened or created
 * in process-durable mode: on a file that is not persistent memory its
 * stores take libpmemobj's persistent-memory path, and pk_pool_sync()
 * msyncs. On persistent memory nothing changes; under
 * PMEM_IS_PMEM_FORCE=1 (libpmem takes every file for persistent memory)
 * the stores already take that path, and pk_pool_sync() msyncs. Runs
 * before the pool is handed out, alone on it.
 */
int
pk__durable_process(pk_pool *pool)
{
	const char *why;
	int is_pmem = 0;

	pthread_once(&lib.once, lib_init);
	why = layout_check(pool, &is_pmem);
	if (why != NULL)
		return pk__err(ENOTSUP, "process-durable mode needs libpmemobj "
				"%s, whose pool descriptor it changes: %s "
				"(loaded libpmemobj: %s)", OBJ_VERSION, why,
				lib.version[0] ? lib.version : "version unknown");
	if (!is_pmem) {
		memcpy((char *)pool->pop + OBJ_OFF_LOCAL, &pmem_local,
				sizeof(pmem_local));
		pool->durable = PK_DURABLE_PROCESS;
	} else if (pmem_is_pmem(pool->base, pool->size)) {
		/* libpmem's own answer: it never mapped the pool, so it says
		 * yes only when forced to */
		pool->durable = PK_DURABLE_PROCESS;
	}
	return 0;
}

/* pk__durable_sync -- msync every mapped byte of a pool in
 * process-durable mode; 0 for any other */
int
pk__durable_sync(pk_pool *pool)
{
	if (pool->durable != PK_DURABLE_PROCESS)
		return 0;
	/* a growing pool's bound follows pmemkit's allocations, not all
	 * that libpmemobj wrote in its parts */
	if (pool->growing)
		return pk__parts_msync(pool->base, pool->part_dir);
	if (msync(pool->base, pool->size, MS_SYNC) != 0)
		return pk__err(errno, "msync of the pool: %s", strerror(errno));
	return 0;
}

/* pk__durable_sync_range -- msync the pages of [p, p + len) of a pool in
 * process-durable mode */
int
pk__durable_sync_range(pk_pool *pool, const void *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p & ~(page - 1);

	if (pool->durable != PK_DURABLE_PROCESS)
		return 0;
	if (msync((void *)lo, (uintptr_t)p + len - lo, MS_SYNC) != 0)
		return pk__err(errno, "msync: %s", strerror(errno));
	return 0;
}

/* pk_pool_sync -- make everything written so far durable (pmemkit.h) */
int
pk_pool_sync(pk_pool *pool)
{
	/* shared: it changes nothing, and close waits for it */
	struct pk_lock l;
	int rc;

	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	pk__lock(&l, pool, PK_SHARED);
	rc = pool->pop == NULL ? pk__err(PK_ECLOSED, NULL) :
		pk__writable(pool);
	if (rc == 0)
		rc = pk__durable_sync(pool);
	pk__unlock(&l);
	return rc;
}
