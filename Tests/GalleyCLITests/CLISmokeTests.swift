import XCTest
@testable import GalleyCLI

final class CLISmokeTests: XCTestCase {
    func testMainReturns() { XCTAssertEqual(GalleyCommand.main([]), 0) }
}
