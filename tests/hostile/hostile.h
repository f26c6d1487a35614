/*
 * hostile.h -- shared by the corrupted-pool corpus test and the fuzz target
 *
 * seed.c builds a representative pool and finds where each of pmemkit's
 * structures lives in its image; mutate.c derives damaged images from it;
 * walk.c opens an image and reads everything reachable through the public
 * API, then checks and collects it. None of them may trust the image.
 */
#ifndef PK_HOSTILE_H
#define PK_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The seed pool's size. PK_POOL_MIN_SIZE (8 MiB) holds about 160 integer
 * entries in one map: libpmemobj gives every allocation size class a run of
 * its own, and a map's segments, a list's segments, arrays and blobs take
 * a dozen classes. Twice the minimum holds the representative pool.
 */
#define HX_POOL_SIZE ((size_t)16 << 20)

/* the type number of a non-pmemkit object put in the seed pool: gc must
 * never free it, nor pmemkit write into it */
#define HX_FOREIGN_TN 42u
#define HX_FOREIGN_SIZE 256u
#define HX_FOREIGN_BYTE 0xA5u

/* kinds of objects in a seed image */
enum hx_kind {
	HX_ROOT, HX_MAP, HX_MAPDIR, HX_SEGMENT, HX_OVERFLOW, HX_BLOB,
	HX_LIST, HX_LISTSEG, HX_ARRAY, HX_ARRAYDATA, HX_LOG, HX_LOGCHUNK,
	HX_BLOCKS, HX_BLKMAP, HX_BLKEXT, HX_SORTED, HX_SLEAF, HX_SINNER,
	HX_LISTDIR, HX_FOREIGN, HX_NKINDS
};
extern const char *const hx_kind_name[HX_NKINDS];

struct hx_object {
	uint64_t off, size;	/* in the image; size is the usable size */
	int kind;
};

/* one field of one object: where a targeted overwrite goes */
struct hx_field {
	uint64_t off;		/* in the image */
	uint8_t width;		/* 1, 2, 4 or 8 bytes */
	uint8_t is_off;		/* holds an offset into the pool */
	uint16_t obj;		/* index in hx_seed.obj */
	const char *name;	/* "map.nbuckets", "slot.klen", ... */
};

struct hx_seed {
	uint8_t *img;		/* the seed pool's bytes */
	size_t size;
	struct hx_object *obj;
	size_t nobj;
	struct hx_field *fld;
	size_t nfld;
	uint64_t root_off;	/* the pk_root object */
};

/* build the representative pool at path (must not exist); 0 or a code */
int hx_seed_build(const char *path);
/* read the pool at path and find its objects and fields; 0 or -1 */
int hx_seed_load(struct hx_seed *s, const char *path);
void hx_seed_free(struct hx_seed *s);

/* the offset of the root's dirty flag: set it and open runs gc */
uint64_t hx_dirty_off(const struct hx_seed *s);

/* what walking one image found; lives in memory shared with the parent */
enum hx_stage {
	HX_ST_START, HX_ST_OPEN, HX_ST_WALK, HX_ST_CHECK, HX_ST_GC,
	HX_ST_CHECK2, HX_ST_DEFRAG, HX_ST_FOREIGN, HX_ST_CLOSE, HX_ST_DONE
};
extern const char *const hx_stage_name[];
struct hx_result {
	int stage;		/* how far it got (enum hx_stage) */
	int open_rc;
	int walk_rc;		/* first error of the walk, 0 for none */
	int check_rc;
	int gc_rc;
	int check2_rc;		/* pk_pool_check after a successful gc */
	uint64_t containers;	/* containers walked */
	uint64_t entries;	/* entries, elements read */
	uint64_t freed;		/* objects gc freed */
	int foreign_lost;	/* the foreign object was freed or changed */
	int bad;		/* an invariant failed: why says which */
	int sig;		/* the signal that ended the walk (set by the
				   parent of the process that ran it) */
	char why[160];
	char open_why[320];	/* pk_errormsg() of a refused open */
};

/*
 * hx_walk_file -- open the pool at path, read everything, check, gc,
 * check again, defrag and check once more (when clean), close. With check_foreign, look for the foreign object
 * before closing and report it lost if it is not intact.
 */
void hx_walk_file(const char *path, struct hx_result *r, int check_foreign);

/* whether rc is a code pmemkit may return: 0, a pmemkit code, an errno */
int hx_known_code(int rc);
/* a short name for a code: "0", "PK_ECORRUPT", "ENOENT" */
const char *hx_code_name(int rc, char *buf, size_t len);

/* a small deterministic PRNG (splitmix64) */
static inline uint64_t
hx_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* mutate.c -- one damaged image of a seed, as a list of edits */
enum hx_class {
	HX_C_FIELD, HX_C_FIELD_DIRTY, HX_C_BITFLIP, HX_C_BYTE, HX_C_MULTI,
	HX_C_POOLHDR, HX_C_META, HX_C_PAGE, HX_C_TRUNC, HX_C_FOREIGN,
	HX_NCLASSES
};
extern const char *const hx_class_name[HX_NCLASSES];

#define HX_MAX_EDITS 6
struct hx_edit {
	uint64_t off;
	uint8_t width;		/* bytes written at off, little endian */
	uint64_t val;
};
/* a run of bytes overwritten: zeros, or noise from a seed */
#define HX_MAX_FILLS 2
struct hx_fill {
	uint64_t off, len;
	uint64_t noise;		/* 0: zeros */
};
struct hx_mutation {
	int cls;
	int nedits;
	struct hx_edit edit[HX_MAX_EDITS];
	int nfills;
	struct hx_fill fill[HX_MAX_FILLS];
	uint64_t truncate;	/* new length, or 0 for none */
	int foreign;		/* HX_C_FOREIGN: which foreign file */
	uint64_t noise;		/* seed of a foreign file's random bytes */
	char desc[384];		/* what was done, for a failure report */
};

/* the mutation of class cls drawn from the PRNG state */
void hx_mutation_make(struct hx_mutation *m, const struct hx_seed *s,
		int cls, uint64_t *rng);
/* the mutation decoded from fuzzer bytes */
void hx_mutation_decode(struct hx_mutation *m, const struct hx_seed *s,
		const uint8_t *data, size_t len);
/* write the seed image with m applied to path; 0 or -1 */
int hx_mutation_write(const struct hx_mutation *m, struct hx_seed *s,
		const char *path);
/* foreign files: how many kinds there are */
int hx_foreign_count(void);

#endif
