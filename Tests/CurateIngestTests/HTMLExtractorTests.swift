import CurateCore
import CurateIngest
import Foundation
import Testing

@Suite struct HTMLExtractorTests {
    let extractor = HTMLExtractor()

    private func page(_ relative: String, _ extractor: HTMLExtractor = HTMLExtractor()) throws -> ExtractedPage {
        extractor.extract(try HTMLFixtures.document(relative).text)
    }

    private func text(_ relative: String, _ extractor: HTMLExtractor = HTMLExtractor()) throws -> String {
        String(decoding: try page(relative, extractor).text, as: UTF8.self)
    }

    /// White space collapsed, as the article-extraction-benchmark and trafilatura's gold compare.
    private func squeezed(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    @Test func ianaPageKeepsHeadingsAndParagraphsOfTheMainColumn() throws {
        let page = try page("html-text/iana-iana-managed-reserved-domains.html")
        #expect(String(decoding: page.text, as: UTF8.self) == """
            IANA-managed Reserved Domains

            Certain domains are set aside, and nominally registered to “IANA”, for specific policy or technical purposes.

            Example domains

            As described in RFC 2606 and RFC 6761, a number of domains such as example.com and example.org are \
            maintained for documentation purposes. These domains may be used as illustrative examples in documents \
            without prior coordination with us. They are not available for registration or transfer.

            Test IDN top-level domains

            These domains were temporarily delegated by IANA for the IDN Evaluation being conducted by ICANN.

            Policy-reserved domains

            We act as both the registrant and registrar for a select number of domains which have been reserved under \
            policy grounds. These exclusions are typically indicated in either technical standards (RFC documents), or \
            contractual limitations.

            Domains which are described as registered to IANA or ICANN on policy grounds are not available for \
            registration or transfer, with the exception of country-name.info domains. These domains are available for \
            release by the ICANN Governmental Advisory Committee Secretariat.

            Other Special-Use Domains

            There is additionally a Special-Use Domain Names registry documenting special-use domains designated by \
            technical standards. For further information, see Special-Use Domain Names (RFC 6761).
            """)
        #expect(page.title == "IANA — IANA-managed Reserved Domains")
        #expect(page.lang == nil)
        #expect(page.canonicalURL == nil)
    }

    @Test func productPageWithAndWithoutMainContentSelection() throws {
        let relative = "html-text/a-light-in-the-attic-books-to-scrape-sandbox.html"
        let main = try text(relative)
        #expect(main.hasPrefix("""
            A Light in the Attic

            £51.77

            In stock (22 available)

            Warning! This is a demo website for web scraping purposes. Prices and ratings here were randomly assigned \
            and have no real meaning.

            Product Description

            It's hard to imagine a world without A Light in the Attic.
            """))
        #expect(main.hasSuffix("Baby, I think someone down here'sGot it in for you. Shel, you never sounded so good. ...more"))
        #expect(!main.contains("Product Information"))
        let all = try text(relative, HTMLExtractor(mainContent: false))
        #expect(all.hasPrefix("Home\nBooks\nPoetry\nA Light in the Attic\n\nA Light in the Attic\n\n£51.77\n\n"))
        #expect(all.hasSuffix("""
            Product Information

            UPC\ta897fe39b1053632
            Product Type\tBooks
            Price (excl. tax)\t£51.77
            Price (incl. tax)\t£51.77
            Tax\t£0.00
            Availability\tIn stock (22 available)
            Number of reviews\t0
            """))
        #expect(!all.contains("We love being scraped!"))
        #expect(try page(relative).lang == "en-us")
    }

    @Test func documentationPageKeepsCodeAndListsAndDropsPermalinks() throws {
        let relative = "html-text/tutorial-webstruct-0-6-documentation.html"
        let main = try text(relative, HTMLExtractor(listBullets: true))
        #expect(main.hasPrefix("Tutorial\n\nThis tutorial assumes you are familiar with machine learning.\n\nGet annotated data\n\n"))
        #expect(main.contains("""
            After that you can load annotated webpages as lxml trees:

            import webstruct
            trees = webstruct.load_trees("train/*.html", webstruct.WebAnnotatorLoader())

            See HTML Loaders for more info.
            """))
        #expect(main.contains("""
            the following approach is used:

            - Text is extracted from HTML and split into tokens.
            - For each token a special HtmlToken instance is created.
            """))
        #expect(main.contains("def token_identity(html_token):\n    return {'token': html_token.token}\n\n"))
        #expect(!main.contains("¶"))
    }

    @Test func indexPageMetadata() throws {
        let page = try page("html-text/webstruct-webstruct-0-6-documentation.html")
        #expect(String(decoding: page.text, as: UTF8.self) == """
            Webstruct is a library for creating statistical NER systems that work on HTML data, i.e. a library for \
            building tools that extract named entities (addresses, organization names, open hours, etc) from webpages.
            """)
        #expect(page.title == "Webstruct — Webstruct 0.6 documentation")
        #expect(page.lang == "en")
        #expect(page.canonicalURL == "https://webstruct.readthedocs.io/en/latest/")
    }

    @Test func landingPageKeepsItsSectionsInOrder() throws {
        let main = try text("html-text/scrapinghub-enterprise-solutions.html")
        #expect(main.hasPrefix("""
            Let’s Partner

            Team up with the best web scraping engineers while you stay focused on your business goals

            Quality assurance, enterprise service-level agreements and maintenance plans
            """))
        #expect(main.hasSuffix("""
            Training

            Learn from the recognised experts in data crawling and scraping to grow your own in-house team

            One-to-one and group training

            Standard introduction to web scraping

            Tailored courses to help you solve very specific business challenges
            """))
    }

    @Test func articlesMatchTheBenchmarksGroundTruth() throws {
        let truth = try HTMLFixtures.json("scrapinghub-aeb/ground-truth.json")
        func body(_ prefix: String) throws -> (String, String) {
            let (id, entry) = try #require(truth.first { $0.key.hasPrefix(prefix) })
            return (squeezed(try text("scrapinghub-aeb/\(id).html.gz")), squeezed(entry["articleBody"] as? String ?? ""))
        }
        // The ground truth keeps a photo credit and a sign-off that, short and last, are left out here.
        let (science, scienceTruth) = try body("359fee228518d55b")
        #expect(science + " © Reuters" == scienceTruth)
        let (expapp, expappTruth) = try body("4648a420af9984d4")
        #expect(expapp + " Thanks Junior!" == expappTruth)
        // The heading and the byline are kept here, not in the ground truth.
        let (japanese, japaneseTruth) = try body("85439e26c41c7590")
        #expect(japanese == "商品の改造が商標法違反に！？ by ライトハウス国際特許事務所 ／ 2016.12.01 " + japaneseTruth)
    }

    @Test func japaneseArticleExactly() throws {
        let page = try page("scrapinghub-aeb/85439e26c41c75901820d01a13e8cea7836abb58635ea3986f71a163ab0311d3.html.gz")
        #expect(String(decoding: page.text, as: UTF8.self) == """
            商品の改造が商標法違反に！？

            by ライトハウス国際特許事務所 ／ 2016.12.01

            先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。

            報道によると、今回販売されたのは、いわゆる「脱獄」したiPhone。

            「脱獄」とは、iPhoneのiOSを改造して機能制限を解除することで、脱獄すれば、App Storeにない非公式アプリを利用することもできるようになるとのことです。

            もちろん、Apple社は「脱獄」を認めていません。

            不正に改造したiPhoneでも、もともとは、アップル社から購入したものです。

            ではなぜ、不正に改造したiPhoneを販売すると、商標権侵害になるのでしょうか。

            商標には、同じ商標が付された商品は同じ提供元のものであるという、商品の出所を表示する機能（出所表示機能）、同じ商標が付された商品は同じ品質であることを保証する機能（品質保証機能）があります。

            例えば、消費者は、スマートフォンに表示されたりんごのマークをみて、それがアップル社の商品であると理解しますし、りんごのマークが付されたスマートフォンを見れば、消費者は、あの品質の商品だな、と考えます。

            今回の事件のように、りんごのマークやiPhoneの表示がついたままで、権利者の許諾を得ずに、不正に改造したiPhoneを販売することは、商標の品質保証機能を害することになりますので、商標権侵害であると判断されたものと思われます。

            通常、権利者により正規のルートで販売された商品をそのまま転売する場合は、商標権侵害にはなりません。
            しかし、今回の事件のように、権利者の意思に基づくことなく、もとの商品に改造を加えて販売した場合は、商標権侵害と判断される場合があります。

            また、その他にも、
            もとの商品に付された商標を剥奪抹消した商品（もとの商標を消した商品）を販売する行為や、
            権利者の意思に基づくことなく、もとの商品を小分けにして販売するような行為は、
            商標権侵害と判断される場合があります。

            ※「iPhone」は、Apple Inc.の商標です。
            """)
        #expect(page.title == "商品の改造が商標法違反に！？ | 特許業務法人ライトハウス国際特許事務所")
        #expect(page.lang == "ja")
        #expect(page.canonicalURL == "https://www.lhpat-tm.com/blog/decision-info/index-2726.html")
        #expect(try self.page("charset/lhpat-tm.shift_jis.html").text == page.text)
    }

    @Test func trafilaturaSnippetsAreFoundOrAbsent() throws {
        for (id, gold) in try HTMLFixtures.json("trafilatura-eval/gold.json") {
            let main = squeezed(try text("trafilatura-eval/\(id).html.gz"))
            for snippet in gold["with"] as? [String] ?? [] { #expect(main.contains(squeezed(snippet)), "\(id): \(snippet)") }
            for snippet in gold["without"] as? [String] ?? [] { #expect(!main.contains(squeezed(snippet)), "\(id): \(snippet)") }
            #expect(try page("trafilatura-eval/\(id).html.gz").title?.hasPrefix(gold["title"] as? String ?? "?") == true)
        }
    }

    @Test func windows1252ArticleReadsInGerman() throws {
        let main = try text("trafilatura-eval/d4b203a1ffd4175a.html.gz")
        #expect(main.contains("""
            Statt herkömmlichem Herbstwetter brachte der Oktober 2023 sehr viel Regen und eine äußerst milde Witterung \
            mit sommerlichen Nuancen. Die Vegetation kleidete sich nur zögerlich herbstlich.
            """))
        #expect(main.contains("So viel Regen gab es lange nicht\n\nDas Wetter eignet sich ja bekanntermaßen exzellent dazu"))
    }

    @Test func hiddenElementsNeverShow() throws {
        let relative = "trafilatura-eval/ac28449c60f0cc4f.html.gz"
        let html = String(decoding: try HTMLFixtures.document(relative).text, as: UTF8.self)
        // A `display: none` call to action and an `aria-hidden` list of share buttons.
        #expect(html.contains("You need to stay competitive in the job market"))
        #expect(html.contains(#"<ul class="share-buttons" aria-hidden="true">"#))
        for extractor in [HTMLExtractor(), HTMLExtractor(mainContent: false)] {
            let text = try text(relative, extractor)
            #expect(!text.contains("job market"))
            #expect(!text.contains("Docker packaging is complicated"))
            #expect(text.contains("FROM python:3.7\nCOPY requirements.txt /tmp\nRUN pip install -r requirements.txt\n"))
        }
    }

    @Test func deepNestingIsSafe() {
        let depth = 200_000
        let html = String(repeating: "<div><span>", count: depth) + "<p>Still found at the bottom of the page.</p>"
            + String(repeating: "</span></div>", count: depth) + "<p>And after it.</p>"
        let page = HTMLExtractor(mainContent: false).extract(Array(html.utf8))
        #expect(String(decoding: page.text, as: UTF8.self) == "Still found at the bottom of the page.\n\nAnd after it.")
    }

    @Test func invalidUTF8ComesOutRepaired() {
        let html = Array("<p>caf".utf8) + [0xE9, 0xFF] + Array(" au lait</p><p>été \u{1F600}</p>".utf8) + [0xF0, 0x9F]
        let page = HTMLExtractor(mainContent: false).extract(html)
        #expect(String(decoding: page.text, as: UTF8.self) == "caf\u{FFFD}\u{FFFD} au lait\n\nété \u{1F600}\n\n\u{FFFD}")
        #expect(HTMLExtractor().extract([]) == ExtractedPage(text: []))
    }

    @Test func stageRewritesDocumentsAndDropsEmptyOnes() throws {
        let stage = try #require(try HTMLExtractStage.definition.make(Options(JSONObject([("min_text_chars", .integer(100))]))).streaming)
        var document = try HTMLFixtures.document("html-text/webstruct-webstruct-0-6-documentation.html")
        let htmlBytes = document.text.count
        #expect(stage.process(&document) == .rewritten([Metric("html_bytes", Double(htmlBytes)), Metric("text_chars", 209)]))
        #expect(document.textString.hasPrefix("Webstruct is a library for creating statistical NER systems"))
        #expect(document.metadata == JSONObject([
            ("charset", .string("UTF-8")), ("title", .string("Webstruct — Webstruct 0.6 documentation")),
            ("html_lang", .string("en")), ("canonical_url", .string("https://webstruct.readthedocs.io/en/latest/")),
        ]))
        var strict = try HTMLFixtures.document("html-text/webstruct-webstruct-0-6-documentation.html")
        let demanding = try #require(try HTMLExtractStage.definition.make(Options(JSONObject([("min_text_chars", .integer(210))]))).streaming)
        #expect(demanding.process(&strict) == .drop(
            reason: "no_main_text", metrics: [Metric("html_bytes", Double(htmlBytes)), Metric("text_chars", 209)]))
        #expect(strict.textString.hasPrefix("\n\n<!DOCTYPE html>\n"))
    }

    @Test func formatReadsCompressedPagesAsDocuments() throws {
        let relative = "trafilatura-eval/d4b203a1ffd4175a.html.gz"
        let document = try HTMLFixtures.document(relative)
        #expect(document.id == relative)
        #expect(document.source == SourceRef(input: relative, offset: 0))
        #expect(document.metadata == JSONObject([("charset", .string("windows-1252"))]))
        #expect(document.textString.contains("Login für Vote"))
        #expect(HTMLFormat.definition.folderExtensions.contains(".html.gz"))
    }
}
