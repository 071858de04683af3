import ArgumentParser
import Foundation

@main
struct PromptSite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promptsite",
        abstract: "Check, render and publish a prompt repository.",
        version: "0.1.0",
        subcommands: [BuildCommand.self, CheckCommand.self, RenderCommand.self, DiffCommand.self, ReviewCommand.self, AnalyticsCommand.self, BenchCommand.self, ImportCommand.self, SchemaCommand.self, NewCommand.self, ServeCommand.self]
    )

    /// Bad usage exits with 2 (SPEC §4), not ArgumentParser's 64.
    static func main() {
        do {
            let (arguments, assignments) = RenderCommand.separatingAssignments(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(arguments)
            if var render = command as? RenderCommand, !assignments.isEmpty {
                render.variables += assignments
                command = render
            }
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Terminal.error(fullMessage(for: error))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

/// The exit statuses of SPEC §4.
enum ExitStatus {
    static let success: Int32 = 0
    static let checksFailed: Int32 = 1
    static let usage: Int32 = 2
}
