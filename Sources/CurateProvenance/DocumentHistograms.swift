/// The report's histograms over a set of document rows: lengths in characters by log2
/// bucket, and identified languages, each counting all documents and those kept.
struct DocumentHistograms {
    /// Per bucket of `bucket(chars:)`: rows with a length, and of those the kept ones.
    var lengths = [(all: Int, kept: Int)](repeating: (0, 0), count: Int.bitWidth + 1)
    /// Per language: rows naming it, and of those the kept ones.
    var languages: [String: (all: Int, kept: Int)] = [:]

    /// Bucket b holds the lengths 2^(b-1) ... 2^b - 1; bucket 0 holds 0.
    static func bucket(chars: Int) -> Int { chars < 1 ? 0 : Int.bitWidth - chars.leadingZeroBitCount }

    /// The lengths of bucket `b`, as the report labels them.
    static func label(bucket b: Int) -> String { b == 0 ? "0" : "\(1 << (b - 1))–\((1 << b) - 1)" }

    /// Counts one row.
    mutating func add(chars: Int?, kept: Bool, language: String?) {
        if let chars {
            let b = Self.bucket(chars: chars)
            lengths[b].all += 1
            if kept { lengths[b].kept += 1 }
        }
        if let language {
            languages[language, default: (0, 0)].all += 1
            if kept { languages[language, default: (0, 0)].kept += 1 }
        }
    }

    mutating func add(_ rows: [DocumentRecord]) {
        for row in rows { add(chars: row.chars, kept: row.status == .kept, language: row.language) }
    }
}
