/*
 * pool.c -- creating, opening and closing pools
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "internal.h"

/* generation numbers are reserved in blocks, persisted outside transactions */
#define GEN_BLOCK 1024

/*
 * A pool's first generation number is random in [GEN_MIN, GEN_MAX): a
 * pk_ref names no pool, so generations must differ across pools for a
 * reference from another pool (even one with the same history) to report
 * PK_ESTALE. About 62 random bits give the assurance of libpmemobj's own
 * random pool uuid; starting below 2^62 leaves 3 * 2^62 numbers to count
 * up through, more than blocks of 1024 reserved at every open can use.
 */
#define GEN_MIN ((uint64_t)1 << 40)
#define GEN_MAX ((uint64_t)1 << 62)

/* libpmemobj's on-media header: signature at 0, layout name at 4096 */
#define PMEMOBJ_SIG "PMEMOBJ"
#define PMEMOBJ_LAYOUT_OFF 4096

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

/* pk__pool_ref -- take a reference to the pool struct */
void
pk__pool_ref(pk_pool *pool)
{
	__atomic_add_fetch(&pool->refs, 1, __ATOMIC_RELAXED);
}

/* pk__pool_unref -- drop a reference; the last frees the pool struct */
void
pk__pool_unref(pk_pool *pool)
{
	/* handles are opened and closed by many threads, each without the
	 * pool's lock (their pool struct outlives the lock's use) */
	if (__atomic_sub_fetch(&pool->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		pk__lock_destroy(pool);
		free(pool->part_dir);
		free(pool);
	}
}

/* reserve -- persist a new limit for generation numbers */
static void
reserve(pk_pool *pool)
{
	pool->root->gen_limit = pool->gen_next + GEN_BLOCK;
	pmemobj_persist(pool->pop, &pool->root->gen_limit,
			sizeof(pool->root->gen_limit));
}

/*
 * pk__gen_next -- a generation number never used before in this pool,
 * even by a transaction that aborted or a process that crashed
 */
int
pk__gen_next(pk_pool *pool, uint64_t *out)
{
	if (pool->gen_next >= pool->root->gen_limit)
		reserve(pool);
	*out = pool->gen_next++;
	return 0;
}

/*
 * pk__incompat_mark -- set an incompatible-feature bit (layout.h) before
 * the first object that needs it is written. The bit is set with one
 * persisted 8-byte store, never in a transaction: a transaction that
 * snapshotted the field and aborted would clear a bit another thread's
 * committed work needs. A bit left set by an aborted operation only
 * keeps older libraries out, as the bit's "is, or was" allows.
 */
int
pk__incompat_mark(pk_pool *pool, uint64_t bit)
{
	uint64_t *f = &pool->root->incompat;

	if ((__atomic_load_n(f, __ATOMIC_ACQUIRE) & bit) == 0) {
		__atomic_fetch_or(f, bit, __ATOMIC_ACQ_REL);
		pmemobj_persist(pool->pop, f, sizeof(*f));
	}
	return 0;
}

/* pool_new -- the volatile pool struct of a pool libpmemobj mapped */
static pk_pool *
pool_new(PMEMobjpool *pop, uint64_t size)
{
	/* aligned for the container locks, a cache line each */
	pk_pool *pool = aligned_alloc(_Alignof(pk_pool), sizeof(*pool));
	if (pool == NULL)
		return NULL;
	memset(pool, 0, sizeof(*pool));
	pool->pop = pop;
	pool->base = (char *)pop;
	/* libpmemobj maps the file's whole pages only: bounds checks must
	 * not admit the rest of a last, partial page */
	pool->size = size & ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
	pool->refs = 1;
	pool->ro_lock = -1;
	pool->heap_checked = 1;
	if (pk__lock_init(pool) != 0) {
		free(pool);
		return NULL;
	}
	return pool;
}

/*
 * init_root -- fill a new pool's root: a random hash key and first
 * generation, an empty root map, and last the magic that says it is done
 */
static int
init_root(pk_pool *pool, uint64_t size)
{
	struct pk_root *r = pool->root;
	struct pk_op op;
	uint64_t rnd[3], map;
	int rc;

	/* the hash key and the first generation, from the kernel's CSPRNG */
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return pk__err(errno ? errno : EIO, "getrandom failed");
	pool->gen_next = GEN_MIN + rnd[2] % (GEN_MAX - GEN_MIN);
	reserve(pool);
	rc = pk__op_begin(&op, pool, 1);
	if (rc != 0)
		return rc;
	rc = pk__snap(r, offsetof(struct pk_root, gen_limit));
	if (rc == 0) {
		r->seed[0] = rnd[0];
		r->seed[1] = rnd[1];
		rc = pk__map_create(pool, &map, NULL);
	}
	if (rc == 0) {
		struct pk_map_hdr *m = (struct pk_map_hdr *)(pool->base + map);
		m->h.refcount = 1; /* held by the root: never freed */
		r->root_map = map;
		r->pool_size = size;
		r->incompat = PK_INCOMPAT_MULHASH;
		r->format = PK_FORMAT_VERSION;
		r->magic = PK_MAGIC_ROOT;
	}
	return pk__op_end(&op, rc);
}

/* check_args -- clear *out; EINVAL for a NULL out or path */
static int
check_args(pk_pool **out, const char *path)
{
	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	return path == NULL ? pk__err(EINVAL, "NULL path") : 0;
}

/* check_opts -- EINVAL for options of another version or unknown bits */
static int
check_opts(const pk_pool_options *opts, uint32_t flags_known)
{
	if (opts->version != PK_POOL_OPTIONS_VERSION)
		return pk__err(EINVAL, "pk_pool_options version %u, this "
				"library knows %u", opts->version,
				PK_POOL_OPTIONS_VERSION);
	if ((opts->flags & ~flags_known) != 0 || opts->reserved_ != 0)
		return pk__err(EINVAL, "unknown pool option flags 0x%x",
				opts->flags & ~flags_known);
	return 0;
}

/*
 * check_sizes -- EINVAL for sizes no pool can have: a size below the
 * minimum; a maximum below the minimum or below the size. size 0 or a
 * maximum makes a growing pool (poolset.c), size its first size then.
 */
static int
check_sizes(const pk_pool_options *opts)
{
	if (opts->size != 0 && opts->size < PK_POOL_MIN_SIZE)
		return pk__err(EINVAL, "size %llu is below the minimum %zu",
				(unsigned long long)opts->size,
				PK_POOL_MIN_SIZE);
	if (opts->max_size != 0 && opts->max_size < PK_POOL_MIN_SIZE)
		return pk__err(EINVAL, "maximum size %llu is below the "
				"minimum %zu", (unsigned long long)opts->max_size,
				PK_POOL_MIN_SIZE);
	if (opts->max_size != 0 && opts->size > opts->max_size)
		return pk__err(EINVAL, "maximum size %llu is below the size "
				"%llu", (unsigned long long)opts->max_size,
				(unsigned long long)opts->size);
	if (opts->replica != NULL && opts->replica[0] == '\0')
		return pk__err(EINVAL, "empty replica path");
	return 0;
}

/* grow_to -- extend a new growing pool to its first size */
static int
grow_to(PMEMobjpool *pop, const struct pk_poolset *ps, uint64_t size)
{
	uint64_t have = pk__parts_mapped(ps->data);
	long long ext = (long long)(size - have);

	if (size <= have)
		return 0;
	if (ext < (long long)(2 << 20))	/* libpmemobj's smallest part */
		ext = 2 << 20;
	if (pmemobj_ctl_exec(pop, "heap.size.extend", &ext) != 0)
		return pk__err_pmemobj(errno ? errno : ENOSPC,
				"growing the pool to its size");
	return 0;
}

/*
 * pool_kind -- note what kind of pool it is: fixed, or growing (from
 * its poolset ps), with its maximum and growth step
 */
static int
pool_kind(pk_pool *pool, const struct pk_poolset *ps)
{
	pool->max_size = pool->size;
	if (ps == NULL || !ps->growing)
		return 0;
	pool->growing = 1;
	pool->max_size = ps->max;
	if ((pool->part_dir = strdup(ps->data)) == NULL)
		return pk__err(ENOMEM, NULL);
	return pk__pool_grow_step(pool);
}

static int pool_create(pk_pool **out, const char *path,
		const pk_pool_options *opts);
static int pool_open(pk_pool **out, const char *path,
		const pk_pool_options *opts);

/* pk_pool_create -- create a pool in a new file, with an empty root map */
int
pk_pool_create(pk_pool **out, const char *path, size_t size, unsigned mode)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	int rc;

	if ((rc = check_args(out, path)) != 0)
		return rc;
	/* size 0 makes a growing pool only through the options */
	if (size < PK_POOL_MIN_SIZE)
		return pk__err(EINVAL, "size %zu is below the minimum %zu",
				size, PK_POOL_MIN_SIZE);
	o.size = size;
	o.mode = mode;
	return pool_create(out, path, &o);
}

