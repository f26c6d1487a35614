/*
 * layout.h -- pmemkit's on-media structures
 *
 * Everything here lives in the pool and is read back by later processes,
 * possibly of another build: only sized integer types, explicit padding,
 * and a magic tag at the start of every object so that an offset that does
 * not lead to the expected kind of object is caught. The format version in
 * the root changes when any of these structures changes incompatibly.
 */
#ifndef PK_LAYOUT_H
#define PK_LAYOUT_H

#include <stdint.h>

/* libpmemobj layout name of every pmemkit pool */
#define PK_LAYOUT_NAME "pmemkit"

/*
 * libpmemobj type numbers: pmemkit reserves 0x504B00..0x504BFF ("PK"), so
 * a pool walk can tell pmemkit's objects from anything else.
 */
#define PK_TN_BASE	0x504B00u
#define PK_TN_MAP	(PK_TN_BASE + 0x01)	/* struct pk_map_hdr */
#define PK_TN_MAPDIR	(PK_TN_BASE + 0x02)	/* struct pk_mapdir */
#define PK_TN_SEGMENT	(PK_TN_BASE + 0x03)	/* struct pk_segment */
#define PK_TN_OVERFLOW	(PK_TN_BASE + 0x04)	/* struct pk_overflow */
#define PK_TN_BLOB	(PK_TN_BASE + 0x05)	/* struct pk_blob */
#define PK_TN_LIST	(PK_TN_BASE + 0x06)	/* struct pk_list_hdr */
#define PK_TN_LISTSEG	(PK_TN_BASE + 0x07)	/* struct pk_listseg */
#define PK_TN_ARRAY	(PK_TN_BASE + 0x08)	/* struct pk_array_hdr */
#define PK_TN_ARRAYDATA	(PK_TN_BASE + 0x09)	/* struct pk_arraydata */
#define PK_TN_LOG	(PK_TN_BASE + 0x0A)	/* struct pk_log_hdr */
#define PK_TN_LOGCHUNK	(PK_TN_BASE + 0x0B)	/* struct pk_logchunk */
#define PK_TN_BLOCKS	(PK_TN_BASE + 0x0C)	/* struct pk_blocks_hdr */
#define PK_TN_BLKMAP	(PK_TN_BASE + 0x0D)	/* struct pk_blkmap */
#define PK_TN_BLKEXT	(PK_TN_BASE + 0x0E)	/* struct pk_blkext */
#define PK_TN_SET	(PK_TN_BASE + 0x0F)	/* struct pk_map_hdr of a set */
#define PK_TN_RECORD	(PK_TN_BASE + 0x10)	/* struct pk_map_hdr of a record */
#define PK_TN_SORTED	(PK_TN_BASE + 0x11)	/* struct pk_sorted_hdr */
#define PK_TN_SLEAF	(PK_TN_BASE + 0x12)	/* struct pk_sleaf */
#define PK_TN_SINNER	(PK_TN_BASE + 0x13)	/* struct pk_sinner */
#define PK_TN_LISTDIR	(PK_TN_BASE + 0x14)	/* struct pk_listdir */
#define PK_TN_LAST	(PK_TN_BASE + 0xFF)

/* magic tags, one per object kind ("PKRT", "PKMP", ...) */
#define PK_MAGIC_ROOT		0x54524b50u
#define PK_MAGIC_MAP		0x504d4b50u
#define PK_MAGIC_MAPDIR		0x444d4b50u
#define PK_MAGIC_SEGMENT	0x47534b50u
#define PK_MAGIC_OVERFLOW	0x464f4b50u
#define PK_MAGIC_BLOB		0x4c424b50u
#define PK_MAGIC_LIST		0x534c4b50u
#define PK_MAGIC_LISTSEG	0x474c4b50u
#define PK_MAGIC_ARRAY		0x52414b50u
#define PK_MAGIC_ARRAYDATA	0x44414b50u
#define PK_MAGIC_LOG		0x4f4c4b50u	/* "PKLO" */
#define PK_MAGIC_LOGCHUNK	0x434c4b50u	/* "PKLC" */
#define PK_MAGIC_BLOCKS		0x41424b50u	/* "PKBA" */
#define PK_MAGIC_BLKMAP		0x4d424b50u	/* "PKBM" */
#define PK_MAGIC_BLKEXT		0x45424b50u	/* "PKBE" */
#define PK_MAGIC_SET		0x54534b50u	/* "PKST" */
#define PK_MAGIC_RECORD		0x43524b50u	/* "PKRC" */
#define PK_MAGIC_SORTED		0x4d534b50u	/* "PKSM" */
#define PK_MAGIC_SLEAF		0x4c534b50u	/* "PKSL" */
#define PK_MAGIC_SINNER		0x49534b50u	/* "PKSI" */
#define PK_MAGIC_LISTDIR	0x444c4b50u	/* "PKLD" */

