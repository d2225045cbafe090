#ifndef GALLEY_CMALLOC_H
#define GALLEY_CMALLOC_H
/// glibc's malloc tuning, which Swift's Glibc module does not export (malloc.h). No-ops elsewhere.

/// Give freed heap memory back to the system (malloc_trim).
void galley_trim_memory(void);
/// At most `n` malloc arenas (M_ARENA_MAX), instead of one per thread that ever allocated. (A fixed
/// M_MMAP_THRESHOLD of 256 KB was tried for the server too: each edit of a long text then mapped
/// and faulted its large arrays afresh, 10-20% more CPU per edit, for 1 MB less memory.)
void galley_limit_arenas(int n);
/// Freed memory kept for reuse (high fixed M_MMAP_THRESHOLD and M_TRIM_THRESHOLD): a batch check
/// allocates and frees the same large arrays section after section, and memory given back is
/// faulted in again page by page.
void galley_keep_freed_memory(void);
#endif
