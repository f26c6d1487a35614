/*
 * pmemsim.h -- the power-failure simulator's interface
 *
 * libpmemsim.so is LD_PRELOADed into a test program. It interposes
 * libpmem's flush, drain and copy functions (which libpmemobj calls
 * through the dynamic linker) and mmap/munmap/msync, and keeps a shadow
 * image of one watched file: the bytes a power failure would leave. A
 * flush captures the current contents of the whole 64-byte cache lines it
 * covers; they reach the shadow at the next drain (pmem_drain, or the
 * drain inside pmem_persist, pmem_msync, msync and pmem_mem* without
 * PMEM_F_MEM_NODRAIN). Stores that were never flushed never reach it.
 *
 * Every drain is a drain point: the hook (if set) is called just before
 * the drain makes the pending lines durable, which is the last moment the
 * shadow holds the state of a crash between the previous drain and this
 * one. Single-threaded use only.
 *
 * The test program resolves these functions with dlsym() (pf_sim.c), so
 * it does not link the library and runs unchanged without it.
 */
#ifndef PMEMSIM_H
#define PMEMSIM_H

#include <stdint.h>

/* called at every drain point of the watched file */
typedef void (*pmemsim_hook)(void *arg, uint64_t point);

struct pmemsim_stats {
	uint64_t drains;	/* drain points while the file was mapped */
	uint64_t changes;	/* drains that changed the shadow */
	uint64_t flushes;	/* flush calls that covered the file */
	uint64_t lines;		/* cache lines captured by them */
	uint64_t msyncs;	/* of the drains: pmem_msync or msync */
	uint64_t mappings;	/* shared mappings of the file seen */
	uint64_t pending;	/* lines flushed, not yet drained */
	uint64_t size;		/* size of the shadow (the file) */
};

/* image variants for pmemsim_write_image() */
#define PMEMSIM_IMG_DURABLE 0u	/* exactly what was flushed and drained */
#define PMEMSIM_IMG_PARTIAL 1u	/* plus a random subset of the lines
				   flushed since the last drain (a drain
				   that had not completed) */
#define PMEMSIM_IMG_EVICT 2u	/* plus a random subset of the lines whose
				   stores were never flushed (the cache
				   wrote them back on its own) */

/*
 * pmemsim_watch -- track the file at path from its next shared mapping
 * on; the shadow starts as the file's contents at that moment. Resets
 * any previous watch. Returns 0 or an errno value.
 */
int pmemsim_watch(const char *path);
/* stop tracking and free the shadow */
void pmemsim_unwatch(void);
/* set (or clear, with NULL) the drain-point hook */
void pmemsim_set_hook(pmemsim_hook fn, void *arg);
void pmemsim_get_stats(struct pmemsim_stats *out);
/*
 * pmemsim_write_image -- write the shadow to a new file at path (made
 * sparse), as variant flags with random choices from seed. Returns 0 or
 * an errno value.
 */
int pmemsim_write_image(const char *path, unsigned flags, uint64_t seed);

#endif
