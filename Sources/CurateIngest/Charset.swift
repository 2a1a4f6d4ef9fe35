import CurateCore
import Glibc

/// Decoding of web content to UTF-8, with the charset chosen as browsers choose it (WHATWG
/// Encoding and HTML encoding sniffing).
public enum Charset {
    /// Decodes `bytes` to valid UTF-8: a BOM wins; then `declared` (the charset of an HTTP
    /// Content-Type header, may be nil); then, if `isHTML`, a `<meta charset=...>` or
    /// `<meta http-equiv="Content-Type" content="...charset=...">` found by a prescan of the first
    /// 4096 bytes (as the WHATWG encoding sniffing does); else UTF-8 if the bytes are valid UTF-8;
    /// else windows-1252. Labels are read as the WHATWG Encoding standard reads them (so
    /// "iso-8859-1" and "ascii" mean windows-1252); unknown labels are ignored. One deviation from
    /// browsers: a declared charset yields to UTF-8 when the bytes are valid UTF-8 and not all
    /// ASCII, as text in another charset almost never is, and such declarations are often server
    /// defaults or left over from a migration. Returns the UTF-8 bytes (without BOM; undecodable
    /// bytes become U+FFFD) and the WHATWG name of the charset used.
    public static func decode(_ bytes: [UInt8], declared: String?, isHTML: Bool) -> (utf8: [UInt8], charset: String) {
        if let (encoding, bomLength) = byteOrderMark(bytes) {
            return (convert(bytes[bomLength...], from: encoding), encoding.name)
        }
        // Valid UTF-8 that is not all ASCII is read as UTF-8 whatever is declared (see above),
        // so the declarations are only looked for when the bytes are ASCII or not UTF-8.
        let validity = UTF8Bytes.validate(bytes)
        if validity == .utf8 { return (bytes, Encoding.utf8.name) }
        var chosen = declared.flatMap { Encoding(label: Array($0.utf8)) }
        if chosen == nil, isHTML { chosen = MetaCharsetPrescan.encoding(in: bytes) }
        if validity == .ascii, chosen == nil { return (bytes, Encoding.utf8.name) }
        let encoding = chosen ?? .windows1252
        // ASCII reads the same in both, and UTF-8 needs no repair when it is valid.
        if validity != .invalid, encoding == .utf8 || (encoding == .windows1252 && validity == .ascii) {
            return (bytes, encoding.name)
        }
        return (convert(bytes[...], from: encoding), encoding.name)
    }

    /// The encoding a byte order mark at the start announces, and the mark's length.
    private static func byteOrderMark(_ bytes: [UInt8]) -> (Encoding, Int)? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (Encoding(name: "UTF-16BE", iconvName: "UTF-16BE"), 2) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (Encoding(name: "UTF-16LE", iconvName: "UTF-16LE"), 2) }
        return nil
    }

    /// `bytes` in `encoding`, as valid UTF-8.
    private static func convert(_ bytes: ArraySlice<UInt8>, from encoding: Encoding) -> [UInt8] {
        var out: [UInt8]
        switch encoding.name {
        case "UTF-8": out = Array(bytes)
        case "windows-1252": out = decodeWindows1252(bytes)
        case "x-user-defined": out = decodeUserDefined(bytes)
        case "replacement": out = bytes.isEmpty ? [] : UTF8Bytes.replacement
        default: out = iconvDecode(bytes, from: encoding.iconvName)
        }
        UTF8Bytes.repair(&out)
        return out
    }

    /// The code points of windows-1252 bytes 0x80...0x9F (the others are Latin-1).
    private static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x009D, 0x017E, 0x0178,
    ]

    private static func decodeWindows1252(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            switch b {
            case ..<0x80: out.append(b)
            case ..<0xA0: UTF8Bytes.append(scalar: UInt32(windows1252High[Int(b) - 0x80]), to: &out)
            default: UTF8Bytes.append(scalar: UInt32(b), to: &out)
            }
        }
        return out
    }

    private static func decodeUserDefined(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b < 0x80 { out.append(b) } else { UTF8Bytes.append(scalar: 0xF780 + UInt32(b) - 0x80, to: &out) }
        }
        return out
    }

    /// Converts with the C library's iconv; each undecodable byte becomes U+FFFD, as does a
    /// sequence cut off at the end. A charset the C library lacks is read as windows-1252.
    private static func iconvDecode(_ bytes: ArraySlice<UInt8>, from iconvName: String) -> [UInt8] {
        guard let cd = iconv_open("UTF-8", iconvName), cd != iconv_t(bitPattern: -1) else {
            return decodeWindows1252(bytes)
        }
        defer { iconv_close(cd) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        let chunkSize = 1 << 16
        let chunk = UnsafeMutablePointer<CChar>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        /// Calls iconv once (a flush when `input` is nil) and keeps what it wrote; returns errno or 0.
        func step(_ input: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ inLeft: UnsafeMutablePointer<Int>?) -> Int32 {
            var outPointer: UnsafeMutablePointer<CChar>? = chunk
            var outLeft = chunkSize
            let result = iconv(cd, input, inLeft, &outPointer, &outLeft)
            let failure = result == -1 ? errno : 0
            out.append(contentsOf: UnsafeRawBufferPointer(start: chunk, count: chunkSize - outLeft))
            return failure
        }
        bytes.withUnsafeBufferPointer { p in
            var inPointer = p.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self) }
            var inLeft = p.count
            while inLeft > 0 {
                switch step(&inPointer, &inLeft) {
                case 0, E2BIG:
                    continue
                case EILSEQ:
                    out.append(contentsOf: UTF8Bytes.replacement)
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                default:
                    out.append(contentsOf: UTF8Bytes.replacement)
                    inLeft = 0
                }
            }
            while step(nil, nil) == E2BIG {}
        }
        return out
    }
}