/*
 * Incompatible features (pk_root.incompat): a library that does not know
 * a bit set there refuses the pool. PK_INCOMPAT_MULHASH: maps hash keys
 * with pk__mulhash (lib/mulhash.h), not SipHash-1-3; set in every pool
 * created since it was introduced, never set or cleared later.
 */
#define PK_INCOMPAT_MULHASH	(1ULL << 0)
/*
 * PK_INCOMPAT_LOG: the pool holds, or held, a log (struct pk_log_hdr),
 * which a library without logs would take for leaked objects; set in the
 * transaction that creates a pool's first log, never cleared.
 */
#define PK_INCOMPAT_LOG		(1ULL << 1)
/* PK_INCOMPAT_BLOCKS: the same for block arrays (struct pk_blocks_hdr) */
#define PK_INCOMPAT_BLOCKS	(1ULL << 2)
/* PK_INCOMPAT_SET: the same for sets (a map header of magic "PKST") */
#define PK_INCOMPAT_SET		(1ULL << 3)
/* PK_INCOMPAT_RECORD: the same for records (a map header of magic "PKRC") */
#define PK_INCOMPAT_RECORD	(1ULL << 4)
/* PK_INCOMPAT_TUPLE: a value of type PK_TUPLE or PK_FROZENSET is, or was,
 * stored */
#define PK_INCOMPAT_TUPLE	(1ULL << 5)
/* PK_INCOMPAT_SORTED: as PK_INCOMPAT_LOG, for sorted maps */
#define PK_INCOMPAT_SORTED	(1ULL << 6)
/* PK_INCOMPAT_LISTCAP: a list of the capped layout (PK_LIST_CAPPED) is, or
 * was, in the pool: a library that knows only doubling segments would
 * take its directories for segments */
#define PK_INCOMPAT_LISTCAP	(1ULL << 7)
#define PK_INCOMPAT_KNOWN	(PK_INCOMPAT_MULHASH | PK_INCOMPAT_LOG | \
				 PK_INCOMPAT_BLOCKS | PK_INCOMPAT_SET | \
				 PK_INCOMPAT_RECORD | PK_INCOMPAT_TUPLE | \
				 PK_INCOMPAT_SORTED | PK_INCOMPAT_LISTCAP)

/*
 * The pool's root object (libpmemobj's root). Fields after the format
 * version are only meaningful when magic and format are recognised.
 */
struct pk_root {
	uint32_t magic;		/* PK_MAGIC_ROOT once creation completed */
	uint16_t format;	/* PK_FORMAT_VERSION that wrote the pool */
	uint16_t reserved16;
	uint64_t incompat;	/* feature flags a reader must understand */
	uint64_t pool_size;	/* file size at creation, to catch truncation */
	uint64_t seed[2];	/* the maps' hash key, random per pool */
	uint64_t root_map;	/* offset of the root map */
	uint64_t dirty;		/* 1 while a process has the pool open */
	uint64_t gen_limit;	/* generation numbers below this are used */
	uint64_t reserved[8];
};

/*
 * Header of every container. refcount counts the references stored in
 * other containers (plus one for the root map). gen is unique per pool and
 * never reused, so a handle can tell its container from a later object at
 * the same offset; each pool starts at a random gen (lib/pool.c), so a
 * reference from another pool does not match either.
 */
struct pk_obj_hdr {
	uint32_t magic;
	uint16_t version;	/* layout version of this object kind */
	uint16_t flags;		/* reserved for bindings (e.g. tuple) */
	uint64_t gen;
	uint64_t refcount;
};

/*
 * Maps and lists record whether they are leaves: PK_LEAF from creation,
 * and again after a clear, until a container reference is stored in them.
 * A change to a leaf never reaches another container, so it never has to
 * be rerun under the pool's lock (lib/lock.c); a reference met in one is
 * damage. Any other value, such as the 0 that pools of format 1 hold
 * there, means "may hold references".
 */
