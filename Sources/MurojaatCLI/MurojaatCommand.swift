public import ArgumentParser
import MurojaatCore

/// `murojaat`: the command-line face of the product. Commands hold no business logic: they parse, call the
/// targets below, and print.
public struct MurojaatCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "murojaat",
        abstract: "Citizen appeals of the Migration Agency: ingest, route, track.",
        subcommands: [
            IngestCommand.self, RouteCommand.self, ListCommand.self, ShowCommand.self, QuarantineCommand.self,
            RulesCommand.self, ExplainCommand.self, DeadlineCommand.self, ServeCommand.self, ExportCommand.self,
            AssignCommand.self, StartCommand.self, NeedsStudyCommand.self, ExtendCommand.self, ForwardCommand.self,
            LeaveCommand.self, AnswerCommand.self, CloseCommand.self, ReopenCommand.self, JoinCommand.self,
            LinkCommand.self, TagCommand.self,
            TaskCommand.self, SweepCommand.self, RecomputeCommand.self, ReportCommand.self, OutboxCommand.self,
            UserCommand.self, MigrateCommand.self, TransferCommand.self,
        ])

    public init() {}
}

/// The entry point the `murojaat` executable calls, so it needs to know nothing of the argument parser.
public enum MurojaatMain {
    /// Parses and runs the command; an error the product words is printed as one line in the run's language
    /// (the argument parser's own errors, usage and help stay as the parser writes them).
    public static func run() async {
        do {
            var command = try MurojaatCommand.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as any WordedError {
            Output.standardError(Say.errorLine(error))
            MurojaatCommand.exit(withError: ExitCode.failure)
        } catch {
            MurojaatCommand.exit(withError: error)
        }
    }
}
