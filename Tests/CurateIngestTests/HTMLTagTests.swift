@testable import CurateIngest
import Testing

@Suite struct HTMLTagTests {
    private static func tag(_ name: String) -> HTMLTag {
        (name + "\0").utf8CString.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { HTMLTag(name: $0.baseAddress!) }
        }
    }

    /// Every name extraction treats specially gives its tag.
    @Test func namedTags() {
        let expected: [(String, HTMLTag)] = [
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
            ("blockquote", .blockquote), ("figcaption", .figcaption),
        ]
        for (name, tag) in expected { #expect(Self.tag(name) == tag, "\(name)") }
    }

    /// Other names, including prefixes and extensions of named ones, are inline.
    @Test func otherNamesAreInline() {
        for name in ["", "span", "b", "em", "strong", "divx", "di", "h7", "scripts", "tablex", "blockquot", "blockquotes",
                     "figcaptio", "articles", "abcdefgh", "abcdefghi", "font", "center2"] {
            #expect(Self.tag(name) == .inline, "\(name)")
        }
    }
}
