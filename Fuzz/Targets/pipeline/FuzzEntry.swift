import CurateFuzzing

/// libFuzzer's entry point: runs the `pipeline` fuzz target on one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.all["pipeline"]!.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
