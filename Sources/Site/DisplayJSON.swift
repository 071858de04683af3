import Diagnostics

/// JSON for reading on a page (program metadata, unknown fields): indented two spaces, keys in
/// the order written, and text as written — only `"`, `\` and control characters escaped
/// (the page escapes HTML itself, so `>` stays `>`, not `\u003e`).
enum DisplayJSON {
    static func text(_ value: JSONValue) -> String {
        value.serialized(pretty: true, scriptSafe: false)
    }
}
