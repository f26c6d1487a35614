/*
 * poolset.c -- pools of more than one file: growing pools and replicas
 *
 * Both are libpmemobj poolsets (poolset(5)): the path the user passes is
 * a text file that names the pool's parts, written here at creation.
 *
 * A growing pool is a directory poolset. <path> reads
 *	PMEMPOOLSET
 *	OPTION SINGLEHDR
 *	<max_size> <absolute path>.parts
 * and libpmemobj keeps its parts in <path>.parts/ as 000000.pmem,
 * 000001.pmem, ...: the first of 8 MiB at creation, one more each time
 * the heap runs out of chunks, of the step set at every open through
 * "heap.size.granularity" (grow_step()). max_size is an address space
 * reservation: the parts together never exceed it. The parts are mapped
 * one after the other, so the pool is one range of memory whose end moves
 * up as it grows; pmemkit's bound of valid offsets (pool->size) follows
 * it (pk__pool_grew()).
 *
 * A replicated pool adds a REPLICA section: a fixed pool's data lives in
 * <path>.pmem and in the replica file, a growing pool's in <path>.parts/
 * and in the replica directory. libpmemobj writes every change to both;
 * pk_pool_repair() rebuilds a missing or damaged copy from the other
 * (pmempool_sync()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpmempool.h>

#include "internal.h"

#define POOLSET_SIG "PMEMPOOLSET"

/* libpmemobj's smallest part; a growth step below it is refused */
#define PART_MIN ((uint64_t)2 << 20)
/* growth steps: an eighth of the pool, between these */
#define STEP_MIN ((uint64_t)8 << 20)
#define STEP_MAX ((uint64_t)1 << 30)

/* POOL_HDR: the poolset uuid of a part's header (libpmemobj's pool_hdr:
 * signature, major, three feature words, then the uuid) */
#define HDR_UUID_OFF 24
#define HDR_UUID_LEN 16
#define UUID_NOTE "# pmemkit pool "

/* pk__poolset_is -- whether the file at path is a poolset file */
int
pk__poolset_is(const char *path)
{
	char sig[sizeof(POOLSET_SIG) - 1];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, sig, sizeof(sig), 0);
	close(fd);
	return n == (ssize_t)sizeof(sig) && memcmp(sig, POOLSET_SIG,
			sizeof(sig)) == 0;
}

/* abs_path -- the absolute path of a file that may not exist yet: its
 * directory resolved, its name kept */
static int
abs_path(char *out, size_t len, const char *path)
{
	char a[PATH_MAX], b[PATH_MAX], dir[PATH_MAX];

	snprintf(a, sizeof(a), "%s", path);
	snprintf(b, sizeof(b), "%s", path);
	if (realpath(dirname(a), dir) == NULL)
		return pk__err(errno, "%s: %s", path, strerror(errno));
	if ((size_t)snprintf(out, len, "%s/%s", dir, basename(b)) >= len)
		return pk__err(ENAMETOOLONG, "%s", path);
	return 0;
}

/* dir_use -- make the directory dir, or take an empty one; *made says
 * whether it was made here */
static int
dir_use(const char *dir, int *made)
{
	DIR *d;
	struct dirent *e;
	char other[256] = "";

	*made = 0;
	if (mkdir(dir, 0700) == 0) {
		*made = 1;
		return 0;
	}
	if (errno != EEXIST)
		return pk__err(errno, "%s: %s", dir, strerror(errno));
	if ((d = opendir(dir)) == NULL)
		return pk__err(EEXIST, "%s exists and is not a directory",
				dir);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0) {
			/* the entry goes with closedir() */
			snprintf(other, sizeof(other), "%s", e->d_name);
			break;
		}
	closedir(d);
	return other[0] == '\0' ? 0 : pk__err(EEXIST, "directory %s holds "
			"other files (\"%s\")", dir, other);
}

/* dir_clear -- remove the part files libpmemobj made in dir (dir_use()
 * found it empty), and dir if made */
