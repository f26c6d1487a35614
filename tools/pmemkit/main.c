/*
 * main.c -- the pmemkit command: options, the subcommand table, dispatch
 *
 * pmemkit [--help | --version] SUBCOMMAND [OPTIONS] POOL [ARGS]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pk.h"
#include "commands.h"

struct sub {
	const char *name;
	int (*fn)(struct opts *, int, char **);
	const char *args;
	int opts;
	const char *summary;
	const char *help;
};

#define ROW(name, fn, args, opts, summary, help) \
	{ #name, fn, args, opts, summary, help },
static const struct sub subs[] = { PK_COMMANDS(ROW) };
#undef ROW
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

static const char *cur_cmd = NULL;

static const char exit_text[] =
	"Exit status: 0 success; 1 the answer is no (check: damage found; get, set,\n"
	"rm, ls, tree, dump, load: no such path); 2 the pool could not be opened, or\n"
	"bad usage or bad input (one line on stderr, the pool untouched).\n";

/* say -- the one-line error on stderr, after any progress line */
static void say(const char *fmt, va_list ap)
{
	progress_end();
	fputs("pmemkit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	exit(EX_FAIL);
}

/* fail -- the one-line error; returns EX_FAIL */
int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return EX_FAIL;
}

/* progress -- a line on stderr that rewrites itself, when stderr is a
 * terminal, at most 5 times a second */
