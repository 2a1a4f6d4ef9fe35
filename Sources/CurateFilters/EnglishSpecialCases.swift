import Foundation

/// Whole words the English tokenizer treats specially: contractions split into their parts
/// ("don't" → "do", "n't"; "cannot" → "can", "not"; "5pm" → "5", "pm"), and abbreviations
/// kept whole with their final dot ("Mr.", "e.g.", "a.m.").
///
/// Contractions are recognised in lower case and with a capital first letter, with a
/// straight or a curly apostrophe, and for most, without an apostrophe ("dont").
enum EnglishSpecialCases {
    /// The lengths of the pieces `s[lo..<hi]` splits into (one piece for a word kept
    /// whole), or nil when it is not a special case.
    /// The length of the longest special case.
    static let longest = 12

    static func pieces(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> [Int]? {
        let n = hi - lo
        guard n >= 2, n <= longest, ends[bucket(s[lo]) << 7 | bucket(s[hi - 1])] else { return nil }
        var h = hashSeed
        for i in lo..<hi { h = step(h, s[i]) }
        guard let entries = byHash[h] else { return nil }
        for (word, pieces) in entries where word.count == n {
            var k = 0
            while k < n, word[k] == s[lo + k] { k += 1 }
            if k == n { return pieces }
        }
        return nil
    }

    @inline(__always) private static func bucket(_ c: UInt32) -> Int { Int(Swift.min(c, 127)) }

    /// Whether some special case starts and ends with these characters (non-ASCII ones
    /// sharing one bucket): most words are ruled out without hashing.
    private static let ends: [Bool] = {
        var ends = [Bool](repeating: false, count: 128 * 128)
        for word in table.keys { ends[bucket(word[0]) << 7 | bucket(word[word.count - 1])] = true }
        return ends
    }()

    private static let hashSeed: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always) private static func step(_ h: UInt64, _ c: UInt32) -> UInt64 {
        (h ^ UInt64(c)) &* 0x100_0000_01B3
    }

    /// The table by a hash of the word, so that a lookup needs no allocation.
    private static let byHash: [UInt64: [([UInt32], [Int])]] = {
        var byHash: [UInt64: [([UInt32], [Int])]] = [:]
        for (word, pieces) in table {
            byHash[word.reduce(hashSeed, step), default: []].append((word, pieces))
        }
        return byHash
    }()

