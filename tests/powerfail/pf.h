/*
 * pf.h -- crash-image harness for the power-failure tests
 *
 * A test runs a scenario in a forked worker process with the simulator
 * (libpmemsim, pmemsim.h) watching the worker's pool. The scenario
 * brackets each operation it wants checked with pf_begin()/pf_end(): the
 * harness reads the whole pool through the API before and after (a dump,
 * pf_dump.c), and at every drain point in between writes the durable
 * image the simulator holds. The test process itself (the verifier) opens
 * each image with pk_pool_open(), runs pk_pool_check(), dumps it and
 * requires the state before or the state after the operation (after, for
 * the image taken once it returned), in that order, then proves the pool
 * still takes a write. Images are verified while the worker goes on.
 */
#ifndef PF_H
#define PF_H

#include <stdint.h>

#include "pmemkit.h"
#include "pf_sim.h"

/* the worker's view: a pool under the simulator */
struct pf_ctx {
	pk_pool *pool;
	pk_map *root;
	const char *path;	/* the watched pool file */
	size_t size;		/* of the pool pf_create() makes */
	unsigned variants;	/* PMEMSIM_IMG_* images to add at drains */
	uint64_t seed;
	/* private */
	int wfd, rfd;
	int armed, broken;
	uint64_t last_change, drains0, img_seq, outstanding;
	uint64_t stride, candidates;	/* images taken: 1 in stride */
	uint64_t kind_ops, kind_cand;	/* of this kind before; images of
					   this operation so far */
	struct pf_buf *state;	/* the last known contents */
};

/*
 * Every kind's first PF_FULL_OPS operations get an image at every drain
 * point that changed the durable state; later ones at 1 in PF_SAMPLE,
 * the position turning with each operation, so that each drain position
 * of an operation that repeats is still taken, in a different state.
 */
#define PF_FULL_OPS 10
#define PF_SAMPLE 4

/* pf_begin flags */
#define PF_NOPOOL 1u	/* before: no pool (create); images may not open */
#define PF_BROKEN 2u	/* a deliberately broken operation: the verifier
			   must find a violation */

/* worker side */
void pf_begin(struct pf_ctx *c, const char *kind, unsigned flags);
void pf_end(struct pf_ctx *c);
/* pf_end, counting the operation under another kind (known after it) */
void pf_end_as(struct pf_ctx *c, const char *kind);
/* create the watched pool at c->path with its root (not checked) */
void pf_create(struct pf_ctx *c);
/* close and reopen the pool, unchecked */
void pf_reopen(struct pf_ctx *c);
void pf_fail(const char *fmt, ...) __attribute__((noreturn,
		format(printf, 1, 2)));

/* W(expr): in the worker, the call must return 0 */
#define W(expr) do { \
	int wrc_ = (expr); \
	if (wrc_ != 0) \
		pf_fail("%s:%d: %s returned %d (%s; %s)", __FILE__, __LINE__, \
				#expr, wrc_, pk_strerror(wrc_), pk_errormsg()); \
} while (0)

/* test side */
struct pf_opts {
	unsigned variants;	/* PMEMSIM_IMG_PARTIAL | PMEMSIM_IMG_EVICT */
	uint64_t seed;
	int msync;		/* run the worker with PMEM_IS_PMEM_FORCE=0 */
	size_t pool_size;	/* 0: PK_POOL_MIN_SIZE */
};
struct pf_result {
	uint64_t images;	/* images opened and checked */
	uint64_t ops;
	uint64_t violations;	/* found in PF_BROKEN operations */
	uint64_t broken_ops;
	uint64_t msyncs;	/* drain points that were msyncs */
};
/*
 * pf_run -- run scenario in a worker and verify every image; fails the
 * running Check test on any violation in an operation not PF_BROKEN
 */
void pf_run(void (*scenario)(struct pf_ctx *), const struct pf_opts *o,
		struct pf_result *res);

/* per-kind counts, shared by every test of the program (pf_stats.c) */
void pf_stats_init(void);
void pf_stats_add(const char *kind, uint64_t drains, uint64_t images,
		uint64_t before, uint64_t after, uint64_t nopool,
		uint64_t violations);
void pf_stats_print(void);
/* pf_stats_below -- the kinds with fewer than min operations, listed in
 * buf (none: ""), and how many; broken and msync: kinds left out */
int pf_stats_below(uint64_t min, char *buf, size_t len);

/* dumps: the contents of a pool read through the API (pf_dump.c) */
struct pf_buf {
	unsigned char *p;
	size_t n, cap;
};
void pf_buf_add(struct pf_buf *b, const void *p, size_t n);
void pf_buf_free(struct pf_buf *b);
/* pf_dump -- append a canonical form of everything reachable from the
 * root; 0 or the first error code met */
int pf_dump(struct pf_buf *out, pk_pool *pool);

#endif
