/*
 * pf_sim.h -- the simulator (libpmemsim, pmemsim.h) as a test program
 * reaches it: loaded with LD_PRELOAD, its functions found with dlsym()
 * (pf_sim.c), so that the program links nothing of it
 */
#ifndef PF_SIM_H
#define PF_SIM_H

#include <stdint.h>

/* the simulator, loaded with LD_PRELOAD; pf_sim_init re-executes the
 * program with it when it is missing */
void pf_sim_init(char **argv);
extern int (*pf_sim_watch)(const char *path);
extern void (*pf_sim_unwatch)(void);
struct pmemsim_stats;
extern void (*pf_sim_set_hook)(void (*fn)(void *, uint64_t), void *arg);
extern void (*pf_sim_get_stats)(struct pmemsim_stats *out);
extern int (*pf_sim_write_image)(const char *path, unsigned flags,
		uint64_t seed);

#endif
