/*
 * pk.h -- what the files of the pmemkit command share
 *
 * The command's files, one purpose each: commands.h (the table of
 * subcommands and their help texts), main.c (options, help, dispatch),
 * json.c (a strict JSON reader, the writer's helpers, base64), notation.c
 * (pmemkit values written in the dump notation, doc/notation.md), load.c
 * (the notation read into values), path.c (paths: parse, print,
 * resolve), walk.c (ls, tree, get, set, rm), dump.c (the dump and load
 * subcommands), admin.c (info, stats, check, gc, defrag, create, repair).
 */
#ifndef PK_CLI_H
#define PK_CLI_H 1

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include "pmemkit.h"

/* Exit codes (doc/notation.md, pmemkit(1)) */
#define EX_OK 0
#define EX_NO 1     /* the answer is no: damage found, no such path */
#define EX_FAIL 2   /* could not open, bad usage, bad input */

/* Options every subcommand may be given. */
struct opts {
	int json;     /* --json */
	int readonly; /* --readonly */
	int lines;    /* --lines */
	uint64_t batch; /* --batch N: load commits every N entries */
	uint64_t skip;  /* --skip N: the first N entries are loaded already */
	int pdurable;   /* --process-durable */
	const char *replica; /* --replica PATH */
	const char *cmd; /* the subcommand's name */
};

/* main.c */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress_end(void);
const char *pk_text(int r);
pk_pool *open_pool(const char *path, int readonly);
pk_pool *open_pool_flags(const char *path, uint32_t flags);
void close_pool(pk_pool *pool);

/* json.c: a JSON document as a tree */
enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };
struct jv {
	enum jtype t;
	char *s;        /* J_NUM: its text; J_STR: decoded UTF-8 (NUL-terminated too) */
	size_t len;     /* length of s */
	size_t n;       /* J_ARR: items; J_OBJ: members */
	struct jv *a;   /* J_ARR: n items; J_OBJ: 2n (name, value) */
	size_t off;     /* byte offset in the input */
};
/* How deep JSON nests (the reader refuses more), and how deep the dump
 * follows containers: a container takes at most 3 JSON levels ($map:
 * object, list of pairs, pair), so every dump loads back. */
#define JSON_DEPTH 4096
#define DUMP_DEPTH 1200
/* Parse one value at buf[*pos]; on success *pos is past it (and past
 * white space). Returns NULL and sets err (with the byte offset). */
struct jv *json_parse(const char *buf, size_t len, size_t *pos, char *err,
		size_t errlen);
/* Parse a whole text that is one value. */
struct jv *json_parse_all(const char *buf, size_t len, char *err,
		size_t errlen);
void json_free(struct jv *v);
const struct jv *json_member(const struct jv *obj, const char *name);

/* A growing output buffer. */
struct sbuf { char *p; size_t len, cap; };
void sb_add(struct sbuf *b, const void *p, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_str(struct sbuf *b, const void *p, size_t n); /* a JSON string */
void sb_double(struct sbuf *b, double d); /* the notation's double */
void sb_free(struct sbuf *b);
void sb_base64(struct sbuf *b, const void *p, size_t n);
/* Decode base64 (RFC 4648, padded); returns 0 or -1. *out is malloc'd. */
int base64_decode(unsigned char **out, size_t *outlen, const char *s,
		size_t n);

/* notation.c: writing */
struct dumper;
struct dumper *dumper_new(pk_pool *pool);
void dumper_free(struct dumper *d);
/* Count the containers reachable from v (for $id): call for every root
 * before writing any. Returns 0 or a pk error. */
int dumper_scan(struct dumper *d, const pk_value *v);
/* Append the notation of v. Returns 0 or a pk error (message in d). */
int dump_value(struct dumper *d, struct sbuf *out, const pk_value *v);
/* Key notation, for scalars only (no pool). */
int dump_scalar(struct sbuf *out, const pk_value *v);
const char *dumper_error(struct dumper *d);
uint64_t dumper_visit(struct dumper *d, uint64_t off);
int dump_lines(struct dumper *d, FILE *f, const pk_value *map);
int container_entries(struct dumper *d, const pk_value *v, pk_value **keys,
		pk_value **vals, size_t *n);
int container_length(pk_pool *pool, const pk_value *v, uint64_t *n);
uint64_t dumper_count(struct dumper *d);

/* load.c: reading */
struct loader;
struct loader *loader_new(pk_pool *pool);
void loader_free(struct loader *l);
/* Convert a notation value to a pk_value, creating containers in the
 * pool (inside the caller's transaction). pool may be NULL for scalars.
 * Returns 0, or -1 with the message in loader_error(). */
int load_value(struct loader *l, pk_value *out, const struct jv *j);
/* For a root load: register "$id" of the root object as the root. */
void loader_bind(struct loader *l, const struct jv *j, const pk_value *ref);
int loader_bind_existing(struct loader *l, const struct jv *j, const pk_value *v);
/* Fill a container (map-like) from a notation map. */
int load_map_entries(struct loader *l, const pk_value *dst, const struct jv *j);
const char *loader_error(struct loader *l);
uint64_t loader_count(struct loader *l);
/* A scalar from notation, without a pool (paths, validation). */
int scalar_from_json(pk_value *out, const struct jv *j, int tuples,
		char *err, size_t errlen);
/* Check what can be checked without a pool; 0 or -1 with err. */
int notation_check(const struct jv *j, char *err, size_t errlen);
/* Whether j is (syntactically) a map in the notation. */
int json_is_map(const struct jv *j);
const char *type_name(pk_type t);
const char *elem_name(pk_elem e);

/* path.c */
struct path { size_t n; pk_value *keys; struct jv **docs; };
int path_parse(struct path *p, const char *s, char *err, size_t errlen);
void path_free(struct path *p);
void path_key(struct sbuf *b, const pk_value *key); /* one segment */
/* Resolve all but the last segment: *parent is the container holding it. */
int path_get(pk_pool *pool, const struct path *p, size_t upto,
		pk_value *out, char *err, size_t errlen);
int child_get(pk_pool *pool, const pk_value *cont, const pk_value *key,
		pk_value *out, char *err, size_t errlen);

/* walk.c */
int put_child(pk_pool *pool, const pk_value *parent, const pk_value *key,
		const pk_value *val, char *err, size_t errlen);
int set_value(pk_pool *pool, const struct path *p, const struct jv *j,
		char *err, size_t errlen);

/* Subcommands: each takes its options and arguments after the options. */
int cmd_info(struct opts *o, int argc, char **argv);
int cmd_stats(struct opts *o, int argc, char **argv);
int cmd_check(struct opts *o, int argc, char **argv);
int cmd_gc(struct opts *o, int argc, char **argv);
int cmd_defrag(struct opts *o, int argc, char **argv);
int cmd_create(struct opts *o, int argc, char **argv);
int cmd_repair(struct opts *o, int argc, char **argv);
int cmd_ls(struct opts *o, int argc, char **argv);
int cmd_tree(struct opts *o, int argc, char **argv);
int cmd_get(struct opts *o, int argc, char **argv);
int cmd_set(struct opts *o, int argc, char **argv);
int cmd_rm(struct opts *o, int argc, char **argv);
int cmd_dump(struct opts *o, int argc, char **argv);
int cmd_load(struct opts *o, int argc, char **argv);

#endif
