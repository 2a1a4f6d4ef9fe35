// swift-tools-version:6.1
import PackageDescription

/// A system library from a Debian -dev package, wrapped by a module map under Sources/NAME.
func systemLibrary(_ name: String, pkgConfig: String? = nil, apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "curate",
    products: [
        .executable(name: "curate", targets: ["curate"]),
        .library(name: "CurateRunner", targets: ["CurateRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        systemLibrary("CSQLite3", apt: "libsqlite3-dev"),
        systemLibrary("CZstd", apt: "libzstd-dev"),
        systemLibrary("CZlib", apt: "zlib1g-dev"),
        systemLibrary("CDeflate", apt: "libdeflate-dev"),
        systemLibrary("CBzip2", apt: "libbz2-dev"),
        systemLibrary("CLzma", pkgConfig: "liblzma", apt: "liblzma-dev"),
        systemLibrary("CLibXML2", pkgConfig: "libxml-2.0", apt: "libxml2-dev"),
        systemLibrary("CXXHash", apt: "libxxhash-dev"),
        systemLibrary("CCrypto", apt: "libssl-dev"),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),

        // The MinHash permute-and-min kernel: AVX-512 / AVX2 / portable C, chosen at run time.
        .target(name: "CMinHash"),

        // c4_paragraph's line counting: AVX-512 / AVX2 / SSE2 / portable C, chosen at run time.
        .target(name: "CParagraph"),

        .target(name: "CurateCore"),
        .target(name: "CurateIO", dependencies: ["CurateCore", "CZstd", "CZlib", "CDeflate", "CBzip2", "CLzma", "CCrypto"]),
        .target(name: "CurateIngest", dependencies: ["CurateCore", "CurateIO", "CLibXML2"]),
        .target(name: "CurateFilters", dependencies: ["CurateCore", "CParagraph"]),
        .target(name: "CurateDedup", dependencies: ["CurateCore", "CurateIO", "CXXHash", "CMinHash"]),
        .target(name: "CurateTokenizer", dependencies: ["CurateCore", "CurateIO"]),
        .target(name: "CurateShards", dependencies: ["CurateCore", "CurateIO", "CurateTokenizer", "CZstd", "CXXHash"]),
        .target(name: "CurateProvenance", dependencies: ["CurateCore", "CSQLite3"]),
        .target(name: "CurateReport", dependencies: ["CurateCore", "CurateProvenance"]),
        .target(name: "CurateTrainer", dependencies: ["CurateCore", "CurateIO", "CurateShards", "COpenBLAS"]),
        .target(name: "CurateRunner", dependencies: [
            "CurateCore", "CurateIO", "CurateIngest", "CurateFilters", "CurateDedup", "CurateTokenizer", "CurateShards", "CurateProvenance", "CurateReport",
        ]),
        .executableTarget(name: "curate", dependencies: [
            "CurateCore", "CurateRunner", "CurateDedup", "CurateTokenizer", "CurateShards", "CurateTrainer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "CurateCoreTests", dependencies: ["CurateCore"]),
        .testTarget(name: "CurateIOTests", dependencies: ["CurateIO"]),
        .testTarget(name: "CurateIngestTests", dependencies: ["CurateIngest"]),
        .testTarget(name: "CurateFiltersTests", dependencies: ["CurateFilters"]),
        .testTarget(name: "CurateDedupTests", dependencies: ["CurateDedup"]),
        .testTarget(name: "CurateTokenizerTests", dependencies: ["CurateTokenizer"]),
        .testTarget(name: "CurateShardsTests", dependencies: ["CurateShards"]),
        .testTarget(name: "CurateTrainerTests", dependencies: ["CurateTrainer"]),
        .testTarget(name: "CurateProvenanceTests", dependencies: ["CurateProvenance"]),
        .testTarget(name: "CurateRunnerTests", dependencies: ["CurateRunner"]),
        .testTarget(name: "CurateCLITests", dependencies: ["curate", "CurateProvenance"]),

        // Reliability: hostile inputs, kill -9, disk full, fuzz regressions (issue 11). The fuzz
        // entry points are a plain library, tested here; the libFuzzer executables below wrap them.
        .target(name: "CurateFuzzing", dependencies: [
            "CurateCore", "CurateIO", "CurateIngest", "CurateFilters", "CurateTokenizer", "CurateShards", "CurateRunner",
        ], path: "Fuzz/CurateFuzzing"),
        .testTarget(name: "CurateReliabilityTests", dependencies: ["curate", "CurateProvenance", "CurateFuzzing"]),
    ]
)

/// libFuzzer executables, one per fuzz target, built only by scripts/fuzz.sh (CURATE_FUZZ=1):
/// they have no `main` of their own, libFuzzer's is linked in by `-sanitize=fuzzer`.
if Context.environment["CURATE_FUZZ"] == "1" {
    for name in ["warc", "html", "wikitext", "fasttext", "tiktoken", "hf_tokenizer", "shard", "pipeline"] {
        package.targets.append(.executableTarget(
            name: "fuzz-" + name, dependencies: ["CurateFuzzing"], path: "Fuzz/Targets/" + name,
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
