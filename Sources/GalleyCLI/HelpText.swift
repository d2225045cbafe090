/// The help texts. They are written for the people who transcribe and proofread bulletins, not for
/// programmers: every option, its default, the exit codes and examples.
enum HelpText {
    static let version = "0.1.0"

    static func text(for command: String?) -> String {
        switch command {
        case "check": return check
        case "fix": return fix
        case "rules": return rules
        case "explain": return explain
        case "lsp": return lsp
        case "help": return help
        default: return general
        }
    }

    static let general = """
    galley \(version): a proofreading assistant for transcriptions of Chinese newspaper bulletins.

    It reads plain-text transcriptions (UTF-8) and points out what usually goes wrong when a printed
    page is typed or scanned: line breaks in the middle of a sentence, half-width punctuation in
    Chinese text, full-width digits, unpaired quotation marks, and more. Each kind of problem is a
    "rule" with a name such as broken-wrap; `galley rules` lists them.

    Usage:
      galley check [options] PATH...    list the problems in files or folders
      galley fix [options] PATH...      correct the problems that can be corrected safely
      galley rules                      list every rule
      galley explain RULE               explain one rule, with examples
      galley lsp                        run the language server for editors (Neovim, Helix)
      galley help [COMMAND]             show this help, or the help of one command
      galley --version                  print the version (\(version))

    PATH is a file or a folder. In a folder, galley reads every file ending in .txt or .bulletin,
    also in sub-folders (hidden files and folders, whose names start with a dot, are skipped).
    `-` means: read the text from standard input (typed or piped in) instead of a file.

    Examples:
      galley check bulletin.txt
      galley check transcriptions/
      galley fix --diff bulletin.txt      (show what fix would change, change nothing)
      galley fix bulletin.txt
      galley explain broken-wrap

    Exit status (useful in scripts):
      0  nothing found (at or above the --fail-on level), or the command succeeded
      1  problems were found (check), or fix --diff would change something
      2  the command line was wrong, or a file could not be read (not found, not UTF-8, binary)

    Run `galley help COMMAND` (or `galley COMMAND --help`) for the options of a command.

    """

    static let inputOptions = """
      --select RULES       Use only these rules: rule names separated by commas, for example
                           --select broken-wrap,numeral-width. Rules named here run even if the
                           configuration file turns them off. Default: every rule that is on.
      --ignore RULES       Leave these rules out (names separated by commas).
      --config FILE        Use this configuration file instead of looking for .galley.json.
      --no-config          Use no configuration file at all: every rule at its usual level.
      --stdin-filename NAME
                           With `-`: the name shown for the text read from standard input (default
                           <stdin>). Its folder is where .galley.json is looked for.
      --files-from FILE    Also read the files named in FILE, one path per line (blank lines are
                           skipped). `--files-from -` reads the list from standard input, for
                           example `git diff --name-only main -- '*.txt' | galley check --files-from -`
                           (files named in the list are read whatever their ending).
      --changed-since REV  Only the files that git reports as added or modified since the revision
                           REV (a branch, tag or commit, such as origin/main), among the PATHs
                           given (default: the current folder). Files not yet committed and not
                           ignored by .gitignore count as added; renamed and deleted files are left
                           out. git is run in the repository that holds each PATH.
      --added-only         With --changed-since: only the files added since REV (new
                           transcriptions), not the ones modified.
      -h, --help           Show this help.

    Configuration: unless --config or --no-config is given, galley looks for a file named
    .galley.json in the folder of each file, then in the folder above, and so on up; the first one
    found applies. It can turn rules off, change how serious they are, set rule options, and list
    files to skip when walking folders ("ignore": ["drafts/**", "*.old.txt"]; `*` stands for any
    characters within a name, `**` for any number of folders, `?` for one character). Files named
    on the command line are always read, even if an ignore pattern matches them.
    """

    static let check = """
    galley check: list the problems in transcriptions.

    Usage: galley check [options] PATH...

    PATH is a file, a folder (every .txt and .bulletin file in it and its sub-folders, in name order,
    skipping hidden ones whose names start with a dot), or `-` for standard input. Each problem is
    printed on one line:

      bulletin.txt:12:5: warning: Line break inside a sentence: ... [broken-wrap]

    that is: file, line number, column (both counted from 1; the column counts characters, so a
    Chinese character counts as one), how serious it is, what is wrong, and the rule's name in
    brackets (`galley explain NAME` tells more). A count of the problems is printed at the end, on
    standard error: "3 findings (0 errors, 2 warnings, 1 information) in 1 file".

    Options:
      --format FORMAT      How to print the problems:
                             text  one line per problem (the default), as above; editors such as
                                   Vim can jump from these lines to the spot
                             json  one JSON array for programs: path, rule, severity, message, line,
                                   column, endLine, endColumn (columns in Unicode characters), fix
                                   (null, or its applicability and edits) and related places
                             sarif SARIF 2.1.0, for code scanning services (GitHub code scanning
                                   and others): one run with every rule, each problem with its
                                   place (columns in Unicode characters), related places, a
                                   fingerprint and its correction when there is one
                             github GitHub Actions annotations (`::warning file=…,line=…::…`):
                                   GitHub shows them on the lines of a pull request
      --fail-on LEVEL      The least serious level that makes the exit status 1: error, warning,
                           information or hint. Default: warning (so information and hints alone
                           give exit status 0).
      --write-baseline FILE
                           Record every problem found in FILE (JSON: for each problem the file, the
                           rule and a fingerprint of the text around it, no line numbers), then
                           exit with status 0 unless a file could not be read. Problems are
                           printed as usual. Commit the file to accept today's problems.
      --baseline FILE      Leave out the problems recorded in FILE: only new problems are printed
                           and count for the exit status. A problem is recognized by its file
                           (relative to FILE's folder), its rule and the text around it, so
                           paragraphs moved or lines added elsewhere do not make it new; changing
                           the words next to it, or copying it once more, does.
    \(inputOptions)

    Progress: when standard error is a terminal and more than 50 files are checked, a line
    "checked N/M files" shows how far galley is (it is erased at the end).

    Exit status:
      0  no problem at or above the --fail-on level
      1  at least one problem at or above the --fail-on level
      2  the command line was wrong, or a file could not be read: a file that is missing, binary
         (not text), or not in UTF-8 is named on standard error, the other files are still checked,
         and the exit status is 2 even if problems were found too. A symbolic link that loops or
         leads nowhere is such an error when named on the command line; found in a folder, it is
         skipped (a folder that links back to itself is walked once). An empty file is fine.

    If a file is not in UTF-8 (for example GB18030/GBK, common for Chinese text on Windows), galley
    says so and shows how to convert it with iconv.

    Examples:
      galley check bulletin.txt
      galley check --format json transcriptions/ > findings.json
      galley check --select broken-wrap --fail-on error bulletin.txt
      cat bulletin.txt | galley check - --stdin-filename bulletin.txt
      galley check --write-baseline galley-baseline.json transcriptions/
      galley check --baseline galley-baseline.json --changed-since origin/main --added-only \\
          --format github transcriptions/      (in CI: new transcriptions, new problems only)

    """

