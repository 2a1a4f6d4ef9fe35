import CurateCore
import CurateIngest
import Foundation
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/wiki").path

private func input(_ name: String, folder: String = fixtures) -> InputFile {
    InputFile(id: 3, displayPath: name, path: folder + "/" + name, size: 0, sha256: String(repeating: "0", count: 64))
}

/// Every item of a file: decoded documents or the corrupt reports.
private func read(_ file: InputFile, _ format: MediaWikiFormat = MediaWikiFormat()) throws -> [Result<Document, RecordError>] {
    var source = try format.open(file)
    var items: [Result<Document, RecordError>] = []
    while let item = source.next() {
        switch item {
        case let .record(raw):
            items.append(Result { () throws(RecordError) in
                guard let document = try format.decode(raw, from: file) else { throw RecordError("no document") }
                return document
            })
        case let .corrupt(offset, message):
            items.append(.failure(RecordError("@\(offset): \(message)")))
        }
    }
    return items
}

/// (offset, id, title) of each document; problems as (offset, "", message).
private func summary(_ items: [Result<Document, RecordError>]) -> [String] {
    items.map { item in
        switch item {
        case let .success(doc):
            let title = if case let .string(title)? = doc.metadata["title"] { title } else { "?" }
            return "\(doc.source.offset) \(doc.id) \(title)"
        case let .failure(error):
            return error.message
        }
    }
}

