/// Read-only views of the server's state for tests (`@testable import`): the random sessions
/// (`RandomSessionTests`) compare the server's text with their own replay of the edits after every
/// step. Whatever the document store becomes, these must keep answering from it.
extension LanguageServer {
    /// The current text of an open document (its UTF-8 bytes), nil when it is not open.
    func documentText(_ uri: String) -> [UInt8]? { documents[uri]?.document.bytes.array }

    /// The URIs of the open documents, sorted.
    var openDocumentURIs: [String] { documents.keys.sorted() }
}
