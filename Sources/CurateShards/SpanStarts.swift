extension Array where Element == Int {
    /// For ascending span boundaries (the first start, ..., the end of the last span), the
    /// span that holds `position`: the last start at or below it, by binary search.
    func span(containing position: Int) -> Int {
        var low = 0
        var high = count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if self[mid] <= position { low = mid } else { high = mid }
        }
        return low
    }
}
