import CurateIngest
import Testing

/// Wikitext snippets, most taken from the pages in Fixtures/wiki, and their exact plain text.
@Suite struct WikitextConverterTests {
    private let converter = WikitextConverter(fileNamespaces: ["Файл"], categoryNamespaces: ["Категорія"])

    private func plain(_ wikitext: String) -> String {
        String(decoding: converter.plainText(Array(wikitext.utf8)), as: UTF8.self)
    }

    @Test func dropsNestedTemplatesParserFunctionsAndParameters() {
        #expect(plain("""
            {{Infobox film
            | name           = Actresses
            | starring       = {{ubl|[[Núria Espert]]|[[Rosa Maria Sardà]]}}
            | released       = {{film date|df=yes|1997|1|17|[[Spain]]}}
            }}

            '''''Actresses''''' ([[Catalan language|Catalan]]: '''''Actrius''''') is a 1997 [[Catalan language]] Spanish drama film.
            """) == "Actresses (Catalan: Actrius) is a 1997 Catalan language Spanish drama film.")
        #expect(plain("a{{#if:{{{1|}}}|yes|{{{2|no}}}}}b {{{{{x}}}}} c") == "ab c")
    }

    @Test func keepsUnclosedBracesAsText() {
        #expect(plain("{{unclosed [[a]] and more") == "{{unclosed a and more")
        #expect(plain("text }} {{{") == "text }} {{{")
    }

    @Test func dropsNestedTablesAndKeepsTheTextAround() {
        #expect(plain("""
            Before the table.
            {| class="wikitable"
            |-
            ! Year !! Film
            |-
            | 1997 ||
            {|
            | inner [[cell]]
            |}
            |}
            After the table.
            :{| class="wikitable"
            | indented table
            |}
            {| never closed
            End.
            """) == "Before the table.\n\nAfter the table.\n\nEnd.")
    }

    @Test func dropsReferencesCommentsAndExtensionTags() {
        #expect(plain("""
            The film has no male actors.<ref name="El Pais">{{cite news|title='E. R', de Benet i Jornet}}</ref> \
            It was shown at the [[Stockholm International Film Festival]].<ref name=SFF /><!-- see talk --> \
            <math>E = mc^2</math>Energy.<gallery>
            File:Ampersand Handwriting 1.jpg|手書きの[[アンパサンド]]
            </gallery><references/>
            """) == "The film has no male actors. It was shown at the Stockholm International Film Festival. Energy.")
        #expect(plain("Shown.<!-- unclosed comment\nhides the rest") == "Shown.")
        #expect(plain("An <ref>unclosed reference stays") == "An unclosed reference stays")
    }

    @Test func keepsNowikiAndPreAsWritten() {
        #expect(plain("He thought it <nowiki>[Z]</nowiki> had only been put.") == "He thought it [Z] had only been put.")
        #expect(plain("<nowiki>[[not a link]] ''not italic'' {{not a template}} &amp;</nowiki>")
            == "[[not a link]] ''not italic'' {{not a template}} &")
        #expect(plain("<pre>\n== not a heading ==\n* not a list\n</pre>") == "== not a heading == * not a list")
    }

    @Test func dropsFilesWithTheLinksInTheirCaptions() {
        #expect(plain("""
            [[File:Trebuchet MS ampersand.svg|thumb|100px|[[Trebuchet MS]] フォント]]
            '''アンパサンド'''（'''&amp;'''）は、並立助詞「…と…」を意味する[[記号]]である。
            [[Image:Tractor.jpg|thumb|A [[tractor]] on a [[farm|farm]]]] Farming.
            [[Файл:Atom.svg|міні|Модель [[атом]]а]][[Зображення:Atom.png]][[ファイル:Ampersand.svg|thumb|[[合字]]]]\
            [[画像:Et.png|left]][[file:lower case.png]]
            """) == "アンパサンド（&）は、並立助詞「…と…」を意味する記号である。 Farming.")
    }

    @Test func dropsCategoryAndInterlanguageLinksButNotColonLinks() {
        #expect(plain("""
            Text.
            [[Category:1997 films]]
            [[Категорія:Хімія| ]]
            [[カテゴリ:記号]][[de:Actrius]][[zh-min-nan:Actrius]][[simple:Atom]]
            See the [[:Category:Spanish films|Spanish films]], [[:de:Actrius]] and [[wikt:et|et]].
            """) == "Text.\n\nSee the Spanish films, de:Actrius and et.")
    }

    @Test func keepsTheTextOfLinks() {
        #expect(plain("[[Catalan language|Catalan]], [[Spain]], [[operator algebra]]s, [[Von Neumann algebra#Factors|factor]]s")
            == "Catalan, Spain, operator algebras, factors")
        #expect(plain("[[a|]] [[ b ]] [[a\nb]] [[]] ]] [[x") == "a b [[a b]] [[]] ]] [[x")
    }

    @Test func keepsTheLabelsOfExternalLinks() {
        #expect(plain("""
            [http://www.scientificamerican.com/article.cfm?id=the-geometer Scientific Americain, ''The Geometer of Particle Physics'', 24 July 2006]
            """) == "Scientific Americain, The Geometer of Particle Physics, 24 July 2006")
        #expect(plain("ISBN 978-0821842102 [http://www.alainconnes.org/docs/bookwebfinal.pdf]") == "ISBN 978-0821842102")
        #expect(plain("* [http://www.dw-world.de/ Deutsche Welle&nbsp;— [[Німецька хвиля]]] {{ref-de}}")
            == "Deutsche Welle\u{A0}— Німецька хвиля")
        #expect(plain("[//example.org/a protocol-relative] [not a link] [http://unclosed link") == "protocol-relative [not a link] [http://unclosed link")
    }

    @Test func putsHeadingsOnTheirOwnLinesAndDropsEmptySections() {
        #expect(plain("""
            Intro.
            ==Synopsis==
            In order to prepare herself.
            == Recognition ==

            === Screenings ===
            Screened in 2001.
            ==References==
            {{reflist}}
            ==External links==
            * {{IMDb title|0115462|Actresses}}
            """) == "Intro.\n\nSynopsis\n\nIn order to prepare herself.\n\nRecognition\n\nScreenings\n\nScreened in 2001.")
        #expect(plain("=== Наука та культура===\nЗасновано.\n==Not a heading== here") == "Наука та культура\n\nЗасновано. ==Not a heading== here")
    }

    @Test func putsListItemsOnTheirOwnLines() {
        #expect(plain("""
            ==Cast==
            * [[Núria Espert]] as Glòria Marc
            *[[Rosa Maria Sardà]] as Assumpta Roca
            ** nested
            # numbered
            : indented
            ; term : definition
            * {{IMDb title|0115462|Actresses}}
            After the list.
            """) == """
            Cast

            Núria Espert as Glòria Marc
            Rosa Maria Sardà as Assumpta Roca
            nested
            numbered
            indented
            term : definition

            After the list.
            """)
    }

    @Test func stripsBoldAndItalicQuotes() {
        #expect(plain("'''Alain Connes''' and ''E.R.'' and '''''both''''' and Ribera's, l''''apostrophe, ''''''six") ==
            "Alain Connes and E.R. and both and Ribera's, l'apostrophe, 'six")
    }

    @Test func decodesCharacterReferences() {
        #expect(plain("AT&amp;T&nbsp;Inc &#123; &#x1F600; &#X41; &mdash; &lt;b&gt; &Alpha;&alpha; &apos;")
            == "AT&T\u{A0}Inc { 😀 A — <b> Αα '")
        #expect(plain("&bogus; & alone &#0; &#xD800; &#x110000; &amp") == "&bogus; & alone &#0; &#xD800; &#x110000; &amp")
        #expect(plain("a &#32; &#10; b") == "a b")
    }

    @Test func dropsBehaviourSwitchesButNotIdentifiers() {
        #expect(plain("__TOC__\nText.__NOTOC__ __БЕЗ_ЗМІСТУ__ Call __init__ or a__b__c.") == "Text. Call __init__ or a__b__c.")
    }

    @Test func removesHTMLTagsAndKeepsTheirText() {
        #expect(plain("x<sup>2</sup> a<br/>b <span style=\"color:red\">red</span> <div>block</div>text")
            == "x2 a b red block text")
        #expect(plain("I <3 wikis, a<c and d>e.") == "I <3 wikis, a<c and d>e.")
    }

    @Test func collapsesWhiteSpaceAndSeparatesParagraphsByABlankLine() {
        #expect(plain("  One  line\twith   spaces\nand a second line.\n\n\n\nNext paragraph.\n----\nAfter a rule.  ")
            == "One line with spaces and a second line.\n\nNext paragraph.\n\nAfter a rule.")
        #expect(plain("") == "")
        #expect(plain("{{only a template}}\n[[Category:X]]") == "")
    }
}
