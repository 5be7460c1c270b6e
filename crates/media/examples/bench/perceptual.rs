//! PDQ speed from decoded RGB buffers (512×512 and 1024×768 generated patterns), luma conversion included,
//! one thread. The same buffers are written as raw RGB for the Python peer.

use std::path::Path;
use std::time::Instant;

use media::pdq::{self, Luma};

use crate::Rng;

const SIZES: [(usize, usize); 2] = [(512, 512), (1024, 768)];
const PER_SIZE: usize = 8;

pub fn generate(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng(42);
    for (w, h) in SIZES {
        for i in 0..PER_SIZE {
            let (a, b, c) = (
                rng.next_u64() % 97 + 3,
                rng.next_u64() % 89 + 5,
                rng.next_u64() % 255,
            );
            let mut rgb = Vec::with_capacity(w * h * 3);
            for y in 0..h {
                for x in 0..w {
                    let g = ((x * a as usize / 7 + y * b as usize / 5) % 256) as u8;
                    let disc = (x as i64 - w as i64 / 2).pow(2) + (y as i64 - h as i64 / 3).pow(2)
                        < (w * w / 16) as i64;
                    let noise = (rng.next_u64() & 15) as u8;
                    rgb.extend_from_slice(&[
                        g ^ noise,
                        if disc { c as u8 } else { 255 - g },
                        (x + y) as u8,
                    ]);
                }
            }
            std::fs::write(dir.join(format!("rgb_{w}x{h}_{i}.raw")), rgb).unwrap();
        }
    }
}

pub fn time(dir: &Path, reps: usize) {
    for (w, h) in SIZES {
        let buffers: Vec<Vec<u8>> = (0..PER_SIZE)
            .map(|i| std::fs::read(dir.join(format!("rgb_{w}x{h}_{i}.raw"))).unwrap())
            .collect();
        let start = Instant::now();
        for _ in 0..reps {
            for b in &buffers {
                let luma = Luma::from_rgb(b, w, h);
                std::hint::black_box(pdq::hash(&luma));
            }
        }
        let per_second = (reps * PER_SIZE) as f64 / start.elapsed().as_secs_f64();
        println!("pdq_{w}x{h}_per_second {per_second:.1}");
    }
}
