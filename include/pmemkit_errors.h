/*
 * pmemkit_errors.h -- the table of pmemkit error codes
 *
 * This table is the single source of every pmemkit error code. It generates
 * the C enum and the messages returned by pk_strerror() (see pmemkit.h), and
 * every language binding generates its exception mapping from it.
 *
 * Each row is X(name, value, class, message):
 *   name     the C enumerator
 *   value    its (negative) value; positive return values are errno codes
 *   class    a language-neutral error class; each binding maps a class to
 *            one exception type (NotFound -> KeyError in Python, etc.)
 *   message  the text pk_strerror() returns
 *
 * Codes are never renumbered: new codes are appended.
 */
#ifndef PMEMKIT_ERRORS_H
#define PMEMKIT_ERRORS_H

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
	X(PK_EVALUE,    -31016, Value,       "invalid value")

/** @brief Lowest pmemkit error code; codes lie in [PK_ERROR_MIN, -31001]. */
#define PK_ERROR_MIN (-31100)

#endif /* PMEMKIT_ERRORS_H */
