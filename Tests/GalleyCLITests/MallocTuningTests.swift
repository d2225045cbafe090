import XCTest
import CMalloc

/// The malloc tuning in `CMalloc` takes effect (it once compiled to empty functions: its glibc test
/// came before any header that defines `__GLIBC__`). Told by glibc's chunk header: the size word
/// before a block has bit 1 (IS_MMAPPED) set when the block was mapped on its own.
final class MallocTuningTests: XCTestCase {
    func testBatchTuningKeepsLargeBlocksInTheHeap() throws {
        #if !canImport(Glibc)
        throw XCTSkip("glibc only")
        #else
        func mapped(_ size: Int) -> Bool {
            // Through the Swift runtime (malloc at this alignment): the optimizer of a release build
            // dropped a `malloc` whose block was only read before it.
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            defer { block.deallocate() }
            return (block - MemoryLayout<UInt>.size).load(as: UInt.self) & 2 != 0
        }
        // Above the highest threshold glibc allows (32 MB) a block is always mapped; 31 MB is below
        // the fixed one the batch sets, and above glibc's own (128 KB, raised only by freeing a
        // mapped block that large).
        XCTAssertTrue(mapped(40 << 20))
        galley_keep_freed_memory()
        XCTAssertFalse(mapped(31 << 20), "after galley_keep_freed_memory, 31 MB comes from the heap")
        #endif
    }
}
