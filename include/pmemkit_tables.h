/*
 * pmemkit_tables.h -- the contracts every language module shares
 *
 * Each table here is the single source of one contract between the C
 * library and the language modules: the C header generates its enums from
 * them, the library its lookups, and every module (bindings/<lang>/) its
 * constants, exceptions and lookup tables, through swig/pmemkit.i. No
 * module keeps a copy of a row. Rows are never renumbered: new rows are
 * appended.
 */
#ifndef PMEMKIT_TABLES_H
#define PMEMKIT_TABLES_H

/*
 * Error codes. Each row is X(name, value, class, message):
 *   name     the C enumerator
 *   value    its (negative) value; positive return values are errno codes
 *   class    a language-neutral error class; each binding maps a class to
 *            one exception type (NotFound -> KeyError in Python, etc.)
 *   message  the text pk_strerror() returns
 */
/** @brief The pmemkit error table (an X-macro; see the file comment). */
#define PK_ERROR_TABLE(X) \
	X(PK_NOTFOUND,  -31001, NotFound,    "key not found") \
	X(PK_ITEROVER,  -31002, IterOver,    "end of iteration") \
	X(PK_ENOTPOOL,  -31003, PoolError,   "file is not a pmemkit pool") \
	X(PK_ELAYOUT,   -31004, PoolError,   "pool has another layout (not a pmemkit pool)") \
	X(PK_EVERSION,  -31005, PoolError,   "pool format is newer than this library supports") \
	X(PK_ECORRUPT,  -31006, PoolError,   "pool is corrupt or truncated") \
	X(PK_ENOSPACE,  -31007, OutOfSpace,  "pool is out of space") \
	X(PK_ESTALE,    -31008, Stale,       "container no longer exists") \
	X(PK_EKIND,     -31009, Kind,        "object is of another kind") \
	X(PK_EKEYTYPE,  -31010, KeyType,     "unsupported key type") \
	X(PK_ERANGE,    -31011, Range,       "index out of range") \
	X(PK_ETXN,      -31012, Transaction, "transaction misuse") \
	X(PK_EABORTED,  -31013, Transaction, "transaction was aborted") \
	X(PK_ECLOSED,   -31014, Closed,      "pool is closed") \
	X(PK_ECHANGED,  -31015, Changed,     "container changed during iteration") \
	X(PK_EVALUE,    -31016, Value,       "invalid value") \
	X(PK_EREADONLY, -31017, ReadOnly,    "pool is open read-only")

/** @brief Lowest pmemkit error code; codes lie in [PK_ERROR_MIN, -31001]. */
#define PK_ERROR_MIN (-31100)

/*
 * Element types of typed arrays; the value is stored in every array
 * (part of the pool format). Each row is
 * X(name, value, short name, size, typecode, class):
 *   short name  the name languages use for the type ("i8", "f64", ...)
 *   size        bytes per element; 0 for byte strings, whose width each
 *               array sets
 *   typecode    the format character of Python's array and struct modules
 *               and of numpy ("" for none)
 *   class       "signed", "unsigned", "float" or "bytes": how a language
 *               converts and range-checks an element
 */
/** @brief The element-type table (an X-macro; see above). */
#define PK_ELEM_TABLE(X) \
	X(PK_ELEM_I8,     1, "i8",    1, "b", "signed") \
	X(PK_ELEM_U8,     2, "u8",    1, "B", "unsigned") \
	X(PK_ELEM_I16,    3, "i16",   2, "h", "signed") \
	X(PK_ELEM_U16,    4, "u16",   2, "H", "unsigned") \
	X(PK_ELEM_I32,    5, "i32",   4, "i", "signed") \
	X(PK_ELEM_U32,    6, "u32",   4, "I", "unsigned") \
	X(PK_ELEM_I64,    7, "i64",   8, "q", "signed") \
	X(PK_ELEM_U64,    8, "u64",   8, "Q", "unsigned") \
	X(PK_ELEM_F32,    9, "f32",   4, "f", "float") \
	X(PK_ELEM_F64,   10, "f64",   8, "d", "float") \
	X(PK_ELEM_BYTES, 11, "bytes", 0, "",  "bytes")

/*
 * Container flags (pk_container_flags()): bits kept in every container
 * that the library gives no meaning to, for what a language's own types
 * need. Part of the pool format, so every module that shares a pool
 * agrees on them through this table. Bits 0-7 say what the container
 * stood for, bits 8-15 hold a detail of that. Each row is
 * X(name, value, meaning).
 */
/** @brief The container-flag table (an X-macro; see above). */
#define PK_FLAG_TABLE(X) \
	X(PK_FLAG_TUPLE,    0x0001, "a list that stands for an immutable sequence (Python's tuple)") \
	X(PK_FLAG_TYPECODE, 0x0002, "an array whose bits 8-15 hold the typecode it was made with, where that is not its element type's own (Python's l and L share q and Q's types)") \
	X(PK_FLAG_FROZEN,   0x0004, "a set that stands for an immutable set (Python's frozenset): modules give it read-only")

/*
 * Pool options (pk_pool_options.flags): X(name, value, option, meaning).
 * "option" is the name every language gives the option (a keyword
 * argument, a hash key, a switch).
 */
/** @brief The pool-option table (an X-macro; see above). */
#define PK_POOL_FLAG_TABLE(X) \
	X(PK_POOL_READONLY, 0x0001, "readonly", "open: nothing reaches the file (a copy-on-write mapping, or a private copy of a file the process may not write); every change fails with PK_EREADONLY; no other open shares the file meanwhile") \
	X(PK_POOL_PROCESS_DURABLE, 0x0002, "process_durable", "create and open: on a file that is not persistent memory, stores reach the page cache without msync: nothing acknowledged is lost when the process dies, but a kernel crash or power loss may lose or damage anything written since the pool was last synced (pk_pool_sync(), create, open, close; pk_pool_options says what each mode survives)")

/** @brief Shift of the detail byte of a container's flags. */
#define PK_FLAG_DETAIL_SHIFT 8

#endif /* PMEMKIT_TABLES_H */
