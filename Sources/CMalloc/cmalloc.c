#include "cmalloc.h"
/* Any libc header defines __GLIBC__ (through features.h); without one the test below was always
   false and every function here did nothing. */
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
void galley_trim_memory(void) { malloc_trim(0); }
void galley_limit_arenas(int n) {
    mallopt(M_ARENA_MAX, n);
}
void galley_keep_freed_memory(void) {
    /* Fixed thresholds also stop glibc's dynamic one, which stays at 128 KB until a large block is
       freed: until then every block of 128 KB and more is mapped fresh and unmapped when freed. */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}
#else
void galley_keep_freed_memory(void) {}
void galley_trim_memory(void) {}
void galley_limit_arenas(int n) { (void)n; }
#endif