#define PK_LEAF 1

/*
 * A slot holds one entry: its hash and a key and a value, each either
 * inline in data[] or, with PK_SLOT_EXT set in its type byte, as the
 * 8-byte offset of a pk_blob. Inline payloads: nil 0 bytes, bool 1, int
 * and double 8 (little endian), bytes/string/bigint/tuple their length,
 * container references 8 (the offset). The key's payload comes first, the
 * value's right after it. A slot is one cache line, so finding a key and
 * reading its value touch the same line, and one snapshot covers a change.
 */
#define PK_SLOT_DATA	56
#define PK_SLOT_EXT	0x80u
#define PK_HASH_USED	0x80000000u	/* set in every used slot's hash */
struct pk_slot {
	uint32_t hash;		/* 0: free; else the key's hash | USED */
	uint8_t ktype;
	uint8_t vtype;
	uint8_t klen;		/* inline payload lengths */
	uint8_t vlen;
	uint8_t data[PK_SLOT_DATA];
};

/*
 * A tuple's payload (PK_TUPLE) is its items one after another, each a type
 * byte and its bytes: nil none, bool 1 (0 or 1), int and double 8; bytes,
 * string, bigint and tuple a uint32_t length and that many bytes. The
 * empty tuple is no bytes. Items are never container references and
 * tuples nest at most PK_TUPLE_DEPTH deep (lib/tuple.c checks both). A
 * frozen set's payload (PK_FROZENSET) is a tuple's, its items distinct
 * and in the canonical order of their keys (tuple.c: key_cmp()).
 */
#define PK_TUPLE_LEN	4

/* an out-of-line byte string */
struct pk_blob {
	uint32_t magic;
	uint32_t reserved;
	uint64_t len;
	uint8_t data[];
};

/* a hash bucket: eight slots, 512 bytes */
#define PK_BUCKET_SLOTS 8
struct pk_bucket {
	struct pk_slot slot[PK_BUCKET_SLOTS];
};

/*
 * An overflow bucket chained from a full bucket. Smaller than a bucket:
 * most chains overflow by an entry or two.
 */
#define PK_OVERFLOW_SLOTS 3
struct pk_overflow {
	uint32_t magic;
	uint32_t reserved;
	uint64_t next;		/* the next overflow bucket, or 0 */
	uint64_t pad[6];	/* keeps the slots cache-line aligned */
	struct pk_slot slot[PK_OVERFLOW_SLOTS];
};

/*
 * Buckets live in segments. Segment 0 holds bucket 0; segment k, for
 * 1 <= k <= PK_SEG_SHIFT, holds buckets [2^(k-1), 2^k); every later segment
 * holds PK_SEG_BUCKETS buckets. Small maps stay small and no segment is
 * ever copied. A segment starts with the overflow links of its buckets
 * (padded to whole cache lines), then the buckets.
 */
#define PK_SEG_SHIFT	6
#define PK_SEG_BUCKETS	(1u << PK_SEG_SHIFT)
struct pk_segment {
	uint32_t magic;
	uint32_t nbuckets;
	uint64_t pad[7];
	uint64_t next[];	/* nbuckets links, then the buckets */
};

/* the segment directory: offsets of segments, 0 where none */
struct pk_mapdir {
	uint32_t magic;
	uint32_t cap;
	uint64_t seg[];
};

/*
 * A map. The fields that change on every insert or remove share one
 * cache line with the header so one snapshot covers them.
 */
struct pk_map_hdr {
	struct pk_obj_hdr h;
	uint64_t count;		/* entries */
	uint64_t nbuckets;	/* linear hashing: buckets in use */
	uint64_t modcount;	/* bumped by inserts and removes */
	uint64_t dir;		/* offset of the pk_mapdir */
	uint64_t leaf;		/* PK_LEAF: no value refers to a container */
	uint64_t cls;		/* a record's: the pk_blob of its class name;
				   0 in maps and sets */
	uint64_t reserved[6];
};

/*
 * A list cell holds one element: type byte, length byte and payload,
 * inline up to PK_CELL_DATA bytes, else in a pk_blob (as in slots).
 */
#define PK_CELL_DATA 14
struct pk_cell {
	uint8_t type;
	uint8_t len;
	uint8_t data[PK_CELL_DATA];
};

