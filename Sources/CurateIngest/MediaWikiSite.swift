/// What a dump's `<siteinfo>` says about its wiki: where its articles live on the web and the
/// local names of the file and category namespaces.
struct MediaWikiSite: Sendable {
    /// The URL that a page's encoded title is appended to, e.g. `https://en.wikipedia.org/wiki/`;
    /// nil when the dump has no `<siteinfo><base>`.
    var articlePath: String?
    /// Names of namespace 6 (`Файл`, `ファイル`) as the dump lists them.
    var fileNamespaces: [String] = []
    /// Names of namespace 14 (`Категорія`) as the dump lists them.
    var categoryNamespaces: [String] = []

    /// The article path of `base`, the URL of the wiki's main page: everything up to its last
    /// `/`, or up to `title=` for `index.php?title=` URLs.
    static func articlePath(base: String) -> String? {
        if let query = base.firstRange(of: "?title=") { return String(base[..<query.upperBound]) }
        guard let slash = base.lastIndex(of: "/") else { return nil }
        return String(base[...slash])
    }

    /// The URL of the page titled `title`: spaces become underscores and the title is
    /// percent-encoded as MediaWiki's `wfUrlencode` does, leaving `;@$!*(),/~:` as they are.
    func url(of title: String) -> String? {
        guard let articlePath else { return nil }
        var encoded = [UInt8]()
        encoded.reserveCapacity(title.utf8.count * 3)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in title.utf8 {
            switch byte {
            case UInt8(ascii: " "):
                encoded.append(UInt8(ascii: "_"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"), UInt8(ascii: "!"),
                UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "/"),
                UInt8(ascii: ":"):
                encoded.append(byte)
            default:
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hex[Int(byte >> 4)])
                encoded.append(hex[Int(byte & 0x0F)])
            }
        }
        return articlePath + String(decoding: encoded, as: UTF8.self)
    }
}
