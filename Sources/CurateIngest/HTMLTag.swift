/// The HTML elements that text extraction treats specially; every other element is `.inline`.
enum HTMLTag: UInt8 {
    case inline
    // Never visible text: left out with everything inside.
    case script, style, svg, math, iframe, object, embed, select, button, input, textarea, canvas, video, audio, map
    // Document structure, metadata, and inline parts of blocks (table cells join their row).
    case head, html, body, title, link, a, br, hr, td, th
    // Blocks that are page furniture rather than content, or shown only in some browsers.
    case nav, aside, header, footer, figure, figcaption, dialog, form, noscript, template
    // Other blocks.
    case p, h1, h2, h3, h4, h5, h6, ul, ol, li, dl, dt, dd, table, tr, caption, pre, blockquote, div, section,
         article, main, address, details, summary, center, fieldset, legend, tbody, thead, tfoot

    /// Whether the element and everything inside it is left out of the text.
    var isDropped: Bool { rawValue >= HTMLTag.script.rawValue && rawValue <= HTMLTag.map.rawValue }

    /// Whether the element starts and ends a block of text.
    var isBlock: Bool { rawValue >= HTMLTag.nav.rawValue }

    /// Whether the element holds page furniture (navigation, headers, footers, asides, figures,
    /// dialogs, forms) or text that browsers show only without scripts (noscript) or never
    /// (template).
    var isFurniture: Bool { rawValue >= HTMLTag.nav.rawValue && rawValue <= HTMLTag.template.rawValue }

    /// Whether libxml2, an HTML 4 parser, may close the element later than a browser: it ignores
    /// an end tag like `</header>` while a `div` inside is still open, where a browser closes
    /// both. Such elements are never skipped while parsing, lest the rest of the page go with them.
    var closesLate: Bool {
        switch self {
        case .nav, .aside, .header, .footer, .figure, .figcaption, .dialog, .noscript, .template, .section, .article,
             .main, .details, .summary:
            true
        default:
            false
        }
    }

    /// The tag of a NUL-terminated, lowercase element name as libxml2's HTML parser gives it.
    init(name: UnsafePointer<UInt8>) {
        var key: UInt64 = 0
        var i = 0
        while i < 8 {
            let b = name[i]
            if b == 0 { break }
            key |= UInt64(b) << (8 * UInt64(i))
            i += 1
        }
        if i == 8, name[8] != 0 {
            self = Self.long(name)
        } else {
            self = Self.byKey.value(key)
        }
    }

    /// The tags whose names are longer than 8 bytes.
    private static func long(_ name: UnsafePointer<UInt8>) -> HTMLTag {
        for (candidate, tag) in [("blockquote", HTMLTag.blockquote), ("figcaption", .figcaption)] {
            if candidate.utf8.enumerated().allSatisfy({ name[$0.offset] == $0.element }), name[candidate.utf8.count] == 0 {
                return tag
            }
        }
        return .inline
    }

    /// Names of at most 8 bytes, packed little-endian into an integer.
    private static let byKey = PackedNames([
        ("script", .script), ("style", .style), ("noscript", .noscript), ("template", .template), ("svg", .svg),
        ("math", .math), ("nav", .nav), ("aside", .aside), ("header", .header), ("footer", .footer),
        ("iframe", .iframe), ("object", .object), ("embed", .embed), ("select", .select), ("button", .button),
        ("input", .input), ("textarea", .textarea), ("canvas", .canvas), ("video", .video), ("audio", .audio),
        ("map", .map), ("dialog", .dialog), ("head", .head), ("html", .html), ("body", .body), ("title", .title),
        ("link", .link), ("a", .a), ("br", .br), ("hr", .hr), ("p", .p), ("h1", .h1), ("h2", .h2), ("h3", .h3),
        ("h4", .h4), ("h5", .h5), ("h6", .h6), ("ul", .ul), ("ol", .ol), ("li", .li), ("dl", .dl), ("dt", .dt),
        ("dd", .dd), ("table", .table), ("tr", .tr), ("td", .td), ("th", .th), ("caption", .caption), ("pre", .pre),
        ("div", .div), ("section", .section), ("article", .article), ("main", .main), ("figure", .figure),
        ("address", .address), ("details", .details), ("summary", .summary), ("center", .center), ("form", .form),
        ("fieldset", .fieldset), ("legend", .legend), ("tbody", .tbody), ("thead", .thead), ("tfoot", .tfoot),
    ], absent: HTMLTag.inline)
}