/*
 * A list's cells live in segments. Segment k < PK_LIST_DOUBLING holds
 * PK_LISTSEG0 << k cells, so element i below their 2,040 cells is in
 * segment floor(log2(i / PK_LISTSEG0 + 1)); every later segment holds
 * PK_LISTSEG_CAP cells, a size that shares the class of a map's full
 * segment (alloc.c), so a long list needs no large contiguous allocation
 * to grow. No segment is ever copied.
 *
 * seg[k] holds segment k for k < PK_LIST_DOUBLING; seg[PK_LIST_DOUBLING
 * + j] holds directory j, a pk_listdir of PK_LISTDIR0 << j offsets of the
 * capped segments that follow the previous directories' (directories
 * double too, so none is ever copied either).
 *
 * Lists written before the capped layout (layout 0) double every segment,
 * up to PK_LIST_SEGS of them, all in seg[]; they are read and written in
 * their own layout.
 */
#define PK_LISTSEG0 8
#define PK_LIST_SEGS 48
#define PK_LIST_DOUBLING 8
#define PK_LISTSEG_CAP 2083
#define PK_LISTDIR0 64
#define PK_LIST_CAPPED 1
struct pk_list_hdr {
	struct pk_obj_hdr h;
	uint64_t count;		/* elements */
	uint64_t modcount;	/* bumped when the length changes */
	uint64_t nsegs;		/* segments allocated */
	uint64_t leaf;		/* PK_LEAF: no element refers to a container */
	uint64_t layout;	/* PK_LIST_CAPPED, or 0: every segment doubles */
	uint64_t reserved[3];
	uint64_t seg[PK_LIST_SEGS]; /* segments, then directories; 0 where
				       none is allocated */
};

/* a directory of a capped list: offsets of pk_listseg, 0 past the last */
struct pk_listdir {
	uint32_t magic;
	uint32_t cap;		/* PK_LISTDIR0 << j for directory j */
	uint64_t seg[];
};

struct pk_listseg {
	uint32_t magic;
	uint32_t reserved;
	uint64_t ncells;	/* PK_LISTSEG0 << k for segment k, or
				   PK_LISTSEG_CAP */
	struct pk_cell cell[];
};

/* a typed array: header, and the elements in one allocation */
struct pk_array_hdr {
	struct pk_obj_hdr h;
	uint8_t elem;		/* pk_elem */
	uint8_t pad[3];
	uint32_t width;		/* bytes per element */
	uint64_t length;	/* elements */
	uint64_t data;		/* offset of the pk_arraydata, 0 when empty */
	uint64_t modcount;	/* bumped by resize */
	uint64_t reserved[4];
};

struct pk_arraydata {
	uint32_t magic;
	uint32_t reserved;
	uint64_t bytes;		/* length * width */
	uint64_t pad[6];	/* room for later fields; the elements start
				   64 bytes into the object */
	uint8_t data[];
};

/*
 * A log: records appended to chunks of growing size. Only the last chunk
 * takes appends; the header counts the records and payload bytes of the
 * chunks before it, and the last chunk's pub says how far it is filled,
 * so length and size are O(1).
 */
struct pk_log_hdr {
	struct pk_obj_hdr h;
	uint64_t count;		/* records in the chunks before the last */
	uint64_t modcount;	/* bumped by a clear (cursors notice) */
	uint64_t nbytes;	/* payload bytes in the chunks before the last */
	uint64_t first;		/* the first chunk, 0 when empty */
	uint64_t last;		/* the chunk appends go to, 0 when empty */
	uint64_t base;		/* position of the last chunk's first byte */
	uint64_t reserved[6];
};

/*
 * A chunk of a log. Records follow each other unaligned in data[]: an
 * 8-byte head (a 32-bit length and a check of it, so a position that is
 * not a record's start is caught) and the payload. pub is what makes
 * records exist: the records in the chunk (bits 40-63) and the bytes they
 * take (bits 0-39), both published by one atomic 8-byte store once the
 * records' bytes are persistent.
 */
#define PK_LOG_PUB_BYTES_BITS	40
#define PK_LOG_REC_HEAD		8
struct pk_logchunk {
	uint32_t magic;
	uint32_t reserved;
	uint64_t next;		/* the next chunk, 0 for the last */
	uint64_t cap;		/* bytes of data[] */
	uint64_t pub;		/* records << 40 | bytes used */
	uint64_t pad[4];	/* data[] starts on a cache line */
	uint8_t data[];
};

