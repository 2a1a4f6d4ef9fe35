import CurateCore
import CurateIngest
import Foundation
import Testing

@Suite struct CharsetTests {
    /// kyffhaeuser-nachrichten.de: `<meta http-equiv="content-type" content="text/html; charset=iso-8859-1"/>`,
    /// with the windows-1252 byte 0x85 ("…") and 0xFC ("ü").
    let windows1252Page = "trafilatura-eval/d4b203a1ffd4175a.html.gz"
    let shiftJISPage = "charset/lhpat-tm.shift_jis.html"

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func metaHTTPEquivNamesWindows1252() throws {
        let raw = try HTMLFixtures.bytes(windows1252Page)
        let (utf8, charset) = Charset.decode(raw, declared: nil, isHTML: true)
        #expect(charset == "windows-1252")
        #expect(UTF8Bytes.isValid(utf8))
        #expect(text(utf8) == String(data: Data(raw), encoding: .windowsCP1252))
        #expect(text(utf8).contains("Login für Vote</a"))
        #expect(text(utf8).contains("B&uuml;rokratie …</a></li>"))
    }

    @Test func declaredCharsetWinsOverMeta() throws {
        let raw = try HTMLFixtures.bytes(windows1252Page)
        let (utf8, charset) = Charset.decode(raw, declared: "UTF-8", isHTML: true)
        #expect(charset == "UTF-8")
        #expect(text(utf8).contains("Login f\u{FFFD}r Vote</a"))
        #expect(text(utf8).contains("B&uuml;rokratie \u{FFFD}</a></li>"))
        #expect(utf8.count == raw.count + 2 * 2)
    }

    @Test func undeclaredInvalidUTF8IsWindows1252() throws {
        let raw = try HTMLFixtures.bytes(windows1252Page)
        let (utf8, charset) = Charset.decode(raw, declared: nil, isHTML: false)
        #expect(charset == "windows-1252")
        #expect(text(utf8) == String(data: Data(raw), encoding: .windowsCP1252))
    }

    @Test func metaCharsetNamesShiftJIS() throws {
        let raw = try HTMLFixtures.bytes(shiftJISPage)
        let original = try HTMLFixtures.bytes("charset/lhpat-tm.utf8.html")
        let (utf8, charset) = Charset.decode(raw, declared: nil, isHTML: true)
        #expect(charset == "Shift_JIS")
        #expect(text(utf8) == text(original).replacingOccurrences(of: "\u{301C}", with: "\u{FF5E}"))
        #expect(text(utf8).contains("<title>商品の改造が商標法違反に！？ | 特許業務法人ライトハウス国際特許事務所</title>"))
    }

    @Test func labelsAreReadAsWHATWGReadsThem() throws {
        let shiftJIS = try HTMLFixtures.bytes(shiftJISPage)
        let expected = Charset.decode(shiftJIS, declared: nil, isHTML: true).utf8
        for label in ["x-sjis", "Shift_JIS", " windows-31j ", "MS932", "csShiftJIS"] {
            #expect(Charset.decode(shiftJIS, declared: label, isHTML: false) == (expected, "Shift_JIS"), "\(label)")
        }
        let windows1252 = try HTMLFixtures.bytes(windows1252Page)
        for label in ["iso-8859-1", "latin1", "ASCII", "us-ascii", "cp1252", "windows-1252"] {
            #expect(Charset.decode(windows1252, declared: label, isHTML: false).charset == "windows-1252", "\(label)")
        }
        #expect(Charset.decode(windows1252, declared: "utf8", isHTML: false).charset == "UTF-8")
        #expect(Charset.decode(windows1252, declared: "klingon", isHTML: true).charset == "windows-1252")
        #expect(Charset.decode(Array("plain".utf8), declared: "latin2", isHTML: false) == (Array("plain".utf8), "ISO-8859-2"))
    }