/* pk_pool_create_opts -- create a pool as the options say */
int
pk_pool_create_opts(pk_pool **out, const char *path,
		const pk_pool_options *opts)
{
	return pool_create(out, path, opts);
}

/*
 * create_undo -- a create that failed with rc after libpmemobj made the
 * pool: close it and remove its files (ps: those of its poolset)
 */
static int
create_undo(PMEMobjpool *pop, pk_pool *pool, struct pk_poolset *ps,
		const char *path, int rc)
{
	pmemobj_close(pop);
	if (pool != NULL)
		pk__pool_unref(pool);
	if (ps != NULL)
		pk__poolset_undo(ps, path);
	else
		unlink(path);
	return rc;
}

/*
 * pool_create -- pk_pool_create_opts(); the exported functions call this
 * one, not each other, so that a copy of the library loaded beside
 * another (dlopen) keeps its calls, and its error texts, to itself
 */
static int
pool_create(pk_pool **out, const char *path, const pk_pool_options *opts)
{
	struct pk_poolset ps;
	struct stat st;
	PMEMobjpool *pop;
	pk_pool *pool;
	uint64_t size;
	unsigned mode;
	int rc, set;

	if ((rc = check_args(out, path)) != 0)
		return rc;
	if (opts == NULL)
		return pk__err(EINVAL, "a pool needs a size or options");
	if ((rc = check_opts(opts, PK_POOL_PROCESS_DURABLE)) != 0 ||
	    (rc = check_sizes(opts)) != 0)
		return rc;
	if ((opts->flags & PK_POOL_PROCESS_DURABLE) && opts->replica != NULL)
		return pk__err(ENOTSUP, "PK_POOL_PROCESS_DURABLE: a pool with "
				"replicas");
	size = opts->size;
	mode = opts->mode;
	if (stat(path, &st) == 0)
		return pk__err(EEXIST, "%s", path);
	set = size == 0 || opts->max_size != 0 || opts->replica != NULL;
	if (set && (rc = pk__poolset_create(&ps, path, opts)) != 0)
		return rc;
	pop = pmemobj_create(path, PK_LAYOUT_NAME, set ? 0 : size,
			mode ? (mode_t)mode : 0600);
	if (pop == NULL) {
		int e = errno ? errno : EIO;
		rc = pk__err_pmemobj(e, path);
		if (set)
			pk__poolset_undo(&ps, path);
		return rc;
	}
	if (set && (rc = pk__poolset_note(&ps, path)) == 0 && ps.growing &&
	    size > PK_POOL_MIN_SIZE)
		rc = grow_to(pop, &ps, size);
	if (rc != 0)
		return create_undo(pop, NULL, set ? &ps : NULL, path, rc);
	if (set && ps.growing)
		size = pk__parts_mapped(ps.data);
	pool = pool_new(pop, size);
	if (pool == NULL)
		return create_undo(pop, NULL, set ? &ps : NULL, path,
				pk__err(ENOMEM, NULL));
	pool->uuid_lo = pmemobj_root(pop, sizeof(struct pk_root)).pool_uuid_lo;
	pool->root = pmemobj_direct(pmemobj_root(pop, sizeof(struct pk_root)));
	rc = pool->root == NULL ? pk__err_pmemobj(PK_ENOSPACE, "root") :
		pool_kind(pool, set ? &ps : NULL);
	if (rc == 0)
		rc = pk__alloc_classes(pool);
	/* libpmemobj's own structures were made durable as it created them */
	if (rc == 0 && (opts->flags & PK_POOL_PROCESS_DURABLE))
		rc = pk__durable_process(pool);
	if (rc == 0)
		rc = init_root(pool, size);
	if (rc == 0) {
		pool->format_found = pool->root->format;
		pool->root->dirty = 1;
		pmemobj_persist(pop, &pool->root->dirty,
				sizeof(pool->root->dirty));
		/* in process-durable mode: on the disk when created */
		rc = pk__durable_sync(pool);
	}
	if (rc != 0)
		return create_undo(pop, pool, set ? &ps : NULL, path, rc);
	*out = pool;
	return 0;
}

