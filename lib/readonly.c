/*
 * readonly.c -- libpmemobj's open, and the two ways a read-only open
 * (PK_POOL_READONLY) keeps every store from the file
 *
 * libpmemobj 1.12 cannot open a pool read-only: every open writes (lane
 * recovery, the heap's state) through a mapping shared with the file, and
 * it refuses a file it cannot open for writing. So that nothing reaches
 * the file, a read-only pool is mapped where stores stay in the process:
 *
 * - copy-on-write, for a file this process could write: libpmemobj's ctl
 *   "copy_on_write.at_open" maps the pool MAP_PRIVATE; a page written
 *   (by libpmemobj's open, or a recount after a crash) is copied into the
 *   process's memory, the others are read from the file. libpmemobj still
 *   opens the file O_RDWR, writes nothing through it, and takes its
 *   exclusive lock on it for as long as the mapping lives;
 *
 * - a private copy, for a file it may not write (no write permission
 *   bits, even for root, as a read-write open refuses it; another owner;
 *   read-only media): the file, opened O_RDONLY and locked as libpmemobj
 *   locks it, is copied into a memfd that libpmemobj opens as a pool
 *   through /proc/self/fd/N. Costs a read of every data extent of the
 *   file at open, and memory (tmpfs, swappable) for them until close.
 *
 * Either way an unclean pool is recovered in that private memory only,
 * and a read-only pool holds the file's lock while open, as a read-write
 * one does: no other open of the file, read-only or not, shares it. A
 * writer beside a private mapping would show through in the pages not
 * yet copied, torn.
 *
 * The ctl is one setting for the whole process. Every pmemkit open sets
 * it, under a lock, to what it needs, and a read-write open to 0: set by
 * PMEMOBJ_CONF, it would make every pool private and lose every write.
 */
#define _GNU_SOURCE 1	/* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define COW_CTL "copy_on_write.at_open"

/* pmemkit's opens, each with the ctl set as it needs */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

/* pk__readonly_err -- the error of a write to a read-only pool */
int
pk__readonly_err(void)
{
	return pk__err(PK_EREADONLY, "opened with PK_POOL_READONLY: "
			"nothing can be written");
}

/* cow_set -- set libpmemobj's copy-on-write at open (0 or 1) */
static int
cow_set(int on)
{
	if (pmemobj_ctl_set(NULL, COW_CTL, &on) != 0)
		return pk__err_pmemobj(ENOTSUP, "libpmemobj's " COW_CTL);
	return 0;
}

/*
 * pk__obj_open -- pmemobj_open, mapped shared or (cow) private, its
 * failures as pmemkit codes; name is the file the messages give
 */
int
pk__obj_open(PMEMobjpool **out, const char *path, const char *name, int cow)
{
	int rc, e = 0;

	*out = NULL;
	pthread_mutex_lock(&open_lock);
	if ((rc = cow_set(cow)) == 0) {
		*out = pmemobj_open(path, PK_LAYOUT_NAME);
		e = errno;
		if (cow && cow_set(0) != 0 && *out != NULL) {
			/* a later open of another library would map
			 * privately: refuse rather than leave it so */
			pmemobj_close(*out);
			*out = NULL;
			rc = pk__err(ENOTSUP, "cannot set libpmemobj's "
					COW_CTL " back to 0");
		}
	}
	pthread_mutex_unlock(&open_lock);
	if (rc != 0 || *out != NULL)
		return rc;
	if (e == EAGAIN || e == EWOULDBLOCK)
		return pk__err_pmemobj(EAGAIN, name);
	if (e == EACCES || e == EPERM || e == ENOMEM || e == ENOTSUP)
		return pk__err_pmemobj(e, name);
	return pk__err_pmemobj(PK_ECORRUPT, name);
}

/* may_write -- whether the file may be opened for writing: has write
 * permission bits, and this process gets it open O_RDWR */
static int
may_write(const char *path, const struct stat *st)
{
	int fd;

	if (!(st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
		return 0;
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return 0;	/* the copy's O_RDONLY open judges the rest */
	close(fd);
	return 1;
}

/* copy_range -- copy [at, end) of src into dst at the same offsets */
static int
copy_range(int dst, int src, off_t at, off_t end)
{
	if (lseek(dst, at, SEEK_SET) != at)
		return pk__err(errno, "lseek in the private copy");
	while (at < end) {
		ssize_t n = sendfile(dst, src, &at, (size_t)(end - at));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pk__err(errno, "copying the pool: %s",
					strerror(errno));
		if (n == 0)
			return pk__err(PK_ECORRUPT, "the pool file shrank "
					"while it was copied");
	}
	return 0;
}

/*
 * copy_data -- copy the data extents of src's first size bytes into dst,
 * whose holes read as the zeros src's do (a pool libpmemobj created is
 * mostly allocated but never written: SEEK_DATA skips what a file system
 * knows to be unwritten)
 */
static int
copy_data(int dst, int src, off_t size)
{
	off_t at = 0;
	int rc = 0;

	while (rc == 0 && at < size) {
		off_t data = lseek(src, at, SEEK_DATA), hole;
		if (data < 0 && errno == ENXIO)
			break;		/* nothing but a hole to the end */
		if (data < 0)
			data = at;	/* no SEEK_DATA here: copy it all */
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0 || hole > size)
			hole = size;
		if (data < hole)
			rc = copy_range(dst, src, data, hole);
		at = hole;
	}
	return rc;
}

/* lock_file -- take the lock libpmemobj takes on a pool file */
static int
lock_file(int fd, const char *path)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return pk__err(EAGAIN, "%s is open (in this process or "
				"another)", path);
	return pk__err(errno, "flock %s: %s", path, strerror(errno));
}

/*
 * copy_open -- open a private copy of the file at path, which stays
 * locked in *lock until pk_pool_close(); *st becomes the copied file's
 */
static int
copy_open(PMEMobjpool **out, int *lock, const char *path, struct stat *st)
{
	char proc[64];
	int fd, mfd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return pk__err(errno, "%s", path);
	if ((rc = lock_file(fd, path)) != 0) {
		close(fd);
		return rc;
	}
	if (fstat(fd, st) != 0) {
		rc = pk__err(errno, "%s", path);
		close(fd);
		return rc;
	}
	if ((mfd = memfd_create("pmemkit-readonly", MFD_CLOEXEC)) < 0) {
		rc = pk__err(errno, "memfd_create for a private copy of %s: "
				"%s", path, strerror(errno));
		close(fd);
		return rc;
	}
	if (ftruncate(mfd, st->st_size) != 0)
		rc = pk__err(errno, "a private copy of %s (%lld bytes): %s",
				path, (long long)st->st_size, strerror(errno));
	if (rc == 0)
		rc = copy_data(mfd, fd, st->st_size);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", mfd);
	if (rc == 0 && access(proc, F_OK) != 0)
		rc = pk__err(ENOTSUP, "a read-only open of %s, which this "
				"process may not write, needs /proc", path);
	if (rc == 0)
		rc = pk__obj_open(out, proc, path, 0);
	close(mfd);	/* the mapping keeps the copy */
	if (rc != 0)
		close(fd);
	else
		*lock = fd;
	return rc;
}

/*
 * pk__ro_open -- map the pool at path so that no store reaches the file:
 * copy-on-write if this process could write the file, else a private copy
 * (*lock then holds the file's lock, else it is -1)
 */
int
pk__ro_open(PMEMobjpool **out, int *lock, const char *path, struct stat *st)
{
	*lock = -1;
	if (may_write(path, st))
		return pk__obj_open(out, path, path, 1);
	return copy_open(out, lock, path, st);
}