extension Charset {
    /// An encoding of the WHATWG Encoding standard: its name there and its name for iconv.
    struct Encoding: Equatable {
        let name: String
        let iconvName: String

        static let utf8 = Encoding(name: "UTF-8", iconvName: "UTF-8")
        static let windows1252 = Encoding(name: "windows-1252", iconvName: "CP1252")

        init(name: String, iconvName: String) {
            self.name = name
            self.iconvName = iconvName
        }

        /// The encoding a label names, with ASCII white space around it and case ignored.
        init?(label: [UInt8]) {
            func isWhitespace(_ b: UInt8) -> Bool { b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D || b == 0x20 }
            guard let first = label.firstIndex(where: { !isWhitespace($0) }),
                  let last = label.lastIndex(where: { !isWhitespace($0) }), last - first < 24
            else { return nil }
            let key = String(decoding: label[first...last].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            guard let found = Self.byLabel[key] else { return nil }
            self = found
        }

        /// Every WHATWG label, by the encoding it names (name, iconv name, labels).
        private static let table: [(String, String, String)] = [
            ("UTF-8", "UTF-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8"),
            ("IBM866", "IBM866", "866 cp866 csibm866 ibm866"),
            ("ISO-8859-2", "ISO-8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2"),
            ("ISO-8859-3", "ISO-8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3"),
            ("ISO-8859-4", "ISO-8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4"),
            ("ISO-8859-5", "ISO-8859-5",
             "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988"),
            ("ISO-8859-6", "ISO-8859-6",
             "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i "
                + "iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987"),
            ("ISO-8859-7", "ISO-8859-7",
             "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 "
                + "iso_8859-7:1987 sun_eu_greek"),
            ("ISO-8859-8", "ISO-8859-8",
             "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 "
                + "iso_8859-8:1988 visual"),
            ("ISO-8859-8-I", "ISO-8859-8", "csiso88598i iso-8859-8-i logical"),
            ("ISO-8859-10", "ISO-8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6"),
            ("ISO-8859-13", "ISO-8859-13", "iso-8859-13 iso8859-13 iso885913"),
            ("ISO-8859-14", "ISO-8859-14", "iso-8859-14 iso8859-14 iso885914"),
            ("ISO-8859-15", "ISO-8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9"),
            ("ISO-8859-16", "ISO-8859-16", "iso-8859-16"),
            ("KOI8-R", "KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r"),
            ("KOI8-U", "KOI8-U", "koi8-ru koi8-u"),
            ("macintosh", "MACINTOSH", "csmacintosh mac macintosh x-mac-roman"),
            ("windows-874", "WINDOWS-874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"),
            ("windows-1250", "CP1250", "cp1250 windows-1250 x-cp1250"),
            ("windows-1251", "CP1251", "cp1251 windows-1251 x-cp1251"),
            ("windows-1252", "CP1252",
             "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 "
                + "iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252"),
            ("windows-1253", "CP1253", "cp1253 windows-1253 x-cp1253"),
            ("windows-1254", "CP1254",
             "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 "
                + "windows-1254 x-cp1254"),
            ("windows-1255", "CP1255", "cp1255 windows-1255 x-cp1255"),
            ("windows-1256", "CP1256", "cp1256 windows-1256 x-cp1256"),
            ("windows-1257", "CP1257", "cp1257 windows-1257 x-cp1257"),
            ("windows-1258", "CP1258", "cp1258 windows-1258 x-cp1258"),
            ("x-mac-cyrillic", "MAC-CYRILLIC", "x-mac-cyrillic x-mac-ukrainian"),
            ("GBK", "GB18030", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk"),
            ("gb18030", "GB18030", "gb18030"),
            ("Big5", "BIG5-HKSCS", "big5 big5-hkscs cn-big5 csbig5 x-x-big5"),
            ("EUC-JP", "EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp"),
            ("ISO-2022-JP", "ISO-2022-JP", "csiso2022jp iso-2022-jp"),
            ("Shift_JIS", "CP932", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis"),
            ("EUC-KR", "CP949",
             "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949"),
            ("replacement", "", "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement"),
            ("UTF-16BE", "UTF-16BE", "unicodefffe utf-16be"),
            ("UTF-16LE", "UTF-16LE", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le"),
            ("x-user-defined", "", "x-user-defined"),
        ]

        private static let byLabel: [String: Encoding] = {
            var map: [String: Encoding] = [:]
            for (name, iconvName, labels) in table {
                for label in labels.split(separator: " ") { map[String(label)] = Encoding(name: name, iconvName: iconvName) }
            }
            return map
        }()
    }
}
