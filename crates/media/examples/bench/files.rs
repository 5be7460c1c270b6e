//! The generated file tree: `FILES` files of random bytes totalling about `BYTES`, from 4 KiB to 20 MiB, mostly
//! small (97% between 4 and 256 KiB), in 100 folders.

use std::io::Write;
use std::path::Path;

use crate::Rng;

pub fn tree(dir: &Path, files: usize, total: u64) {
    let mut rng = Rng(0x5eed);
    let log_uniform = |rng: &mut Rng, lo: f64, hi: f64| {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (lo.ln() + u * (hi.ln() - lo.ln())).exp()
    };
    let small = files * 97 / 100;
    let mut sizes: Vec<f64> = (0..files)
        .map(|i| {
            if i < small {
                log_uniform(&mut rng, 4096.0, 262144.0)
            } else {
                log_uniform(&mut rng, (1 << 20) as f64, 20.0 * (1 << 20) as f64)
            }
        })
        .collect();
    // Scale the large files so that the total comes out at `total`, keeping them within 20 MiB.
    for _ in 0..20 {
        let small_sum: f64 = sizes[..small].iter().sum();
        let large_sum: f64 = sizes[small..].iter().sum();
        let factor = (total as f64 - small_sum) / large_sum;
        for s in &mut sizes[small..] {
            *s = (*s * factor).clamp((1 << 20) as f64, 20.0 * (1 << 20) as f64);
        }
    }
    let mut buffer = vec![0u8; 20 << 20];
    for chunk in buffer.chunks_exact_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    let mut written = 0u64;
    for (i, size) in sizes.iter().enumerate() {
        let sub = dir.join(format!("d{:02}", i % 100));
        std::fs::create_dir_all(&sub).unwrap();
        let size = *size as usize;
        // A different window of the random buffer per file, so files differ.
        let start = (rng.next_u64() as usize) % (buffer.len() - size + 1);
        let mut f = std::fs::File::create(sub.join(format!("f{i:05}.bin"))).unwrap();
        f.write_all(&buffer[start..start + size]).unwrap();
        f.write_all(&(i as u64).to_le_bytes()).unwrap();
        written += size as u64 + 8;
    }
    println!("files {files}\nbytes {written}");
}
