//! The near-match index at scale: N random PDQ hashes, and queries of 8 variants each (one variant within
//! about 10–30 bits of a stored hash, the other 7 random), all written as raw 32-byte rows for faiss too.
//! Times the build, the median 8-variant query at distance 31 on one thread, and the peak memory.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use media::index::PdqIndex;
use media::pdq::PdqHash;

use crate::Rng;

pub fn generate(dir: &Path, n: usize, queries: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng(7);
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("hashes.bin")).unwrap());
    let mut keep = Vec::with_capacity(queries);
    for i in 0..n {
        let h = PdqHash([
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
        ]);
        if i % (n / queries).max(1) == 0 && keep.len() < queries {
            keep.push(h);
        }
        out.write_all(&h.to_bytes()).unwrap();
    }
    out.flush().unwrap();
    let mut q = std::io::BufWriter::new(std::fs::File::create(dir.join("queries.bin")).unwrap());
    for base in keep {
        let near_slot = (rng.next_u64() % 8) as usize;
        for v in 0..8 {
            let mut h = if v == near_slot {
                base
            } else {
                PdqHash([
                    rng.next_u64(),
                    rng.next_u64(),
                    rng.next_u64(),
                    rng.next_u64(),
                ])
            };
            if v == near_slot {
                for _ in 0..(10 + rng.next_u64() % 20) {
                    let k = (rng.next_u64() % 256) as usize;
                    h.0[k >> 6] ^= 1 << (k & 63);
                }
            }
            q.write_all(&h.to_bytes()).unwrap();
        }
    }
    q.flush().unwrap();
}

fn read(path: &Path) -> Vec<PdqHash> {
    let bytes = std::fs::read(path).unwrap();
    bytes
        .chunks_exact(32)
        .map(|c| PdqHash::from_bytes(c.try_into().unwrap()))
        .collect()
}

/// The median wall-clock and on-CPU milliseconds of the 8-variant queries, and the number of hashes found.
/// On-CPU time (this thread's run time from /proc) is what stays comparable on a busy machine.
fn median_ms(index: &PdqIndex, queries: &[PdqHash], count: usize) -> (f64, f64, usize) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut found = 0;
    let mut out = Vec::new();
    for q in queries.chunks_exact(8).take(count) {
        out.clear();
        let (start, start_cpu) = (Instant::now(), crate::thread_cpu_ns());
        index.search(q, 31, &mut out);
        cpu.push((crate::thread_cpu_ns() - start_cpu) as f64 / 1e6);
        wall.push(start.elapsed().as_secs_f64() * 1e3);
        found += out.len();
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let mid = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
    (mid(&wall), mid(&cpu), found)
}

pub fn time(dir: &Path, flat_queries: usize) {
    let hashes = read(&dir.join("hashes.bin"));
    let queries = read(&dir.join("queries.bin"));
    let n = hashes.len();
    let base_rss = crate::peak_rss();
    let start = Instant::now();
    // One thread for the queries, as the target says; the build may use the cores (it is timed as a whole).
    let index = PdqIndex::build(hashes);
    let build = start.elapsed().as_secs_f64();
    let rss = crate::peak_rss();
    let (wall, cpu, found) = median_ms(&index, &queries, usize::MAX);
    println!(
        "hashes {n}\nbuild_seconds {build:.2}\npeak_rss_bytes {rss}\nrss_before_build {base_rss}"
    );
    println!("mih_median_ms {wall:.3}\nmih_median_cpu_ms {cpu:.3}\nmih_found {found}");
    if flat_queries > 0 {
        let flat = PdqIndex::flat(index.hashes().to_vec());
        drop(index);
        let (wall, cpu, _) = median_ms(&flat, &queries, flat_queries);
        println!("flat_median_ms {wall:.3}\nflat_median_cpu_ms {cpu:.3}");
    }
}