    private static let table: [[UInt32]: [Int]] = {
        var table: [[UInt32]: [Int]] = [:]
        func add(_ word: String, _ pieces: [String]) {
            table[word.unicodeScalars.map(\.value)] = pieces.map { $0.unicodeScalars.count }
        }
        func addCased(_ parts: [String]) {
            let word = parts.joined()
            add(word, parts)
            let first = parts[0]
            let title = first.prefix(1).uppercased() + first.dropFirst()
            add(title + parts.dropFirst().joined(), [title] + parts.dropFirst())
        }
        // Clitics after a stem, written with "'"; the curly and the apostrophe-less forms follow.
        let pronounClitics: [String: [String]] = [
            "i": ["'m", "'m a", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "you": ["'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "we": ["'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "they": ["'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "these": ["'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "those": ["'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "he": ["'s", "'ll", "'ll 've", "'d", "'d 've"],
            "she": ["'s", "'ll", "'ll 've", "'d", "'d 've"],
            "it": ["'s", "'ll", "'ll 've", "'d", "'d 've"],
            "this": ["'s", "'ll", "'ll 've", "'d", "'d 've"],
            "that": ["'s", "'ll", "'ll 've", "'d", "'d 've"],
            "there": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "who": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "what": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "when": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "where": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "why": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'ve"],
            "how": ["'s", "'re", "'ll", "'ll 've", "'d", "'d 've", "'d 'y", "'ve"],
            "could": ["'ve", "n't", "n't 've"], "might": ["'ve", "n't", "n't 've"], "must": ["'ve", "n't", "n't 've"],
            "should": ["'ve", "n't", "n't 've"], "would": ["'ve", "n't", "n't 've"], "not": ["'ve"],
            "ca": ["n't", "n't 've"], "wo": ["n't", "n't 've"], "sha": ["n't", "n't 've"], "did": ["n't", "n't 've"],
            "do": ["n't", "n't 've"], "does": ["n't", "n't 've"], "had": ["n't", "n't 've"], "may": ["n't", "n't 've"],
            "need": ["n't", "n't 've"], "ought": ["n't", "n't 've"],
            "ai": ["n't"], "are": ["n't"], "dare": ["n't"], "has": ["n't"], "have": ["n't"], "is": ["n't"],
            "was": ["n't"], "were": ["n't"],
        ]
        // Apostrophe-less forms that are ordinary words and so are left alone.
        let ordinaryWords: Set<String> = ["ill", "its", "hell", "shell", "shed", "were", "well", "whore", "howdy"]
        for (stem, clitics) in pronounClitics {
            for clitic in clitics {
                let parts = [stem] + clitic.split(separator: " ").map(String.init)
                addCased(parts)
                addCased(parts.map { $0.replacingOccurrences(of: "'", with: "\u{2019}") })
                let bare = parts.map { $0.replacingOccurrences(of: "'", with: "") }
                if !ordinaryWords.contains(bare.joined()) { addCased(bare) }
            }
        }
        for parts in [["can", "not"], ["gon", "na"], ["got", "ta"], ["let", "'s"], ["let", "\u{2019}s"],
                      ["y'", "all"], ["y\u{2019}", "all"], ["y", "all"], ["c'm", "on"], ["c\u{2019}m", "on"]] {
            addCased(parts)
        }
        for hour in 1...12 {
            for suffix in ["am", "pm", "a.m.", "p.m."] { add("\(hour)\(suffix)", ["\(hour)", suffix]) }
        }
        // Abbreviations and forms kept whole.
        let whole = """
            Mr. Mrs. Ms. Dr. Prof. St. Jr. Rev. Gen. Gov. Sen. Rep. Adm. Mt. Messrs. Bros. Co. co. Corp. Inc. Ltd. Ph.D. \
            Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. \
            Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ia. Id. Ill. Ind. Kan. Kans. Ky. La. Mass. Md. Mich. Minn. \
            Miss. Mo. Mont. Neb. Nebr. Nev. Okla. Ore. Pa. Tenn. Va. Wash. Wis. Ak. \
            D.C. N.C. N.D. N.H. N.J. N.M. N.Y. S.C. \
            e.g. E.g. E.G. i.e. I.e. I.E. a.m. p.m. vs. v.s. and/or w/o C++ o'clock O'clock o\u{2019}clock O\u{2019}clock \
            ma'am Ma'am ma\u{2019}am Ma\u{2019}am 'bout 'cause 'Cause 'cos 'Cos 'coz 'Coz 'cuz 'Cuz 'em 'nuff \
            doin doin' goin goin' havin havin' lovin lovin' nothin nothin' nuthin nuthin' somethin somethin' ol ol' \
            Doin Doin' Goin Goin' Havin Havin' Lovin Lovin' Nothin Nothin' Nuthin Nuthin' Somethin Somethin' Ol Ol' \
            em ll nuff ä. ö. ü. 's 'S 'd 'll 're '' \
            :) :( :-) :-( ;) ;-) :D :P :p :/ :| :] :[ <3 :'( :') =) =( XD xD ^_^ -_- o.O O.o \
            ): (: (; (= )-: (-: (-; [: [= ]= 8) 8-) 8D 8-D :)) :(( :-)) :-(( :-/ :-P :-p :-D :-O :-o :o :O :3 :* :-* \
            :> :-> :x :X :-x :-X :} :-} :-| :-] ;D ;-D =D =] =[ =/ =| =3 <33 </3 >.< >.> <.< ^__^ o_o O_O o_O O_o -__- ._. @_@ \
            :1 :0 :-0 :-3 :((( :))) :-((( :-))) :'-( :'-) :() :o) 0.0 0_0 0.o 0_o O.O V.V v.v V_V v_v XDD xDD <333 ^___^ (o:
            """
        for word in whole.split(separator: " ") {
            let w = String(word).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !w.isEmpty else { continue }
            add(w, [w])
            if w.contains("'") {
                let curly = w.replacingOccurrences(of: "'", with: "\u{2019}")
                add(curly, [curly])
            }
        }
        for letter in "abcdefghijklmnopqrstuvwxyz" { add("\(letter).", ["\(letter)."]) }
        for scale in "CFKcfk" { add("\u{B0}\(scale).", ["\u{B0}", "\(scale)", "."]) }
        return table
    }()
}
