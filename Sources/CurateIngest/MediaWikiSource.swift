import CLibXML2
import CurateCore
import CurateIO
import Glibc

/// Streams a MediaWiki XML dump through libxml2's reader and yields one record per wanted
/// `<page>` (see `MediaWikiPage`): pages of the wanted namespaces, redirects only if asked.
/// Only the page being read is held in memory. A record's offset is the byte offset of its
/// `<page` tag in the decompressed stream. A dump that is cut off or malformed ends with one
/// corrupt item, at the page it broke in.
///
/// libxml2 reads without network access, without loading DTDs and without substituting
/// entities (so no entity expansion bomb), but with text nodes of any size.
final class MediaWikiSource: RecordSource {
    private let stream: any ByteStream
    private let namespaces: Set<Int>
    private let skipRedirects: Bool
    private var reader: xmlTextReaderPtr?
    private var finished = false

    /// Decompressed bytes handed to libxml2 so far.
    private var fed: Int64 = 0
    private var streamEnded = false
    private var streamError: IOError?
    private var xmlError: (message: String, line: Int32)?
    /// How many bytes of `<page` the bytes fed so far end with.
    private var pageTagMatched = 0
    /// Offsets of `<page` tags fed to libxml2 whose element it has not reported yet, from `pageStartsHead` on.
    private var pageStarts: [Int64] = []
    private var pageStartsHead = 0
    private var lastPageOffset: Int64 = -1

    private var site = MediaWikiSite()
    private var inSiteinfo = false
    private var inRevision = false
    private var page: MediaWikiPage?
    private var pageOffset: Int64 = 0
    /// The element whose text is being collected into `value`, and its depth.
    private var capture: Field?
    private var captureDepth: Int32 = 0
    private var value: [UInt8] = []

    private enum Field {
        case title, namespace, id, timestamp, text, base, namespaceName(key: Int)
    }

