#include "cbytescan.h"

void galley_byteset_make(galley_byteset *set, const uint8_t member[256]) {
    for (int i = 0; i < 16; i++) { set->low[i] = 0; set->high[i] = 0; }
    for (int b = 0; b < 256; b++) {
        if (!member[b]) continue;
        uint8_t bit = (uint8_t)(1u << ((b >> 4) & 7));
        if (b < 0x80) set->low[b & 15] |= bit; else set->high[b & 15] |= bit;
    }
}

static inline int is_member(const galley_byteset *set, uint8_t b) {
    uint8_t entry = b < 0x80 ? set->low[b & 15] : set->high[b & 15];
    return (entry >> ((b >> 4) & 7)) & 1;
}

static size_t next_scalar(const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end) {
    for (size_t i = from; i < end; i++) if (is_member(set, bytes[i])) return i;
    return end;
}

#if defined(__x86_64__)
#include <immintrin.h>

/// pshufb gives 0 where the index byte has its top bit set: the first lookup answers for bytes
/// below 0x80, the second (on the bytes with their top bit flipped) for the others.
__attribute__((target("avx2")))
static size_t next_avx2(const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end) {
    const __m256i low = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)set->low));
    const __m256i high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)set->high));
    const __m256i bits = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128,
                                          1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
    const __m256i flip = _mm256_set1_epi8((char)0x80), seven = _mm256_set1_epi8(7), zero = _mm256_setzero_si256();
    size_t i = from;
    while (i + 32 <= end) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(bytes + i));
        __m256i entry = _mm256_or_si256(_mm256_shuffle_epi8(low, v), _mm256_shuffle_epi8(high, _mm256_xor_si256(v, flip)));
        __m256i bit = _mm256_shuffle_epi8(bits, _mm256_and_si256(_mm256_srli_epi16(v, 4), seven));
        uint32_t miss = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(entry, bit), zero));
        if (miss != 0xFFFFFFFFu) return i + (size_t)__builtin_ctz(~miss);
        i += 32;
    }
    return next_scalar(set, bytes, i, end);
}

typedef size_t (*next_function)(const galley_byteset *, const uint8_t *, size_t, size_t);

static next_function choose(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? next_avx2 : next_scalar;
}

size_t galley_byteset_next_using(int way, const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end) {
    __builtin_cpu_init();
    if (way >= 1 && __builtin_cpu_supports("avx2")) return next_avx2(set, bytes, from, end);
    return next_scalar(set, bytes, from, end);
}

size_t galley_byteset_next(const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end) {
    static next_function chosen;
    next_function f = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!f) { f = choose(); __atomic_store_n(&chosen, f, __ATOMIC_RELAXED); }
    return f(set, bytes, from, end);
}
#else
size_t galley_byteset_next(const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end) {
    return next_scalar(set, bytes, from, end);
}

size_t galley_byteset_next_using(int way, const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end) {
    (void)way;
    return next_scalar(set, bytes, from, end);
}
#endif
