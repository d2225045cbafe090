#include "cmalloc.h"
#if defined(__GLIBC__)
#include <malloc.h>
void galley_trim_memory(void) { malloc_trim(0); }
void galley_limit_arenas(int n) {
    mallopt(M_ARENA_MAX, n);
    /* A fixed threshold: blocks of 256 KB and more (a document's text, its line index) are mapped
       on their own and given back when freed, instead of glibc raising the threshold after the
       first such free and keeping later ones in the heap for good. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}
#else
void galley_trim_memory(void) {}
void galley_limit_arenas(int n) { (void)n; }
#endif
