import CMalloc
import Foundation
import Proofreading
import LanguageServer

/// The `galley` command line. `main` runs with the real standard streams; `run` takes a `Console`
/// so tests can run every command in-process.
public enum GalleyCommand {
    public static let version = HelpText.version

    public static func main(_ arguments: [String]) -> Int32 {
        let console = Console.standard()
        let status = run(arguments, console: console)
        console.flush()
        return status
    }

    /// Exit status: 0 success / nothing found, 1 findings (or changes with `fix --diff`),
    /// 2 usage or IO error.
    public static func run(_ arguments: [String], console: Console) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try ArgumentParser().parse(arguments)
        } catch let error as UsageError {
            let helpCommand = error.command.map { "galley \($0) --help" } ?? "galley --help"
            console.stderr.write("galley: \(error.message)\nRun `\(helpCommand)` for help.\n")
            return 2
        } catch {
            console.stderr.write("galley: \(error)\n")
            return 2
        }
        switch invocation {
        case .help(let command):
            console.stdout.write(HelpText.text(for: command))
            return 0
        case .version:
            console.stdout.write("galley \(version)\n")
            return 0
        case .check(let options):
            galley_keep_freed_memory()
            return CheckCommand(options: options, console: console).run()
        case .fix(let options):
            galley_keep_freed_memory()
            return FixCommand(options: options, console: console).run()
        case .rules(let format):
            return RulesCommand.list(format: format, console: console)
        case .explain(let id):
            return RulesCommand.explain(id, console: console)
        case .lsp(let logLevel):
            // Protocol bytes only on standard output, written straight to the descriptor (nothing
            // buffered in the console); logs on standard error.
            console.flush()
            return runLanguageServer(input: 0, output: 1, logLevel: logLevel) { line in
                console.stderr.write("galley lsp: \(line)\n")
                console.stderr.flush()
            }
        }
    }
}