/*
 * precheck_file -- what can be told from a pool file (or a poolset's
 * first part) before libpmemobj maps it: gives the clear error for files
 * that are not pools at all; ro: for a read-only open, which needs only
 * to read it; whole: the file is the whole pool (not a growing pool's
 * first part), whose libpmemobj metadata is checked here (precheck.c)
 */
static int
precheck_file(const char *path, struct stat *st, int ro, int whole)
{
	char hdr[8], layout[PMEMOBJ_MAX_LAYOUT];
	ssize_t n;
	int fd, rc;

	if (stat(path, st) != 0)
		return pk__err(errno, "%s", path);
	if (S_ISDIR(st->st_mode))
		return pk__err(EISDIR, "%s", path);
	/* a pool without write permission bits stays read-only, even for root */
	if (!ro && !(st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
		return pk__err(EACCES, "%s is read-only (PK_POOL_READONLY "
				"opens it)", path);
	fd = open(path, ro ? O_RDONLY : O_RDWR);
	if (fd < 0)
		return pk__err(errno, "%s", path);
	n = pread(fd, hdr, sizeof(hdr), 0);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr, PMEMOBJ_SIG,
				sizeof(PMEMOBJ_SIG)) != 0) {
		close(fd);
		return pk__err(PK_ENOTPOOL, "%s: %s", path, st->st_size == 0 ?
				"empty file" : "no libpmemobj signature");
	}
	n = pread(fd, layout, sizeof(layout), PMEMOBJ_LAYOUT_OFF);
	if (n != (ssize_t)sizeof(layout))
		rc = pk__err(PK_ECORRUPT, "%s: truncated header", path);
	else if (memcmp(layout, PK_LAYOUT_NAME, sizeof(PK_LAYOUT_NAME)) != 0)
		rc = pk__err(PK_ELAYOUT, "%s: layout \"%.*s\"", path,
				(int)strnlen(layout, sizeof(layout)), layout);
	else if (whole && (uint64_t)st->st_size < PK_POOL_MIN_SIZE)
		rc = pk__err(PK_ECORRUPT, "%s: truncated to %lld bytes",
				path, (long long)st->st_size);
	else if (whole)	/* what libpmemobj would trust (precheck.c) */
		rc = pk__precheck_pmemobj(fd, path, (uint64_t)st->st_size);
	else
		rc = 0;
	close(fd);
	return rc;
}

