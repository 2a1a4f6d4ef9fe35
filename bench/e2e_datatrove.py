"""The end-to-end chain in datatrove 0.10, as FineWeb configures its stages, on the local
executor: WARC -> Trafilatura -> English at 0.65 -> Gopher repetition -> Gopher quality -> C4
(no terminal-punctuation rule) -> FineWeb quality -> MinHash (14 x 8, four stages) -> GPT-2
tokens. The executors start their workers with fork, so that every worker is a child of this
process that the pool reaps and the rusage of this process covers their CPU time (with the
default forkserver the workers are children of the server, which is never reaped, and escape it).
Each filter writes what it drops (with the reason datatrove gives) so the kept sets can
be compared; the kept documents are written before tokenizing.

    python e2e_datatrove.py WARC_FOLDER OUT MODEL TOKENIZER_JSON TASKS
"""
import sys

import datatrove.utils.lid as lid

warc_folder, out, model, tokenizer, tasks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
# The same model file curate uses, not a download of lid.176.bin (the executor forks after this).
lid.cached_asset_path_or_download = lambda *args, **kwargs: model

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import MinhashConfig
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.filters import (
    C4QualityFilter, FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter, LanguageFilter)
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.tokens import DocumentTokenizer
from datatrove.pipeline.writers import JsonlWriter

def main():
    # datatrove's default 64-bit xxhash (bench/e2e.sh pins xxhash<4: 4.x refuses the str that 0.10.1 passes)
    config = MinhashConfig(num_buckets=14, hashes_per_bucket=8)


    def dropped(name):
        return JsonlWriter(f"{out}/dropped/{name}", compression=None)


    filtering = LocalPipelineExecutor(pipeline=[
        WarcReader(warc_folder, glob_pattern="*.warc.gz"),
        Trafilatura(favour_precision=True),
        LanguageFilter(languages=["en"], language_threshold=0.65, exclusion_writer=dropped("language")),
        GopherRepetitionFilter(exclusion_writer=dropped("gopher_repetition")),
        GopherQualityFilter(exclusion_writer=dropped("gopher_quality")),
        C4QualityFilter(filter_no_terminal_punct=False, exclusion_writer=dropped("c4_quality")),
        FineWebQualityFilter(exclusion_writer=dropped("fineweb_quality")),
        JsonlWriter(f"{out}/filtered"),
        MinhashDedupSignature(output_folder=f"{out}/signatures", config=config),
    ], tasks=tasks, workers=tasks, logging_dir=f"{out}/logs/filtering", start_method="fork")

    buckets = LocalPipelineExecutor(pipeline=[
        MinhashDedupBuckets(input_folder=f"{out}/signatures", output_folder=f"{out}/buckets", config=config),
    ], tasks=config.num_buckets, workers=tasks, logging_dir=f"{out}/logs/buckets", depends=filtering, start_method="fork")

    cluster = LocalPipelineExecutor(pipeline=[
        MinhashDedupCluster(input_folder=f"{out}/buckets", output_folder=f"{out}/remove_ids", config=config),
    ], tasks=1, logging_dir=f"{out}/logs/cluster", depends=buckets, start_method="fork")

    tokenize = LocalPipelineExecutor(pipeline=[
        JsonlReader(f"{out}/filtered"),
        MinhashDedupFilter(input_folder=f"{out}/remove_ids", exclusion_writer=dropped("minhash")),
        JsonlWriter(f"{out}/kept", compression=None),
        DocumentTokenizer(output_folder=f"{out}/tokens", tokenizer_name_or_path=tokenizer, eos_token="<|endoftext|>"),
    ], tasks=tasks, workers=tasks, logging_dir=f"{out}/logs/tokenize", depends=cluster, start_method="fork")

    tokenize.run()


if __name__ == "__main__":
    main()
