#if canImport(Glibc)
import Glibc
#endif

/// Turns the paths and globs of a pipeline's inputs into a sorted list of files.
public enum PathExpansion {
    /// The files that `pattern` names, sorted by path. A relative pattern is taken from
    /// `base`. `*`, `?` and `[...]` match within one path component and `**` matches any
    /// number of folders; a folder stands for the files below it whose names end with one
    /// of `folderExtensions`. Hidden files and folders are left out of matches.
    public static func expand(_ pattern: String, base: String, folderExtensions: [String]) throws(IOError) -> [String] {
        let absolute = normalized(pattern.hasPrefix("/") ? pattern : join(base, pattern))
        let components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var matches: [String] = []
        walk(components[...], prefix: "", into: &matches)
        var files: [String] = []
        for match in matches {
            if isFolder(match) {
                files += listFiles(under: match, endingWith: folderExtensions)
            } else {
                files.append(match)
            }
        }
        return Array(Set(files)).sorted()
    }

    /// Absolute `path` written relative to absolute folder `base` (with `..` where needed),
    /// so that what is recorded does not depend on where the project sits.
    public static func display(_ path: String, relativeTo base: String) -> String {
        let target = normalized(path).split(separator: "/")
        let from = normalized(base).split(separator: "/")
        let common = zip(target, from).prefix { $0 == $1 }.count
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + target[common...].map(String.init)).joined(separator: "/")
    }

    /// `path` with `.` and `..` components resolved lexically.
    public static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    public static func join(_ base: String, _ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if base.isEmpty { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    private static func hasWildcard(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    private static func walk(_ rest: ArraySlice<String>, prefix: String, into matches: inout [String]) {
        guard let head = rest.first else {
            if exists(prefix.isEmpty ? "/" : prefix) { matches.append(prefix.isEmpty ? "/" : prefix) }
            return
        }
        let tail = rest.dropFirst()
        if head == "**" {
            walk(tail, prefix: prefix, into: &matches)
            for entry in entries(of: prefix) where isFolder(prefix + "/" + entry) {
                walk(rest, prefix: prefix + "/" + entry, into: &matches)
            }
        } else if hasWildcard(head) {
            for entry in entries(of: prefix) where fnmatch(head, entry, 0) == 0 {
                walk(tail, prefix: prefix + "/" + entry, into: &matches)
            }
        } else {
            walk(tail, prefix: prefix + "/" + head, into: &matches)
        }
    }

    /// The non-hidden entries of a folder, unsorted.
    private static func entries(of folder: String) -> [String] {
        guard let dir = opendir(folder.isEmpty ? "/" : folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }

    private static func listFiles(under folder: String, endingWith extensions: [String]) -> [String] {
        var files: [String] = []
        for entry in entries(of: folder) {
            let path = folder + "/" + entry
            if isFolder(path) {
                files += listFiles(under: path, endingWith: extensions)
            } else if extensions.contains(where: { entry.hasSuffix($0) }) {
                files.append(path)
            }
        }
        return files
    }
}