static void
dir_clear(const char *dir, int made)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 256];

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			if (n > 5 && strcmp(e->d_name + n - 5, ".pmem") == 0) {
				snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
				unlink(p);
			}
		}
		closedir(d);
	}
	if (made)
		rmdir(dir);
}

/*
 * pk__poolset_create -- write the poolset file at path for the pool opts
 * describe (a growing pool if opts->size is 0 or max_size is set; a
 * replica if opts->replica), with the directories it names; the caller
 * then creates the pool through it. pk__poolset_undo() removes it all.
 */
int
pk__poolset_create(struct pk_poolset *ps, const char *path,
		const pk_pool_options *opts)
{
	char abs[PATH_MAX], rep[PATH_MAX];
	struct stat st;
	int fd, rc;
	FILE *f;

	memset(ps, 0, sizeof(*ps));
	ps->growing = opts->size == 0 || opts->max_size != 0;
	ps->max = opts->max_size != 0 ? opts->max_size : PK_POOL_MAX_DEFAULT;
	ps->max &= ~(uint64_t)4095;
	if ((rc = abs_path(abs, sizeof(abs), path)) != 0)
		return rc;
	if (opts->replica != NULL &&
	    (rc = abs_path(rep, sizeof(rep), opts->replica)) != 0)
		return rc;
	if ((size_t)snprintf(ps->data, sizeof(ps->data), "%s.%s", abs,
			ps->growing ? "parts" : "pmem") >= sizeof(ps->data))
		return pk__err(ENAMETOOLONG, "%s", path);
	if ((size_t)snprintf(ps->first, sizeof(ps->first), "%s%s", ps->data,
			ps->growing ? "/000000.pmem" : "") >= sizeof(ps->first))
		return pk__err(ENAMETOOLONG, "%s", path);
	if (opts->replica != NULL)
		snprintf(ps->replica, sizeof(ps->replica), "%s", rep);
	if (opts->replica != NULL && (strcmp(rep, abs) == 0 ||
				strcmp(rep, ps->data) == 0))
		return pk__err(EINVAL, "the replica %s is the pool itself",
				opts->replica);
	if (ps->growing) {
		if ((rc = dir_use(ps->data, &ps->data_made)) != 0)
			return rc;
		if (opts->replica != NULL &&
		    (rc = dir_use(ps->replica, &ps->replica_made)) != 0) {
			ps->replica[0] = '\0';	/* not ours to clear */
			pk__poolset_undo(ps, NULL);
			return rc;
		}
	} else {
		/* libpmemobj would take an existing part as the pool's */
		if (stat(ps->data, &st) == 0)
			return pk__err(EEXIST, "%s exists", ps->data);
		if (opts->replica != NULL && stat(ps->replica, &st) == 0)
			return pk__err(EEXIST, "replica %s exists (a replica "
					"is made new with its pool)",
					opts->replica);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, opts->mode ?
			(mode_t)opts->mode : 0600);
	if (fd < 0) {
		rc = pk__err(errno, "%s: %s", path, strerror(errno));
		pk__poolset_undo(ps, NULL);
		return rc;
	}
	ps->file_made = 1;
	f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		pk__poolset_undo(ps, path);
		return pk__err(ENOMEM, NULL);
	}
	uint64_t sz = ps->growing ? ps->max : opts->size;
	fprintf(f, "PMEMPOOLSET\n%s%llu %s\n", ps->growing ?
			"OPTION SINGLEHDR\n" : "", (unsigned long long)sz,
			ps->data);
	if (opts->replica != NULL)
		fprintf(f, "REPLICA\n%llu %s\n", (unsigned long long)sz,
				ps->replica);
	rc = fflush(f) != 0 || fsync(fd) != 0 ? errno : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = errno;
	if (rc != 0) {
		pk__poolset_undo(ps, path);
		return pk__err(rc, "%s: %s", path, strerror(rc));
	}
	return 0;
}

