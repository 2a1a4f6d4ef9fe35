import Foundation

/// Where a pipeline file may send its run folder: inside the pipeline file's folder or the
/// current directory, after resolving symbolic links, so that a pipeline from elsewhere cannot
/// write through `..` or a link into places the user did not choose. `--output` on the command
/// line, and `--allow-output-anywhere`, are the user's explicit choice and are not checked.
enum OutputPolicy {
    /// Why `folder` is not allowed, or nil.
    static func problem(_ folder: String, pipelineFolder: String, workingDirectory: String) -> String? {
        let resolved = resolvingLinks(folder)
        let roots = [pipelineFolder, workingDirectory].map(resolvingLinks)
        if roots.contains(where: { resolved == $0 || resolved.hasPrefix($0 == "/" ? "/" : $0 + "/") }) { return nil }
        return "the run folder \(folder)" + (resolved != folder ? " (through links: \(resolved))" : "")
            + " is outside both the pipeline's folder and the current directory; give it with --output, "
            + "or pass --allow-output-anywhere"
    }

    /// `path` with the links of its longest existing prefix resolved.
    static func resolvingLinks(_ path: String) -> String {
        var existing = path
        var rest: [String] = []
        while !existing.isEmpty, existing != "/", realpath(existing, nil) == nil {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        guard let real = realpath(existing.isEmpty ? "/" : existing, nil) else { return path }
        defer { free(real) }
        let base = String(cString: real)
        return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
    }
}
