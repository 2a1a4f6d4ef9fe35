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
        subcommands: [Summary.self, Doc.self, URL.self, Token.self, Drops.self, Domain.self, Takedown.self, Verify.self])

    /// The subcommands' names, for accepting the run folder before them.
    static let actions = ["summary", "doc", "url", "token", "drops", "domain", "takedown", "verify"]

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

extension Audit {
    struct Takedown: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove documents from the run's shards: rewrite only the shards holding them, as a new manifest version.",
            discussion: """
                Give exactly one of --url, --domain (the domain and its subdomains) or --ids (a file of \
                document ids, one per line). The takedown is recorded in provenance (tables takedowns, \
                takedown_documents, takedown_shards); `curate shards verify` and `curate audit RUN verify` \
                pass afterwards, and shards without such a document keep their bytes.
                """)
        @OptionGroup var common: Common
        @Option(help: "Documents fetched from this URL.") var url: String?
        @Option(help: "Documents from this domain or its subdomains.") var domain: String?
        @Option(help: "A file of document ids, one per line.", completion: .file()) var ids: String?

        func validate() throws {
            guard [url, domain, ids].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --url, --domain and --ids")
            }
        }

        func run() throws {
            let selector: TakedownSelector
            if let url {
                selector = .url(url)
            } else if let domain {
                selector = .domain(domain)
            } else {
                let path = ids!
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("cannot read the ids file \(path)")
                }
                let list = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !list.isEmpty else { throw ValidationError("the ids file \(path) lists no id") }
                selector = .ids(list)
            }
            do {
                let outcome = try RunTakedown(audit: common.audit()).perform(selector)
                print(common.json ? outcome.json : outcome.text)
            } catch let error as RunError {
                throw fail(error)
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the shards' and tokenizer's sha256 and compare them with the manifest and provenance.")
        @OptionGroup var common: Common
        func run() throws {
            let report = try RunVerification(audit: common.audit()).verify()
            print(common.json ? report.json : report.text)
            if !report.problems.isEmpty { throw ExitCode(1) }
        }
    }
}

/// Says that an audit found nothing, with exit status 1.
private func notFound(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
    return ExitCode(1)
}
