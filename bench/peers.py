"""The peers of bench/media, on the inputs the Rust side generated: Meta's PDQ (C++, through the `pdqhash`
binding) and faiss's binary indexes. Prints `key value` lines like the Rust side."""

import os
import sys
import time

import numpy as np


def pdq(directory, reps):
    import pdqhash

    for w, h in [(512, 512), (1024, 768)]:
        buffers = [
            np.fromfile(os.path.join(directory, f"rgb_{w}x{h}_{i}.raw"), dtype=np.uint8).reshape(h, w, 3)
            for i in range(8)
        ]
        start = time.perf_counter()
        for _ in range(reps):
            for b in buffers:
                pdqhash.compute(b)
        print(f"pdq_{w}x{h}_per_second {reps * len(buffers) / (time.perf_counter() - start):.1f}")


def index(directory, mih_queries, flat_queries):
    import faiss

    faiss.omp_set_num_threads(1)
    hashes = np.fromfile(os.path.join(directory, "hashes.bin"), dtype=np.uint8).reshape(-1, 32)
    queries = np.fromfile(os.path.join(directory, "queries.bin"), dtype=np.uint8).reshape(-1, 8, 32)
    def multi_hash():
        idx = faiss.IndexBinaryMultiHash(256, 16, 16)
        # One bit flipped per 16-bit slot: what distance 31 needs to find every match (the default, 0, misses).
        idx.nflip = 1
        return idx

    for name, make, count in [
        ("mih", multi_hash, mih_queries),
        ("flat", lambda: faiss.IndexBinaryFlat(256), flat_queries),
    ]:
        idx = make()
        start = time.perf_counter()
        idx.add(hashes)
        build = time.perf_counter() - start
        wall, cpu, found = [], [], 0
        for q in queries[:count]:
            start, start_cpu = time.perf_counter(), time.thread_time()
            # faiss's binary range search returns distances strictly below the radius: 32 means <= 31.
            lims, _, _ = idx.range_search(q, 32)
            found += int(lims[-1])
            cpu.append((time.thread_time() - start_cpu) * 1e3)
            wall.append((time.perf_counter() - start) * 1e3)
        wall.sort()
        cpu.sort()
        print(f"faiss_{name}_build_seconds {build:.2f}")
        print(f"faiss_{name}_found {found} of {count} queries")
        print(f"faiss_{name}_median_ms {wall[len(wall) // 2]:.3f}")
        print(f"faiss_{name}_median_cpu_ms {cpu[len(cpu) // 2]:.3f}")
        del idx


if __name__ == "__main__":
    if sys.argv[1] == "pdq":
        pdq(sys.argv[2], int(sys.argv[3]))
    else:
        index(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
