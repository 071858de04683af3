import Checks
import Diagnostics
import Foundation
import PageTemplates
import PromptCatalog
import Review

/// `promptsite review --format html`: one standalone page through `Templates/review.mustache`.
public enum ReviewPage {
    public static func html(_ report: ReviewReport, theme: Theme) throws -> String {
        let library = try theme.library()
        guard let html = try library.render(try PageValue(encoding: view(report)), withTemplate: "review") else {
            throw ThemeError(message: "no template `review` in the theme")
        }
        return String(decoding: html, as: UTF8.self)
    }

    static func view(_ report: ReviewReport) -> ReviewView {
        let added = DiagnosticSummary(report.addedDiagnostics)
        return ReviewView(
            base: report.base, baseCommit: String(report.baseCommit.prefix(12)), summary: report.summaryLine, notes: report.notes,
            addsErrors: report.addsErrors, failsOnWarnings: report.fails && !report.addsErrors, newErrors: added.errors, newWarnings: added.warnings, fixed: report.fixedDiagnostics.count,
            textChanges: report.textChanges.map { change in
                ReviewTextRow(version: change.version, how: change.how(),
                              diffHTML: wordDiffHTML(change.pieces))
            },
            labelMoves: report.labelMoves.map { move in
                ReviewLabelRow(family: move.family, label: move.label, from: move.from.map { "v\($0)" } ?? "—", to: move.to.map { "v\($0)" } ?? "removed")
            },
            lengths: report.lengthChanges.map { change in
                ReviewLengthRow(version: change.version, provider: change.provider, limit: change.limit.map(String.init) ?? "none",
                                example: "\(change.exampleBefore) → \(change.exampleAfter)", worstCase: change.worstCaseText,
                                newlyOver: change.newlyOver)
            },
            added: report.versionsAdded + report.familiesAdded.map { "family \($0)" },
            removed: report.versionsRemoved + report.familiesRemoved.map { "family \($0)" },
            diagnostics: report.diagnostics.flatMap { change in
                change.added.map { ReviewDiagnosticRow(change: "new", level: $0.level.rawValue, code: $0.code, location: $0.location?.description ?? "", message: $0.message) }
                    + change.fixed.map { ReviewDiagnosticRow(change: "fixed", level: $0.level.rawValue, code: $0.code, location: $0.location?.description ?? "", message: $0.message) }
            },
            metrics: report.metrics.map { ReviewMetricsRow(version: $0.version, generations: $0.generations,
                                                          success: $0.successRate.map { String(format: "%.1f%%", $0 * 100) } ?? "—") })
    }
}

struct ReviewView: Encodable, Sendable {
    let base: String
    let baseCommit: String
    let summary: String
    let notes: [String]
    let addsErrors: Bool
    let failsOnWarnings: Bool
    let newErrors: Int
    let newWarnings: Int
    let fixed: Int
    let textChanges: [ReviewTextRow]
    let labelMoves: [ReviewLabelRow]
    let lengths: [ReviewLengthRow]
    let added: [String]
    let removed: [String]
    let diagnostics: [ReviewDiagnosticRow]
    let metrics: [ReviewMetricsRow]
}

struct ReviewTextRow: Encodable, Sendable { let version: String; let how: String; let diffHTML: String }
struct ReviewLabelRow: Encodable, Sendable { let family: String; let label: String; let from: String; let to: String }
struct ReviewLengthRow: Encodable, Sendable { let version: String; let provider: String; let limit: String; let example: String; let worstCase: String; let newlyOver: Bool }
struct ReviewDiagnosticRow: Encodable, Sendable { let change: String; let level: String; let code: String; let location: String; let message: String }
struct ReviewMetricsRow: Encodable, Sendable { let version: String; let generations: Int; let success: String }

extension SitePaths {
    public static let review = "review/index.html"
}

/// `build --base <rev>`: the review as a page of the site.
struct ReviewSitePage: Encodable, Sendable {
    let page: PageFrame
    let review: ReviewView
}

extension PagePlanner {
    /// The review page when `build --base` was given (the base was checked by the command; a base that
    /// cannot be read now gives no page).
    func reviewPages() -> [PlannedPage] {
        guard let base = config.reviewBase, let snapshot = try? BaseRevision(base, workingContent: config.contentDirectory) else { return [] }
        var baseConfig = config
        baseConfig.contentDirectory = snapshot.contentDirectory
        let before = runChecks(config: baseConfig, logs: nil)
        let report = ChangeReview.compare(before: before.project.catalog, beforeDiagnostics: before.diagnostics, after: catalog, afterDiagnostics: diagnostics,
                                          defaultProviders: config.defaultProviders, analytics: catalog.logFiles.isEmpty ? nil : analytics,
                                          base: base, baseCommit: snapshot.commit)
        let path = SitePaths.review
        return [PlannedPage(path: path, template: "review-page",
                            model: ReviewSitePage(page: PageFrame(path: path, title: "Review against \(base)", section: "checks", site: site),
                                                  review: ReviewPage.view(report)))]
    }
}
