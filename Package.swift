// swift-tools-version:5.10
// galley: a proofreading assistant for transcriptions of Chinese newspaper bulletins.
// No third-party packages: the toolchain only (see README.md and ../shared/DESIGN.md).
import PackageDescription

/// Release builds: cross-module inlining (the rules call TextModel's small helpers per character)
/// and no run-time exclusivity checks (debug builds, and so the tests, keep them).
let fast: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "galley",
    products: [
        .executable(name: "galley", targets: ["galley"]),
        .library(name: "TextModel", targets: ["TextModel"]),
        .library(name: "Proofreading", targets: ["Proofreading"]),
        .library(name: "LanguageServer", targets: ["LanguageServer"]),
    ],
    targets: [
        // Pure text model: storage, line index, positions in every encoding, edits. No IO.
        .target(name: "TextModel", swiftSettings: fast),
        // Rules, diagnostics, fixes and the engine. No IO.
        .target(name: "Proofreading", dependencies: ["TextModel"], swiftSettings: fast),
        // The language server: JSON-RPC framing, LSP messages, documents, diagnostics, code actions.
        // The only module that knows JSON-RPC and LSP.
        // glibc's malloc_trim and mallopt, which the Glibc module does not export (the server's memory).
        .target(name: "CMalloc"),
        .target(name: "LanguageServer", dependencies: ["TextModel", "Proofreading", "CMalloc"], swiftSettings: fast),
        // The command line: argument parsing, files, output formats.
        .target(name: "GalleyCLI", dependencies: ["TextModel", "Proofreading", "LanguageServer", "CMalloc"], swiftSettings: fast),
        .executableTarget(name: "galley", dependencies: ["GalleyCLI"]),
        // Evaluation set generator and scorer (see README "Measured quality"). The generator and the
        // scoring live in a library so the tests can reach them; the executable only parses arguments,
        // reads the corpus and prints.
        .target(name: "Evaluation", dependencies: ["TextModel", "Proofreading"]),
        .executableTarget(name: "galley-eval", dependencies: ["TextModel", "Proofreading", "Evaluation"]),
        // Developer tool: prints every line of a file with the layout analysis decision (README).
        .executableTarget(name: "galley-layout", dependencies: ["TextModel", "Proofreading"]),
        .testTarget(name: "TextModelTests", dependencies: ["TextModel"]),
        .testTarget(name: "ProofreadingTests", dependencies: ["TextModel", "Proofreading", "Evaluation"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["LanguageServer", "Proofreading", "TextModel", "Evaluation"]),
        .testTarget(name: "GalleyCLITests", dependencies: ["GalleyCLI", "Proofreading", "TextModel", "CMalloc"], exclude: ["Snapshots"]),
    ]
)
