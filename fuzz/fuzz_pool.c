/*
 * fuzz_pool.c -- libFuzzer target: a damaged pool, opened and walked
 *
 * A pmemobj pool is at least 8 MiB, too large an input to mutate blindly,
 * so the input is a recipe (tests/hostile/mutate.c, hx_mutation_decode):
 * a flags byte, then 12-byte records that overwrite fields of pmemkit's
 * structures, flip bits, write integers in objects, damage libpmemobj's
 * metadata (its headers, lanes and logs, zone and chunk headers, run
 * bitmaps, allocation headers) or zero and overwrite pages that hold
 * data, or truncate the file.
 * The recipe is applied to a seed pool built once at start-up (the same
 * representative pool the corpus test uses); the result is opened,
 * walked through the public API, checked, collected and closed
 * (tests/hostile/walk.c): pk_pool_open() checks libpmemobj's metadata
 * (lib/precheck.c) before pmemobj_open() maps the file, so a crash or a
 * hang inside libpmemobj is a finding too. Built with AddressSanitizer and UBSan over the
 * library's sources, so a read outside the pool mapping, a heap overflow
 * or undefined behaviour is a crash libFuzzer reports.
 *
 * Environment: PK_FUZZ_DIR, the directory for the seed and the image
 * (default /dev/shm); PK_FUZZ_VERBOSE, to print each input's mutation
 * and outcome (to replay an artifact: fuzz/fuzz_pool FILE).
 *
 * libpmemobj 1.12 leaks memory when it refuses some damaged pools; those
 * leaks are suppressed by fuzz/lsan.supp (make fuzz passes it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile.h"

static struct hx_seed seed;
static char image[4096];
static int verbose;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
remove_image(void)
{
	unlink(image);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("PK_FUZZ_DIR");
	char path[4096];

	(void)argc;
	(void)argv;
	verbose = getenv("PK_FUZZ_VERBOSE") != NULL;
	if (dir == NULL || *dir == '\0')
		dir = "/dev/shm";
	/* libpmemobj treats the file as persistent memory without asking */
	setenv("PMEM_IS_PMEM_FORCE", "1", 0);
	snprintf(path, sizeof(path), "%s/pk-fuzz-seed.%d", dir, (int)getpid());
	snprintf(image, sizeof(image), "%s/pk-fuzz-image.%d", dir,
			(int)getpid());
	unlink(path);
	if (hx_seed_build(path) != 0 || hx_seed_load(&seed, path) != 0) {
		fprintf(stderr, "fuzz_pool: cannot build the seed pool in %s\n",
				dir);
		exit(1);
	}
	unlink(path);
	atexit(remove_image);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hx_mutation m;
	struct hx_result r;

	hx_mutation_decode(&m, &seed, data, size);
	if (hx_mutation_write(&m, &seed, image) != 0)
		return 0;
	hx_walk_file(image, &r, m.cls == HX_C_MULTI && m.truncate == 0);
	if (verbose) {
		char o[32], w[32], c[32], g[32];
		fprintf(stderr, "fuzz_pool: %s\n  open %s, walk %s, check %s, "
				"gc %s, %llu entries\n", m.desc,
				hx_code_name(r.open_rc, o, sizeof(o)),
				hx_code_name(r.walk_rc, w, sizeof(w)),
				hx_code_name(r.check_rc, c, sizeof(c)),
				hx_code_name(r.gc_rc, g, sizeof(g)),
				(unsigned long long)r.entries);
	}
	/* what the corpus test calls a failure is a crash here too */
	if (r.bad || r.foreign_lost) {
		fprintf(stderr, "fuzz_pool: %s\nmutation: %s\n", r.bad ? r.why :
				"the foreign object was freed or changed",
				m.desc);
		abort();
	}
	return 0;
}