/// Counts and titles checked independently with Python's xml.etree iterparse (see Fixtures/wiki/SOURCES.md).
@Suite struct MediaWikiTests {
    @Test func readsTheArticlesOfAMultistreamDumpAtTheirPageOffsets() throws {
        #expect(try summary(read(input("enwiki-sample-multistream.xml.bz2"))) == [
            "4206 330 Actrius", "10810 334 International Atomic Time", "23360 340 Alain Connes",
            "30288 572 Agricultural science", "44593 651 America the Beautiful", "60766 683 Adventure",
        ])
    }

    @Test func decodesAPageIntoPlainTextWithItsMetadata() throws {
        let file = input("enwiki-sample-multistream.xml.bz2")
        let doc = try read(file)[0].get()
        #expect(doc.id == "330")
        #expect(doc.url == "https://en.wikipedia.org/wiki/Actrius")
        #expect(doc.source == SourceRef(input: "enwiki-sample-multistream.xml.bz2", offset: 4206, recordID: "330"))
        #expect(doc.metadata == JSONObject([
            ("title", .string("Actrius")), ("page_id", .number("330")), ("namespace", .number("0")),
            ("revision_timestamp", .string("2016-04-30T16:32:45Z")),
        ]))
        #expect(doc.textString == """
            Actresses (Catalan: Actrius) is a 1997 Catalan language Spanish drama film produced and directed by Ventura Pons \
            and based on the award-winning stage play E.R. by Josep Maria Benet i Jornet. The film has no male actors, with \
            all roles played by females. The film was produced in 1996.

            Synopsis

            In order to prepare herself to play a role commemorating the life of legendary actress Empar Ribera, young \
            actress (Mercè Pons) interviews three established actresses who had been the Ribera's pupils: the international \
            diva Glòria Marc (Núria Espert), the television star Assumpta Roca (Rosa Maria Sardà), and dubbing director \
            Maria Caminal (Anna Lizaran).

            Cast

            Núria Espert as Glòria Marc
            Rosa Maria Sardà as Assumpta Roca
            Anna Lizaran as Maria Caminal
            Mercè Pons as Estudiant

            Recognition

            Screenings

            Actrius screened in 2001 at the Grauman's Egyptian Theatre in an American Cinematheque retrospective of the \
            works of its director. The film had first screened at the same location in 1998. It was also shown at the 1997 \
            Stockholm International Film Festival.

            Reception

            In Movie - Film - Review, Daily Mail staffer Christopher Tookey wrote that though the actresses were "competent \
            in roles that may have some reference to their own careers", the film "is visually unimaginative, never escapes \
            its stage origins, and is almost totally lacking in revelation or surprising incident". Noting that there were \
            "occasional, refreshing moments of intergenerational bitchiness", they did not "justify comparisons to All About \
            Eve", and were "insufficiently different to deserve critical parallels with Rashomon". He also wrote that The \
            Guardian called the film a "slow, stuffy chamber-piece", and that The Evening Standard stated the film's "best \
            moments exhibit the bitchy tantrums seething beneath the threesome's composed veneers". MRQE wrote "This \
            cinematic adaptation of a theatrical work is true to the original, but does not stray far from a theatrical \
            rendering of the story."

            Awards and nominations

            1997, won 'Best Catalan Film' at Butaca Awards for Ventura Pons
            1997, won 'Best Catalan Film Actress' at Butaca Awards, shared by Núria Espert, Rosa Maria Sardà, Anna Lizaran, \
            and Mercè Pons
            1998, nominated for 'Best Screenplay' at Goya Awards, shared by Josep Maria Benet i Jornet and Ventura Pons

            External links

            as archived February 17, 2009 (Spanish)
            """)
    }

    @Test func dropsInterlanguageLinksAndCategoriesAtTheEndOfAPage() throws {
        let doc = try read(input("enwiki-sample-multistream.xml.bz2"))[3].get()
        #expect(doc.textString.hasSuffix("""
            South Dakota Agricultural Laboratories
            NMSU Department of Entomology Plant Pathology and Weed Science
            """))
    }

    @Test func namespacesAndRedirectsAreOptions() throws {
        let definition = MediaWikiFormat.definition
        let all = try #require(try definition.make(Options(JSONObject([
            ("namespaces", .array([.string("0"), .string("4")])), ("skip_redirects", .bool(false)),
        ]))) as? MediaWikiFormat)
        #expect(try summary(read(input("enwiki-sample-multistream.xml.bz2"), all)) == [
            "2917 10 AccessibleComputing", "3581 13 AfghanistanHistory", "4206 330 Actrius",
            "10810 334 International Atomic Time", "23360 340 Alain Connes", "30288 572 Agricultural science",
            "44593 651 America the Beautiful", "60766 683 Adventure", "66504 724 Wikipedia:Adding Wikipedia articles to Nupedia",
        ])
        let redirect = try read(input("enwiki-sample-multistream.xml.bz2"), all)[8].get()
        #expect(redirect.url == "https://en.wikipedia.org/wiki/Wikipedia:Adding_Wikipedia_articles_to_Nupedia")
        #expect(redirect.metadata["namespace"] == .number("4"))
        #expect(redirect.metadata["redirect"] == .bool(true))
        #expect(redirect.textString == "REDIRECT Wikipedia:Nupedia and Wikipedia")

        let project = MediaWikiFormat(namespaces: [4])
        #expect(try summary(read(input("enwiki-sample-multistream.xml.bz2"), project)) == [])
        #expect(try summary(read(input("jawiki-sample.xml"), project)) == ["2755 2 Wikipedia:削除記録/過去ログ 2002年12月"])
    }

    @Test func rejectsNamespacesThatAreNotNumbers() {
        #expect(throws: OptionError(key: "namespaces", "expected namespace numbers such as \"0\", got \"main\"")) {
            try MediaWikiFormat.definition.make(Options(JSONObject([("namespaces", .array([.string("main")]))])))
        }
    }

    @Test func readsAJapaneseDumpWithItsLocalNamespacesAndURLs() throws {
        let items = try read(input("jawiki-sample.xml"))
        #expect(summary(items) == ["3507 5 アンパサンド", "20276 12 地理学", "49180 14 EU (曖昧さ回避)"])
        let geography = try items[1].get()
        #expect(geography.url == "https://ja.wikipedia.org/wiki/%E5%9C%B0%E7%90%86%E5%AD%A6")
        // [[ファイル:AvHumboldt.jpg|thumb|…|「近代地理学の父」[[アレクサンダー・フォン・フンボルト|フンボルト]]]] precedes the paragraph.
        #expect(geography.textString.contains("\n\n歴史\n\n地理学誕生の地は、古代ギリシアである。学問としては、博物学の部門に属した。"))
        let eu = try items[2].get()
        #expect(eu.url == "https://ja.wikipedia.org/wiki/EU_(%E6%9B%96%E6%98%A7%E3%81%95%E5%9B%9E%E9%81%BF)")
        #expect(eu.textString == """
            EU

            EU

            地理
            欧州連合 ()
            ユローパ島 () の FIPS PUB 10-4 国名コード。
            アメリカ合衆国 (; ) - ただし、スペイン語では複数形のため頭文字を重ねてEE.UU.もしくは正式国名の略語のEUAで示されるのが普通で、\
            EUは誤用とされ、通常使われない。
            作品タイトル
            Europa Universalis - パラドックスインタラクティブ社の歴史シミュレーションゲーム。
            学警狙撃 () - 香港のテレビドラマ。
            エントロピア・ユニバース () - スウェーデンのオンラインゲーム。
            拡張世界 () - スター・ウォーズのスピンオフ作品群。
            大学
            エディンバラ大学 () - イギリス スコットランド エディンバラ。
            愛媛大学 () - 日本 愛媛県松山市。
            エモリー大学 () - アメリカ ジョージア州アトランタ。
            エロン大学 () - アメリカ カリフォルニア州エロン。
            実行ユニット ()
            エクアトリアナ航空 (; IATA: EU) - エクアドルの航空会社 (1957–2005)。
            衝鋒隊 (香港) (, ) - 香港警察の機動隊。
            ガリシア統一左翼 () - スペインの政党連合統一左翼 ()のガリシア州の支部政党。
            エフエム愛媛のコールサイン及び愛称 (JOEU-FM)
            ホンダ・7代目シビック（5ドアハッチバックのみ）の型式名。

            Eu

            化学物質
            ユウロピウム () の元素記号
            ユーロピニジン () - 有機化合物。
            ユーフォニアム () - 金管楽器

            eu

            .eu - 欧州連合の国別ドメイン
            バスク語 () のISO 639-1言語コード
            ㅡ - ハングルで を表すチャモ（字母）。
            """)
    }

    @Test func aDumpWithoutSiteinfoGivesNoURL() throws {
        let items = try read(input("enwiki-tables-no-siteinfo.xml.gz"))
        #expect(summary(items) == ["255 4702 Brahui language"])
        let doc = try items[0].get()
        #expect(doc.url == nil)
        #expect(doc.textString.hasPrefix("Brahui () is a Dravidian language spoken primarily by the Brahui people in the central part of "
            + "Baluchistan province in Pakistan, and in scattered parts of Afghanistan, Iran, and Turkmenistan, and by expatriate"))
    }

    @Test func aCutOffDumpYieldsItsCompletePagesAndOneProblem() throws {
        #expect(try summary(read(input("ukwiki-truncated.xml.xz"))) == [
            "5082 13 Географія", "91798 584 Атом", "158412 585 Мільярд", "162310 586 Ядро",
            "@177337: truncated dump: the XML ends inside page \"Мільйон\"",
        ])
    }

    @Test func aCutOffCompressedStreamIsReportedAtThePageItBrokeIn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-wiki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/ukwiki-truncated.xml.xz"))
        try whole.prefix(30000).write(to: folder.appendingPathComponent("cut.xml.xz"))
        let items = try summary(read(input("cut.xml.xz", folder: folder.path)))
        #expect(items == [
            "5082 13 Географія",
            "@91798: truncated xz stream: the file ends inside compressed data (compressed byte 30000), inside page \"Атом\"",
        ])
    }

    @Test func malformedXMLEndsTheFileWithOneProblemAtThePageItBrokeIn() throws {
        #expect(try summary(read(input("hostile-mismatched-tag.xml"))) == [
            "@3507: malformed XML inside a page (line 63: Opening and ending tag mismatch: title line 63 and titel)",
        ])
    }

    @Test func entitiesAreNeitherExpandedNorLoaded() throws {
        let doc = try read(input("hostile-entities.xml"))[0].get()
        #expect(doc.textString == "Before &lol9; after end.")
    }
}