/* pk__poolset_undo -- remove what pk__poolset_create() made, and the
 * parts libpmemobj made through it */
void
pk__poolset_undo(struct pk_poolset *ps, const char *path)
{
	if (ps->growing) {
		dir_clear(ps->data, ps->data_made);
		if (ps->replica[0] != '\0')
			dir_clear(ps->replica, ps->replica_made);
	} else if (path != NULL) {
		unlink(ps->data);
		if (ps->replica[0] != '\0')
			unlink(ps->replica);
	}
	if (path != NULL && ps->file_made)
		unlink(path);
}

/*
 * pk__poolset_read -- what the poolset file at path says of its first
 * replica: its first part (a file, or a directory of a growing pool)
 * and reservation; whether it has a replica
 */
int
pk__poolset_read(struct pk_poolset *ps, const char *path)
{
	char line[PATH_MAX + 64];
	unsigned long long size;
	FILE *f = fopen(path, "r");
	int parts = 0;

	memset(ps, 0, sizeof(*ps));
	if (f == NULL)
		return pk__err(errno, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char p[PATH_MAX];
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, UUID_NOTE, sizeof(UUID_NOTE) - 1) == 0) {
			snprintf(ps->uuid, sizeof(ps->uuid), "%.32s",
					line + sizeof(UUID_NOTE) - 1);
			continue;
		}
		if (line[0] == '#' || line[0] == '\0' ||
		    strncmp(line, "PMEMPOOLSET", 11) == 0 ||
		    strncmp(line, "OPTION", 6) == 0)
			continue;
		if (strncmp(line, "REPLICA", 7) == 0) {
			parts = -1;	/* the parts that follow are the replica's */
			continue;
		}
		if (sscanf(line, "%llu %4095s", &size, p) != 2)
			continue;
		if (parts == -1) {
			if (ps->replica[0] == '\0')
				snprintf(ps->replica, sizeof(ps->replica),
						"%s", p);
			continue;
		}
		if (parts++ == 0) {
			snprintf(ps->data, sizeof(ps->data), "%s", p);
			ps->max = size;
		}
	}
	fclose(f);
	if (ps->data[0] == '\0')
		return pk__err(PK_ENOTPOOL, "%s: a poolset file that names no "
				"part", path);
	struct stat st;
	if (stat(ps->data, &st) != 0)
		return pk__err(errno == ENOENT ? PK_ECORRUPT : errno,
				"%s: part %s: %s", path, ps->data,
				strerror(errno));
	ps->growing = S_ISDIR(st.st_mode);
	if ((size_t)snprintf(ps->first, sizeof(ps->first), "%s%s", ps->data,
				ps->growing ? "/000000.pmem" : "") >=
			sizeof(ps->first))
		return pk__err(ENAMETOOLONG, "%s", ps->data);
	return 0;
}


/* part_uuid -- the poolset uuid in the header of the part file at path,
 * as hex in out (33 bytes) */
static int
part_uuid(char *out, const char *path)
{
	unsigned char u[HDR_UUID_LEN];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return pk__err(errno, "%s: %s", path, strerror(errno));
	n = pread(fd, u, sizeof(u), HDR_UUID_OFF);
	close(fd);
	if (n != (ssize_t)sizeof(u))
		return pk__err(PK_ECORRUPT, "%s: truncated header", path);
	for (int i = 0; i < HDR_UUID_LEN; i++)
		sprintf(out + 2 * i, "%02x", u[i]);
	return 0;
}

/*
 * pk__poolset_note -- after creation, add to the poolset file at path a
 * comment with the uuid of the pool its first part holds: a part of
 * another pool put in its place is then refused before libpmemobj opens
 * (and would recover) it. A poolset file without the note (a crash
 * before it was written) is not checked.
 */
