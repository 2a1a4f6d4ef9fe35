import Foundation

/// Files that ship with curate (language-ID model, word lists, term groups), found in its
/// `resources/` folder: `$CURATE_RESOURCES` if set, else the nearest `resources/` folder
/// (holding `resources/README.md`) above the running executable, else `share/curate/resources`
/// beside it, else the source checkout this module was built from.
public enum Resources {
    /// The prefix that names a bundled file in a path option: `resource:models/lid.176.ftz`.
    public static let prefix = "resource:"

    public static let folder: String = locate()

    /// The absolute path of the bundled file `name`.
    public static func path(_ name: String) -> String { folder + "/" + name }

    /// `value` as an absolute path: a bundled file for `resource:NAME`, else relative to `base`.
    public static func resolve(_ value: String, base: String) -> String {
        if value.hasPrefix(prefix) { return path(String(value.dropFirst(prefix.count))) }
        if value.hasPrefix("/") { return value }
        return base == "." ? value : base + "/" + value
    }

    private static func locate() -> String {
        if let set = ProcessInfo.processInfo.environment["CURATE_RESOURCES"], !set.isEmpty { return set }
        let manager = FileManager.default
        func holdsResources(_ dir: String) -> Bool { manager.fileExists(atPath: dir + "/README.md") }
        if let executable = try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = (executable as NSString).deletingLastPathComponent
            let installed = dir + "/../share/curate/resources"
            if holdsResources(installed) { return (installed as NSString).standardizingPath }
            while dir.count > 1 {
                if holdsResources(dir + "/resources") { return dir + "/resources" }
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return source.path + "/resources"
    }
}
