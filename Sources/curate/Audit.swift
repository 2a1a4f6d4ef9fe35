import ArgumentParser
import CurateProvenance
import CurateRunner
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer questions about a run from its provenance: funnel, one document's path, drops, domains.",
        discussion: """
            Both `curate audit RUN summary` and `curate audit summary RUN` work. The database is \
            RUN/provenance.sqlite; its views (doc_lineage, drops_by_reason, stage_funnel, domain_summary, \
            term_group_shift) answer more with the sqlite3 shell.
            """,
        subcommands: [Summary.self, Doc.self, URL.self, Token.self, Drops.self, Domain.self])

    /// The subcommands' names, for accepting the run folder before them.
    static let actions = ["summary", "doc", "url", "token", "drops", "domain"]

    struct Common: ParsableArguments {
        @Argument(help: "The run folder.", completion: .directory)
        var run: String

        @Flag(help: "Print JSON (one object per line for document lists).")
        var json = false

        func audit() throws -> RunAudit {
            do { return try RunAudit(folder: run) } catch { throw fail(error) }
        }

        /// Prints the path of the documents `find` returns, or `notFound` with exit status 1.
        func describe(notFound message: String, _ find: (RunAudit) throws -> [DocumentLineage]) throws {
            let audit = try audit()
            let documents = try find(audit)
            guard !documents.isEmpty else { throw notFound(message) }
            print(try audit.describe(documents, json: json))
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The funnel per stage, drops per reason, term groups and shards.")
        @OptionGroup var common: Common
        func run() throws { print(try common.audit().summary(json: common.json)) }
    }

    struct Doc: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The full path of the documents with this id.")
        @OptionGroup var common: Common
        @Argument(help: "The document id.") var id: String
        func run() throws {
            try common.describe(notFound: "no document with id \(id)") { try $0.store.lineage(documentID: id) }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The full path of the documents fetched from this URL.")
        @OptionGroup var common: Common
        @Argument(help: "The URL.") var url: String
        func run() throws {
            try common.describe(notFound: "no document from \(url)") { try $0.store.lineage(url: url) }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The document and source record a token came from.")
        @OptionGroup var common: Common
        @Argument(help: "SHARD:OFFSET, the shard number and the token's position in it.") var position: String
        func run() throws {
            let parts = position.split(separator: ":")
            guard parts.count == 2, let shard = Int(parts[0]), let offset = Int64(parts[1]) else {
                throw ValidationError("expected SHARD:OFFSET such as 0:12345, got \(position)")
            }
            let audit = try common.audit()
            guard let document = try audit.store.lineage(shard: shard, token: offset) else {
                throw notFound("no document holds token \(offset) of shard \(shard)")
            }
            print(try audit.describe([document], json: common.json))
        }
    }

    struct Drops: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sampled documents a stage dropped, with the text it saw.")
        @OptionGroup var common: Common
        @Option(help: "The stage's name.") var stage: String
        @Option(help: "Only documents dropped for this reason.") var reason: String?
        @Option(help: "How many documents to show, spread over all drops.") var sample = 5
        func run() throws {
            do {
                print(try common.audit().drops(stage: stage, reason: reason, sample: sample, json: common.json))
            } catch let error as RunError {
                throw fail(error)
            }
        }
    }

    struct Domain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Documents, kept tokens and shards of one domain.")
        @OptionGroup var common: Common
        @Argument(help: "The domain, e.g. example.org.") var domain: String
        func run() throws {
            do {
                print(try common.audit().domain(domain, json: common.json))
            } catch let error as RunError {
                throw fail(error)
            }
        }
    }
}

/// Says that an audit found nothing, with exit status 1.
private func notFound(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
    return ExitCode(1)
}
