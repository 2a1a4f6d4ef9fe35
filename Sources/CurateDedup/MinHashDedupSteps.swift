import CurateCore

extension MinHashDedup {
    /// Checks, before step 1, that the barrier's parts can be numbered; for an executor that
    /// runs the steps of `resolve` as separate tasks.
    public func checkParts(_ context: BarrierContext) throws {
        try DocumentOrdinal.check(parts: context.parts.count, folder: context.folder)
    }

    /// Step 3 and the end of `resolve`, for an executor that ran steps 1 and 2 as separate
    /// tasks: joins the pairs of `groups` band groups, writes the results with `stats` (the
    /// steps' document counts and spilled runs) and removes the intermediate files.
    public func finish(_ context: BarrierContext, groups: Int, stats: DedupStats) throws {
        var stats = stats
        try cluster(context, groups: groups, stats: &stats)
        DedupResults.removeWorkFiles(in: context.folder)
    }
}
