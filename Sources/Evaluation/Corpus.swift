import Foundation

/// One article of the clean corpus: a headline and its paragraphs (each one line in the corpus).
public struct Article: Sendable {
    public var file: String
    public var headline: String
    public var paragraphs: [String]
    public init(file: String, headline: String, paragraphs: [String]) {
        self.file = file
        self.headline = headline
        self.paragraphs = paragraphs
    }
}

/// The clean corpus (`../shared/corpus`): `*.txt` files in any sub-folder, one article per
/// blank-line-separated block, the first line the headline and each following line a paragraph.
/// Files are read in sorted path order so the evaluation set does not depend on the file system.
public struct Corpus: Sendable {
    public var files: [(path: String, text: String)]
    public var articles: [Article]

    public init(files: [(path: String, text: String)]) {
        self.files = files
        self.articles = files.flatMap { Corpus.parse($0.text, file: $0.path) }
    }

    /// Reads every `*.txt` under `directory` (README files are not articles).
    public static func load(directory: String) throws -> Corpus {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = fm.enumerator(atPath: directory) else {
            throw CorpusError("cannot read the corpus directory \(directory)")
        }
        var paths: [String] = []
        while let p = walker.nextObject() as? String {
            if p.hasSuffix(".txt") { paths.append(p) }
        }
        paths.sort()
        if paths.isEmpty { throw CorpusError("no *.txt files under \(directory)") }
        var files: [(String, String)] = []
        for p in paths {
            let full = (directory as NSString).appendingPathComponent(p)
            guard let data = fm.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
                throw CorpusError("cannot read \(full) as UTF-8")
            }
            files.append((p, text))
        }
        return Corpus(files: files)
    }

    /// Splits one corpus file into articles. Lines are trimmed of surrounding white space; an article
    /// needs a headline and at least one paragraph.
    public static func parse(_ text: String, file: String) -> [Article] {
        var articles: [Article] = []
        var block: [String] = []
        func flush() {
            if block.count >= 2 { articles.append(Article(file: file, headline: block[0], paragraphs: Array(block.dropFirst()))) }
            block.removeAll()
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r\u{3000}")))
            if line.isEmpty { flush() } else { block.append(line) }
        }
        flush()
        return articles
    }
}

public struct CorpusError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