int
pk__poolset_note(const struct pk_poolset *ps, const char *path)
{
	char u[2 * HDR_UUID_LEN + 1];
	int rc, fd;

	if ((rc = part_uuid(u, ps->first)) != 0)
		return rc;
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return pk__err(errno, "%s: %s", path, strerror(errno));
	char line[sizeof(UUID_NOTE) + sizeof(u) + 1];
	int len = snprintf(line, sizeof(line), "%s%s\n", UUID_NOTE, u);
	rc = write(fd, line, (size_t)len) != len || fsync(fd) != 0 ? errno : 0;
	close(fd);
	return rc == 0 ? 0 : pk__err(rc ? rc : EIO, "%s: %s", path,
			strerror(rc));
}

/* pk__poolset_check_note -- PK_ECORRUPT if the poolset's first part is
 * of another pool than its note says */
int
pk__poolset_check_note(const struct pk_poolset *ps, const char *path)
{
	char u[2 * HDR_UUID_LEN + 1];
	int rc;

	if (ps->uuid[0] == '\0')
		return 0;
	if ((rc = part_uuid(u, ps->first)) != 0)
		return rc;
	if (strcmp(u, ps->uuid) != 0)
		return pk__err(PK_ECORRUPT, "%s: part %s is of another pool "
				"(uuid %s, the poolset's is %s)", path,
				ps->first, u, ps->uuid);
	return 0;
}

/* part_index -- the number of a part file's name (000012.pmem: 12), -1
 * for another file */
static long
part_index(const char *name)
{
	size_t n = strlen(name);
	char *end;
	long i;

	if (n <= 5 || strcmp(name + n - 5, ".pmem") != 0)
		return -1;
	i = strtol(name, &end, 10);
	return end == name || strcmp(end, ".pmem") != 0 ? -1 : i;
}

/*
 * heal_dir -- finish or undo a growth a crash interrupted in dir: the
 * last part, if it has under 2 MiB, was being made (libpmemobj creates
 * a part with no permission bits, then allocates its space, then sets
 * 0600, then adds it to the heap; a whole part is 2 MiB or more) and
 * holds nothing: it is removed. A last part left without permission bits
 * gets the 0600 libpmemobj gives it. Nothing else is touched.
 */
static void
heal_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char last[PATH_MAX + 256] = "";
	long max = -1;
	struct stat st;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		long i = part_index(e->d_name);
		if (i > max) {
			max = i;
			snprintf(last, sizeof(last), "%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	if (max <= 0 || stat(last, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	if ((uint64_t)st.st_size < PART_MIN)
		unlink(last);
	else if ((st.st_mode & 0777) == 0)
		chmod(last, 0600);
}

/*
 * check_dir -- PK_ECORRUPT unless the parts in dir are numbered 0 to n-1
 * without a gap: libpmemobj maps the parts it finds one after the other,
 * and a part missing in the middle would shift every later one
 */
static int
check_dir(const char *path, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long n = 0, max = -1;

	if (d == NULL)
		return pk__err(errno == ENOENT ? PK_ECORRUPT : errno,
				"%s: part directory %s: %s", path, dir,
				strerror(errno));
	while ((e = readdir(d)) != NULL) {
		long i = part_index(e->d_name);
		if (i < 0)
			continue;
		n++;
		if (i > max)
			max = i;
	}
	closedir(d);
	if (n == max + 1)
		return 0;
	return pk__err(PK_ECORRUPT, "%s: %ld of the %ld parts in %s are "
			"missing%s", path, max + 1 - n, max + 1, dir,
			n > max + 1 ? " (or named twice)" : "; pk_pool_repair() "
			"rebuilds them from a replica");
}

/* pk__poolset_check_parts -- check_dir() for each directory of a
 * growing pool */
int
pk__poolset_check_parts(const struct pk_poolset *ps, const char *path)
{
	int rc;

	if (!ps->growing)
		return 0;
	if ((rc = check_dir(path, ps->data)) != 0)
		return rc;
	return ps->replica[0] != '\0' ? check_dir(path, ps->replica) : 0;
}

/* pk__poolset_heal -- heal_dir() for each directory of a growing pool */
void
pk__poolset_heal(const struct pk_poolset *ps)
{
	if (!ps->growing)
		return;
	heal_dir(ps->data);
	if (ps->replica[0] != '\0')
		heal_dir(ps->replica);
}

/*
 * pk__parts_mapped -- the bytes libpmemobj maps of a growing pool whose
 * parts are in dir: its parts in order, each rounded down to whole pages,
 * as one range (its first part's header is the pool's; SINGLEHDR: the
 * others have none)
 */
uint64_t
pk__parts_mapped(const char *dir)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), sum = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 256];
	struct stat st;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (part_index(e->d_name) < 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			sum += (uint64_t)st.st_size & ~(page - 1);
	}
	closedir(d);
	return sum;
}