static int progress_shown;
void progress(const char *fmt, ...)
{
	static struct timespec last;
	struct timespec now;
	if (!isatty(2)) return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (progress_shown && (now.tv_sec - last.tv_sec) * 1000000000L
			+ (now.tv_nsec - last.tv_nsec) < 200000000L)
		return;
	last = now;
	va_list ap;
	fprintf(stderr, "\rpmemkit: %s: ", cur_cmd ? cur_cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\033[K", stderr);
	progress_shown = 1;
}

void progress_end(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = 0;
}

/* pk_text -- the text of a failure: pk_errormsg() when it is about r
 * (it then starts with pk_strerror(r) and adds the detail), else
 * pk_strerror(r) */
const char *pk_text(int r)
{
	const char *s = pk_strerror(r), *m = pk_errormsg();
	return m && !strncmp(m, s, strlen(s)) ? m : s;
}

/* open_pool -- open or exit 2 with one line naming the problem */
pk_pool *open_pool(const char *path, int readonly)
{
	return open_pool_flags(path, readonly ? PK_POOL_READONLY : 0);
}

/* open_pool_flags -- open_pool() with pk_pool_options.flags */
pk_pool *open_pool_flags(const char *path, uint32_t flags)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	pk_pool *pool;
	o.flags = flags;
	int r = pk_pool_open_opts(&pool, path, &o);
	if (r) {
		die("%s: cannot open: %s", path, pk_text(r));
	}
	return pool;
}

void close_pool(pk_pool *pool)
{
	int r = pk_pool_close(pool);
	if (r) die("closing the pool: %s", pk_text(r));
}

static void usage_line(FILE *f, const struct sub *s)
{
	fprintf(f, "usage: pmemkit %s [--help]%s%s%s%s %s\n", s->name,
		s->opts & O_JSON ? " [--json]" : "",
		s->opts & O_READONLY ? " [--readonly]" : "",
		s->opts & O_LINES ? " [--lines]" : "",
		s->opts & O_BATCH ? " [--batch N] [--skip N] [--process-durable]"
		: s->opts & O_REPLICA ? " [--replica PATH]" : "", s->args);
}

static void sub_help(const struct sub *s)
{
	usage_line(stdout, s);
	printf("\n%s.\n\n%s\n", s->summary, s->help);
	printf("\nOptions:\n  --help      this text\n");
	if (s->opts & O_JSON)
		printf("  --json      machine-readable output (JSON)\n");
	if (s->opts & O_READONLY)
		printf("  --readonly  open the pool read-only (the default: %s only reads)\n", s->name);
	if (s->opts & O_LINES)
		printf("  --lines     JSON Lines: a header line, then one [key, value] a line\n");
	if (s->opts & O_REPLICA)
		printf("  --replica PATH\n"
			"              keep a full copy of the pool at PATH, written with every\n"
			"              change (POOL is then a poolset file; see repair)\n");
	if (s->opts & O_BATCH)
		printf("  --batch N   with --lines: commit every N entries (a transaction each)\n"
			"  --skip N    with --lines: the first N entries are in the pool already\n"
			"              (resume a --batch load that stopped)\n"
			"  --process-durable\n"
			"              write without msync, and sync at each commit: much faster\n"
			"              on a disk, but a kernel crash or power loss during the load\n"
			"              can damage the pool (PK_POOL_PROCESS_DURABLE)\n");
	printf("\nPaths and the dump notation: doc/notation.md, pmemkit(1).\n%s", exit_text);
}

static void main_help(FILE *f)
{
	fprintf(f, "usage: pmemkit [--help | --version] SUBCOMMAND [OPTIONS] POOL [ARGS]\n\n"
		"Look into and change pmemkit pools.\n\nSubcommands:\n");
	for (size_t i = 0; i < NSUBS; i++)
		fprintf(f, "  %-7s %-20s %s\n", subs[i].name, subs[i].args, subs[i].summary);
	fprintf(f, "\n`pmemkit SUBCOMMAND --help` describes one. A PATH is / or /key/key/...:\n"
		"a bare word is a string key, an integer an int key or index, anything else\n"
		"one JSON value in the dump notation (doc/notation.md), e.g. /users/42/\"name\".\n\n%s",
		exit_text);
}

static int count_args(const char *args, int *min, int *max)
{
	/* POOL [PATH] -> 1..2; words in brackets are optional; "< FILE" is stdin */
	*min = *max = 0;
	const char *p = args;
	while (*p) {
		while (*p == ' ') p++;
		if (!*p) break;
		if (*p == '<') break;
		if (*p == '[') { (*max)++; p = strchr(p, ']'); p = p ? p + 1 : ""; continue; }
		(*min)++; (*max)++;
		while (*p && *p != ' ') p++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		main_help(stderr);
		return EX_FAIL;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		if (argc > 2) {
			for (size_t i = 0; i < NSUBS; i++)
				if (!strcmp(argv[2], subs[i].name)) { sub_help(&subs[i]); return EX_OK; }
			return fail("no subcommand \"%s\" (pmemkit --help lists them)", argv[2]);
		}
		main_help(stdout);
		return EX_OK;
	}
	if (!strcmp(argv[1], "--help-all")) {
		/* every subcommand's help, for pmemkit(1) */
		main_help(stdout);
		for (size_t i = 0; i < NSUBS; i++) {
			printf("\n");
			sub_help(&subs[i]);
		}
		return EX_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("pmemkit %s (pool format %d)\n", pk_version(), PK_FORMAT_VERSION);
		return EX_OK;
	}
	const struct sub *s = NULL;
	for (size_t i = 0; i < NSUBS; i++)
		if (!strcmp(argv[1], subs[i].name)) s = &subs[i];
	if (!s)
		return fail("no subcommand \"%s\" (pmemkit --help lists them)", argv[1]);
	cur_cmd = s->name;
	struct opts o = { .cmd = s->name };
	char **args = calloc(argc, sizeof(char *));
	if (!args) die("out of memory");
	int n = 0, dashdash = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (dashdash || a[0] != '-' || a[1] != '-' ) {
			if (!dashdash && !strcmp(a, "-h")) { sub_help(s); return EX_OK; }
			args[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) { dashdash = 1; continue; }
		if (!strcmp(a, "--help")) { sub_help(s); return EX_OK; }
		if (!strcmp(a, "--json") && (s->opts & O_JSON)) { o.json = 1; continue; }
		if (!strcmp(a, "--readonly") && (s->opts & O_READONLY)) { o.readonly = 1; continue; }
		if (!strcmp(a, "--lines") && (s->opts & O_LINES)) { o.lines = 1; continue; }
		if (!strcmp(a, "--process-durable") && (s->opts & O_BATCH)) { o.pdurable = 1; continue; }
		if ((s->opts & O_REPLICA) && !strncmp(a, "--replica", 9) && (!a[9] || a[9] == '=')) {
			o.replica = a[9] ? a + 10 : i + 1 < argc ? argv[++i] : NULL;
			if (!o.replica || !o.replica[0])
				return fail("%s: --replica takes a path", s->name);
			continue;
		}
		if ((s->opts & O_BATCH) && (!strncmp(a, "--batch", 7) || !strncmp(a, "--skip", 6))) {
			int batch = a[2] == 'b';
			const char *eq = strchr(a, '='), *val = eq ? eq + 1 : NULL;
			size_t nl = eq ? (size_t)(eq - a) : strlen(a);
			if (nl != (batch ? 7u : 6u))
				return fail("%s: unknown option %s (pmemkit %s --help)", s->name, a, s->name);
			if (!val && i + 1 < argc) val = argv[++i];
			char *end;
			errno = 0;
			unsigned long long v = val ? strtoull(val, &end, 10) : 0;
			if (!val || !*val || *end || errno || val[0] == '-' || (batch && !v))
				return fail("%s: %s takes a %s number", s->name,
					batch ? "--batch" : "--skip", batch ? "positive" : "");
			if (batch) o.batch = v; else o.skip = v;
			continue;
		}
		if (!strcmp(a, "--json") || !strcmp(a, "--readonly") || !strcmp(a, "--lines"))
			return fail("%s: %s does not apply here (pmemkit %s --help)", s->name, a, s->name);
		return fail("%s: unknown option %s (pmemkit %s --help)", s->name, a, s->name);
	}
	int min, max;
	count_args(s->args, &min, &max);
	if (n < min || n > max) {
		fprintf(stderr, "pmemkit: %s: %s arguments; ", s->name, n < min ? "missing" : "too many");
		usage_line(stderr, s);
		return EX_FAIL;
	}
	int r = s->fn(&o, n, args);
	free(args);
	if (fflush(stdout) || ferror(stdout))
		return fail("%s: writing the output: %s", s->name, strerror(errno));
	return r;
}
