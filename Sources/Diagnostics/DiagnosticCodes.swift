/// Every code a diagnostic can have, in one list: Site.json's `checks.ignore` and
/// `checks.errors` are checked against it (a misspelled code did nothing in silence), and a test
/// keeps it complete (every code written in the sources is here) and documented (each is in the
/// README's table). Plugin validators add `plugin:<plugin>/<rule>` codes, which depend on the content.
public enum DiagnosticCodes {
    public static let all: Set<String> = [
        "block-asymmetric-link", "block-drift", "block-duplicate-id", "block-missing", "block-pose-gap", "block-range",
        "block-unknown-link", "block-unversioned", "build-failed", "doc-broken-link", "duplicate-version", "empty-family", "encoding",
        "example-incomplete", "file-too-large", "front-matter", "hint-out-of-range", "hint-unknown-parameter",
        "include-cycle", "include-depth", "include-unpinned", "include-unresolved", "include-variable-conflict",
        "inline-prompt", "invalid-field", "invalid-slug", "json-duplicate-key", "json-syntax", "label-name", "label-target", "log-db-column",
        "log-db-query", "log-db-table", "log-db-timeout", "log-db-type", "log-db-unavailable", "log-duplicate-file",
        "log-field-ignored", "log-malformed", "log-too-many-groups", "log-unfinished", "log-unknown-block",
        "log-unknown-version", "long-name", "missing-content", "missing-parent", "near-duplicate",
        "node-extensions-missing", "node-type-mismatch", "over-limit", "pack-block-too-long", "pack-duplicate-block",
        "pack-duplicate-slug", "pack-field", "pack-flagged-word", "pack-legacy-source", "pack-manifest", "pack-schema",
        "pack-slot-empty", "pack-slot-preset", "pack-template", "pack-template-size", "pack-template-too-long",
        "page-collision", "parent-cycle", "parent-order", "plugin-regex-timeout", "preview-too-long",
        "program-duplicate-id", "program-expression", "program-list-rendered", "program-match-key",
        "program-missing-path", "program-spaced-variable", "program-stage", "program-variable", "randomization-pool",
        "randomization-strategy", "scene-missing-variable", "scene-strategy", "scene-unknown-variable", "scene-unresolved", "schema-drift",
        "symlink-skipped", "template-syntax", "unbounded-length", "undefined-variable", "unexpected-file",
        "unknown-family", "unknown-field", "unknown-node-type", "unknown-plugin", "unknown-provider",
        "unknown-strategy", "unreadable-file", "unused-variable", "variable-type", "version-mismatch", "yaml-duplicate-key", "yaml-syntax",
    ]

    /// Why a `checks.ignore`/`checks.errors` pattern can never match, or nil. A pattern is a code,
    /// a prefix ending in `*` (`pack-*`), or a plugin's code (`plugin:quest/*`, checked against the
    /// loaded plugins by the rules).
    public static func problem(with pattern: String) -> String? {
        if pattern.hasPrefix("plugin:") { return nil }
        if pattern.hasSuffix("*") {
            let prefix = pattern.dropLast()
            return all.contains { $0.hasPrefix(prefix) } ? nil : "matches no code"
        }
        return all.contains(pattern) ? nil : "is no code a check reports"
    }
}
