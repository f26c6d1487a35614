/*
 * pf_sim.c -- the power-failure simulator's functions, found with dlsym()
 * in a program that libpmemsim.so is preloaded into, or the program run
 * again with it preloaded. Needs libpmemobj only: the standalone
 * reproduction (pmdk_repro.c) uses it too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libpmemobj.h>

#include "pf_sim.h"
#include "pmemsim.h"

#ifndef PF_SIM_LIB
#define PF_SIM_LIB "libpmemsim.so"
#endif

int (*pf_sim_watch)(const char *path);
void (*pf_sim_unwatch)(void);
void (*pf_sim_set_hook)(void (*fn)(void *, uint64_t), void *arg);
void (*pf_sim_get_stats)(struct pmemsim_stats *out);
int (*pf_sim_write_image)(const char *path, unsigned flags, uint64_t seed);

void
pf_sim_init(char **argv)
{
	pf_sim_watch = (int (*)(const char *))dlsym(RTLD_DEFAULT,
			"pmemsim_watch");
	if (pf_sim_watch != NULL) {
		*(void **)&pf_sim_unwatch = dlsym(RTLD_DEFAULT,
				"pmemsim_unwatch");
		*(void **)&pf_sim_set_hook = dlsym(RTLD_DEFAULT,
				"pmemsim_set_hook");
		*(void **)&pf_sim_get_stats = dlsym(RTLD_DEFAULT,
				"pmemsim_get_stats");
		*(void **)&pf_sim_write_image = dlsym(RTLD_DEFAULT,
				"pmemsim_write_image");
		if (pf_sim_unwatch && pf_sim_set_hook && pf_sim_get_stats &&
		    pf_sim_write_image) {
			/* which build: the release one, or the debug one
			 * put first on LD_LIBRARY_PATH (doc/reliability.md) */
			Dl_info info;
			if (dladdr((void *)pmemobj_open, &info) != 0)
				printf("libpmemobj: %s\n", info.dli_fname);
			return;
		}
	}
	if (getenv("PF_SIM_REEXEC") != NULL) {
		fprintf(stderr, "libpmemsim is not loaded (LD_PRELOAD=%s)\n",
				getenv("LD_PRELOAD"));
		exit(99); /* a hard error for the test driver */
	}
	/* run again with the simulator preloaded */
	const char *lib = getenv("PMEMSIM_LIB");
	const char *pre = getenv("LD_PRELOAD");
	char buf[8192];
	snprintf(buf, sizeof(buf), "%s%s%s", lib ? lib : PF_SIM_LIB,
			pre && *pre ? ":" : "", pre ? pre : "");
	setenv("LD_PRELOAD", buf, 1);
	setenv("PF_SIM_REEXEC", "1", 1);
	execv("/proc/self/exe", argv);
	perror("execv /proc/self/exe");
	exit(99);
}