    @Test func validUTF8OutranksADeclaredCharset() throws {
        // The UTF-8 twin of the Shift_JIS fixture still says <meta charset="Shift_JIS">.
        let page = try HTMLFixtures.bytes("charset/lhpat-tm.utf8.html")
        #expect(Charset.decode(page, declared: nil, isHTML: true) == (page, "UTF-8"))
        #expect(Charset.decode(page, declared: "shift_jis", isHTML: true) == (page, "UTF-8"))
        #expect(Charset.decode(page, declared: "iso-8859-1", isHTML: true) == (page, "UTF-8"))
        let ascii = Array("<p>Plain ASCII stays what it is declared.</p>".utf8)
        #expect(Charset.decode(ascii, declared: "iso-8859-1", isHTML: true) == (ascii, "windows-1252"))
        #expect(Charset.decode(ascii, declared: nil, isHTML: true) == (ascii, "UTF-8"))
    }

    @Test func byteOrderMarksWin() throws {
        let page = try HTMLFixtures.bytes("html-text/webstruct-webstruct-0-6-documentation.html")
        #expect(Charset.decode([0xEF, 0xBB, 0xBF] + page, declared: "windows-1252", isHTML: true) == (page, "UTF-8"))
        let units = Array(text(page).utf16)
        let littleEndian: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian: [UInt8] = [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(Charset.decode(littleEndian, declared: "iso-8859-1", isHTML: true) == (page, "UTF-16LE"))
        #expect(Charset.decode(bigEndian, declared: nil, isHTML: true) == (page, "UTF-16BE"))
    }

    @Test func undecodableBytesBecomeReplacementCharacters() throws {
        let raw = try HTMLFixtures.bytes(shiftJISPage)
        let title = Array("商品の改造が".utf8)
        // The page cut inside its first two-byte character after "<title>", then an undefined lead byte.
        let start = try #require(raw.indices.first { raw[$0...].starts(with: Array("<title>".utf8)) }) + 7
        let cut = Array(raw[..<(start + 3)])
        let (utf8, charset) = Charset.decode(cut, declared: "shift_jis", isHTML: false)
        #expect(charset == "Shift_JIS")
        #expect(text(utf8).hasSuffix("<title>商\u{FFFD}"))
        let broken = Array(raw[..<(start + 4)]) + [0xFF] + Array(raw[(start + 4)..<(start + 12)])
        #expect(text(Charset.decode(broken, declared: "shift_jis", isHTML: false).utf8).hasSuffix(
            "<title>商品\u{FFFD}" + String(decoding: title[6...], as: UTF8.self)))
        #expect(UTF8Bytes.isValid(utf8))
    }

    @Test func windows1252DecodesItsOwnHighBytes() {
        let bytes = Array(UInt8(0x80)...0x9F) + [0xA0, 0xE9, 0xFF]
        let expected = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ\u{A0}éÿ"
        #expect(Charset.decode(bytes, declared: "windows-1252", isHTML: false) == (Array(expected.utf8), "windows-1252"))
    }

    @Test func prescanFollowsTheWHATWGRules() {
        func sniff(_ html: String) -> String { Charset.decode(Array(html.utf8), declared: nil, isHTML: true).charset }
        #expect(sniff(#"<meta content="text/html; charset=koi8-r" http-equiv="Content-Type">"#) == "KOI8-R")
        #expect(sniff("<META HTTP-EQUIV=Content-Type CONTENT='text/html;charset = \"windows-1251\"'>") == "windows-1251")
        #expect(sniff(#"<meta content="text/html; charset=koi8-r">"#) == "UTF-8")
        #expect(sniff(#"<!-- <meta charset="koi8-r"> --><meta charset="gbk">"#) == "GBK")
        #expect(sniff(#"<div title="<meta charset=koi8-r>"><meta charset=euc-jp>"#) == "EUC-JP")
        #expect(sniff(#"<meta charset="utf-16le">"#) == "UTF-8")
        #expect(sniff(#"<meta charset="x-user-defined">"#) == "windows-1252")
        #expect(sniff(#"<meta charset="nonsense"><meta charset="iso-8859-7">"#) == "ISO-8859-7")
        #expect(sniff(String(repeating: " ", count: 4096) + #"<meta charset="koi8-r">"#) == "UTF-8")
    }
}
