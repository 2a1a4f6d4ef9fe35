/// A horizontal bar chart as inline SVG: one row per label, one bar per series.
struct SVGBarChart {
    var labels: [String]
    /// values[row][series]
    var values: [[Int]]
    var series: [String]

    static let colors = ["#3b6ea8", "#e08a2c", "#5a9e5a"]

    func render() -> String {
        let rowHeight = 18 * max(1, series.count) + 6
        let labelWidth = min(260, 10 + 7 * (labels.map(\.count).max() ?? 0))
        let barWidth = 420
        let width = labelWidth + barWidth + 90
        let legend = series.count > 1 ? 22 : 0
        let height = legend + rowHeight * labels.count + 4
        let top = max(1, values.flatMap { $0 }.max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\">"
        if series.count > 1 {
            for (i, name) in series.enumerated() {
                let x = labelWidth + i * 120
                svg += "<rect x=\"\(x)\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(Self.colors[i % 3])\"/>"
                svg += "<text x=\"\(x + 16)\" y=\"14\">\(HTML.escape(name))</text>"
            }
        }
        for (row, label) in labels.enumerated() {
            let y = legend + row * rowHeight
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\">\(HTML.escape(label))</text>"
            for (i, value) in values[row].enumerated() {
                let length = Int((Double(value) / Double(top) * Double(barWidth)).rounded())
                let barY = y + 3 + i * 18
                svg += "<rect x=\"\(labelWidth)\" y=\"\(barY)\" width=\"\(max(length, value > 0 ? 1 : 0))\" height=\"15\" fill=\"\(Self.colors[i % 3])\"/>"
                svg += "<text x=\"\(labelWidth + length + 4)\" y=\"\(barY + 12)\">\(value)</text>"
            }
        }
        return svg + "</svg>"
    }
}

/// Escaping for text and attribute values.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
