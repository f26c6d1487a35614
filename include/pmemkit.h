/*
 * pmemkit.h -- crash-consistent persistent containers on libpmemobj
 *
 * This header is the manual of the pmemkit C API (one file, however long:
 * every declaration with its documentation, as LMDB's lmdb.h).
 *
 * Conventions
 * - Every object is an opaque handle: pk_pool, pk_map, pk_list, pk_array,
 *   pk_set, pk_log, pk_blocks, pk_region, pk_cursor.
 * - Functions are named pk_<object>_<verb>; out-parameters come first.
 * - Functions return int: 0 on success, a negative pmemkit code from
 *   PK_ERROR_TABLE (pmemkit_tables.h), or a positive errno value. pk_strerror() names any of
 *   them and pk_errormsg() gives the detail of the last failure in the
 *   calling thread. PK_NOTFOUND and PK_ITEROVER are ordinary outcomes, not
 *   failures: they do not change pk_errormsg().
 * - Every operation that changes a container is atomic and durable when it
 *   returns: it runs in a libpmemobj transaction of its own, or joins the
 *   caller's transaction (pk_tx_begin()). Outside a transaction, a map
 *   insert or remove of a small entry (no blob, no container) commits
 *   with one atomic 4-byte store instead (doc/design.md); the map's count
 *   is then written back lazily, and recounted when a pool is opened after
 *   a crash.
 * - Handles (pk_map, pk_list, pk_array, pk_set, pk_log, pk_blocks) and cursors are volatile
 *   and belong to the caller, who releases them with the matching
 *   close/free function. Releasing a handle never changes the persistent container.
 * - A container lives while it is referenced from the pool: stored in a
 *   map or list reachable from the root. Handles do not keep it alive: when
 *   the last reference goes, the container is freed and every handle to it
 *   reports PK_ESTALE. A new container (pk_map_new(), ...) is unreferenced
 *   until stored; pk_pool_gc() frees unreferenced containers.
 * - Data returned by reference (bytes and strings in a pk_value) is borrowed
 *   from the pool: it stays valid until the entry that holds it is changed
 *   or removed, pk_pool_defrag() runs, or the pool is closed. Copy it to
 *   keep it longer.
 * - A pool opened with PK_POOL_READONLY (pk_pool_open_opts()) is never
 *   written: every function that would change it (a container's changes
 *   and *_new functions, clear, pk_container_set_flags(), pk_tx_begin(),
 *   pk_pool_gc(), pk_pool_defrag(), pk_pool_sync()) returns PK_EREADONLY
 *   before it looks at its arguments' contents, and changes nothing.
 *
 * Threads: every function may be called from any number of threads at
 * once, on the same pool and the same containers. Each open pool has a
 * reader-writer lock, and each container one (in volatile memory; a
 * pool's containers share 64 such locks by address). Functions that only
 * read run in parallel. A change to a container that neither stores nor
 * drops a container value holds only that container's lock exclusively:
 * writers to different containers run in parallel, writers to one are
 * serialised. Every other change (storing a container, overwriting or
 * removing one, creating a container, clear, gc, check, stats) holds the
 * pool's lock exclusively, serialised with every other reader and writer
 * of the pool; a change that finds it would drop a container value starts
 * again under that lock. Each writer sees all earlier changes. A
 * transaction holds the pool's lock exclusively from pk_tx_begin() to its
 * commit or abort: other threads neither see its changes before it
 * commits nor change what it reads; keep transactions short when other
 * threads wait. Transactions belong to the thread that
 * began them. Borrowed data (above) may change as soon as the call that
 * returned it has returned, when other threads write the same entry: read
 * it inside a transaction, or copy it, to keep it stable. A cursor, and
 * the pool's closing, are for one thread: close a pool when no other
 * thread uses it or its handles any more.
 */
#ifndef PMEMKIT_H
#define PMEMKIT_H 1

#include <stddef.h>
#include <stdint.h>

