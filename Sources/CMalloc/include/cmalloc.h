#ifndef GALLEY_CMALLOC_H
#define GALLEY_CMALLOC_H
/// glibc's malloc tuning, which Swift's Glibc module does not export (malloc.h). No-ops elsewhere.

/// Give freed heap memory back to the system (malloc_trim).
void galley_trim_memory(void);
/// At most `n` malloc arenas (M_ARENA_MAX), instead of one per thread that ever allocated; and
/// large blocks always mapped on their own (a fixed M_MMAP_THRESHOLD), so freeing returns them.
void galley_limit_arenas(int n);
#endif