/*
 * A block array: count blocks of bsize bytes, each written whole and
 * atomically without copying the old contents (lib/blocks.c). Block i's
 * contents live in a physical block, stride bytes in an extent, that the
 * map's entry i names by its offset; the low bits of an entry are flags.
 * One more physical block than there are blocks is the spare that the
 * next write fills. The flog (after libpmemblk's BTT) records the last
 * write: block lba moved from physical block old to new; the entry with
 * the larger seq is the current one, its old the spare, and until the
 * map's entry lba is updated from old to new, the flog says it is new.
 */
#define PK_BLK_ZERO	1ULL	/* map entry: the block reads as zeros */
#define PK_BLK_BAD	2ULL	/* map entry: reads fail until a write */
#define PK_BLK_FLAGS	3ULL
#define PK_BLK_NONE	UINT64_MAX	/* flog lba of no write */


struct pk_blkflog {
	uint64_t seq;		/* published last, by one atomic store */
	uint64_t lba;
	uint64_t old;		/* the map entry before the write */
	uint64_t new;		/* the one after */
};
struct pk_blocks_hdr {
	struct pk_obj_hdr h;
	uint32_t bsize;		/* bytes of a block */
	uint32_t stride;	/* bytes of a physical block: bsize rounded
				   up to a cache line */
	uint64_t count;		/* blocks */
	uint64_t modcount;	/* bumped by growth */
	uint64_t map;		/* offset of the pk_blkmap */
	uint64_t ext;		/* the newest pk_blkext (each links the one
				   before) */
	uint64_t nphys;		/* physical blocks in the extents: count + 1 */
	uint64_t reserved[7];
	struct pk_blkflog flog[2];	/* its own cache line */
};
struct pk_blkmap {
	uint32_t magic;
	uint32_t reserved;
	uint64_t cap;		/* entries allocated */
	uint64_t pad[6];
	uint64_t ent[];		/* physical block offset | flags */
};
struct pk_blkext {
	uint32_t magic;
	uint32_t reserved;
	uint64_t next;		/* the extent made before, or 0 */
	uint64_t nblocks;	/* physical blocks in data[] */
	uint64_t pad[5];	/* data[] starts on a cache line */
	uint8_t data[];
};

/*
 * A sorted map is a B+-tree (lib/sorted.c). Leaves hold entries as map
 * slots, in key order; inner nodes hold, for each child, its offset and
 * the number of entries under it (so that an entry's index takes one
 * descent), and between children a separator key: a slot whose key is
 * the first key of the child to its right (its value is nil). Every node
 * but the root holds at least a quarter of its capacity. A tree of
 * height h has h - 1 levels of inner nodes above its leaves; an empty
 * map has no node (root 0, height 0).
 */
#define PK_SLEAF_SLOTS	32
#define PK_SINNER_KIDS	32
#define PK_SORTED_MAX_HEIGHT 16
struct pk_sorted_hdr {
	struct pk_obj_hdr h;
	uint64_t count;		/* entries */
	uint64_t modcount;	/* bumped by inserts and removes */
	uint64_t root;		/* offset of the root node, or 0 */
	uint64_t height;	/* levels of nodes, leaves included */
	uint64_t leaf;		/* PK_LEAF: no value refers to a container */
	uint64_t reserved[7];
};
struct pk_snode {
	uint32_t magic;		/* PK_MAGIC_SLEAF or PK_MAGIC_SINNER */
	uint16_t n;		/* entries (leaf) or children (inner) */
	uint16_t level;		/* 0 for a leaf; a child's is one less */
	uint64_t pad[7];	/* what follows starts on a cache line */
};
struct pk_sleaf {
	struct pk_snode hd;
	struct pk_slot slot[PK_SLEAF_SLOTS];
};
struct pk_sinner {
	struct pk_snode hd;
	uint64_t kid[PK_SINNER_KIDS];	/* offsets of the children */
	uint64_t cnt[PK_SINNER_KIDS];	/* entries under each */
	struct pk_slot sep[PK_SINNER_KIDS - 1];	/* sep[i]: first key of
						   kid[i + 1] */
};

#endif /* PK_LAYOUT_H */
