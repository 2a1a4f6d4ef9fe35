/// The link prefixes whose links are not part of a page's text: file and category namespaces
/// (`[[File:…]]`, `[[Категорія:…]]`) and the language codes of interlanguage links (`[[de:…]]`).
/// Prefixes are matched as MediaWiki does: ignoring case, with `_` standing for a space.
struct WikitextNamespaces: Sendable {
    /// Lowercased names given by the dump, beyond the built-in ones.
    private let extra: [String]

    init(fileNamespaces: [String], categoryNamespaces: [String]) {
        extra = (fileNamespaces + categoryNamespaces).map { $0.lowercased() }.filter { !Self.builtIn.contains($0) }
    }

    /// Whether links whose target starts with `prefix` and a colon are left out of the text.
    func hides(_ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        var bytes = Array(prefix)
        while bytes.last == 0x20 { bytes.removeLast() }
        while bytes.first == 0x20 { bytes.removeFirst() }
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        for i in bytes.indices where bytes[i] == UInt8(ascii: "_") { bytes[i] = 0x20 }
        let key = String(decoding: bytes, as: UTF8.self).lowercased()
        return Self.builtIn.contains(key) || Self.languageCodes.contains(key) || extra.contains(key)
    }

    /// File and category namespace names and aliases, lowercased, of the English, Ukrainian,
    /// Japanese, Russian, German, French, Spanish, Italian, Polish, Portuguese, Dutch and
    /// Chinese Wikipedias (English names work on every wiki).
    private static let builtIn: Set<String> = [
        "file", "image", "category",
        "файл", "зображення", "категорія",
        "ファイル", "画像", "カテゴリ",
        "изображение", "категория",
        "datei", "bild", "kategorie",
        "fichier", "catégorie",
        "archivo", "imagen", "categoría",
        "immagine", "categoria",
        "plik", "grafika", "kategoria",
        "ficheiro", "arquivo", "imagem",
        "bestand", "afbeelding", "categorie",
        "文件", "檔案", "档案", "图像", "圖像", "分类", "分類",
    ]

    /// The language codes of the Wikipedias (Wikimedia's `langlist`), which are also their
    /// interlanguage link prefixes.
    private static let languageCodes: Set<String> = Set("""
        aa ab ace ady af ak als alt am ami an ang anp ar arc ary arz as ast atj av avk awa ay az azb ba ban bar \
        bat-smg bcl be be-tarask be-x-old bg bh bi bjn blk bm bn bo bpy br bs btm bug bxr ca cbk-zam cdo ce ceb \
        ch cho chr chy ckb co cr crh cs csb cu cv cy da dag de din diq dsb dty dv dz ee el eml en eo es et eu ext \
        fa fat ff fi fiu-vro fj fo fr frp frr fur fy ga gag gan gcr gd gl glk gn gom gor got gpe gsw gu guc gur \
        guw gv ha hak haw he hi hif ho hr hsb ht hu hy hyw hz ia id ie ig ii ik ilo inh io is it iu ja jam jbo jv \
        ka kaa kab kbd kbp kcg kg ki kj kk kl km kn ko koi kr krc ks ksh ku kv kw ky la lad lb lbe lez lfn lg li \
        lij lld lmo ln lo lrc lt ltg lv lzh mad mai map-bms mdf mg mh mhr mi min mk ml mn mni mnw mo mr mrj ms mt \
        mus mwl my myv mzn na nah nan nap nds nds-nl ne new ng nia nl nn no nov nqo nrm nso nv ny oc olo om or os \
        pa pag pam pap pcd pcm pdc pfl pi pih pl pms pnb pnt ps pt pwn qu rm rmy rn ro roa-rup roa-tara ru rue rup \
        rw sa sah sat sc scn sco sd se sg sgs sh shi shn shy si simple sk skr sl sm smn sn so sq sr srn ss st stq \
        su sv sw szl szy ta tay tcy te tet tg th ti tk tl tly tn to tpi tr trv ts tt tum tw ty tyv udm ug uk ur \
        uz ve vec vep vi vls vo vro wa war wo wuu xal xh xmf yi yo yue za zea zh zh-classical zh-min-nan zh-yue zu
        """.split(separator: " ").map(String.init))
}
