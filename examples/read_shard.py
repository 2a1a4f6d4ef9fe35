#!/usr/bin/env python3
"""Read curate token shards with zstandard + numpy alone (format: schemas/shards.md).

    read_shard.py SHARDS_DIR                  one line per shard: file, tokens, documents, first ids
    read_shard.py SHARDS_DIR --at SHARD:TOKEN the document holding that token, as JSON
                                              (the same object as `curate shards inspect --at ... --json`)
"""
import json
import struct
import sys

import numpy as np
import zstandard


def read_shard(path, dtype):
    """All tokens of a shard: plain zstd decoding (the seek table is a skippable frame)."""
    with open(path, "rb") as f:
        raw = zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True).read()
    return np.frombuffer(raw, dtype=dtype)


def seek_table(data):
    """(offset, compressed size, decompressed size, checksum) per frame."""
    frames, descriptor, magic = struct.unpack_from("<IBI", data, len(data) - 9)
    assert magic == 0x8F92EAB1 and descriptor & 0x80, "not a seekable zstd file with checksums"
    start = len(data) - 9 - 12 * frames
    offset, table = 0, []
    for i in range(frames):
        compressed, decompressed, checksum = struct.unpack_from("<III", data, start + 12 * i)
        table.append((offset, compressed, decompressed, checksum))
        offset += compressed
    return table


def read_tokens(path, dtype, start, stop):
    """Tokens [start, stop) of a shard, decompressing only the frames that hold them."""
    data = open(path, "rb").read()
    width, out, first = np.dtype(dtype).itemsize, [], 0
    for offset, compressed, decompressed, _ in seek_table(data):
        last = first + decompressed // width
        if last > start and first < stop:
            frame = zstandard.ZstdDecompressor().decompress(data[offset:offset + compressed])
            out.append(np.frombuffer(frame, dtype=dtype)[max(start, first) - first:min(stop, last) - first])
        first = last
    return np.concatenate(out) if out else np.zeros(0, dtype=dtype)


def read_docs(path):
    """(start tokens, ids, token count) of a .docs index."""
    data = open(path, "rb").read()
    magic, version, flags, count, tokens = struct.unpack_from("<8sIIQQ", data, 0)
    assert magic == b"CURDOCS\0" and version == 1 and flags == 0
    starts = np.frombuffer(data, dtype="<u8", count=count, offset=32)
    ends = np.frombuffer(data, dtype="<u8", count=count + 1, offset=32 + 8 * count)
    blob = data[32 + 16 * count + 8:]
    ids = [blob[ends[i]:ends[i + 1]].decode("utf-8") for i in range(count)]
    return starts, ids, tokens


def main(argv):
    folder = argv[1]
    manifest = json.load(open(f"{folder}/manifest.json"))
    dtype = np.dtype(manifest["dtype"]).newbyteorder("<")
    if len(argv) == 4 and argv[2] == "--at":
        shard, token = map(int, argv[3].split(":"))
        info = manifest["shards"][shard]
        starts, ids, total = read_docs(f"{folder}/{info['docs_file']}")
        index = int(np.searchsorted(starts, token, side="right")) - 1
        end = int(starts[index + 1]) if index + 1 < len(starts) else total
        tokens = read_tokens(f"{folder}/{info['file']}", dtype, int(starts[index]), end)
        print(json.dumps({"id": ids[index], "shard": shard, "index": index, "start": int(starts[index]),
                          "end": end, "ids": tokens.tolist()}, separators=(",", ":"), ensure_ascii=False))
        return
    for info in manifest["shards"]:
        tokens = read_shard(f"{folder}/{info['file']}", dtype)
        assert len(tokens) == info["tokens"], (info["file"], len(tokens), info["tokens"])
        print(info["file"], len(tokens), info["documents"], tokens[:8].tolist())


if __name__ == "__main__":
    main(sys.argv)
