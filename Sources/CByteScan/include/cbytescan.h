#ifndef GALLEY_CBYTESCAN_H
#define GALLEY_CBYTESCAN_H
/// A byte-set scan with SIMD shuffles ("truffle"): 32 bytes tested in a few instructions,
/// any set of bytes. Swift's SIMD types compile to scalar code for this, so it is C.
#include <stddef.h>
#include <stdint.h>

/// A set of bytes as two 16-byte masks: for a byte b, bit (b >> 4) & 7 of the mask's entry b & 15,
/// the first mask for b < 0x80, the second for the others.
typedef struct {
    uint8_t low[16];
    uint8_t high[16];
} galley_byteset;

/// Makes the masks of the set whose members are the bytes where `member[b]` is non-zero.
void galley_byteset_make(galley_byteset *set, const uint8_t member[256]);

/// The first offset in [from, end) whose byte is a member, or `end`: with AVX2 where the processor
/// has it (x86-64 since 2013), else a byte at a time.
size_t galley_byteset_next(const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end);

/// `galley_byteset_next` with a chosen way, for tests: 0 a byte at a time, 1 AVX2 (a byte at a time
/// where the processor lacks it).
size_t galley_byteset_next_using(int way, const galley_byteset *set, const uint8_t *bytes, size_t from, size_t end);
#endif