/*
 * precheck -- precheck_file() of the pool file, or of a poolset's first
 * part (*set then says so, and ps what the poolset names); *size the
 * bytes libpmemobj will map
 */
static int
precheck(const char *path, uint64_t *size, struct pk_poolset *ps, int *set,
		int ro)
{
	struct stat st;
	int rc;

	if (stat(path, &st) != 0)
		return pk__err(errno, "%s", path);
	*set = S_ISREG(st.st_mode) && pk__poolset_is(path);
	if (*set) {
		/* a read-only open of a poolset maps its parts
		 * copy-on-write, which needs them writable (readonly.c) */
		if (access(path, W_OK) != 0)
			return pk__err(errno, "%s: %s%s", path, strerror(errno),
					ro ? " (a poolset opens read-only "
					"only where it could be written)" :
					"");
		if (!(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
			return pk__err(EACCES, "%s is read-only", path);
		if ((rc = pk__poolset_read(ps, path)) != 0)
			return rc;
		if ((rc = precheck_file(ps->first, &st, ro,
						!ps->growing)) != 0 ||
		    (rc = pk__poolset_check_note(ps, path)) != 0)
			return rc;
		if (!ro)	/* a read-only open changes no file */
			pk__poolset_heal(ps);
		if ((rc = pk__poolset_check_parts(ps, path)) != 0 ||
		    (ps->growing &&
		     (rc = pk__parts_precheck(ps->data, path)) != 0))
			return rc;
		*size = ps->growing ? pk__parts_mapped(ps->data) :
			(uint64_t)st.st_size;
	} else {
		if ((rc = precheck_file(path, &st, ro, 1)) != 0)
			return rc;
		*size = (uint64_t)st.st_size;
	}
	if (*size < PK_POOL_MIN_SIZE)
		return pk__err(PK_ECORRUPT, "%s: truncated to %llu bytes",
				path, (unsigned long long)*size);
	return 0;
}

/* check_root -- the pmemkit part of a pool that libpmemobj opened */
static int
check_root(pk_pool *pool, uint64_t size)
{
	struct pk_root *r;

	if (pmemobj_root_size(pool->pop) < sizeof(struct pk_root))
		return pk__err(PK_ECORRUPT, "no pmemkit root object");
	PMEMoid oid = pmemobj_root(pool->pop, sizeof(struct pk_root));
	r = pmemobj_direct(oid);
	pool->uuid_lo = oid.pool_uuid_lo;
	pool->root = r;
	if (r->magic != PK_MAGIC_ROOT)
		return pk__err(PK_ECORRUPT, "bad root magic (creation did not "
				"complete?)");
	if (r->format > PK_FORMAT_VERSION)
		return pk__err(PK_EVERSION, "format %u, this library reads %u",
				r->format, PK_FORMAT_VERSION);
	if ((r->incompat & ~PK_INCOMPAT_KNOWN) != 0)
		return pk__err(PK_EVERSION, "the pool uses features this library "
				"lacks (incompat flags 0x%llx)",
				(unsigned long long)(r->incompat &
					~PK_INCOMPAT_KNOWN));
	if (r->pool_size > size)
		return pk__err(PK_ECORRUPT, "truncated: %llu of %llu bytes",
				(unsigned long long)size,
				(unsigned long long)r->pool_size);
	return pk__container_check(NULL, pool, r->root_map, PK_MAGIC_MAP,
			sizeof(struct pk_map_hdr)) == 0 ? 0 :
		pk__err(PK_ECORRUPT, "bad root map");
}

/*
 * reopen -- close and open the pool again (pk_pool_open() says why),
 * after an open that may have recovered it. libpmemobj 1.12 builds each lane's runtime state of its logs
 * (the chain of log extensions) before it replays the lanes' redo logs,
 * and that replay can unlink an extension of a lane's transaction redo
 * log (a crash while a large commit freed its extension). The next
 * commit on that lane then writes the stale link back and frees the
 * extension again, which corrupts the heap (doc/reliability.md). An open
 * of a pool that needs no recovery builds that state from what is there.
 */
static int
reopen(pk_pool *pool, const char *path, uint64_t size)
{
	int rc;

	pmemobj_close(pool->pop);
	pool->pop = NULL;
	if ((rc = pk__obj_open(&pool->pop, path, path, 0)) != 0)
		return rc;
	pool->base = (char *)pool->pop;
	if ((rc = pk__pool_grow_step(pool)) != 0 ||
	    (rc = pk__alloc_classes(pool)) != 0)
		return rc;
	return check_root(pool, size);
}

/*
 * upgrade -- mark a pool of an older format with this one. Format 2 added
 * the leaf field of maps and lists (layout.h), which format 1 left 0, "may
 * hold references": right for every container already there. A library
 * of format 1 must not open the pool again, as it would store references
 * in leaves without saying so.
 */
static void
upgrade(pk_pool *pool)
{
	pool->root->format = PK_FORMAT_VERSION;
	pmemobj_persist(pool->pop, &pool->root->format,
			sizeof(pool->root->format));
}

/*
 * mark_open -- mark an opened pool in use, reserve its next generations
 * and bring it to this library's format. In process-durable mode these
 * reach the disk before any change does: a power loss then still leaves
 * a pool that is recovered as unclean, whose generations are not reused.
 */
static int
mark_open(pk_pool *pool)
{
	pool->root->dirty = 1;
	pmemobj_persist(pool->pop, &pool->root->dirty,
			sizeof(pool->root->dirty));
	pool->gen_next = pool->gen_open = pool->root->gen_limit;
	pool->format_found = pool->root->format;
	reserve(pool);
	if (pool->root->format < PK_FORMAT_VERSION)
		upgrade(pool);
	return pk__durable_sync_range(pool, pool->root, sizeof(*pool->root));
}

/*
 * pk_pool_open -- open a pool and mark it in use; after a session that did
 * not close, recover it and reclaim what the crash left unreachable
 */
int
pk_pool_open(pk_pool **out, const char *path)
{
	return pool_open(out, path, NULL);
}

/* pk_pool_open_opts -- open a pool as the options say */
int
pk_pool_open_opts(pk_pool **out, const char *path,
		const pk_pool_options *opts)
{
	return pool_open(out, path, opts);
}

/* open_fail -- undo an open that failed with rc: rc */
static int
open_fail(pk_pool *pool, int rc)
{
	if (pool->pop != NULL)
		pmemobj_close(pool->pop);
	if (pool->ro_lock >= 0)
		close(pool->ro_lock);
	pk__pool_unref(pool);
	return rc;
}

/*
 * open_readonly -- the rest of a read-only open, which writes nothing:
 * no mark of the pool in use, no block of generation numbers, no format
 * upgrade, no gc (pk_pool_check() sees what a crash left, as the file
 * holds it). Only the counts a crash may leave off (map_atomic.c) are
 * set right, in the private mapping (readonly.c), so that reads see them.
 * One open: a second (pool_open()) would recover a copy-on-write pool
 * again from the file, and a read-only pool allocates nothing.
 */
static int
open_readonly(pk_pool **out, pk_pool *pool, uint64_t size)
{
	int rc = check_root(pool, size);

	if (rc != 0)
		return open_fail(pool, rc);
	pool->unclean = pool->root->dirty != 0;
	/* a pool too damaged to walk still opens, as pool_open() says */
	if (pool->unclean)
		(void)pk__recount_private(pool);
	pool->readonly = 1;
	/* hands out none; pk_pool_check() compares generations with it */
	pool->gen_next = pool->gen_open = pool->root->gen_limit;
	pool->format_found = pool->root->format;
	*out = pool;
	return 0;
}

/* pool_open -- pk_pool_open_opts() (pool_create() says why apart) */
static int
pool_open(pk_pool **out, const char *path, const pk_pool_options *opts)
{
	pk_pool_options dflt = PK_POOL_OPTIONS_INIT;
	struct pk_poolset ps;
	PMEMobjpool *pop;
	pk_pool *pool;
	struct stat st;
	uint64_t size = 0;
	int ro, set = 0, lock = -1, rc;

	if (opts == NULL)
		opts = &dflt;
	if ((rc = check_opts(opts, PK_POOL_READONLY |
					PK_POOL_PROCESS_DURABLE)) != 0)
		return rc;
	if (opts->size != 0 || opts->max_size != 0 || opts->mode != 0 ||
	    opts->replica != NULL)
		return pk__err(EINVAL, "open takes flags only");
	ro = (opts->flags & PK_POOL_READONLY) != 0;
	if (ro && (opts->flags & PK_POOL_PROCESS_DURABLE))
		return pk__err(EINVAL, "PK_POOL_READONLY with "
				"PK_POOL_PROCESS_DURABLE: a read-only pool is "
				"never written");
	if ((rc = check_args(out, path)) != 0 ||
	    (rc = precheck(path, &size, &ps, &set, ro)) != 0 ||
	    /* refused before libpmemobj opens (and writes) every copy */
	    (rc = set && ps.replica[0] != '\0' &&
	     (opts->flags & PK_POOL_PROCESS_DURABLE) ?
	     pk__err(ENOTSUP, "PK_POOL_PROCESS_DURABLE: a pool with "
		     "replicas") : 0) != 0 ||
	    (rc = stat(path, &st) != 0 ? pk__err(errno, "%s", path) : 0) != 0 ||
	    (rc = ro ? pk__ro_open(&pop, &lock, path, &st) :
	     pk__obj_open(&pop, path, path, 0)) != 0)
		return rc;
	/* what is mapped now: a growing pool's parts are all there */
	if (set && ps.growing)
		size = pk__parts_mapped(ps.data);
	pool = pool_new(pop, size);
	if (pool == NULL) {
		pmemobj_close(pop);
		if (lock >= 0)
			close(lock);
		return pk__err(ENOMEM, NULL);
	}
	pool->ro_lock = lock;
	rc = pool_kind(pool, set ? &ps : NULL);
	if (rc == 0 && ro)
		return open_readonly(out, pool, size);
	if (rc == 0)
		rc = pk__alloc_classes(pool);
	if (rc == 0)
		rc = check_root(pool, size);
	/*
	 * Opened a second time, always: the first open frees the undo log
	 * extensions the lanes kept from earlier transactions, and a free
	 * makes libpmemobj take stock of the heap's runs, before pmemkit
	 * could register its allocation classes (alloc.c). Runs of a class
	 * it does not know then, pmemkit's own, are left out of its
	 * accounting for the session: space freed in them is never reused.
	 * The second open frees nothing, so the runs are counted once the
	 * classes exist. After a session that did not close, the second
	 * open also avoids libpmemobj's recovery bug (reopen()).
	 */
	if (rc == 0) {
		pool->unclean = pool->root->dirty != 0;
		rc = reopen(pool, path, size);
	}
	/* after the recovery, which libpmemobj made durable as it chose */
	if (rc == 0 && (opts->flags & PK_POOL_PROCESS_DURABLE))
		rc = pk__durable_process(pool);
	if (rc == 0)
		rc = mark_open(pool);
	if (rc != 0)
		return open_fail(pool, rc);
	/*
	 * After a crash, containers that were created but never stored (and
	 * anything else unreachable) are reclaimed. A pool too damaged to walk
	 * still opens, so that what is readable can be read.
	 */
	if (pool->unclean && pk__gc(pool, &pool->recovered) != 0)
		pool->recovered = 0;
	*out = pool;
	return 0;
}

/*
 * pk_pool_close -- close under the lock, which the closing thread may
 * already hold for its transaction (pk__tx_close ends that); the pool
 * struct, and with it the lock, goes with the last handle, after unlocking
 */
int
pk_pool_close(pk_pool *pool)
{
	struct pk_lock l;
	int rc = 0, rc2, was_open;

	if (pool == NULL)
		return 0;
	pk__lock_take(&l, pool);
	was_open = pool->pop != NULL;
	/* a read-only pool was not marked in use, and wrote nothing */
	if (was_open && !pool->readonly) {
		rc = pk__tx_close(pool);
		/* the counts reach the media before the clean mark does; in
		 * process-durable mode everything else does too (msync), so a
		 * pool closed is durable in every mode */
		pk__map_sync(pool);
		pmemobj_drain(pool->pop);
		rc2 = pk__durable_sync(pool);
		if (rc2 == 0) {
			pool->root->dirty = 0;
			pmemobj_persist(pool->pop, &pool->root->dirty,
					sizeof(pool->root->dirty));
			rc2 = pk__durable_sync_range(pool, &pool->root->dirty,
					sizeof(pool->root->dirty));
		}
		if (rc == 0)
			rc = rc2;
	}
	if (was_open) {
		pmemobj_close(pool->pop);
		if (pool->ro_lock >= 0)
			close(pool->ro_lock);	/* the file's lock with it */
		pool->ro_lock = -1;
		pool->pop = NULL;
		pool->root = NULL;
	}
	pk__unlock(&l);
	if (was_open)
		pk__pool_unref(pool);
	return rc;
}

/* pool_root -- a new handle to the root map of an open pool */
static int
pool_root(pk_map **out, pk_pool *pool)
{
	if (out == NULL || pool == NULL)
		return pk__err(EINVAL, "NULL argument");
	*out = NULL;
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	return pk__handle_new((struct pk_handle **)out, pool,
			pool->root->root_map, &pk__map_kind);
}

/* the bytes of a pk_pool_stats of versions 1 and 2: those before the
 * fields the next version added */
#define STATS_V1_SIZE offsetof(pk_pool_stats, max_size)
#define STATS_V2_SIZE offsetof(pk_pool_stats, format)

/*
 * room -- the bytes a pool may still take up beyond what is mapped: to
 * its maximum, for a growing pool no more than its file system has free
 */
static uint64_t
room(const pk_pool *pool)
{
	struct statvfs vfs;
	uint64_t r = pool->max_size > pool->size ?
		pool->max_size - pool->size : 0;

	if (pool->growing && pool->part_dir != NULL &&
	    statvfs(pool->part_dir, &vfs) == 0 &&
	    (uint64_t)vfs.f_bavail * vfs.f_frsize < r)
		r = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	return r;
}

/*
 * pool_stats_get -- fill *out, of its version (1 or this library's):
 * size, recovery at open, the objects allocated with their usable bytes,
 * from version 2 the maximum and free bytes, from version 3 the pool's
 * format
 */
static int
pool_stats_get(pk_pool_stats *out, pk_pool *pool)
{
	uint32_t version;
	uint64_t meta = 0;
	PMEMoid oid;

	if (out == NULL || pool == NULL)
		return pk__err(EINVAL, "NULL argument");
	version = out->version;
	if (version < 1 || version > PK_POOL_STATS_VERSION)
		return pk__err(EINVAL, "pk_pool_stats version %u unknown "
				"(this library's is %d)", out->version,
				PK_POOL_STATS_VERSION);
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	memset(out, 0, version == 1 ? STATS_V1_SIZE : version == 2 ?
			STATS_V2_SIZE : sizeof(*out));
	out->version = version;
	/* a growing pool's parts: the bound of offsets follows only the
	 * allocations in them (the lock keeps allocations out) */
	out->size = pool->growing ? pk__parts_mapped(pool->part_dir) :
		pool->size;
	out->unclean = pool->unclean;
	out->recovered = pool->recovered;
	if (pk__precheck_objects(pool) != 0)
		return PK_ECORRUPT;
	for (oid = pmemobj_first(pool->pop); !OID_IS_NULL(oid);
			oid = pmemobj_next(oid)) {
		/* the first object is the root, just past libpmemobj's
		 * metadata (pool header, lanes, heap and zone headers) */
		if (out->objects++ == 0)
			meta = oid.off;
		out->used += pk__obj_bytes(pool, oid.off);
	}
	if (version == 1)
		return 0;
	out->max_size = pool->growing ? pool->max_size : out->size;
	uint64_t cap = out->size + room(pool);
	out->free = cap > meta + out->used ? cap - meta - out->used : 0;
	if (version >= 3)
		out->format = pool->format_found;
	return 0;
}

/* bytes mapped under one hold of the pool's lock: populating takes the
 * process's mmap lock too, so other threads wait at most this long */
#define PREFAULT_CHUNK ((uint64_t)64 << 20)

/* how pages are mapped: not known yet, by madvise, by reading them */
enum prefault_how { PREFAULT_PROBE, PREFAULT_MADVISE, PREFAULT_READ };

/*
 * populate_chunk -- map the pages of the chunk at off.
 * MADV_POPULATE_WRITE maps them writable without touching their contents,
 * so writers may run beside it. If one page of the pool gets EINVAL, the
 * kernel lacks it (before 5.14): each page is read instead, which on tmpfs
 * maps it writable (on a DAX file system a block never written maps the
 * zero page and faults again at its first write). A read-only pool's
 * pages are mapped for reading (MADV_POPULATE_READ): written, each page
 * of a copy-on-write mapping would be copied (readonly.c).
 */
static int
populate_chunk(pk_pool *pool, uint64_t off, enum prefault_how *how)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t len = pool->size - off < PREFAULT_CHUNK ?
		pool->size - off : PREFAULT_CHUNK;
	char *p = pool->base + off;
	int advice = pool->readonly ? MADV_POPULATE_READ : MADV_POPULATE_WRITE;

	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	if (*how == PREFAULT_PROBE)
		*how = madvise(p, page, advice) == 0 ||
			errno != EINVAL ? PREFAULT_MADVISE : PREFAULT_READ;
	if (*how == PREFAULT_READ) {
		for (uint64_t i = 0; i < len; i += page)
			(void)*(volatile const char *)(p + i);
		return 0;
	}
	if (madvise(p, len, advice) != 0)
		return pk__err(errno, "madvise(MADV_POPULATE_%s): %s",
				pool->readonly ? "READ" : "WRITE",
				strerror(errno));
	return 0;
}

/* prefault_chunk -- populate_chunk() under the pool's shared lock */
static int
prefault_chunk(pk_pool *pool, uint64_t off, enum prefault_how *how)
{
	/* shared: it changes nothing, and close waits for the chunk */
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_SHARED);
	rc = populate_chunk(pool, off, how);
	pk__unlock(&l);
	return rc;
}

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_pool_root -- a new handle to the pool's root map */
int
pk_pool_root(pk_map **out, pk_pool *pool)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_SHARED);
	rc = pool_root(out, pool);
	pk__unlock(&l);
	return rc;
}

/*
 * pk_pool_prefault -- map the pool's pages before their first use, a chunk
 * at a time. From the second page on: the first is libpmemobj's pool
 * header, which its debug build maps PROT_NONE, and which pmemkit never
 * reads (pk__ptr).
 */
int
pk_pool_prefault(pk_pool *pool)
{
	enum prefault_how how = PREFAULT_PROBE;
	int rc = 0;

	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	pk__pool_ref(pool);	/* the struct outlives a close meanwhile */
	for (uint64_t off = (uint64_t)sysconf(_SC_PAGESIZE);
			rc == 0 && off < pool->size; off += PREFAULT_CHUNK)
		rc = prefault_chunk(pool, off, &how);
	pk__pool_unref(pool);
	return rc;
}

/* pk_pool_stats_get -- the pool's size, allocations and recovery */
int
pk_pool_stats_get(pk_pool_stats *out, pk_pool *pool)
{
	/* libpmemobj's heap walk must not meet allocations (lock.c) */
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = pool_stats_get(out, pool);
	pk__unlock(&l);
	return rc;
}
