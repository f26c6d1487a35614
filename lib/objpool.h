/*
 * objpool.h -- what durable.c knows of libpmemobj's private pool
 * descriptor (struct pmemobjpool, src/libpmemobj/obj.h): the version it
 * was read from, and where the fields it checks and changes lie
 */
#ifndef PK_OBJPOOL_H
#define PK_OBJPOOL_H

#include <stddef.h>

/* the one libpmemobj whose private layout is known here */
#define OBJ_VERSION_TAG "src version: "	/* in its read-only data */
#define OBJ_VERSION "1.12.1"

/*
 * Offsets in libpmemobj 1.12.1's struct pmemobjpool of the run-time fields
 * durable.c reads or writes: the same in its release and its debug build
 * (/usr/lib/x86_64-linux-gnu/pmdk_dbg), computed from obj.h with both
 * builds' definitions. All lie in the descriptor's second page, which the
 * debug build leaves readable (it maps the first, the pool header,
 * PROT_NONE).
 */
#define OBJ_OFF_ADDR 6688	/* void *addr: the pool itself */
#define OBJ_OFF_IS_PMEM 6696	/* int is_pmem: 0 or 1 */
#define OBJ_OFF_RDONLY 6700	/* int rdonly: 0 */
#define OBJ_OFF_UUID_LO 6872	/* uint64_t uuid_lo: the PMEMoids' */
#define OBJ_OFF_REPLICA 6912	/* PMEMobjpool *replica: NULL, no replicas */
#define OBJ_OFF_LOCAL 6920	/* struct obj_local: the store functions */
#define OBJ_OFF_OPS 6968	/* struct pmem_ops p_ops: six functions */
#define OBJ_OFF_OPS_BASE 7016	/* void *p_ops.base: the pool itself */
#define OBJ_OFF_MASTER 7112	/* int is_master_replica: 1 */
#define OBJ_OFF_REMOTE 7116	/* int has_remote_replicas: 0 */
#define OBJ_OFF_RPP 7120	/* void *rpp: NULL, not a remote replica */
#define OBJ_OPS 6		/* functions at OBJ_OFF_OPS */

/* persist_local .. memset_local, in the descriptor's order */
struct obj_local {
	void (*persist)(const void *, size_t);
	void (*flush)(const void *, size_t);
	void (*drain)(void);
	void *(*memcpy)(void *, const void *, size_t, unsigned);
	void *(*memmove)(void *, const void *, size_t, unsigned);
	void *(*memset)(void *, int, size_t, unsigned);
};

#endif /* PK_OBJPOOL_H */