    static let fix = """
    galley fix: correct the problems that have a known correction.

    Usage: galley fix [--unsafe] [--stdout | --diff] [options] PATH...

    Without --stdout or --diff the files are changed in place. The change is atomic: the corrected
    text is written to a temporary file in the same folder, which then replaces the original, so a
    file is never left half written; its permissions are kept. If the file was changed by someone
    else (an editor, another program) while galley was working, galley does not overwrite it and
    says so. A read-only file is not changed either (galley says so; make it writable first). galley repeats the corrections until nothing more changes, and tells on standard error
    how many corrections it made in each file. Everything it does not correct stays exactly as it
    was, including a byte order mark, Windows line endings (CRLF) and a missing final line break.

    Each correction is either safe (the meaning is certainly kept) or unsafe (probably right, but a
    person should look). Only safe corrections are made unless --unsafe is given. Problems with no
    correction are left for you: `galley check` lists them.

    Options:
      --unsafe             Also make the unsafe corrections. Check the result with --diff first.
      --stdout             Do not change the file: print the corrected text instead (one file only).
      --diff               Do not change anything: print the changes as a unified diff (lines
                           starting with - are removed, lines starting with + are added, with 3 lines
                           of context around each change).
    \(inputOptions)

    `galley fix -` reads the text from standard input and prints the corrected text.

    Exit status:
      0  done (or, with --diff, nothing would change)
      1  with --diff: something would change
      2  the command line was wrong, or a file could not be read or written

    Examples:
      galley fix --diff bulletin.txt     see what would change
      galley fix bulletin.txt            make the safe corrections
      galley fix --unsafe --select broken-wrap bulletin.txt
      galley fix - < bulletin.txt > corrected.txt

    """

    static let rules = """
    galley rules: list every rule.

    Usage: galley rules [--format text|json]

    For each rule: its name (used in --select, --ignore, .galley.json and in the output of check),
    its family, how serious its findings are by default (error, warning, information or hint),
    whether it can correct what it finds (safe, unsafe, or none; see `galley help fix`), and what it
    finds. `galley explain NAME` tells more about one rule.

    Options:
      --format FORMAT      text (a table, the default) or json (for programs).
      -h, --help           Show this help.

    Exit status: 0, or 2 if the command line was wrong.

    """

    static let explain = """
    galley explain: explain one rule, with examples.

    Usage: galley explain RULE

    Prints what the rule finds, why it matters in a transcription, and what its correction does,
    then examples: texts it leaves alone, texts it flags (↓ marks where each problem starts), and
    corrections (the text before → after; "(unsafe)" marks corrections made only with
    `galley fix --unsafe`). Invisible characters in examples are shown in angle brackets, such as
    ⟨tab⟩ or ⟨U+200B⟩; spaces at the end of a line are shown as ␠.

    Example:
      galley explain broken-wrap

    Exit status: 0, or 2 if the rule name is unknown (the known names are listed).

    """

    static let lsp = """
    galley lsp: the language server, for editors such as Neovim and Helix.

    Usage:
      galley lsp [--stdio] [--log-level LEVEL]

    The editor starts this command itself and talks to it over standard input and output using the
    Language Server Protocol; you do not type anything into it. It shows galley's findings while you
    type and offers corrections: one problem at a time ("quick fix") or every safe correction in the
    file at once ("fix all"). Messages about what the server is doing go to standard error.
    It reads `.galley.json` from the workspace folder the editor opens (see README).

    Options:
      --stdio              Accepted for editors that pass it; standard input and output are always used.
      --log-level LEVEL    error, warning, info or debug: log that level and above to standard error
                           and to the editor (window/logMessage). Default: only errors, to standard error.
      -h, --help           Show this help.

    Exit status:
      0  the editor asked the server to shut down and exit, or closed its input
      1  the editor asked it to exit without shutting down first
      2  the command line was wrong

    """

    static let help = """
    galley help: show help.

    Usage: galley help [COMMAND]

    Without COMMAND, the general help; with it (check, fix, rules, explain), the help of that
    command, the same as `galley COMMAND --help`.

    """
}