struct part {
	long idx;
	uint64_t size;
};

/* part_cmp -- parts in the order of their numbers */
static int
part_cmp(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	return (x->idx > y->idx) - (x->idx < y->idx);
}

/*
 * parts_list -- the parts in dir, in the order of their numbers, each
 * with its size rounded down to whole pages (as libpmemobj maps them)
 */
static int
parts_list(const char *dir, struct part **out, size_t *count)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct part *v = NULL, *nv;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 256];
	struct stat st;

	if (d == NULL)
		return pk__err(errno, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		long i = part_index(e->d_name);
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (i < 0 || stat(p, &st) != 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				closedir(d);
				free(v);
				return pk__err(ENOMEM, NULL);
			}
			v = nv;
		}
		v[n].idx = i;
		v[n++].size = (uint64_t)st.st_size & ~(page - 1);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), part_cmp);
	*out = v;
	*count = n;
	return 0;
}

/*
 * pk__parts_msync -- msync every part of a growing pool, mapped one after
 * the other from base, in order. A last part that another thread's
 * allocation is making (on disk, not mapped yet: msync says ENOMEM) holds
 * nothing of the heap yet and is left out.
 */
int
pk__parts_msync(char *base, const char *dir)
{
	struct part *v;
	uint64_t off = 0;
	size_t n;
	int rc;

	if ((rc = parts_list(dir, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; off += v[i++].size)
		if (msync(base + off, v[i].size, MS_SYNC) != 0 &&
		    !(errno == ENOMEM && i == n - 1))
			rc = pk__err(errno, "msync of part %ld: %s", v[i].idx,
					strerror(errno));
	free(v);
	return rc;
}

/*
 * pk__parts_precheck -- pk__precheck_map() of a growing pool: its parts
 * mapped read-only one after the other, as libpmemobj will map them, so
 * that the heap the first part describes is checked against the bytes
 * the parts hold (a missing last part is refused here, before
 * libpmemobj maps, and writes, anything)
 */
int
pk__parts_precheck(const char *dir, const char *path)
{
	struct part *v;
	uint64_t off = 0, total = 0;
	char *base;
	char p[PATH_MAX + 256];
	size_t n;
	int rc;

	if ((rc = parts_list(dir, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		total += v[i].size;
	if (total == 0) {
		free(v);
		return pk__err(PK_ECORRUPT, "%s: no parts", path);
	}
	base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
			MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		free(v);
		return pk__err(errno, "%s: mmap: %s", path, strerror(errno));
	}
	for (size_t i = 0; i < n && rc == 0; off += v[i++].size) {
		int fd;

		snprintf(p, sizeof(p), "%s/%06ld.pmem", dir, v[i].idx);
		if ((fd = open(p, O_RDONLY | O_CLOEXEC)) < 0) {
			rc = pk__err(errno, "%s: %s", p, strerror(errno));
			break;
		}
		if (v[i].size != 0 && mmap(base + off, v[i].size, PROT_READ,
					MAP_SHARED | MAP_FIXED, fd, 0) ==
				MAP_FAILED)
			rc = pk__err(errno, "%s: mmap: %s", p,
					strerror(errno));
		close(fd);
	}
	if (rc == 0)
		rc = pk__precheck_map(base, total, path);
	munmap(base, total);
	free(v);
	return rc;
}

/*
 * grow_step -- the growth step of a pool of size bytes: an eighth of it
 * (so that at most an eighth is ever unused), from 8 MiB to 1 GiB, in
 * whole 2 MiB (libpmemobj's smallest part)
 */
static uint64_t
grow_step(uint64_t size)
{
	uint64_t s = size / 8;

	s = s < STEP_MIN ? STEP_MIN : s > STEP_MAX ? STEP_MAX : s;
	return s & ~(PART_MIN - 1);
}

/* pk__pool_grow_step -- set the growth step of a growing pool for its
 * size now (libpmemobj keeps it for the session only) */
int
pk__pool_grow_step(pk_pool *pool)
{
	long long step = (long long)grow_step(pool->size);

	if (!pool->growing)
		return 0;
	if (pmemobj_ctl_set(pool->pop, "heap.size.granularity", &step) != 0)
		return pk__err_pmemobj(errno ? errno : EINVAL,
				"heap.size.granularity");
	/* threads allocating at once may each find a new step */
	__atomic_store_n(&pool->step, (uint64_t)step, __ATOMIC_RELAXED);
	return 0;
}

/*
 * pk__pool_grew -- an allocation ends at end, past the bound of valid
 * offsets: the heap grew (only a growing pool's does), and everything up
 * to end is mapped. Raised, never lowered, atomically: other threads
 * check offsets against it without a lock (pk__ptr()).
 */
void
pk__pool_grew(pk_pool *pool, uint64_t end)
{
	uint64_t cur = __atomic_load_n(&pool->size, __ATOMIC_RELAXED);

	while (end > cur && !__atomic_compare_exchange_n(&pool->size, &cur,
				end, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	if (grow_step(end) != __atomic_load_n(&pool->step, __ATOMIC_RELAXED))
		(void)pk__pool_grow_step(pool);
}

/* in_use -- whether a process has the part file (or a directory's first
 * part) open: libpmemobj holds an exclusive flock on each while open */
static int
in_use(const char *part)
{
	char p[PATH_MAX + 16];
	struct stat st;
	int fd, busy;

	if (part[0] == '\0' || stat(part, &st) != 0)
		return 0;
	snprintf(p, sizeof(p), "%s%s", part, S_ISDIR(st.st_mode) ?
			"/000000.pmem" : "");
	if ((fd = open(p, O_RDONLY)) < 0)
		return 0;
	busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);	/* and with it the lock, if taken */
	return busy;
}

/* pk_pool_repair -- rebuild a missing or damaged copy of a replicated
 * pool from the healthy one (pmemkit.h) */
int
pk_pool_repair(const char *path)
{
	struct pk_poolset ps;
	int rc;

	if (path == NULL)
		return pk__err(EINVAL, "NULL path");
	if (access(path, F_OK) != 0)
		return pk__err(errno, "%s: %s", path, strerror(errno));
	if (!pk__poolset_is(path))
		return pk__err(PK_ENOTPOOL, "%s is not a poolset file: only a "
				"pool with a replica can be repaired", path);
	if ((rc = pk__poolset_read(&ps, path)) != 0 &&
	    rc != PK_ECORRUPT)	/* a missing primary is what repair is for */
		return rc;
	if (ps.replica[0] == '\0')
		return pk__err(PK_ENOTPOOL, "%s has no replica to repair from",
				path);
	if (in_use(ps.first) || in_use(ps.replica))
		return pk__err(EAGAIN, "%s is open", path);
	errno = 0;
	if (pmempool_sync(path, 0) != 0) {
		int e = errno ? errno : EIO;
		if (e == EWOULDBLOCK || e == EBUSY)
			e = EAGAIN;
		else if (e != EACCES && e != EPERM && e != ENOSPC &&
				e != ENOMEM && e != EROFS)
			e = PK_ECORRUPT;
		return pk__err(e, "%s: pmempool_sync: %s", path,
				pmempool_errormsg());
	}
	return 0;
}
