import CurateCore

/// Cleans up text: repairs invalid UTF-8 (U+FFFD per maximal invalid subsequence),
/// removes control characters, unifies line breaks and white space, and applies a Unicode
/// normalization form.
public struct NormalizeStage: Stage {
    public var form: UnicodeNormalization.Form = .nfc
    /// Remove C0/C1 control characters (except tab and line breaks), DEL and U+FEFF.
    public var stripControl = true
    /// Turn runs of horizontal white space into one space; drop spaces at line starts and ends.
    public var collapseSpaces = true
    /// Most blank lines kept in a row.
    public var maxBlankLines = 1
    /// Remove white space at the start and end of the text.
    public var trim = true

    public init() {}

    public static let definition = StageDefinition(
        type: "normalize",
        summary: "Repair invalid UTF-8, strip control characters, clean up white space, apply Unicode NFC.",
        parameters: [
            Parameter("form", .choice(UnicodeNormalization.Form.allCases.map(\.rawValue)), default: .string("NFC"),
                      "Unicode normalization form."),
            Parameter("strip_control", .boolean, default: .bool(true),
                      "Remove control characters other than tab and line breaks, and U+FEFF."),
            Parameter("collapse_spaces", .boolean, default: .bool(true),
                      "Turn runs of spaces and tabs into one space and drop them at line starts and ends."),
            Parameter("max_blank_lines", .integer(min: 0), default: .integer(1),
                      "Most consecutive blank lines kept."),
            Parameter("trim", .boolean, default: .bool(true), "Remove white space at the start and end of the text."),
        ]
    ) { options throws(OptionError) in
        var stage = NormalizeStage()
        stage.form = UnicodeNormalization.Form(rawValue: options.string("form") ?? "NFC") ?? .nfc
        stage.stripControl = options.bool("strip_control") ?? true
        stage.collapseSpaces = options.bool("collapse_spaces") ?? true
        stage.maxBlankLines = options.int("max_blank_lines") ?? 1
        stage.trim = options.bool("trim") ?? true
        return stage
    }

    public func process(_ document: inout Document) -> Verdict {
        var text = document.text
        let invalid = UTF8Bytes.repair(&text)
        var removed = 0
        var cleaned = text.withUnsafeBufferPointer { clean($0, removedControls: &removed) }
        if let normalized = UnicodeNormalization.normalize(cleaned, to: form) { cleaned = normalized }
        guard cleaned != document.text else { return .keep }
        document.text = cleaned
        return .rewritten([Metric("invalid_utf8", Double(invalid)), Metric("control_chars", Double(removed))])
    }

    /// One pass over valid UTF-8 applying the control, line-break, space and trim rules.
    /// Lines holding only white space count as blank and come out empty.
    private func clean(_ p: UnsafeBufferPointer<UInt8>, removedControls: inout Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(p.count)
        var line: [UInt8] = []
        var firstVisible: Int?  // where the line's first visible character starts
        var visibleEnd = 0  // where its last visible character ends
        var heldTail: [UInt8] = []  // white space after the last visible character written so far
        var blankLines = 0
        var breaksSinceVisible = 0
        var wroteAny = false
        let blankLimit = maxBlankLines

        func endLine() {
            guard let first = firstVisible else {
                blankLines += 1
                line.removeAll(keepingCapacity: true)
                return
            }
            if wroteAny {
                if !collapseSpaces { out.append(contentsOf: heldTail) }
                out.append(0x0A)
                out.append(contentsOf: repeatElement(0x0A, count: min(blankLines, blankLimit)))
            } else if !trim {
                out.append(contentsOf: repeatElement(0x0A, count: min(blankLines, blankLimit)))
            }
            let start = collapseSpaces || (trim && !wroteAny) ? first : 0
            out.append(contentsOf: line[start..<visibleEnd])
            if !collapseSpaces { heldTail = Array(line[visibleEnd...]) }
            wroteAny = true
            blankLines = 0
            breaksSinceVisible = 0
            line.removeAll(keepingCapacity: true)
            firstVisible = nil
        }

        func appendVisible(_ bytes: UnsafeBufferPointer<UInt8>) {
            if firstVisible == nil { firstVisible = line.count }
            line.append(contentsOf: bytes)
            visibleEnd = line.count
        }

        var i = 0
        while i < p.count {
            if p[i] > 0x20, p[i] < 0x7F {
                var j = i + 1
                while j < p.count, p[j] > 0x20, p[j] < 0x7F { j += 1 }
                appendVisible(UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
                continue
            }
            let (scalar, length) = p[i] < 0x80 ? (UInt32(p[i]), 1) : UTF8Bytes.decode(p, at: i)
            let bytes = UnsafeBufferPointer(rebasing: p[i..<i + length])
            i += length
            switch scalar {
            case 0x0D:
                if i < p.count, p[i] == 0x0A { i += 1 }
                endLine()
                breaksSinceVisible += 1
            case 0x0A, 0x0B, 0x0C, 0x85, 0x2028, 0x2029:
                endLine()
                breaksSinceVisible += 1
            case 0x00...0x08, 0x0E...0x1F, 0x7F, 0x80...0x9F, 0xFEFF:
                if stripControl { removedControls += 1 } else { appendVisible(bytes) }
            default:
                if !UTF8Bytes.isWhitespace(scalar) {
                    appendVisible(bytes)
                } else if !collapseSpaces {
                    line.append(contentsOf: bytes)
                } else if firstVisible != nil, line.last != 0x20 {
                    line.append(0x20)
                }
            }
        }
        if firstVisible != nil { endLine() }
        if !trim {
            if !collapseSpaces { out.append(contentsOf: heldTail) }
            out.append(contentsOf: repeatElement(0x0A, count: min(breaksSinceVisible, blankLimit + 1)))
        }
        return out
    }
}