    init(stream: any ByteStream, namespaces: Set<Int>, skipRedirects: Bool) throws(RecordError) {
        self.stream = stream
        self.namespaces = namespaces
        self.skipRedirects = skipRedirects
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue
        let context = Unmanaged.passUnretained(self).toOpaque()
        reader = xmlReaderForIO(
            { context, buffer, length in
                Unmanaged<MediaWikiSource>.fromOpaque(context!).takeUnretainedValue().feed(buffer!, Int(length))
            }, nil, context, nil, nil, Int32(options))
        guard let reader else { throw RecordError("cannot create an XML reader") }
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { context, error in
                guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
                let source = Unmanaged<MediaWikiSource>.fromOpaque(context).takeUnretainedValue()
                guard source.xmlError == nil else { return }
                var message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
                while message.last?.isNewline == true { message.removeLast() }
                source.xmlError = (message, error.pointee.line)
            }, context)
    }

    deinit { xmlFreeTextReader(reader) }

    var bytesRead: Int64 { stream.bytesRead }

    func next() -> SourceItem? {
        guard !finished, let reader else { return nil }
        while true {
            switch xmlTextReaderRead(reader) {
            case 1:
                if let record = handleNode(reader) { return .record(record) }
            case 0:
                finished = true
                return nil
            default:
                finished = true
                return failure(reader)
            }
        }
    }

    // MARK: Feeding libxml2

    /// The read callback: fills `buffer` from the stream and notes where `<page` tags start.
    private func feed(_ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32 {
        let n: Int
        do {
            n = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: length))
        } catch {
            streamError = error
            return -1
        }
        if n == 0 { streamEnded = true }
        buffer.withMemoryRebound(to: UInt8.self, capacity: n) { notePageTags($0, n) }
        fed += Int64(n)
        return Int32(n)
    }

    /// Records the offsets of `<page>` (or `<page ` with attributes) tags in the next `n` bytes
    /// of the stream. Text and attribute values cannot hold a raw `<`, so every such tag
    /// outside comments and CDATA, which dumps do not have, is a page element.
    private func notePageTags(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        while i < n {
            if pageTagMatched == 0 {
                guard let found = memchr(p + i, 0x3C, n - i) else { return }
                i = UnsafeRawPointer(found) - UnsafeRawPointer(p) + 1
                pageTagMatched = 1
                continue
            }
            let b = p[i]
            if pageTagMatched < 5 {
                let expected: UInt8 = switch pageTagMatched {
                case 1: UInt8(ascii: "p")
                case 2: UInt8(ascii: "a")
                case 3: UInt8(ascii: "g")
                default: UInt8(ascii: "e")
                }
                if b == expected {
                    pageTagMatched += 1
                    i += 1
                } else {
                    pageTagMatched = 0
                }
            } else {
                switch b {
                case UInt8(ascii: ">"), UInt8(ascii: "/"), 0x20, 0x09, 0x0A, 0x0D: pageStarts.append(fed + Int64(i) - 5)
                default: break
                }
                pageTagMatched = 0
            }
        }
    }

    /// The offset of the page element libxml2 just reported: its `<page` tag, or a position
    /// past the previous page if no tag was seen.
    private func takePageStart(_ reader: xmlTextReaderPtr) -> Int64 {
        let offset: Int64
        if pageStartsHead < pageStarts.count {
            offset = pageStarts[pageStartsHead]
            pageStartsHead += 1
            if pageStartsHead > 1024 {
                pageStarts.removeFirst(pageStartsHead)
                pageStartsHead = 0
            }
        } else {
            offset = max(lastPageOffset + 1, Int64(xmlTextReaderByteConsumed(reader)))
        }
        lastPageOffset = offset
        return offset
    }

    // MARK: Walking the document

    /// Takes in the reader's current node; returns the record of a wanted page that ends here.
    private func handleNode(_ reader: xmlTextReaderPtr) -> RawRecord? {
        switch UInt32(bitPattern: xmlTextReaderNodeType(reader)) {
        case XML_READER_TYPE_ELEMENT.rawValue:
            startElement(reader)
        case XML_READER_TYPE_TEXT.rawValue, XML_READER_TYPE_CDATA.rawValue, XML_READER_TYPE_WHITESPACE.rawValue,
            XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue:
            if capture != nil, let text = xmlTextReaderConstValue(reader) {
                let length = strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self))
                value.append(contentsOf: UnsafeBufferPointer(start: text, count: length))
            }
        case XML_READER_TYPE_END_ELEMENT.rawValue:
            return endElement(reader)
        default:
            break
        }
        return nil
    }

    private func startElement(_ reader: xmlTextReaderPtr) {
        guard let name = xmlTextReaderConstLocalName(reader) else { return }
        let depth = xmlTextReaderDepth(reader)
        var field: Field?
        switch depth {
        case 1 where Self.named(name, "page"):
            page = MediaWikiPage(site: site)
            pageOffset = takePageStart(reader)
        case 1 where Self.named(name, "siteinfo"):
            inSiteinfo = true
        case 2 where page != nil:
            if Self.named(name, "title") { field = .title }
            else if Self.named(name, "ns") { field = .namespace }
            else if Self.named(name, "id") { field = .id }
            else if Self.named(name, "redirect") { page?.isRedirect = true }
            else if Self.named(name, "revision") { inRevision = xmlTextReaderIsEmptyElement(reader) == 0 }
        case 2 where inSiteinfo && Self.named(name, "base"):
            field = .base
        case 3 where inRevision:
            if Self.named(name, "timestamp") { field = .timestamp }
            else if Self.named(name, "text"), let page, isWanted(page) { field = .text }
        case 3 where inSiteinfo && Self.named(name, "namespace"):
            if let attribute = xmlTextReaderGetAttribute(reader, "key") {
                let key = Int(String(cString: attribute))
                cxml_free(attribute)
                if let key, key == 6 || key == 14 { field = .namespaceName(key: key) }
            }
        default:
            break
        }
        guard let field else { return }
        value.removeAll(keepingCapacity: true)
        if xmlTextReaderIsEmptyElement(reader) == 1 {
            store(field)
        } else {
            capture = field
            captureDepth = depth
        }
    }

    private func endElement(_ reader: xmlTextReaderPtr) -> RawRecord? {
        let depth = xmlTextReaderDepth(reader)
        if let field = capture, depth == captureDepth {
            capture = nil
            store(field)
            return nil
        }
        guard let name = xmlTextReaderConstLocalName(reader) else { return nil }
        switch depth {
        case 1 where Self.named(name, "page"):
            defer { page = nil }
            guard let page, isWanted(page) else { return nil }
            return RawRecord(bytes: page.serialized, offset: pageOffset)
        case 1 where Self.named(name, "siteinfo"):
            inSiteinfo = false
        case 2 where Self.named(name, "revision"):
            inRevision = false
        default:
            break
        }
        return nil
    }

    /// Keeps the text collected for `field`.
    private func store(_ field: Field) {
        let text = String(decoding: value, as: UTF8.self)
        switch field {
        case .title: page?.title = text
        case .namespace: page?.namespace = Int(text) ?? 0
        case .id: page?.id = text
        case .timestamp: page?.timestamp = text
        case .text: page?.text = value
        case .base: site.articlePath = MediaWikiSite.articlePath(base: text)
        case .namespaceName(key: 6): site.fileNamespaces.append(text)
        case .namespaceName: site.categoryNamespaces.append(text)
        }
    }

    private func isWanted(_ page: MediaWikiPage) -> Bool {
        namespaces.contains(page.namespace) && !(skipRedirects && page.isRedirect)
    }

    private static func named(_ name: UnsafePointer<xmlChar>, _ literal: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    // MARK: Failure

    /// The corrupt item for a dump libxml2 cannot read further: at the last page that starts
    /// before the point where the parser stopped, else at that point.
    private func failure(_ reader: xmlTextReaderPtr) -> SourceItem {
        let stop = Int64(xmlTextReaderByteConsumed(reader))
        let starts = (page != nil ? [pageOffset] : []) + pageStarts[pageStartsHead...]
        let broken = starts.last { $0 <= stop }
        let place = if let broken, broken == pageOffset, let page, !page.title.isEmpty {
            "page \"\(page.title)\""
        } else if broken != nil {
            "a page"
        } else {
            "the dump"
        }
        let offset = broken ?? stop
        if let streamError { return .corrupt(offset: offset, message: "\(streamError.detail), inside \(place)") }
        if streamEnded { return .corrupt(offset: offset, message: "truncated dump: the XML ends inside \(place)") }
        let detail = xmlError.map { "line \($0.line): \($0.message)" } ?? "libxml2 stopped"
        return .corrupt(offset: offset, message: "malformed XML inside \(place) (\(detail))")
    }
}