#include "pmemkit_tables.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup version Version
 * @{ */
/** @brief Major version: changes when the API changes incompatibly. */
#define PK_VERSION_MAJOR 0
/** @brief Minor version: new functions, compatible. */
#define PK_VERSION_MINOR 1
/** @brief Patch version: fixes only. */
#define PK_VERSION_PATCH 0
/** @brief Version of the on-media format this library writes. */
#define PK_FORMAT_VERSION 2

/**
 * @brief Return the library's version as a string "MAJOR.MINOR.PATCH".
 * @return A static string; never NULL.
 */
const char *pk_version(void);
/** @} */

/** @defgroup errors Error codes
 * @{ */
/** @brief pmemkit's own return codes, generated from PK_ERROR_TABLE. */
typedef enum pk_error {
	PK_OK = 0, /**< success */
#define PK_ERROR_ENUM_(name, value, cls, msg) name = value,
	PK_ERROR_TABLE(PK_ERROR_ENUM_)
#undef PK_ERROR_ENUM_
	PK_ERROR_END_ = PK_ERROR_MIN /**< not a code: bounds the range */
} pk_error;

/**
 * @brief Describe a return code.
 * @param[in] code 0, a negative pmemkit code or a positive errno value.
 * @return For every pmemkit code and every errno value that has a name, a
 * static string starting with that name, e.g. "PK_NOTFOUND: key not
 * found" or "ENOENT: No such file or directory". For other codes, a text
 * with the number, in a thread-local buffer valid until the thread's next
 * call with such a code (a static text without the number if no memory
 * could be had for that buffer). Never NULL.
 */
const char *pk_strerror(int code);

/**
 * @brief The detail of the last failure in the calling thread.
 *
 * Every function that fails writes this message; when libpmemobj caused
 * the failure its own message is included.
 * @return A thread-local string, valid until the next pmemkit call in this
 * thread; "" if nothing has failed yet. Never NULL.
 */
const char *pk_errormsg(void);

/**
 * @brief The language-neutral class of a return code.
 * @param[in] code A return code.
 * @return The class column of PK_ERROR_TABLE ("NotFound", "PoolError", ...)
 * for pmemkit codes, "OSError" for positive errno values, "" for 0, and
 * "Error" for unknown codes. Never NULL.
 */
const char *pk_error_class(int code);
/** @} */

/** @defgroup tables Tables for the languages
 * The rows of the tables of pmemkit_tables.h, as data: every language
 * module builds its constants, exceptions and lookups from these, so no
 * module keeps a copy of a row. Numbers are int64_t, strings static.
 * @{ */
/** @brief One row of PK_ERROR_TABLE. */
typedef struct pk_error_row {
	const char *name;    /**< "PK_NOTFOUND", ... */
	int64_t code;        /**< its value */
	const char *cls;     /**< its class ("NotFound", "PoolError", ...) */
	const char *message; /**< what pk_strerror() says of it */
} pk_error_row;

/** @brief One row of PK_ELEM_TABLE. */
typedef struct pk_elem_row {
	const char *name;     /**< "PK_ELEM_I8", ... */
	int64_t code;         /**< its pk_elem value */
	const char *sname;    /**< its short name: "i8", ..., "bytes" */
	int64_t size;         /**< bytes per element; 0 for PK_ELEM_BYTES */
	const char *typecode; /**< Python's and numpy's format character, or
				   "" */
	const char *cls;      /**< "signed", "unsigned", "float" or "bytes" */
} pk_elem_row;

/** @brief One row of PK_FLAG_TABLE. */
typedef struct pk_flag_row {
	const char *name;    /**< "PK_FLAG_TUPLE", ... */
	int64_t value;       /**< its bit */
	const char *meaning; /**< what it records */
} pk_flag_row;

/** @brief One row of PK_POOL_FLAG_TABLE. */
typedef struct pk_pool_flag_row {
	const char *name;    /**< "PK_POOL_READONLY", ... */
	int64_t value;       /**< its bit in pk_pool_options.flags */
	const char *option;  /**< the name every language gives the option:
				   "readonly", "process_durable", ... */
	const char *meaning; /**< what it does */
} pk_pool_flag_row;

/**
 * @brief A row of PK_ERROR_TABLE.
 * @param[in] index 0 for the first row.
 * @return The row, static; NULL past the last row (or for a negative
 * index).
 */
const pk_error_row *pk_error_table(int64_t index);

/** @brief A row of PK_ELEM_TABLE, as pk_error_table(). */
const pk_elem_row *pk_elem_table(int64_t index);

/** @brief A row of PK_FLAG_TABLE, as pk_error_table(). */
const pk_flag_row *pk_flag_table(int64_t index);

/** @brief A row of PK_POOL_FLAG_TABLE, as pk_error_table(). */
const pk_pool_flag_row *pk_pool_flag_table(int64_t index);
/** @} */

/** @defgroup values Values
 * @{ */
/** @brief The type of a value. Numbers below 16 are scalars; containers
 * start at 16. */
typedef enum pk_type {
	PK_NIL = 0,     /**< no value (None, nil, undef) */
	PK_BOOL = 1,    /**< boolean: u.i is 0 or 1 */
	PK_INT = 2,     /**< signed 64-bit integer in u.i */
	PK_DOUBLE = 3,  /**< IEEE 754 double in u.d */
	PK_BYTES = 4,   /**< binary data in u.buf, any bytes */
	PK_STRING = 5,  /**< UTF-8 text in u.buf, NUL allowed, not terminated */
	PK_BIGINT = 6,  /**< integer outside int64: u.buf holds its minimal
			     little-endian two's complement bytes */
	PK_TUPLE = 7,   /**< a fixed sequence of scalars and tuples: u.buf
			     holds its encoding (pk_tuple_pack()) */
	PK_FROZENSET = 8, /**< a set of distinct scalars as one scalar (a
			     frozen set that can be a key): u.buf holds its
			     encoding (pk_frozenset_pack()) */
	PK_MAP = 16,    /**< reference to a map in u.ref */
	PK_LIST = 17,   /**< reference to a list in u.ref */
	PK_ARRAY = 18,  /**< reference to a typed array in u.ref */
	PK_LOG = 19,    /**< reference to a log in u.ref */
	PK_BLOCKS = 20, /**< reference to a block array in u.ref */
	PK_SET = 21,    /**< reference to a set in u.ref */
	PK_RECORD = 22, /**< reference to a record in u.ref */
	PK_SORTED = 23  /**< reference to a sorted map in u.ref */
} pk_type;

/**
 * @brief Reference to a persistent container, as held in a value.
 *
 * A reference names no pool. Generation numbers are never reused in a pool
 * and each pool starts counting them at a random 64-bit value (below
 * 2^62), so a reference used with another pool than the one it came from
 * (or to a container since freed) reports PK_ESTALE, with the assurance
 * of libpmemobj's random pool uuid. Pools created before this rule count
 * from 1.
 */
typedef struct pk_ref {
	uint64_t off; /**< the container's offset in its pool */
	uint64_t gen; /**< the container's generation number */
} pk_ref;

/**
 * @brief A tagged value: what maps store as keys and values.
 *
 * Keys may be any scalar (PK_NIL to PK_FROZENSET). Numeric keys are equal when
 * their values are: the bool true, the int 1 and the double 1.0 are one key,
 * and the key keeps the type it was first stored with. Bytes and strings are
 * never equal to each other. All NaNs are one key. Tuples are equal when
 * they have as many items and their items are equal pairwise by these
 * rules: (1, "a") and (1.0, "a") are one key. Frozen sets are equal when
 * they have the same members by these rules, in any order.
 *
 * Small values (up to 56 bytes for key and value together) are stored
 * inline in the container; larger ones in an allocation of their own.
 */
typedef struct pk_value {
	pk_type type; /**< which member of u is valid */
	union {
		int64_t i; /**< PK_BOOL, PK_INT */
		double d;  /**< PK_DOUBLE */
		struct {
			const void *ptr; /**< the bytes (borrowed) */
			size_t len;      /**< their number */
		} buf;     /**< PK_BYTES to PK_FROZENSET */
		pk_ref ref; /**< PK_MAP and the other containers */
	} u; /**< the payload */
} pk_value;

/**
 * @brief Whether bytes are UTF-8 as a PK_STRING value's must be: no
 * overlong forms, no surrogates, nothing above U+10FFFF (NUL allowed).
 * For language modules that choose between PK_STRING and PK_BYTES.
 * @param[in] s The bytes (NULL only when @p len is 0).
 * @param[in] len Their number.
 * @return 1 if they are, 0 if not.
 */
int pk_utf8_valid(const void *s, size_t len);

/** @brief A nil value. */
static inline pk_value pk_nil(void)
{ pk_value v; v.type = PK_NIL; v.u.i = 0; return v; }
/** @brief A boolean value (any non-zero @p b is true). */
static inline pk_value pk_bool(int b)
{ pk_value v; v.type = PK_BOOL; v.u.i = b != 0; return v; }
/** @brief An integer value. */
static inline pk_value pk_int(int64_t i)
{ pk_value v; v.type = PK_INT; v.u.i = i; return v; }
/** @brief A double value. */
static inline pk_value pk_double(double d)
{ pk_value v; v.type = PK_DOUBLE; v.u.d = d; return v; }
/** @brief A bytes value of @p len bytes at @p ptr (not copied). */
static inline pk_value pk_bytes(const void *ptr, size_t len)
{ pk_value v; v.type = PK_BYTES; v.u.buf.ptr = ptr; v.u.buf.len = len;
  return v; }
/** @brief A string value of @p len bytes of UTF-8 at @p ptr (not copied). */
static inline pk_value pk_string(const char *ptr, size_t len)
{ pk_value v; v.type = PK_STRING; v.u.buf.ptr = ptr; v.u.buf.len = len;
  return v; }

/**
 * @brief Encode items as a PK_TUPLE value's bytes.
 *
 * A tuple is a fixed sequence of items, each a scalar (PK_NIL to
 * PK_BIGINT) or a tuple, nested at most PK_TUPLE_DEPTH deep; it is a
 * scalar itself, so it can be a map key, a set element or a value. As
 * snprintf() does, the call sets *len to the size of the encoding and
 * writes it only when it fits: a caller that does not know the size
 * calls it with @p cap 0, allocates *len bytes and calls it again. The
 * encoding is the pool's (lib/layout.h) and copies the items' bytes.
 * @param[out] buf Where to write it (NULL when @p cap is 0).
 * @param[in] cap The bytes available at @p buf.
 * @param[out] len The size of the encoding.
 * @param[in] items The items (NULL when @p n is 0).
 * @param[in] n Their number; 0 makes the empty tuple.
 * @return 0 (*len > @p cap says nothing was written); PK_EKEYTYPE for an
 * item that is a container reference; PK_EVALUE for an item that is not a
 * valid value (as pk_map_put() checks it) or a tuple nested too deep;
 * EINVAL for NULL pointers.
 */
int pk_tuple_pack(void *buf, size_t cap, size_t *len, const pk_value *items,
		size_t n);

/**
 * @brief Encode distinct items as a PK_FROZENSET value's bytes.
 *
 * A frozen set as a scalar: what a language's immutable set becomes where
 * a scalar is needed (a map key, a set element, a tuple item). Items are
 * what a tuple takes (frozen sets too); the encoding is a tuple's with the
 * items in the library's canonical order and each once: items that are
 * one key (1, 1.0 and true) are kept once, as the first given. Two frozen
 * sets with the same members therefore have one encoding up to the types
 * of equal numbers, and are one key. The size protocol and errors are
 * pk_tuple_pack()'s; ENOMEM as well.
 */
int pk_frozenset_pack(void *buf, size_t cap, size_t *len,
		const pk_value *items, size_t n);

/**
 * @brief Step through a tuple's items, or a frozen set's (in its
 * canonical order).
 * @param[out] item The item at *pos; its bytes are borrowed from
 * @p tuple's.
 * @param[in] tuple A PK_TUPLE or PK_FROZENSET value.
 * @param[in,out] pos 0 for the first item; advanced past the item given.
 * @return 0 with an item; PK_ITEROVER after the last; PK_EVALUE if
 * @p tuple is not a PK_TUPLE or PK_FROZENSET or its bytes are not an
 * encoding.
 */
int pk_tuple_next(pk_value *item, const pk_value *tuple, size_t *pos);

/**
 * @brief The number of items in a tuple or a frozen set.
 * @param[out] out The number.
 * @param[in] tuple A PK_TUPLE or PK_FROZENSET value.
 * @return 0 on success; PK_EVALUE as pk_tuple_next().
 */
int pk_tuple_length(uint64_t *out, const pk_value *tuple);

/** @brief How deep tuples and frozen sets nest: one of other scalars is
 * depth 1. */
#define PK_TUPLE_DEPTH 32
/** @} */

/** @defgroup pool Pools
 * A pool is a file holding pmemkit's containers. Its root is a map that
 * always exists; every other container is reached from it. A pool can
 * also grow on demand or keep a replica: it is then a poolset file naming
 * several files (pk_pool_options), opened the same way.
 * Constructors: pk_pool_create(), pk_pool_open(). Destructor:
 * pk_pool_close(). Methods: pk_pool_root(), pk_pool_stats_get(),
 * pk_pool_prefault(), pk_pool_gc(), pk_pool_check(), pk_map_new(),
 * pk_list_new(), pk_array_new(), the pk_tx_* functions.
 * @{ */
/** @brief An open pool (opaque). */
typedef struct pk_pool pk_pool;
/** @brief A handle to a persistent map (opaque). */
typedef struct pk_map pk_map;
/** @brief A handle to a persistent list (opaque). */
typedef struct pk_list pk_list;
/** @brief A handle to a persistent typed array (opaque). */
typedef struct pk_array pk_array;
/** @brief A handle to a persistent log (opaque). */
typedef struct pk_log pk_log;
/** @brief A handle to a persistent set (opaque). */
typedef struct pk_set pk_set;
/** @brief A handle to a persistent record (opaque). */
typedef struct pk_record pk_record;
/** @brief A handle to a persistent sorted map (opaque). */
typedef struct pk_sorted pk_sorted;
/** @brief A handle to a persistent block array (opaque). */
typedef struct pk_blocks pk_blocks;
/** @brief A mapped file of raw persistent memory (opaque). */
typedef struct pk_region pk_region;
/** @brief A cursor over a container (opaque). */
typedef struct pk_cursor pk_cursor;

/**
 * @brief Smallest pool size accepted by pk_pool_create() (libpmemobj's).
 *
 * libpmemobj keeps about 4 MiB of a pool for itself (its lanes' logs) and
 * hands out the rest in chunks of 256 KiB. pmemkit allocates from six
 * classes of its own whose runs take one chunk each in pools below
 * 64 MiB (doc/design.md), so a small pool holds what its size suggests:
 * an 8 MiB pool holds about 27,000 small map entries, a 16 MiB one about
 * 85,000, and a 64 MiB one fills to 85% or more of its size. In pools
 * below 64 MiB a transaction's undo log grows by 512-byte extensions
 * rather than 32 KiB ones, so a transaction that snapshots much (a pop
 * from the front of a long list) can find a full small pool too full for
 * its log: it fails with PK_ENOSPACE and changes nothing.
 */
#define PK_POOL_MIN_SIZE ((size_t)8 << 20)

/**
 * @brief Create a pool file.
 * @param[out] out The new pool; set to NULL on failure.
 * @param[in] path File to create; it must not exist.
 * @param[in] size Size of the pool in bytes, at least PK_POOL_MIN_SIZE.
 * @param[in] mode Permission bits of the file; 0 means 0600.
 * @return 0 on success. Some possible errors are:
 * - EEXIST: the file exists;
 * - EINVAL: a NULL argument or @p size below PK_POOL_MIN_SIZE;
 * - ENOENT, EACCES, ENOSPC: as reported by the file system.
 */
int pk_pool_create(pk_pool **out, const char *path, size_t size,
		unsigned mode);

/**
 * @brief Open an existing pool.
 *
 * Only one process may have a pool open at a time. After a session that did
 * not close the pool (a crash), the open takes longer: libpmemobj recovers
 * the pool, pmemkit opens it a second time (libpmemobj 1.12 keeps state
 * from before its recovery otherwise) and collects garbage (pk_pool_gc()).
 * @param[out] out The pool; set to NULL on failure.
 * @param[in] path The pool file.
 * @return 0 on success. Some possible errors are:
 * - ENOENT: no such file; EISDIR: it is a directory; EACCES: no permission
 *   to read and write it, or no write permission bits (refused even for
 *   root; PK_POOL_READONLY opens such a file); EAGAIN (EWOULDBLOCK): it
 *   is already open, read-only or not, in this process or another;
 * - PK_ENOTPOOL: the file is not a libpmemobj pool (empty, foreign data);
 * - PK_ELAYOUT: a libpmemobj pool of another application;
 * - PK_EVERSION: a pmemkit pool of a newer format;
 * - PK_ECORRUPT: a pmemkit pool that is truncated or damaged, libpmemobj's
 *   own metadata included (its headers, lanes and logs, heap, zone, chunk
 *   and run headers: checked before libpmemobj maps the file, which is left
 *   unchanged); pk_errormsg() says what is wrong;
 *   a poolset whose parts or replica are missing, foreign (of another pool) or
 *   damaged (pk_pool_repair() rebuilds a copy from a healthy replica).
 */
int pk_pool_open(pk_pool **out, const char *path);

/** @brief Pool options, generated from PK_POOL_FLAG_TABLE. */
enum pk_pool_flag {
#define PK_POOL_FLAG_ENUM_(name, value, option, meaning) name = value,
	PK_POOL_FLAG_TABLE(PK_POOL_FLAG_ENUM_)
#undef PK_POOL_FLAG_ENUM_
	PK_POOL_FLAG_END_ /**< not a flag */
};

/** @brief Version of pk_pool_options this header describes. */
#define PK_POOL_OPTIONS_VERSION 1

/**
 * @brief The maximum of a growing pool created with max_size 0: 32 GiB.
 *
 * A growing pool reserves address space for its maximum (not memory nor
 * disk): 32 GiB fits every 64-bit process, valgrind's included. Set
 * max_size for a larger pool.
 */
#define PK_POOL_MAX_DEFAULT ((uint64_t)32 << 30)

/**
 * @brief How to create or open a pool: pk_pool_create_opts(),
 * pk_pool_open_opts().
 *
 * Versioned: initialise with PK_POOL_OPTIONS_INIT (all defaults) and set
 * what differs. Fields a call does not use must be left at their default.
 *
 * Kinds of pool, and what is on disk for each (@p path is what
 * pk_pool_create_opts() was given, and what pk_pool_open() takes again):
 * - size set, max_size 0, no replica: a fixed pool, the file @p path of
 *   size bytes (what pk_pool_create() makes);
 * - size 0, or max_size set: a growing pool. @p path is a poolset file
 *   (poolset(5), a few lines of text) naming the directory
 *   <path>.parts by its absolute path (so the pool cannot be moved or
 *   renamed). The directory holds libpmemobj's part files 000000.pmem,
 *   000001.pmem, ...: the first of 8 MiB (or of size bytes if size is
 *   set, as two parts), and one more each time the pool runs out of room,
 *   of an eighth of the pool's size then (8 MiB to 1 GiB), until the
 *   parts together would pass max_size: then allocations fail with
 *   PK_ENOSPACE and the pool stays usable. <path>.parts must not exist or
 *   be empty; nothing else may be put in it.
 * - replica set: the pool also keeps a full copy at @p replica, written
 *   with every change (libpmemobj's local replica). @p path is then a
 *   poolset file whose data is in <path>.pmem (fixed pool; the replica a
 *   file of the same size) or <path>.parts (growing pool; the replica a
 *   directory of parts too). pk_pool_repair() rebuilds either copy from
 *   the other. The replica must not exist (a directory: or be empty).
 *
 * Durability. On persistent memory (a DAX file system or device) every
 * acknowledged change is durable against a process crash, a kernel crash
 * and a power loss, in either mode below. On any other file (an ordinary
 * disk, tmpfs) the flags choose:
 * - default (power-loss durable): libpmemobj msyncs every snapshot and
 *   commit, so every acknowledged change is on the disk when its call
 *   returns: it survives SIGKILL, a kernel crash and a power loss (as far
 *   as the disk honours the cache flush msync asks of it), at the cost of
 *   several waits for the disk per change (milliseconds);
 * - PK_POOL_PROCESS_DURABLE (process-crash durable): stores reach the
 *   file's pages in the page cache with CPU cache flushes and fences and
 *   no msync, the path libpmemobj takes on persistent memory (microseconds
 *   a change). Every acknowledged change survives the death of the
 *   process (SIGKILL, abort, a crash, the OOM killer), and an operation
 *   under way is all or nothing, as in the default mode. A kernel crash or
 *   power loss loses what the kernel has not written back, in no
 *   particular order: changes made since the last pk_pool_sync() may be
 *   lost, or partly written so that the pool is damaged (libpmemobj's
 *   logs need their writes in order), which can take with it data synced
 *   earlier. What pk_pool_sync() has made durable survives as long as no
 *   change follows it; a pool is synced also as it is created, opened
 *   and closed. The mode belongs to the open, not the file: each open
 *   chooses again.
 * The mode changes libpmemobj's per-pool store functions, in its private
 * pool descriptor: it needs libpmemobj 1.12.1, whose descriptor is checked
 * at every open, and is refused with ENOTSUP with any other, and for a
 * pool with replicas.
 * PMEM_IS_PMEM_FORCE=1 in the environment (for tests) makes libpmem take
 * every file for persistent memory, so every pool is then process-crash
 * durable only, with or without the flag.
 */
typedef struct pk_pool_options {
	uint32_t version;  /**< PK_POOL_OPTIONS_VERSION */
	uint32_t flags;    /**< PK_POOL_READONLY (open only),
				PK_POOL_PROCESS_DURABLE (see above) */
	uint64_t size;     /**< create: bytes, at least PK_POOL_MIN_SIZE; 0
			        makes a pool that grows on demand (and with
			        max_size set, the first size of one) */
	uint64_t max_size; /**< create: a growing pool with this maximum, at
			        least PK_POOL_MIN_SIZE and size; 0 for
			        PK_POOL_MAX_DEFAULT (size 0) or a fixed pool */
	uint32_t mode;     /**< create: permission bits; 0 means 0600 */
	uint32_t reserved_;/**< must be 0 */
	const char *replica; /**< create: path of a local replica kept in
				  step with the pool, or NULL */
} pk_pool_options;

/** @brief A pk_pool_options with every default. */
#define PK_POOL_OPTIONS_INIT { PK_POOL_OPTIONS_VERSION, 0, 0, 0, 0, 0, NULL }

/**
 * @brief Create a pool as @p opts say (pk_pool_create() with options).
 *
 * Nothing is left on disk when it fails: the files and directories it
 * made are removed, and those it was given (an empty directory) are left
 * as they were.
 * @param[out] out The new pool; set to NULL on failure.
 * @param[in] path The pool: a file, or for a growing or replicated pool a
 * poolset file (poolset(5)) that names its parts (pk_pool_options).
 * @param[in] opts Options; NULL for the defaults (then a size is needed,
 * and EINVAL is returned).
 * @return 0 on success; the errors of pk_pool_create(). Some possible
 * errors are:
 * - EINVAL: a bad option (a version, flag or field this library does not
 *   know, a size below the minimum, a maximum below the minimum or below
 *   the size, a replica that is the pool itself);
 * - EEXIST: @p path, <path>.pmem or the replica exists, or <path>.parts
 *   or a replica directory holds files;
 * - EACCES, EROFS, ENOENT: the file system refused a file or directory.
 * - ENOTSUP: PK_POOL_PROCESS_DURABLE with a libpmemobj other than 1.12.1
 *   or with a replica (no file is left).
 */
int pk_pool_create_opts(pk_pool **out, const char *path,
		const pk_pool_options *opts);

/**
 * @brief Open a pool as @p opts say (pk_pool_open() with options).
 *
 * Opens every kind of pool (pk_pool_options) from the path it was created
 * at: a fixed pool's file, or the poolset file of a growing or replicated
 * one; the same as pk_pool_open().
 *
 * PK_POOL_READONLY opens the pool so that nothing reaches the file: no
 * byte of it changes, nor its modification time, whatever the program
 * calls. Reads, cursors, pk_pool_stats_get(), pk_pool_kind_stats(),
 * pk_container_bytes(), pk_pool_check() and pk_pool_prefault() work as on
 * any pool; every change returns PK_EREADONLY (see Conventions above).
 * libpmemobj writes at every open (recovery, its heap's state), so the
 * pool is mapped where stores stay in the process, in one of two ways:
 * - a file this process could open for writing is mapped copy-on-write
 *   (libpmemobj's MAP_PRIVATE open): the open takes no longer than a
 *   read-write one, and each page written at the open (by libpmemobj's
 *   recovery, or pmemkit's recount after a crash) takes a page of the
 *   process's memory: a few KiB for a pool that was closed cleanly;
 * - a file it may not write (no write permission bits, even for root;
 *   another owner; read-only media) is copied into memory (a memfd, which
 *   libpmemobj opens through /proc): the open reads every data extent of
 *   the file, and memory (tmpfs, swappable) holds them until the pool is
 *   closed. 500 MiB of data on tmpfs took 0.9 to 1.7 s to open and
 *   500 MiB of memory, against 5 to 25 ms copy-on-write (doc/design.md).
 *
 * The pool holds the file's lock while open as a read-write open does:
 * no other open of the file, read-only or not, in this process or
 * another, may share it (EAGAIN), for a writer beside it would show
 * through the pages not copied, torn. After a session that did not close
 * (pk_pool_stats.unclean), libpmemobj's recovery happens in that private
 * memory only, and pmemkit sets right the map counts a crash can leave
 * off, so that reads see what a read-write open would; nothing is
 * collected (pk_pool_stats.recovered is 0, and pk_pool_check() reports
 * what the crash leaked, as the file holds it). The file stays unclean
 * until a read-write open recovers it. Pools of an older format are read
 * as they are, not upgraded. A pool of a newer format, or with feature
 * flags this library lacks, is refused as by pk_pool_open().
 *
 * libpmemobj's copy-on-write switch ("copy_on_write.at_open") is one for
 * the process: pmemkit sets it for each of its opens, under a lock, and
 * to 0 for a read-write open (PMEMOBJ_CONF cannot make those private).
 * Another user of libpmemobj in the process opening a pool at the same
 * moment as a read-only open may find it set.
 * @param[out] out The pool; set to NULL on failure.
 * @param[in] path The pool file or poolset file.
 * @param[in] opts Options (flags only); NULL for the defaults.
 * @return 0 on success; the errors of pk_pool_open(); EINVAL for a bad
 * option (PK_POOL_READONLY is refused by pk_pool_create_opts(), and with
 * PK_POOL_PROCESS_DURABLE: a read-only pool is never written); ENOTSUP
 * for PK_POOL_PROCESS_DURABLE with a libpmemobj other than 1.12.1 or a
 * pool with replicas (the pool is not left open); ENOTSUP if a file this
 * process may not write is to be opened read-only and /proc is not
 * mounted; ENOMEM if its copy finds no memory.
 */
int pk_pool_open_opts(pk_pool **out, const char *path,
		const pk_pool_options *opts);

/**
 * @brief Close a pool.
 *
 * An open transaction of the calling thread on this pool is aborted first.
 * Handles and cursors made from the pool stay safe to release after it is
 * closed; any other use of them returns PK_ECLOSED. NULL is a no-op.
 * A pool in process-durable mode (PK_POOL_PROCESS_DURABLE) is synced first
 * (pk_pool_sync()), so a pool closed is durable in every mode.
 * @param[in] pool The pool, or NULL.
 * @return 0 on success; PK_EABORTED if an open transaction was aborted (the
 * pool is closed all the same); an errno code if the sync failed (the
 * pool is closed all the same, and its next open recovers it as after a
 * crash).
 */
int pk_pool_close(pk_pool *pool);

/**
 * @brief Get a handle to the pool's root map.
 * @param[out] out A new handle; release it with pk_map_close().
 * @param[in] pool The pool.
 * @return 0 on success; PK_ECLOSED; ENOMEM.
 */
int pk_pool_root(pk_map **out, pk_pool *pool);

/** @brief Version of pk_pool_stats this header describes: 2 added
 * max_size and free (a caller of version 1 gets the fields before them). */
#define PK_POOL_STATS_VERSION 3

/**
 * @brief Space and state of a pool, filled by pk_pool_stats_get().
 *
 * Versioned: set version to PK_POOL_STATS_VERSION before the call (or
 * initialise with PK_POOL_STATS_INIT). The library fills the fields of
 * that version, so a program built against this header keeps working
 * with later libraries whose struct has grown. Fields are only ever
 * appended.
 */
typedef struct pk_pool_stats {
	uint32_t version;  /**< in: PK_POOL_STATS_VERSION */
	uint32_t reserved_; /**< zero */
	uint64_t size;     /**< bytes of the pool mapped: the file's size
			        rounded down to whole pages; a growing pool's
			        parts together, now */
	uint64_t used;     /**< bytes held by allocated objects: their
			        usable sizes and the 16-byte header
			        libpmemobj keeps before each */
	uint64_t objects;  /**< number of allocated objects */
	int unclean;       /**< 1 if the previous session did not close the
			        pool (it crashed or was killed) */
	uint64_t recovered; /**< objects pk_pool_open() reclaimed after an
				 unclean session (see pk_pool_gc()); 0 for a
				 pool opened read-only, which reclaims
				 nothing */
	/* version 2 */
	uint64_t max_size; /**< the most the pool may grow to: a growing
			        pool's maximum, a fixed pool's size */
	uint64_t free;     /**< bytes the pool could still allocate, at
			        most: max_size less used and less
			        libpmemobj's own metadata in front of its heap;
			        for a growing pool no more than its size now
			        plus what its file system has free */
	/* version 3 */
	uint32_t format;   /**< the format version (PK_FORMAT_VERSION of the
			        library that wrote it) the pool had when this
			        session opened it: a read-write open brings an
			        older pool to this library's, a read-only one
			        leaves it */
	uint32_t reserved3_; /**< zero */
} pk_pool_stats;

/** @brief An initialiser for a pk_pool_stats of this header's version. */
#define PK_POOL_STATS_INIT { PK_POOL_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * @brief Report the space a pool uses. Walks every object: O(objects).
 * @param[in,out] out The figures; its version set by the caller.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ECLOSED; EINVAL for NULL arguments or a
 * version this library does not know.
 */
int pk_pool_stats_get(pk_pool_stats *out, pk_pool *pool);

/**
 * @brief The containers of one kind in a pool and the bytes they hold.
 *
 * A container's bytes are what its header and every allocation it owns
 * (segments, blobs, element storage) take of the pool, as
 * pk_pool_stats.used counts them, not those of the containers it refers
 * to. Walks every object: O(objects), under the
 * pool's lock. Like pk_pool_stats_get(), it sees what transactions have
 * committed: inside a transaction the containers and allocations it made
 * are not counted yet (pk_container_bytes() counts them).
 * @param[out] count The number of containers of the kind, reachable or
 * not (pk_pool_gc() frees the others).
 * @param[out] bytes Their bytes.
 * @param[in] pool The pool.
 * @param[in] kind A container type, PK_MAP and up.
 * @return 0 on success; EINVAL for NULL arguments or a type that is no
 * container kind; PK_ECORRUPT if a container's walk meets damage;
 * PK_ECLOSED.
 */
int pk_pool_kind_stats(uint64_t *count, uint64_t *bytes, pk_pool *pool,
		pk_type kind);

/**
 * @brief The bytes a container holds, alone and with every container it
 * refers to, directly or not, each counted once (cycles included).
 * @param[out] shallow Its own bytes (as pk_pool_kind_stats() counts them).
 * @param[out] deep Its bytes and those of every container reachable from
 * it.
 * @param[in] pool The pool.
 * @param[in] ref A reference to a container.
 * @return 0 on success; PK_EVALUE if @p ref is not a container reference;
 * PK_ESTALE; PK_ECORRUPT; PK_ECLOSED; ENOMEM.
 */
int pk_container_bytes(uint64_t *shallow, uint64_t *deep, pk_pool *pool,
		const pk_value *ref);

/**
 * @brief Map every page of the pool into the process now.
 *
 * The first touch of each page of a pool's mapping is a page fault. On
 * tmpfs (emulated persistent memory), on a DAX file system, and more so
 * in a virtual machine, one costs microseconds, and it falls on whichever
 * operation first touches the page: a growing map's insert that allocates
 * a bucket segment touches nine new pages at once, which is most of the
 * slowest 0.1% of its puts. Call this after pk_pool_create() or
 * pk_pool_open() when tail latency matters more than the time to open:
 * it takes time in proportion to the pool's size (0.35 to 3 s per GiB on
 * tmpfs in a virtual machine), and the pages normally stay mapped until
 * the pool is closed. It changes no data. It works 64 MiB at a time,
 * each under the pool's lock held shared and the kernel's lock of the
 * process's mappings: other threads may use the pool meanwhile, but one
 * that needs the pool's lock exclusively (pk_tx_begin(), storing a
 * container reference, gc) or maps memory may wait for a chunk, tens to
 * hundreds of ms. On a pool file on a disk (libpmemobj's msync path) it
 * makes every page dirty, so the whole file is written back. A read-only
 * pool's pages are mapped for reading only, so none is copied or dirtied.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ECLOSED; EINVAL for a NULL pool; ENOMEM or
 * another errno if the kernel could not map the pages.
 */
int pk_pool_prefault(pk_pool *pool);

/**
 * @brief Free every pmemkit object not reachable from the root map.
 *
 * Marks from the root, then frees in one transaction every container that
 * is not reachable (unreferenced new containers, cycles of containers that
 * only reference each other, anything a crash left behind) and corrects
 * reference counts. O(objects in the pool). pk_pool_open() runs it after
 * an unclean session. Handles to freed containers report PK_ESTALE.
 * @param[out] freed Number of objects freed (may be NULL).
 * @param[in] pool The pool.
 * @return 0 on success; PK_ECORRUPT if the walk meets damaged structures
 * (nothing is freed then); PK_ENOSPACE; PK_ETXN inside a transaction;
 * PK_EREADONLY; PK_ECLOSED.
 */
int pk_pool_gc(uint64_t *freed, pk_pool *pool);

/** @brief Version of pk_check_report this header describes. */
#define PK_CHECK_REPORT_VERSION 1

/**
 * @brief What pk_pool_check() found; all counts zero for a healthy pool.
 *
 * Versioned as pk_pool_stats is: set version to PK_CHECK_REPORT_VERSION
 * (or initialise with PK_CHECK_REPORT_INIT) before the call.
 */
typedef struct pk_check_report {
	uint32_t version;     /**< in: PK_CHECK_REPORT_VERSION */
	uint32_t reserved_;   /**< zero */
	uint64_t objects;     /**< pmemkit objects in the pool */
	uint64_t reachable;   /**< of them, reachable from the root */
	uint64_t leaked;      /**< allocated but not reachable */
	uint64_t dangling;    /**< references to something not a container */
	uint64_t refcounts;   /**< containers whose reference count is wrong */
	uint64_t damaged;     /**< reachable objects with a bad magic or
				   out-of-pool offsets; containers with a
				   generation number the pool never
				   reserved durably, or with a leaf mark
				   older than an upgrade that did not
				   persist; 1 more when the pool holds a
				   log, block array, set, record or tuple
				   that its root's feature bits do not
				   declare (older libraries would open it) */
} pk_check_report;

/** @brief An initialiser for a pk_check_report of this header's version. */
#define PK_CHECK_REPORT_INIT { PK_CHECK_REPORT_VERSION, 0, 0, 0, 0, 0, 0, 0 }

/**
 * @brief Walk the pool and report problems, changing nothing.
 *
 * Unreferenced new containers count as leaked until they are stored or
 * collected.
 * @param[in,out] out The report; its version set by the caller.
 * @param[in] pool The pool.
 * @return 0 if the pool is healthy (leaked, dangling, refcounts and damaged
 * all zero); PK_ECORRUPT if not (the report says what); PK_ECLOSED;
 * ENOMEM; EINVAL for NULL arguments or a version this library does not
 * know.
 */
int pk_pool_check(pk_check_report *out, pk_pool *pool);

/** @brief Version of pk_defrag_report this header describes. */
#define PK_DEFRAG_REPORT_VERSION 1

/**
 * @brief What pk_pool_defrag() did. Versioned as pk_pool_stats: set
 * version to PK_DEFRAG_REPORT_VERSION (or use PK_DEFRAG_REPORT_INIT).
 */
typedef struct pk_defrag_report {
	uint32_t version;      /**< in: PK_DEFRAG_REPORT_VERSION */
	uint32_t reserved_;
	uint64_t objects;      /**< objects reachable from the root (as
				    pk_check_report.reachable) */
	uint64_t moved;        /**< objects moved */
	uint64_t moved_bytes;  /**< their bytes */
	uint64_t freed_bytes;  /**< bytes of the runs the moves emptied: free
				    space that objects of any size can use
				    again. pk_pool_stats.used does not drop:
				    a moved object keeps its size. */
} pk_defrag_report;

/** @brief A pk_defrag_report to pass to pk_pool_defrag(). */
#define PK_DEFRAG_REPORT_INIT { PK_DEFRAG_REPORT_VERSION, 0, 0, 0, 0, 0 }

/**
 * @brief Move objects out of sparsely used parts of the pool, so that
 * freed space becomes one free space again (defragmentation).
 *
 * Small objects live in runs of 256 KiB chunks, one class of sizes per
 * run; once most objects are deleted, the few left keep nearly every run,
 * and a large object (a blob or array of a few MiB) finds no free chunks
 * although most of the pool is free. This moves every object of each run
 * filled to half or less, as far as the other runs of its class have
 * room, and gives the emptied runs' chunks back as free space. What
 * moves: out-of-line values and keys (blobs), and the parts of maps, sets,
 * records and lists. Container headers, array elements, a record's class
 * name, log chunks and block arrays stay where they are: handles and
 * pointers handed out name them. The moves are crash-safe, in
 * transactions of up to 64 objects each: after a crash every object is
 * in its old place or its new one, with the same contents.
 *
 * Holds the pool's lock exclusively throughout, as pk_pool_gc() does.
 * Handles stay valid; data borrowed before the call (bytes and strings
 * in a pk_value) does not; a map cursor whose overflow buckets moved
 * returns PK_ECHANGED, as after any change. When the pool has no room for
 * a copy the moves stop there, keeping those made, and the call succeeds.
 * Costs a walk of the pool and of libpmemobj's heap, and a copy of what
 * moves (64 MiB pool, 90% of its 290,000 entries deleted: about 4,000
 * objects moved in 20-70 ms on /dev/shm).
 * @param[in,out] out What was done (version set by the caller), or NULL.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ETXN inside a transaction; PK_EREADONLY;
 * PK_ECORRUPT if the walk meets damage (nothing is moved then);
 * PK_ECLOSED; ENOMEM; ENOTSUP if the pool's heap is not in libpmemobj
 * 1.x's layout; EINVAL for a NULL pool or a version this library does
 * not know.
 */
int pk_pool_defrag(pk_defrag_report *out, pk_pool *pool);

/**
 * @brief Make every change acknowledged so far durable against a kernel
 * crash and a power loss.
 *
 * For a pool in process-durable mode (PK_POOL_PROCESS_DURABLE on a file
 * that is not persistent memory, or under PMEM_IS_PMEM_FORCE=1): msyncs
 * every byte of the pool with MS_SYNC, which writes back every page
 * changed since the last sync and waits for the disk (as long as the file
 * system and disk honour it). On return, every change acknowledged before
 * the call, in any thread, is on the disk; a power loss before the next
 * change leaves the pool as it is now. A change after it is again at risk
 * until the next sync, and can damage the pool (pk_pool_options). Changes
 * of a transaction still open are written with their undo log, so a crash
 * rolls them back. Changes other threads make during the call may or may
 * not be included. Its cost is the disk writes of the pages changed,
 * which on a busy pool are fewer than the default mode's.
 *
 * In any other pool it does nothing and returns 0: every change already
 * was durable when it returned (the default mode, persistent memory).
 * @param[in] pool The pool.
 * @return 0 on success; EINVAL for a NULL pool; PK_EREADONLY for a pool
 * opened read-only; PK_ECLOSED; an errno code from msync (EIO: the disk
 * failed; what the pool holds on the disk is then unknown).
 */
int pk_pool_sync(pk_pool *pool);

/**
 * @brief Repair a pool with replicas (created with
 * pk_pool_options.replica): damaged or missing parts are rebuilt from a
 * healthy copy (libpmempool's pmempool_sync()). The pool must not be open.
 *
 * A copy is damaged for it when a part file is missing, has the wrong
 * size, or its pool header (checksum, uuids linking the copies) is wrong;
 * either copy, the primary (<path>.pmem or <path>.parts) or the replica,
 * is rebuilt from the other. Damage confined to a copy's data pages, its
 * headers intact, is not seen (libpmemobj keeps no checksums of data):
 * when pk_pool_open() or pk_pool_check() reports damage, delete the
 * damaged copy's file (a growing pool's part) and call this.
 * @param[in] path The pool's poolset file.
 * @return 0 on success (also when nothing needed repair); ENOENT if
 * @p path does not exist; PK_ENOTPOOL if @p path is not a poolset with a
 * replica; PK_ECORRUPT if no healthy copy is left or the copies are of
 * different pools (nothing is changed then); EAGAIN if the pool is open;
 * EINVAL for a NULL path; an errno code.
 */
int pk_pool_repair(const char *path);
/** @} */

/**
 * @brief Called by a thread about to wait for a pool's lock; its result is
 * passed to the matching pk_wait_end_fn.
 */
typedef void *(*pk_wait_begin_fn)(void);
/** @brief Called by the same thread once it holds the pool's lock. */
typedef void (*pk_wait_end_fn)(void *ctx);

/**
 * @brief Have every wait for a pool's lock (see Threads above) bracketed
 * by two functions.
 *
 * For language runtimes with a global lock of their own (Python's GIL,
 * Ruby's GVL): @p begin releases it and @p end takes it back, so that a
 * thread waiting for a pool never holds up, through the runtime's lock,
 * the thread that holds the pool. Calls that find the pool's lock free
 * call neither. Set them once, before threads use pmemkit; NULL for none.
 * @param[in] begin Called before waiting; its result goes to @p end.
 * @param[in] end Called after the lock was taken.
 */
void pk_set_wait_hooks(pk_wait_begin_fn begin, pk_wait_end_fn end);

/** @defgroup tx Transactions
 * A transaction groups operations on one pool so that after a crash either
 * all or none of them are present. Transactions belong to the calling
 * thread and nest flatly: an inner pk_tx_commit() only ends the inner
 * level, an abort at any level aborts the whole transaction. Changes are
 * visible to the thread at once, and to other threads once it commits: it
 * holds the pool's lock exclusively until then (see Threads above). When an operation inside a transaction
 * fails after it started changing the pool, the whole transaction is
 * aborted: later operations and pk_tx_commit() return PK_EABORTED until
 * the outermost level is ended.
 * @{ */
/**
 * @brief Begin a transaction, or a nested level of the open one.
 *
 * Example, a whole program (its argument: the path of a pool to create):
 * @code
 * // Move 30 from alice to bob in one transaction: after a crash the pool
 * // holds both changes or neither.
 * #include <stdio.h>
 * #include <pmemkit.h>
 *
 * static int ok(int rc)
 * {
 * 	if (rc != 0)
 * 		fprintf(stderr, "%s: %s\n", pk_strerror(rc), pk_errormsg());
 * 	return rc == 0;
 * }
 *
 * int main(int argc, char **argv)
 * {
 * 	pk_pool *pool;
 * 	pk_map *root;
 * 	pk_value alice = pk_string("alice", 5), bob = pk_string("bob", 3);
 * 	pk_value a = pk_int(100), b = pk_int(0);
 *
 * 	if (argc != 2 ||
 * 	    !ok(pk_pool_create(&pool, argv[1], PK_POOL_MIN_SIZE, 0)) ||
 * 	    !ok(pk_pool_root(&root, pool)) ||
 * 	    !ok(pk_map_put(root, &alice, &a)))
 * 		return 1;
 * 	if (!ok(pk_tx_begin(pool)))
 * 		return 1;
 * 	a = pk_int(a.u.i - 30);
 * 	b = pk_int(b.u.i + 30);
 * 	if (!ok(pk_map_put(root, &alice, &a)) ||
 * 	    !ok(pk_map_put(root, &bob, &b))) {
 * 		pk_tx_abort(pool);
 * 		return 1;
 * 	}
 * 	if (!ok(pk_tx_commit(pool)))
 * 		return 1;
 * 	pk_map_close(root);
 * 	return !ok(pk_pool_close(pool));
 * }
 * @endcode
 * @param[in] pool The pool.
 * @return 0 on success. Some possible errors are: PK_ETXN if the thread
 * has a transaction open on another pool; PK_EABORTED if the open
 * transaction was aborted (call pk_tx_abort() or pk_tx_commit() to end its
 * levels); PK_EREADONLY for a pool opened read-only (a transaction is for
 * changes; reads need none); PK_ECLOSED.
 */
int pk_tx_begin(pk_pool *pool);

/**
 * @brief Commit the current level of the transaction.
 *
 * Only the outermost commit makes the changes durable.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ETXN if no transaction is open on @p pool in
 * this thread; PK_EABORTED if the transaction had been aborted (the level
 * is ended all the same, and nothing of the transaction remains).
 */
int pk_tx_commit(pk_pool *pool);

/**
 * @brief Abort the transaction and end the current level.
 *
 * Every change since the outermost pk_tx_begin() is undone.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ETXN if no transaction is open on @p pool in
 * this thread.
 */
int pk_tx_abort(pk_pool *pool);

/**
 * @brief Nesting depth of the calling thread's transaction on @p pool.
 * @param[in] pool The pool.
 * @return 0 if none is open, else the number of open levels.
 */
int pk_tx_depth(pk_pool *pool);
/** @} */

/** @defgroup map Maps
 * A map is a hash table from scalar keys to values, hashed with a random
 * per-pool key (doc/design.md), grown and shrunk by linear hashing one bucket at a
 * time, so no single operation moves more than one bucket's entries.
 * Constructors: pk_map_new(), pk_map_open(), pk_pool_root(). Destructor:
 * pk_map_close() (releases the handle only).
 * @{ */
/**
 * @brief Create a new, empty map in a pool.
 *
 * The map is reachable once it is stored in a container reachable from
 * the root (e.g. with pk_map_put()).
 * @param[out] out A handle to the new map.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_map_new(pk_map **out, pk_pool *pool);

/**
 * @brief Open a handle to the map a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_MAP.
 * @return 0 on success; PK_EKIND if @p val is not a map; PK_ESTALE if the
 * map no longer exists; PK_ECLOSED.
 */
int pk_map_open(pk_map **out, pk_pool *pool, const pk_value *val);

/**
 * @brief Release a map handle. The map itself is not changed. NULL is a
 * no-op.
 * @param[in] map The handle, or NULL.
 */
void pk_map_close(pk_map *map);

/**
 * @brief A value that refers to the map, to store it in a container.
 * @param[in] map The map.
 * @return A value of type PK_MAP.
 */
pk_value pk_map_value(const pk_map *map);

/**
 * @brief Insert or replace the value for a key.
 *
 * Example, a whole program (its argument: the path of a pool to create):
 * @code
 * // Count words in the root map, then read a count back.
 * #include <stdio.h>
 * #include <string.h>
 * #include <pmemkit.h>
 *
 * int main(int argc, char **argv)
 * {
 * 	static const char *words[] = { "to", "be", "or", "not", "to", "be" };
 * 	pk_pool *pool;
 * 	pk_map *root;
 * 	pk_value key, val;
 * 	int rc;
 *
 * 	if (argc != 2)
 * 		return 2;
 * 	rc = pk_pool_create(&pool, argv[1], PK_POOL_MIN_SIZE, 0);
 * 	if (rc == 0)
 * 		rc = pk_pool_root(&root, pool);
 * 	for (size_t i = 0; rc == 0 && i < 6; i++) {
 * 		key = pk_string(words[i], strlen(words[i]));
 * 		rc = pk_map_get(&val, root, &key);
 * 		if (rc == PK_NOTFOUND)
 * 			val = pk_int(0);
 * 		else if (rc != 0)
 * 			break;
 * 		val = pk_int(val.u.i + 1);
 * 		rc = pk_map_put(root, &key, &val);
 * 	}
 * 	if (rc == 0) {
 * 		key = pk_string("be", 2);
 * 		rc = pk_map_get(&val, root, &key);
 * 	}
 * 	if (rc != 0) {
 * 		fprintf(stderr, "%s: %s\n", pk_strerror(rc), pk_errormsg());
 * 		return 1;
 * 	}
 * 	printf("be: %lld\n", (long long)val.u.i);
 * 	pk_map_close(root);
 * 	return pk_pool_close(pool) != 0 || val.u.i != 2;
 * }
 * @endcode
 * @param[in] map The map.
 * @param[in] key A scalar key.
 * @param[in] val The value; bytes and strings are copied into the pool.
 * @return 0 on success. Some possible errors are: PK_EKEYTYPE for a
 * container key; PK_EVALUE for invalid UTF-8 in a string or a non-minimal
 * PK_BIGINT; PK_ENOSPACE; PK_ESTALE; PK_EABORTED.
 */
int pk_map_put(pk_map *map, const pk_value *key, const pk_value *val);

/**
 * @brief Look up a key.
 * @param[out] out The value; bytes and strings are borrowed from the pool.
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 if found; PK_NOTFOUND if not; PK_EKEYTYPE; PK_ESTALE.
 */
int pk_map_get(pk_value *out, pk_map *map, const pk_value *key);

/**
 * @brief Look up a key and copy its value out of the pool.
 *
 * pk_map_get() for callers that must not borrow: a bytes, string or
 * bigint payload is copied into @p buf, at one moment with the lookup,
 * so other threads writing the entry meanwhile neither tear the copy
 * nor change it later. Other values are returned as pk_map_get() returns
 * them (they borrow nothing).
 * @param[out] out The value. For a payload that is longer than @p cap,
 * out->u.buf.ptr is NULL and out->u.buf.len the length: call again with
 * that much room (as with snprintf()). Otherwise out->u.buf.ptr is never
 * NULL, even for an empty payload.
 * @param[out] buf Room for the payload; out->u.buf.ptr points into it.
 * What it holds is unspecified unless the call returns 0 with
 * out->u.buf.ptr pointing there (a read that a writer disturbed may have
 * copied into it before being made again).
 * @param[in] cap The bytes at @p buf (buf may be NULL if cap is 0).
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 if found; PK_NOTFOUND if not; PK_EKEYTYPE; PK_ESTALE; EINVAL.
 */
int pk_map_get_copy(pk_value *out, void *buf, size_t cap, pk_map *map,
		const pk_value *key);

/**
 * @brief Tell whether a key is present.
 * @param[out] out 1 if present, 0 if not.
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 on success; PK_EKEYTYPE; PK_ESTALE.
 */
int pk_map_contains(int *out, pk_map *map, const pk_value *key);

/**
 * @brief Remove a key and its value.
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 if removed; PK_NOTFOUND if absent; PK_EKEYTYPE; PK_ESTALE;
 * PK_EABORTED.
 */
int pk_map_remove(pk_map *map, const pk_value *key);

/**
 * @brief Number of entries, in O(1).
 * @param[out] out The count.
 * @param[in] map The map.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_map_length(uint64_t *out, pk_map *map);

/**
 * @brief Remove every entry and give the space back to the pool.
 * @param[in] map The map.
 * @return 0 on success; PK_ENOSPACE (the undo log could not grow);
 * PK_ESTALE; PK_EABORTED.
 */
int pk_map_clear(pk_map *map);

/**
 * @brief Start iterating over a map's entries, in no particular order.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] map The map.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_map_cursor(pk_cursor **out, pk_map *map);
/** @} */

/** @defgroup list Lists
 * A list is a sequence of values with Python's list semantics. Indexes
 * may be negative (-1 is the last element). Elements live in segments
 * that double up to a few thousand elements each and no further, so an
 * append never copies the list and a long list grows by small pieces; get
 * and set are O(1), insert and pop at index i move the elements after i.
 * Constructors: pk_list_new(), pk_list_open(). Destructor: pk_list_close()
 * (releases the handle only).
 * @{ */
/**
 * @brief Create a new, empty list in a pool (unreferenced until stored).
 * @param[out] out A handle to the new list.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_list_new(pk_list **out, pk_pool *pool);

/**
 * @brief Open a handle to the list a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_LIST.
 * @return 0 on success; PK_EKIND if @p val is not a list; PK_ESTALE if the
 * list no longer exists; PK_ECLOSED.
 */
int pk_list_open(pk_list **out, pk_pool *pool, const pk_value *val);

/** @brief Release a list handle (NULL is a no-op); the list is unchanged.
 * @param[in] list The handle, or NULL. */
void pk_list_close(pk_list *list);

/** @brief A value that refers to the list, to store it in a container.
 * @param[in] list The list.
 * @return A value of type PK_LIST. */
pk_value pk_list_value(const pk_list *list);

/**
 * @brief Number of elements, in O(1).
 * @param[out] out The count.
 * @param[in] list The list.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_list_length(uint64_t *out, pk_list *list);

/**
 * @brief Read the element at an index.
 * @param[out] out The value; bytes and strings are borrowed from the pool.
 * @param[in] list The list.
 * @param[in] index 0-based; negative counts from the end.
 * @return 0 on success; PK_ERANGE if the index is out of range; PK_ESTALE.
 */
int pk_list_get(pk_value *out, pk_list *list, int64_t index);

/**
 * @brief Replace the element at an index.
 * @param[in] list The list.
 * @param[in] index 0-based; negative counts from the end.
 * @param[in] val The new value.
 * @return 0 on success; PK_ERANGE; PK_EVALUE; PK_ENOSPACE; PK_ESTALE;
 * PK_EABORTED.
 */
int pk_list_set(pk_list *list, int64_t index, const pk_value *val);

/**
 * @brief Append a value, in amortised O(1).
 *
 * Example, a whole program (its argument: the path of a pool to create):
 * @code
 * // Store a new list under the key "log" of the root map, append to it and
 * // read its last element.
 * #include <stdio.h>
 * #include <pmemkit.h>
 *
 * int main(int argc, char **argv)
 * {
 * 	pk_pool *pool;
 * 	pk_map *root;
 * 	pk_list *list;
 * 	pk_value key = pk_string("log", 3), ref, val;
 * 	uint64_t n;
 * 	int rc;
 *
 * 	if (argc != 2)
 * 		return 2;
 * 	rc = pk_pool_create(&pool, argv[1], PK_POOL_MIN_SIZE, 0);
 * 	if (rc == 0)
 * 		rc = pk_pool_root(&root, pool);
 * 	if (rc == 0)
 * 		rc = pk_list_new(&list, pool);
 * 	if (rc == 0) {
 * 		ref = pk_list_value(list);
 * 		rc = pk_map_put(root, &key, &ref); // now reachable
 * 	}
 * 	for (int64_t i = 1; rc == 0 && i <= 3; i++) {
 * 		val = pk_int(i * 10);
 * 		rc = pk_list_append(list, &val);
 * 	}
 * 	if (rc == 0)
 * 		rc = pk_list_length(&n, list);
 * 	if (rc == 0)
 * 		rc = pk_list_get(&val, list, -1);
 * 	if (rc != 0) {
 * 		fprintf(stderr, "%s: %s\n", pk_strerror(rc), pk_errormsg());
 * 		return 1;
 * 	}
 * 	printf("%llu elements, the last %lld\n", (unsigned long long)n,
 * 	       (long long)val.u.i);
 * 	pk_list_close(list);
 * 	pk_map_close(root);
 * 	return pk_pool_close(pool) != 0 || n != 3 || val.u.i != 30;
 * }
 * @endcode
 * @param[in] list The list.
 * @param[in] val The value.
 * @return 0 on success; PK_EVALUE; PK_ENOSPACE; PK_ESTALE; PK_EABORTED.
 */
int pk_list_append(pk_list *list, const pk_value *val);

/**
 * @brief Append several values in one transaction: all or none.
 * @param[in] list The list.
 * @param[in] vals The values.
 * @param[in] n How many.
 * @return 0 on success; PK_EVALUE (nothing appended); PK_ENOSPACE;
 * PK_ESTALE; PK_EABORTED.
 */
int pk_list_extend(pk_list *list, const pk_value *vals, size_t n);

/**
 * @brief Insert a value before an index, as Python's list.insert: an
 * index past the end appends, one before the start inserts at 0.
 * @param[in] list The list.
 * @param[in] index Where; negative counts from the end.
 * @param[in] val The value.
 * @return 0 on success; PK_EVALUE; PK_ENOSPACE; PK_ESTALE; PK_EABORTED.
 */
int pk_list_insert(pk_list *list, int64_t index, const pk_value *val);

/**
 * @brief Remove the element at an index (read it first to keep it: a
 * container held only there is freed).
 * @param[in] list The list.
 * @param[in] index 0-based; negative counts from the end; -1 is the last.
 * @return 0 on success; PK_ERANGE (also for an empty list); PK_ESTALE;
 * PK_EABORTED.
 */
int pk_list_pop(pk_list *list, int64_t index);

/**
 * @brief Remove the elements [start, stop), clamped to the list as a
 * Python slice is; negative bounds count from the end.
 * @param[in] list The list.
 * @param[in] start First index removed.
 * @param[in] stop Index after the last removed.
 * @return 0 on success (also when the range is empty); PK_ENOSPACE if
 * the pool is too full for the undo log of the cells that move (nothing
 * is removed: remove fewer, or from the end); PK_ESTALE; PK_EABORTED.
 */
int pk_list_remove_range(pk_list *list, int64_t start, int64_t stop);

/**
 * @brief Remove every element and give the space back to the pool.
 * @param[in] list The list.
 * @return 0 on success; PK_ESTALE; PK_EABORTED.
 */
int pk_list_clear(pk_list *list);

/**
 * @brief Iterate over the elements in order: the cursor's key is the
 * index (PK_INT), its value the element. Changing the list's length
 * makes the next step return PK_ECHANGED; setting elements does not.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] list The list.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_list_cursor(pk_cursor **out, pk_list *list);
/** @} */

/** @defgroup array Typed arrays
 * A typed array holds a number of fixed-width elements of one type,
 * contiguously, so it can be read in place (pk_array_data()) and written
 * in place inside a transaction (pk_array_window()).
 * Constructors: pk_array_new(), pk_array_open(). Destructor:
 * pk_array_close() (releases the handle only).
 * @{ */
/** @brief Element types of a typed array, from PK_ELEM_TABLE
 * (pmemkit_tables.h), which also gives each one's name, size, typecode
 * and class. */
typedef enum pk_elem {
#define PK_ELEM_ENUM_(name, value, sname, size, typecode, cls) name = value,
	PK_ELEM_TABLE(PK_ELEM_ENUM_)
#undef PK_ELEM_ENUM_
	PK_ELEM_END_ /**< not a type: one past the last */
} pk_elem;

/**
 * @brief Create a typed array (unreferenced until stored).
 * @param[out] out A handle to the new array.
 * @param[in] pool The pool.
 * @param[in] elem The element type.
 * @param[in] width Bytes per element for PK_ELEM_BYTES (1 or more); 0
 * otherwise (the type's own width).
 * @param[in] length Number of elements.
 * @param[in] init length * width bytes to copy in, or NULL for zeros.
 * @return 0 on success; EINVAL for an unknown type, a bad width or an
 * overflowing size; PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_array_new(pk_array **out, pk_pool *pool, pk_elem elem, size_t width,
		uint64_t length, const void *init);

/**
 * @brief Open a handle to the array a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_ARRAY.
 * @return 0 on success; PK_EKIND if @p val is not an array; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_array_open(pk_array **out, pk_pool *pool, const pk_value *val);

/** @brief Release an array handle (NULL is a no-op); the array is unchanged.
 * @param[in] array The handle, or NULL. */
void pk_array_close(pk_array *array);

/** @brief A value that refers to the array, to store it in a container.
 * @param[in] array The array.
 * @return A value of type PK_ARRAY. */
pk_value pk_array_value(const pk_array *array);

/**
 * @brief Number of elements.
 * @param[out] out The count.
 * @param[in] array The array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_array_length(uint64_t *out, pk_array *array);

/**
 * @brief Element type and width.
 * @param[out] elem The element type (may be NULL).
 * @param[out] width Bytes per element (may be NULL).
 * @param[in] array The array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_array_type(pk_elem *elem, size_t *width, pk_array *array);

/**
 * @brief Copy elements out.
 * @param[out] out count * width bytes.
 * @param[in] array The array.
 * @param[in] start First element.
 * @param[in] count Number of elements.
 * @return 0 on success; PK_ERANGE if [start, start + count) is not inside
 * the array; PK_ESTALE.
 */
int pk_array_read(void *out, pk_array *array, uint64_t start,
		uint64_t count);

/**
 * @brief Copy elements in, atomically (one transaction).
 * @param[in] array The array.
 * @param[in] start First element.
 * @param[in] count Number of elements.
 * @param[in] src count * width bytes.
 * @return 0 on success; PK_ERANGE; PK_ENOSPACE (the undo log could not
 * grow); PK_ESTALE; PK_EABORTED.
 */
int pk_array_write(pk_array *array, uint64_t start, uint64_t count,
		const void *src);

/**
 * @brief Read one element as a value: integers as PK_INT (uint64 elements
 * as the same 64 bits), floats as PK_DOUBLE, byte strings as PK_BYTES
 * (borrowed).
 * @param[out] out The value.
 * @param[in] array The array.
 * @param[in] index 0-based; negative counts from the end.
 * @return 0 on success; PK_ERANGE; PK_ESTALE.
 */
int pk_array_get(pk_value *out, pk_array *array, int64_t index);

/**
 * @brief Write one element from a value, checking it fits: PK_INT or
 * PK_BOOL for integer elements (in the element's range), PK_INT or
 * PK_DOUBLE for float elements, PK_BYTES of exactly the width for byte
 * elements.
 * @param[in] array The array.
 * @param[in] index 0-based; negative counts from the end.
 * @param[in] val The value.
 * uint64 elements take the 64 bits of any PK_INT, the inverse of
 * pk_array_get().
 * @return 0 on success; PK_ERANGE for a bad index or a value outside the
 * element's range; PK_EKIND for a value of another type; PK_EVALUE for
 * bytes of another length or an invalid value; PK_ESTALE; PK_EABORTED.
 */
int pk_array_set(pk_array *array, int64_t index, const pk_value *val);

/**
 * @brief Change the number of elements; new elements are zero. Copies the
 * array into a new allocation in one transaction.
 * @param[in] array The array.
 * @param[in] length The new length.
 * @return 0 on success; PK_ENOSPACE (the array is unchanged); EINVAL for an
 * overflowing size; PK_ESTALE; PK_EABORTED.
 */
int pk_array_resize(pk_array *array, uint64_t length);

/**
 * @brief The elements in place, for reading without a copy.
 *
 * The pointer stays valid until the array is resized or freed or the pool
 * is closed. Writing through it is not crash-safe: use pk_array_window().
 * @param[out] ptr The first element (NULL for an empty array).
 * @param[out] len Length in bytes.
 * @param[in] array The array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_array_data(const void **ptr, size_t *len, pk_array *array);

/**
 * @brief A writable window on elements [start, stop), inside the calling
 * thread's transaction.
 *
 * Snapshots those bytes into the open transaction (pk_tx_begin()), so
 * whatever is written through the pointer before pk_tx_commit() is atomic
 * with the rest of the transaction, and undone by pk_tx_abort(). The
 * pointer is valid until the transaction ends.
 * @param[out] ptr The first element of the window.
 * @param[in] array The array.
 * @param[in] start First element.
 * @param[in] stop Element after the last.
 * @return 0 on success; PK_ETXN if no transaction is open on the array's
 * pool in this thread; PK_ERANGE; PK_ENOSPACE; PK_ESTALE; PK_EABORTED.
 */
int pk_array_window(void **ptr, pk_array *array, uint64_t start,
		uint64_t stop);

/**
 * @brief Iterate over the elements in order: the cursor's key is the
 * index (PK_INT), its value the element as pk_array_get() gives it.
 * Resizing makes the next step return PK_ECHANGED.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] array The array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_array_cursor(pk_cursor **out, pk_array *array);
/** @} */

/** @defgroup log Logs
 * A log is a sequence of records, each a byte string of any length below
 * 4 GiB (NUL bytes and empty records included), that only grows at its
 * end until it is cleared. Records live in chunks of doubling size, so a
 * log grows with the pool and no record is ever copied.
 *
 * An append outside a transaction costs no transaction: the record is
 * written after the last one and made persistent, then published with
 * one atomic 8-byte store, libpmemlog's scheme. After a crash a record is
 * wholly there or not at all, and one acknowledged is never lost. An
 * append that needs a new chunk, pk_log_extend() of several records that
 * need one, and every append inside a user transaction are
 * transactional: all or nothing, as every operation.
 *
 * Every record has a position: a number that stays valid, across
 * reopens, until the log is cleared. A cursor's keys are the positions of
 * its records, pk_log_tell() gives the position the next record will
 * have, and pk_log_cursor_at() iterates from a saved one.
 * Constructors: pk_log_new(), pk_log_open(). Destructor: pk_log_close()
 * (releases the handle only).
 * @{ */
/** @brief The largest record a log holds, in bytes. */
#define PK_LOG_RECORD_MAX ((size_t)0xFFFFFFFFu)

/**
 * @brief Create a new, empty log (unreferenced until stored).
 * @param[out] out A handle to the new log.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_log_new(pk_log **out, pk_pool *pool);

/**
 * @brief Open a handle to the log a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_LOG.
 * @return 0 on success; PK_EKIND if @p val is not a log; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_log_open(pk_log **out, pk_pool *pool, const pk_value *val);

/** @brief Release a log handle (NULL is a no-op); the log is unchanged.
 * @param[in] log The handle, or NULL. */
void pk_log_close(pk_log *log);

/** @brief A value that refers to the log, to store it in a container.
 * @param[in] log The log.
 * @return A value of type PK_LOG. */
pk_value pk_log_value(const pk_log *log);

/**
 * @brief Append a record, atomically and durably.
 * @param[in] log The log.
 * @param[in] val The record: a value of type PK_BYTES (or PK_STRING,
 * stored as its bytes).
 * @return 0 on success; PK_EKIND for a value of another type; EINVAL for
 * a record over PK_LOG_RECORD_MAX bytes; PK_ENOSPACE; PK_ESTALE;
 * PK_EABORTED.
 */
int pk_log_append(pk_log *log, const pk_value *val);

/**
 * @brief Append several records as one atomic unit: after a crash all of
 * them are there or none.
 * @param[in] log The log.
 * @param[in] vals The records, as for pk_log_append().
 * @param[in] n How many.
 * @return As pk_log_append(); nothing is appended on failure.
 */
int pk_log_extend(pk_log *log, const pk_value *vals, size_t n);

/**
 * @brief Number of records, in O(1).
 * @param[out] out The count.
 * @param[in] log The log.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_log_length(uint64_t *out, pk_log *log);

/**
 * @brief Bytes of all the records' payloads, in O(1).
 * @param[out] out The sum of the records' lengths.
 * @param[in] log The log.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_log_nbytes(uint64_t *out, pk_log *log);

/**
 * @brief The position the next record appended will have (the end).
 * @param[out] out The position.
 * @param[in] log The log.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_log_tell(uint64_t *out, pk_log *log);

/**
 * @brief Remove every record and give the space back (a rewind).
 * Positions from before are no longer valid; cursors report PK_ECHANGED.
 * @param[in] log The log.
 * @return 0 on success; PK_ESTALE; PK_EABORTED.
 */
int pk_log_clear(pk_log *log);

/**
 * @brief Iterate over the records from the first: the cursor's key is the
 * record's position (PK_INT), its value the record (PK_BYTES, borrowed).
 * Records appended meanwhile are met when the cursor gets to them; a
 * clear makes the next step return PK_ECHANGED.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] log The log.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_log_cursor(pk_cursor **out, pk_log *log);

/**
 * @brief Iterate over the records from a position: one a cursor gave as a
 * key, or one pk_log_tell() gave (the cursor then meets the records
 * appended since).
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] log The log.
 * @param[in] pos The position.
 * @return 0 on success; PK_ERANGE if @p pos is past the end or not the
 * position of a record; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_log_cursor_at(pk_cursor **out, pk_log *log, uint64_t pos);
/** @} */

/** @defgroup set Sets
 * A set holds distinct elements: the scalars a map takes as keys, with
 * the same equality (1, 1.0 and true are one element). It is a map whose
 * values are all nil, under a header of its own, and every operation is
 * the map's: adding or discarding an element outside a transaction
 * commits with one atomic store, length is O(1), and a cursor gives each
 * element as its key (its value is nil), in no particular order.
 * Constructors: pk_set_new(), pk_set_open(). Destructor: pk_set_close()
 * (releases the handle only).
 * @{ */
/**
 * @brief Create a new, empty set (unreferenced until stored).
 * @param[out] out A handle to the new set.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_set_new(pk_set **out, pk_pool *pool);

/**
 * @brief Open a handle to the set a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_SET.
 * @return 0 on success; PK_EKIND if @p val is not a set; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_set_open(pk_set **out, pk_pool *pool, const pk_value *val);

/** @brief Release a set handle (NULL is a no-op); the set is unchanged.
 * @param[in] set The handle, or NULL. */
void pk_set_close(pk_set *set);

/** @brief A value that refers to the set, to store it in a container.
 * @param[in] set The set.
 * @return A value of type PK_SET. */
pk_value pk_set_value(const pk_set *set);

/**
 * @brief Add an element (nothing changes if it is there).
 * @param[in] set The set.
 * @param[in] elem A scalar, as a map's key.
 * @return 0 on success; PK_EKEYTYPE for a value that cannot be a key;
 * PK_ENOSPACE; PK_ESTALE; PK_ECLOSED; PK_EABORTED.
 */
int pk_set_add(pk_set *set, const pk_value *elem);

/**
 * @brief Remove an element.
 * @param[in] set The set.
 * @param[in] elem The element.
 * @return 0 on success; PK_NOTFOUND if it was not there (not a
 * failure); as pk_set_add().
 */
int pk_set_discard(pk_set *set, const pk_value *elem);

/**
 * @brief Whether an element is in the set.
 * @param[out] out 1 or 0.
 * @param[in] set The set.
 * @param[in] elem The element.
 * @return 0 on success; PK_EKEYTYPE; PK_ESTALE; PK_ECLOSED.
 */
int pk_set_contains(int *out, pk_set *set, const pk_value *elem);

/**
 * @brief Number of elements, in O(1).
 * @param[out] out The count.
 * @param[in] set The set.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_set_length(uint64_t *out, pk_set *set);

/**
 * @brief Iterate over the elements: each is the cursor's key (its value
 * is nil), borrowed until the set changes; a change makes the next step
 * PK_ECHANGED, as for maps.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] set The set.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_set_cursor(pk_cursor **out, pk_set *set);

/**
 * @brief Remove every element.
 * @param[in] set The set.
 * @return 0 on success; PK_ESTALE; PK_EABORTED.
 */
int pk_set_clear(pk_set *set);
/** @} */

/** @defgroup sorted Sorted maps
 * A sorted map holds the entries of a map in the order of their keys, in
 * a B+-tree whose inner nodes count the entries under each child: lookups,
 * inserts, removes and the index of a key take O(log n), the next entry
 * of a cursor O(1) amortised.
 *
 * Keys are scalars as in a map (pk_value), but for frozen sets, which have
 * no order (PK_EKEYTYPE). The order: nil first; then numbers (bools,
 * ints, doubles and big ints) by value, with NaN after every other number
 * (all NaNs one key), so that true, 1 and 1.0 are one key as in a map;
 * then byte strings bytewise; then strings by code point (bytewise in
 * UTF-8); then tuples, item by item by this order, a tuple before any
 * longer one it starts. A double and a big int of the same value, which
 * a map holds as two keys, are two keys here too: the big int sorts
 * right after the double. A frozen set inside a tuple key sorts after
 * every other item in its place, and frozen sets among themselves by
 * their members in their canonical order (pk_frozenset_pack()), item by
 * item, the shorter first.
 *
 * Every change runs in a transaction (the caller's, or its own) and
 * snapshots what it writes: a crash leaves the map as it was before or
 * after the change. Reads run in parallel with a writer. Constructors:
 * pk_sorted_new(), pk_sorted_open(). Destructor: pk_sorted_close()
 * (releases the handle only).
 * @{ */
/**
 * @brief Create a new, empty sorted map in a pool.
 *
 * The map is reachable once it is stored in a container reachable from
 * the root.
 * @param[out] out A handle to the new map.
 * @param[in] pool The pool.
 * @return 0 on success; PK_ENOSPACE; PK_ECLOSED; PK_EREADONLY;
 * PK_EABORTED.
 */
int pk_sorted_new(pk_sorted **out, pk_pool *pool);

/**
 * @brief Open a handle to the sorted map a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_SORTED.
 * @return 0 on success; PK_EKIND if @p val is not a sorted map; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_sorted_open(pk_sorted **out, pk_pool *pool, const pk_value *val);

/**
 * @brief Release a sorted map handle. NULL is a no-op.
 * @param[in] map The handle, or NULL.
 */
void pk_sorted_close(pk_sorted *map);

/**
 * @brief A value that refers to the sorted map, to store it in a container.
 * @param[in] map The map.
 * @return A value of type PK_SORTED.
 */
pk_value pk_sorted_value(const pk_sorted *map);

/**
 * @brief Insert or replace the value for a key.
 *
 * Example, a whole program (its argument: the path of a pool to create):
 * @code
 * // Keep scores in a sorted map and print them in key order.
 * #include <stdio.h>
 * #include <pmemkit.h>
 *
 * int main(int argc, char **argv)
 * {
 * 	static const int64_t scores[] = { 42, 7, 19 };
 * 	pk_pool *pool;
 * 	pk_map *root;
 * 	pk_sorted *map;
 * 	pk_cursor *cur;
 * 	pk_value key = pk_string("scores", 6), ref, k, v;
 * 	int64_t last = -1;
 * 	int rc;
 *
 * 	if (argc != 2)
 * 		return 2;
 * 	rc = pk_pool_create(&pool, argv[1], PK_POOL_MIN_SIZE, 0);
 * 	if (rc == 0)
 * 		rc = pk_pool_root(&root, pool);
 * 	if (rc == 0)
 * 		rc = pk_sorted_new(&map, pool);
 * 	if (rc == 0) {
 * 		ref = pk_sorted_value(map);
 * 		rc = pk_map_put(root, &key, &ref);
 * 	}
 * 	for (int i = 0; rc == 0 && i < 3; i++) {
 * 		k = pk_int(scores[i]);
 * 		v = pk_bool(1);
 * 		rc = pk_sorted_put(map, &k, &v);
 * 	}
 * 	if (rc == 0)
 * 		rc = pk_sorted_cursor(&cur, map);
 * 	while (rc == 0 && (rc = pk_cursor_next(&k, &v, cur)) == 0) {
 * 		if (k.u.i <= last)
 * 			return 1; // not in order
 * 		last = k.u.i;
 * 		printf("%lld\n", (long long)k.u.i);
 * 	}
 * 	if (rc != PK_ITEROVER) {
 * 		fprintf(stderr, "%s: %s\n", pk_strerror(rc), pk_errormsg());
 * 		return 1;
 * 	}
 * 	pk_cursor_free(cur);
 * 	pk_sorted_close(map);
 * 	pk_map_close(root);
 * 	return pk_pool_close(pool) != 0;
 * }
 * @endcode
 * @param[in] map The map.
 * @param[in] key A scalar key, not a frozen set.
 * @param[in] val The value; bytes and strings are copied into the pool.
 * @return 0 on success; PK_EKEYTYPE; PK_EVALUE; PK_ENOSPACE; PK_ESTALE;
 * PK_EREADONLY; PK_EABORTED.
 */
int pk_sorted_put(pk_sorted *map, const pk_value *key, const pk_value *val);

/**
 * @brief Look up a key.
 * @param[out] out The value; bytes and strings are borrowed from the pool.
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 if found; PK_NOTFOUND if not; PK_EKEYTYPE; PK_ESTALE.
 */
int pk_sorted_get(pk_value *out, pk_sorted *map, const pk_value *key);

/**
 * @brief Tell whether a key is present.
 * @param[out] out 1 if present, 0 if not.
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 on success; PK_EKEYTYPE; PK_ESTALE.
 */
int pk_sorted_contains(int *out, pk_sorted *map, const pk_value *key);

/**
 * @brief Remove a key and its value.
 * @param[in] map The map.
 * @param[in] key The key.
 * @return 0 if removed; PK_NOTFOUND if absent; PK_EKEYTYPE; PK_ESTALE;
 * PK_EREADONLY; PK_EABORTED.
 */
int pk_sorted_remove(pk_sorted *map, const pk_value *key);

/**
 * @brief Number of entries, in O(1).
 * @param[out] out The count.
 * @param[in] map The map.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_sorted_length(uint64_t *out, pk_sorted *map);

/**
 * @brief Remove every entry and give the space back to the pool.
 * @param[in] map The map.
 * @return 0 on success; PK_ENOSPACE; PK_ESTALE; PK_EREADONLY; PK_EABORTED.
 */
int pk_sorted_clear(pk_sorted *map);

/**
 * @brief The entry at an index in key order, in O(log n).
 * @param[out] key Its key (may be NULL); borrowed.
 * @param[out] val Its value (may be NULL); borrowed.
 * @param[in] map The map.
 * @param[in] index 0 for the first entry; -1 for the last, -2 for the
 * one before, as in Python.
 * @return 0; PK_ERANGE outside [-length, length); PK_ESTALE.
 */
int pk_sorted_at(pk_value *key, pk_value *val, pk_sorted *map,
		int64_t index);

/**
 * @brief The number of keys before a key, in O(log n): the index where
 * it is or would be inserted.
 * @param[out] out The number of keys less than @p key, or with @p after,
 * less than or equal to it (Python's bisect_left and bisect_right).
 * @param[in] map The map.
 * @param[in] key Any key, present or not.
 * @param[in] after Whether to count a key equal to @p key.
 * @return 0 on success; PK_EKEYTYPE; PK_ESTALE.
 */
int pk_sorted_rank(uint64_t *out, pk_sorted *map, const pk_value *key,
		int after);

/** @brief How pk_sorted_seek() picks an entry next to a key. */
typedef enum pk_seek {
	PK_SEEK_GE = 0, /**< the first key at or after it (ceiling) */
	PK_SEEK_GT = 1, /**< the first key after it (higher) */
	PK_SEEK_LE = 2, /**< the last key at or before it (floor) */
	PK_SEEK_LT = 3  /**< the last key before it (lower) */
} pk_seek;

/**
 * @brief The entry nearest a key in one direction, in O(log n). The key
 * need not be present; pk_sorted_at() gives the first and last entries.
 * @param[out] key The entry's key (may be NULL); borrowed.
 * @param[out] val Its value (may be NULL); borrowed.
 * @param[in] map The map.
 * @param[in] probe Any key.
 * @param[in] how Which entry (pk_seek).
 * @return 0; PK_NOTFOUND if there is none; PK_EKEYTYPE; PK_ESTALE; EINVAL
 * for another @p how.
 */
int pk_sorted_seek(pk_value *key, pk_value *val, pk_sorted *map,
		const pk_value *probe, int how);

/**
 * @brief Which entries a range cursor or range removal covers: those
 * between two bounds, and of those, with a prefix, the keys of its type
 * (bytes or string) that start with its bytes. A zeroed struct
 * (PK_SORTED_RANGE_INIT) covers every entry, first to last.
 */
typedef struct pk_sorted_range {
	const pk_value *lo;  /**< the lower bound, or NULL for none */
	const pk_value *hi;  /**< the upper bound, or NULL for none */
	int lo_open;         /**< exclude a key equal to @p lo */
	int hi_open;         /**< exclude a key equal to @p hi */
	int reverse;         /**< a cursor goes from the last to the first */
	const pk_value *prefix; /**< PK_BYTES or PK_STRING, or NULL */
} pk_sorted_range;

/** @brief A pk_sorted_range that covers every entry, in order. */
#define PK_SORTED_RANGE_INIT { NULL, NULL, 0, 0, 0, NULL }

/**
 * @brief Start iterating over the entries in a range, in key order or
 * its reverse (pk_cursor_next(); inserts and removes meanwhile make it
 * return PK_ECHANGED). The bounds and prefix are copied.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] map The map.
 * @param[in] range The range, or NULL for every entry.
 * @return 0 on success; PK_EKEYTYPE for a bound that is no key or a
 * prefix that is no bytes or string; PK_ESTALE; ENOMEM.
 */
int pk_sorted_range_cursor(pk_cursor **out, pk_sorted *map,
		const pk_sorted_range *range);

/**
 * @brief Start iterating over every entry, in key order.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] map The map.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_sorted_cursor(pk_cursor **out, pk_sorted *map);

/**
 * @brief Remove every entry in a range (its reverse flag is ignored), in
 * one transaction.
 * @param[out] removed The number of entries removed (may be NULL).
 * @param[in] map The map.
 * @param[in] range The range; NULL removes every entry.
 * @return 0 on success; PK_EKEYTYPE; PK_ESTALE; PK_EREADONLY; PK_ENOSPACE;
 * PK_EABORTED.
 */
int pk_sorted_remove_range(uint64_t *removed, pk_sorted *map,
		const pk_sorted_range *range);

/**
 * @brief Remove the entry at an index (pk_sorted_at()).
 * @param[in] map The map.
 * @param[in] index As pk_sorted_at()'s.
 * @return 0; PK_ERANGE; PK_ESTALE; PK_EREADONLY; PK_EABORTED.
 */
int pk_sorted_remove_at(pk_sorted *map, int64_t index);
/** @} */

/** @defgroup record Records
 * A record is an object of a named class whose attributes live in the
 * pool: a map from attribute names (text) to values, under a header of its
 * own that also holds the class name, fixed when the record is created.
 * pmemkit gives the name no meaning: a language module maps it to one of
 * its own classes through a registry the program fills, and never loads
 * or runs anything a pool names. Setting or deleting an attribute
 * outside a transaction commits atomically (as a map's put); a
 * transaction groups several. The name is UTF-8 text of 1 to
 * PK_RECORD_CLASS_MAX bytes.
 * Constructors: pk_record_new(), pk_record_open(). Destructor:
 * pk_record_close() (releases the handle only).
 * @{ */
/** @brief The longest class name, in bytes. */
#define PK_RECORD_CLASS_MAX 1024

/**
 * @brief Create a record of a class, with no attributes (unreferenced
 * until stored).
 * @param[out] out A handle to the new record.
 * @param[in] pool The pool.
 * @param[in] cls The class name, UTF-8.
 * @param[in] len Its bytes, 1 to PK_RECORD_CLASS_MAX.
 * @return 0 on success; PK_EVALUE for an empty, long or invalid name;
 * PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_record_new(pk_record **out, pk_pool *pool, const char *cls,
		size_t len);

/**
 * @brief Open a handle to the record a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_RECORD.
 * @return 0 on success; PK_EKIND if @p val is not a record; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_record_open(pk_record **out, pk_pool *pool, const pk_value *val);

/** @brief Release a record handle (NULL is a no-op); the record is
 * unchanged.
 * @param[in] rec The handle, or NULL. */
void pk_record_close(pk_record *rec);

/** @brief A value that refers to the record, to store it in a container.
 * @param[in] rec The record.
 * @return A value of type PK_RECORD. */
pk_value pk_record_value(const pk_record *rec);

/**
 * @brief The record's class name.
 * @param[out] out A PK_STRING, borrowed: valid while the record exists
 * and the pool is open (the name never changes).
 * @param[in] rec The record.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; PK_ECORRUPT.
 */
int pk_record_class(pk_value *out, pk_record *rec);

/**
 * @brief Read an attribute.
 * @param[out] out Its value, borrowed as pk_map_get()'s.
 * @param[in] rec The record.
 * @param[in] name The attribute's name, a PK_STRING.
 * @return 0 on success; PK_NOTFOUND if the record has no such attribute
 * (not a failure); PK_EKEYTYPE if @p name is not a string; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_record_get(pk_value *out, pk_record *rec, const pk_value *name);

/**
 * @brief Set an attribute, adding it if the record has none of that name.
 * @param[in] rec The record.
 * @param[in] name The attribute's name, a PK_STRING.
 * @param[in] val Its value, any value a map takes.
 * @return 0 on success; as pk_map_put(), and PK_EKEYTYPE if @p name is
 * not a string.
 */
int pk_record_put(pk_record *rec, const pk_value *name, const pk_value *val);

/**
 * @brief Delete an attribute.
 * @param[in] rec The record.
 * @param[in] name The attribute's name, a PK_STRING.
 * @return 0 on success; PK_NOTFOUND if it had none (not a failure); as
 * pk_record_put().
 */
int pk_record_remove(pk_record *rec, const pk_value *name);

/**
 * @brief Whether the record has an attribute.
 * @param[out] out 1 or 0.
 * @param[in] rec The record.
 * @param[in] name The attribute's name.
 * @return 0 on success; PK_EKEYTYPE; PK_ESTALE; PK_ECLOSED.
 */
int pk_record_contains(int *out, pk_record *rec, const pk_value *name);

/**
 * @brief Number of attributes, in O(1).
 * @param[out] out The count.
 * @param[in] rec The record.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_record_length(uint64_t *out, pk_record *rec);

/**
 * @brief Iterate over the attributes: name as the key, value as the
 * value, in no particular order, as a map's cursor.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] rec The record.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_record_cursor(pk_cursor **out, pk_record *rec);
/** @} */

/** @defgroup blocks Block arrays
 * A block array is a numbered sequence of blocks of one size, from
 * PK_BLOCK_MIN to PK_BLOCK_MAX bytes, each read and written whole, as a
 * disk's sectors are: libpmemblk's model, in a pool beside every other
 * container. A new block reads as zeros.
 *
 * A write is atomic: after a crash the block holds the old contents or
 * the new, never a mix, and a write that returned is never lost. Outside
 * a transaction it copies nothing but the new contents: they go to a
 * free physical block, which one atomic 8-byte store then makes the
 * block's, libpmemblk's BTT scheme. Inside a user transaction a write is
 * undone with it. A block marked bad (pk_blocks_set_error()) fails every
 * read with EIO until it is written or zeroed; zeroing is one store.
 * A block array grows by whole blocks (pk_blocks_grow()), never shrinks,
 * and cannot be cleared; its cursor gives each block's number (PK_INT)
 * and its contents (PK_BYTES, borrowed).
 * Constructors: pk_blocks_new(), pk_blocks_open(). Destructor:
 * pk_blocks_close() (releases the handle only).
 * @{ */
/** @brief The smallest block size. */
#define PK_BLOCK_MIN 512u
/** @brief The largest block size. */
#define PK_BLOCK_MAX 65536u

/**
 * @brief Create a block array of @p count blocks that read as zeros
 * (unreferenced until stored).
 * @param[out] out A handle to the new block array.
 * @param[in] pool The pool.
 * @param[in] block_size Bytes per block, PK_BLOCK_MIN to PK_BLOCK_MAX.
 * @param[in] count The number of blocks (0 is allowed).
 * @return 0 on success; EINVAL for a size outside the range;
 * PK_ENOSPACE; PK_ECLOSED; PK_EABORTED.
 */
int pk_blocks_new(pk_blocks **out, pk_pool *pool, size_t block_size,
		uint64_t count);

/**
 * @brief Open a handle to the block array a value refers to.
 * @param[out] out A new handle.
 * @param[in] pool The pool the value was read from.
 * @param[in] val A value of type PK_BLOCKS.
 * @return 0 on success; PK_EKIND if @p val is not a block array;
 * PK_ESTALE; PK_ECLOSED.
 */
int pk_blocks_open(pk_blocks **out, pk_pool *pool, const pk_value *val);

/** @brief Release a block array handle (NULL is a no-op).
 * @param[in] blocks The handle, or NULL. */
void pk_blocks_close(pk_blocks *blocks);

/** @brief A value that refers to the block array, to store it.
 * @param[in] blocks The block array.
 * @return A value of type PK_BLOCKS. */
pk_value pk_blocks_value(const pk_blocks *blocks);

/**
 * @brief Number of blocks.
 * @param[out] out The count.
 * @param[in] blocks The block array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_blocks_length(uint64_t *out, pk_blocks *blocks);

/**
 * @brief Bytes per block.
 * @param[out] out The block size.
 * @param[in] blocks The block array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED.
 */
int pk_blocks_block_size(uint64_t *out, pk_blocks *blocks);

/**
 * @brief Copy block @p index into @p buf.
 * @param[out] buf Where to copy the block's bytes.
 * @param[in] size Bytes at @p buf: at least the block size.
 * @param[in] blocks The block array.
 * @param[in] index The block's number, from 0.
 * @return 0 on success; PK_ERANGE for a block past the end; EIO for a
 * block marked bad; EINVAL for a buffer too small; PK_ESTALE;
 * PK_ECLOSED.
 */
int pk_blocks_read(void *buf, size_t size, pk_blocks *blocks,
		uint64_t index);

/**
 * @brief Block @p index as a value: PK_BYTES of the block size, in a
 * buffer of the calling thread that the thread's next pk_blocks_get()
 * overwrites.
 * @param[out] out The block.
 * @param[in] blocks The block array.
 * @param[in] index The block's number, from 0.
 * @return As pk_blocks_read(); ENOMEM.
 */
int pk_blocks_get(pk_value *out, pk_blocks *blocks, uint64_t index);

/**
 * @brief Write block @p index whole, atomically and durably.
 * @param[in] blocks The block array.
 * @param[in] index The block's number, from 0.
 * @param[in] val PK_BYTES (or PK_STRING) of at most the block size;
 * zeros fill the rest of the block.
 * @return 0 on success; PK_ERANGE for a block past the end; PK_EKIND for
 * a value of another type; EINVAL for more bytes than a block holds
 * (nothing is written); PK_ESTALE; PK_ECLOSED; PK_EABORTED.
 */
int pk_blocks_write(pk_blocks *blocks, uint64_t index, const pk_value *val);

/**
 * @brief Make block @p index read as zeros (and no longer bad), with one
 * atomic store.
 * @param[in] blocks The block array.
 * @param[in] index The block's number, from 0.
 * @return 0 on success; PK_ERANGE; PK_ESTALE; PK_ECLOSED; PK_EABORTED.
 */
int pk_blocks_zero(pk_blocks *blocks, uint64_t index);

/**
 * @brief Mark block @p index bad: reads fail with EIO until it is
 * written or zeroed (libpmemblk's pmemblk_set_error()).
 * @param[in] blocks The block array.
 * @param[in] index The block's number, from 0.
 * @return 0 on success; PK_ERANGE; PK_ESTALE; PK_ECLOSED; PK_EABORTED.
 */
int pk_blocks_set_error(pk_blocks *blocks, uint64_t index);

/**
 * @brief Append @p n blocks that read as zeros, all or none.
 * @param[in] blocks The block array.
 * @param[in] n How many.
 * @return 0 on success; EINVAL for more than 2^40 blocks in all;
 * PK_ENOSPACE; PK_ESTALE; PK_ECLOSED; PK_EABORTED.
 */
int pk_blocks_grow(pk_blocks *blocks, uint64_t n);

/**
 * @brief Iterate over the blocks: the cursor's key is the block's number
 * (PK_INT), its value the contents (PK_BYTES, borrowed until the next
 * change); a block marked bad ends the iteration with EIO.
 * @param[out] out A new cursor; release it with pk_cursor_free().
 * @param[in] blocks The block array.
 * @return 0 on success; PK_ESTALE; PK_ECLOSED; ENOMEM.
 */
int pk_blocks_cursor(pk_cursor **out, pk_blocks *blocks);
/** @} */

/** @defgroup region Raw persistent memory
 * A region is a file mapped whole into memory (libpmem's
 * pmem_map_file()): bytes to load and store, made persistent range by
 * range. Where the mapping is persistent memory (pk_region_is_pmem()) a
 * persist is cache flushes and one fence; elsewhere it is msync() of the
 * pages the range touches, chosen by pmemkit, not the caller. Every range
 * is checked against the mapping: one outside it is PK_ERANGE and nothing
 * is read or written. A region holds no containers and has no
 * transactions: after a crash, what was persisted is there, and of the
 * rest any 8-byte aligned store may or may not be.
 *
 * The copies pk_region_write(), pk_region_move() and pk_region_fill()
 * persist what they write before they return, unless given
 * PK_REGION_NODRAIN (flushed, not yet fenced: pk_region_drain() waits)
 * or PK_REGION_NOFLUSH (plain stores: pk_region_persist() later).
 * C code may also store through pk_region_addr() and persist the range.
 * Calls on one region from several threads are safe together, except
 * pk_region_close(), which no other call on it may overlap.
 * Constructor: pk_region_map(). Destructor: pk_region_close().
 * @{ */
/** @brief Flags of pk_region_map() and of the copies. */
enum pk_region_flag {
	PK_REGION_CREATE = 0x1,  /**< map: create the file if it is missing */
	PK_REGION_EXCL = 0x2,    /**< map: with CREATE, fail if it exists */
	PK_REGION_NODRAIN = 0x4, /**< copies: flush, but do not wait */
	PK_REGION_NOFLUSH = 0x8  /**< copies: plain stores, not persisted */
};

/**
 * @brief Map a file.
 * @param[out] out A handle to the region.
 * @param[in] path The file.
 * @param[in] size With PK_REGION_CREATE, the length of a file created;
 * else 0. An existing file is mapped whole, at its own length.
 * @param[in] flags PK_REGION_CREATE, PK_REGION_EXCL, or 0 to map an
 * existing file.
 * @param[in] mode The permissions of a file created (as open()'s).
 * @return 0 on success; EINVAL for a size without PK_REGION_CREATE, none
 * with it, or unknown flags; the errno of the failure (ENOENT, EEXIST,
 * ENOSPC, EACCES, ...).
 */
int pk_region_map(pk_region **out, const char *path, uint64_t size,
		unsigned flags, unsigned mode);

/**
 * @brief Unmap the region and free the handle (NULL is a no-op). Unmapping
 * persists nothing: what was not persisted may be lost in a crash.
 * @param[in] region The region.
 * @return 0 on success; the errno of munmap().
 */
int pk_region_close(pk_region *region);

/** @brief The mapped length, in bytes.
 * @param[out] out The length. @param[in] region The region.
 * @return 0 on success; EINVAL. */
int pk_region_length(uint64_t *out, pk_region *region);

/** @brief Whether the mapping is persistent memory (1) or a file that
 * pmemkit persists with msync() (0).
 * @param[out] out 1 or 0. @param[in] region The region.
 * @return 0 on success; EINVAL. */
int pk_region_is_pmem(int *out, pk_region *region);

/** @brief The mapping's first byte, for C code that loads and stores
 * itself (and then persists the range). Valid until pk_region_close().
 * @param[in] region The region. @return The address, or NULL. */
void *pk_region_addr(pk_region *region);

/**
 * @brief Make a range persistent: flush and fence, or msync().
 * @param[in] region The region.
 * @param[in] offset The first byte.
 * @param[in] length How many (0 is a no-op).
 * @return 0 on success; PK_ERANGE for a range outside the mapping; the
 * errno of msync().
 */
int pk_region_persist(pk_region *region, uint64_t offset, uint64_t length);

/** @brief Flush a range without waiting (pk_region_drain() waits); on a
 * mapping that is not persistent memory, the same as pk_region_persist().
 * @return As pk_region_persist(). */
int pk_region_flush(pk_region *region, uint64_t offset, uint64_t length);

/** @brief Wait for the flushes so far to reach persistence.
 * @return 0 on success; EINVAL. */
int pk_region_drain(pk_region *region);

/** @brief Persist a range as pk_region_persist(), and through the memory
 * controller's write buffers too where the platform has them
 * (pmem_deep_persist()).
 * @return As pk_region_persist(); EIO. */
int pk_region_deep_flush(pk_region *region, uint64_t offset,
		uint64_t length);

/**
 * @brief Copy bytes into the region at @p offset.
 * @param[in] region The region.
 * @param[in] offset Where.
 * @param[in] val PK_BYTES (or PK_STRING): the bytes.
 * @param[in] flags 0 (persisted before return), PK_REGION_NODRAIN or
 * PK_REGION_NOFLUSH.
 * @return 0 on success; PK_ERANGE for bytes past the end (nothing is
 * written); PK_EKIND for a value of another type; EINVAL.
 */
int pk_region_write(pk_region *region, uint64_t offset, const pk_value *val,
		unsigned flags);

/** @brief Copy @p length bytes from @p src to @p dst within the region
 * (the ranges may overlap), persisted as pk_region_write()'s flags say.
 * @return 0 on success; PK_ERANGE for a range outside; EINVAL. */
int pk_region_move(pk_region *region, uint64_t dst, uint64_t src,
		uint64_t length, unsigned flags);

/** @brief Set @p length bytes at @p offset to @p c, persisted as
 * pk_region_write()'s flags say.
 * @return 0 on success; PK_ERANGE for a range outside; EINVAL. */
int pk_region_fill(pk_region *region, uint64_t offset, unsigned c,
		uint64_t length, unsigned flags);

/** @brief Copy @p length bytes at @p offset out of the region into @p buf.
 * @return 0 on success; PK_ERANGE for a range outside; EINVAL. */
int pk_region_read(void *buf, pk_region *region, uint64_t offset,
		size_t length);

/**
 * @brief @p length bytes at @p offset as a value: PK_BYTES in a buffer of
 * the calling thread that its next pk_region_get() or pk_blocks_get()
 * overwrites.
 * @return As pk_region_read(); ENOMEM.
 */
int pk_region_get(pk_value *out, pk_region *region, uint64_t offset,
		uint64_t length);
/** @} */

/** @defgroup flags Container flags
 * Sixteen bits in every container that pmemkit keeps but gives no meaning
 * to: a language module records in them what its own types need (Python
 * marks a list that was a tuple, and an array's typecode). They are part
 * of the container, so every module that shares a pool agrees on them:
 * their meanings are the rows of PK_FLAG_TABLE (pmemkit_tables.h). Bits
 * 0-7 are for "what the container stood for", bits 8-15
 * (PK_FLAG_DETAIL_SHIFT) for a detail of that.
 * @{ */
/** @brief The container flags, from PK_FLAG_TABLE. */
typedef enum pk_flag {
#define PK_FLAG_ENUM_(name, value, meaning) name = value,
	PK_FLAG_TABLE(PK_FLAG_ENUM_)
#undef PK_FLAG_ENUM_
	PK_FLAG_END_ /**< not a flag */
} pk_flag;

/**
 * @brief Read a container's flags.
 * @param[out] out The flags.
 * @param[in] pool The pool.
 * @param[in] ref A reference to a container (PK_MAP and up).
 * @return 0 on success; PK_EVALUE if @p ref is not a container reference;
 * PK_ESTALE; PK_ECLOSED.
 */
int pk_container_flags(uint16_t *out, pk_pool *pool, const pk_value *ref);

/**
 * @brief Set a container's flags, atomically (in the caller's transaction
 * if one is open).
 * @param[in] pool The pool.
 * @param[in] ref A reference to a container (PK_MAP and up).
 * @param[in] flags The new flags.
 * @return 0 on success; PK_EVALUE; PK_ESTALE; PK_ECLOSED; PK_EABORTED.
 */
int pk_container_set_flags(pk_pool *pool, const pk_value *ref,
		uint16_t flags);
/** @} */

/** @defgroup cursor Cursors
 * One iteration protocol for every container: create a cursor with the
 * container's *_cursor function, call pk_cursor_next() until it returns
 * PK_ITEROVER, then pk_cursor_free().
 * @{ */
/**
 * @brief Step to the next entry.
 *
 * Replacing the value of an existing key does not disturb a cursor;
 * inserting or removing keys does, and the next call returns PK_ECHANGED;
 * so does a pk_pool_defrag() that moved part of the map's chains.
 *
 * Example, a whole program (its argument: the path of a pool to create):
 * @code
 * // Iterate over the root map's entries with a cursor, summing the values.
 * #include <stdio.h>
 * #include <pmemkit.h>
 *
 * int main(int argc, char **argv)
 * {
 * 	pk_pool *pool;
 * 	pk_map *root;
 * 	pk_cursor *cur;
 * 	pk_value key, val;
 * 	int64_t sum = 0;
 * 	int rc;
 *
 * 	if (argc != 2)
 * 		return 2;
 * 	rc = pk_pool_create(&pool, argv[1], PK_POOL_MIN_SIZE, 0);
 * 	if (rc == 0)
 * 		rc = pk_pool_root(&root, pool);
 * 	for (int64_t i = 1; rc == 0 && i <= 4; i++) {
 * 		key = pk_int(i);
 * 		val = pk_int(i * i);
 * 		rc = pk_map_put(root, &key, &val);
 * 	}
 * 	if (rc == 0)
 * 		rc = pk_map_cursor(&cur, root);
 * 	while (rc == 0 && (rc = pk_cursor_next(&key, &val, cur)) == 0)
 * 		sum += val.u.i;
 * 	if (rc != PK_ITEROVER) {
 * 		fprintf(stderr, "%s: %s\n", pk_strerror(rc), pk_errormsg());
 * 		return 1;
 * 	}
 * 	pk_cursor_free(cur);
 * 	pk_map_close(root);
 * 	printf("sum of squares: %lld\n", (long long)sum);
 * 	return pk_pool_close(pool) != 0 || sum != 30;
 * }
 * @endcode
 * @param[out] key The entry's key (may be NULL); borrowed.
 * @param[out] val The entry's value (may be NULL); borrowed.
 * @param[in] cur The cursor.
 * @return 0 with an entry; PK_ITEROVER after the last; PK_ECHANGED;
 * PK_ESTALE; PK_ECLOSED.
 */
int pk_cursor_next(pk_value *key, pk_value *val, pk_cursor *cur);

/**
 * @brief Whether the next pk_cursor_next() would find the container
 * unchanged: no key inserted or removed, no element inserted or removed,
 * no resize since the cursor was made. For bindings that read entries
 * ahead in batches and must report a change where reading them one at a
 * time would.
 * @param[in] cur The cursor.
 * @return 0 if unchanged; PK_ECHANGED; PK_ESTALE; PK_ECLOSED; EINVAL for
 * NULL.
 */
int pk_cursor_check(pk_cursor *cur);

/**
 * @brief Release a cursor. NULL is a no-op.
 * @param[in] cur The cursor, or NULL.
 */
void pk_cursor_free(pk_cursor *cur);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PMEMKIT_H */
