//! MD5 + SHA-1 throughput over a tree (Safeguard's own walk, one read per file, files in parallel), and the
//! machine's limit: single-core MD5 and SHA-1 speed times the cores.

use std::path::Path;
use std::time::Instant;

use md5::Md5;
use media::record::{self, HashOptions};
use media::walk::{self, EntryKind};
use rayon::prelude::*;
use sha1::{Digest, Sha1};

pub fn tree(dir: &Path) {
    let start = Instant::now();
    let entries = walk::walk(dir);
    let bytes: u64 = entries
        .par_iter()
        .filter(|e| e.kind == EntryKind::File)
        .map(|e| record::hash_file(&e.path, HashOptions::default()).map_or(0, |h| h.digests.size))
        .sum();
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "bytes {bytes}\nseconds {seconds:.3}\nbytes_per_second {:.0}",
        bytes as f64 / seconds
    );
}

pub fn limit() {
    let data = vec![0x5au8; 256 << 20];
    let time = |f: &dyn Fn(&[u8])| {
        let start = Instant::now();
        f(&data);
        data.len() as f64 / start.elapsed().as_secs_f64()
    };
    let md5 = time(&|d| {
        std::hint::black_box(Md5::digest(d));
    });
    let sha1 = time(&|d| {
        std::hint::black_box(Sha1::digest(d));
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let both = 1.0 / (1.0 / md5 + 1.0 / sha1);
    println!(
        "md5_single {md5:.0}\nsha1_single {sha1:.0}\ncores {cores}\nlimit {:.0}",
        both * cores as f64
    );
}
