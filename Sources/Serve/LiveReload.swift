import Diagnostics
import Foundation

/// What the last build produced, as the served pages and their overlay see it.
public struct BuildStatus: Sendable, Equatable {
    /// One diagnostic as the overlay shows it.
    public struct Problem: Sendable, Equatable {
        public let location: String
        public let level: String
        public let code: String
        public let message: String
        public let hint: String?
        public let source: String?
    }

    /// Counts up with every rebuild; a page served at an older generation reloads.
    public var generation: Int
    public var problems: [Problem]
    /// Why the last build wrote nothing (an unreadable Site.json, a template that does not render).
    public var failure: String?
    public var seconds: Double

    public var errors: Int { problems.filter { $0.level == "error" }.count }
    /// The overlay shows when the content has errors or the build failed.
    public var ok: Bool { failure == nil && errors == 0 }

    public init(generation: Int, diagnostics: [Diagnostic], failure: String? = nil, seconds: Double = 0, sourceLine: (SourceLocation) -> String?) {
        self.generation = generation
        self.failure = failure
        self.seconds = seconds
        problems = diagnostics.map { diagnostic in
            Problem(location: diagnostic.location?.description ?? "(no file)", level: diagnostic.level.rawValue, code: diagnostic.code,
                    message: diagnostic.message, hint: diagnostic.hint, source: diagnostic.location.flatMap(sourceLine))
        }
    }

    public var summary: String {
        let warnings = problems.filter { $0.level == "warning" }.count
        let counts = "\(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")"
        if let failure { return "The build failed: \(failure) (\(counts)); the pages are from the last good build." }
        return counts
    }

    public var json: JSONValue {
        .object([
            ("generation", .int(generation)), ("ok", .bool(ok)), ("summary", .string(summary)),
            ("failure", .optional(failure)),
            ("diagnostics", .array(problems.map { problem in
                .object([
                    ("location", .string(problem.location)), ("level", .string(problem.level)), ("code", .string(problem.code)),
                    ("message", .string(problem.message)), ("hint", .optional(problem.hint)), ("source", .optional(problem.source)),
                ])
            })),
        ])
    }
}

/// The live-reload script, added only to HTML the preview server sends (never to the written files).
public enum LiveReload {
    public static let scriptPath = "/__promptsite/live.js"
    public static let eventsPath = "/__promptsite/events"
    public static let statusPath = "/__promptsite/status"

    /// The page with the build status and the script before its last `</body>` (or at the end).
    public static func inject(into html: String, status: BuildStatus) -> String {
        // The JSON writer escapes `<` and `>`, so the status cannot close the script element.
        let snippet = "<script id=\"promptsite-live-status\" type=\"application/json\">\(status.json.serialized())</script>"
            + "<script src=\"\(scriptPath)\"></script>\n"
        guard let end = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) else { return html + snippet }
        var page = html
        page.insert(contentsOf: snippet, at: end.lowerBound)
        return page
    }

    /// One server-sent event.
    public static func event(_ name: String, _ data: JSONValue) -> [UInt8] {
        Array("event: \(name)\ndata: \(data.serialized())\n\n".utf8)
    }

    /// Reloads the page on every rebuild, and shows every diagnostic over the page while the
    /// content has errors (built with DOM text nodes: messages are never read as HTML).
    public static let script = #"""
    (function () {
      "use strict";
      var node = document.getElementById("promptsite-live-status");
      var status = node ? JSON.parse(node.textContent) : null;
      var generation = status ? status.generation : -1;

      function el(tag, css, text) {
        var e = document.createElement(tag);
        if (css) e.style.cssText = css;
        if (text !== undefined && text !== null) e.textContent = text;
        return e;
      }

      function overlay(s) {
        var old = document.getElementById("promptsite-overlay");
        if (old) old.parentNode.removeChild(old);
        if (!s || s.ok) return;
        var box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5em 2em;" +
          "background:rgba(24,24,28,.96);color:#eee;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left");
        box.id = "promptsite-overlay";
        box.setAttribute("role", "alert");
        var close = el("button", "float:right;font:inherit;padding:.2em .8em;cursor:pointer", "Hide");
        close.onclick = function () { box.parentNode.removeChild(box); };
        box.appendChild(close);
        box.appendChild(el("h2", "margin:0 0 .3em;font-size:1.2em;color:#ff8a80", "promptsite: the content has errors"));
        box.appendChild(el("p", "margin:0 0 1em;color:#bbb", s.summary + " \u2014 the page reloads on the next save."));
        s.diagnostics.forEach(function (d) {
          var item = el("div", "margin:0 0 1.1em;padding:.6em .8em;border-left:3px solid " + (d.level === "error" ? "#ff5252" : "#ffb74d") + ";background:#2b2b31");
          item.className = "promptsite-diagnostic";
          item.appendChild(el("div", "color:#fff", d.location + ": " + d.level + "[" + d.code + "]: " + d.message));
          if (d.source !== null) item.appendChild(el("pre", "margin:.4em 0;padding:.3em .6em;background:#1b1b1f;color:#ddd;white-space:pre-wrap", d.source));
          if (d.hint) item.appendChild(el("div", "color:#9ccc65", "hint: " + d.hint));
          box.appendChild(item);
        });
        document.body.appendChild(box);
      }

      overlay(status);
      if (!window.EventSource) return;
      var events = new EventSource("/__promptsite/events");
      events.addEventListener("status", function (e) {
        var s = JSON.parse(e.data);
        if (s.generation !== generation) location.reload();
      });
      events.addEventListener("reload", function () { location.reload(); });
    })();
    """#
}
