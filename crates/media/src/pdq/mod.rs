//! PDQ, Meta's perceptual image hash, implemented from the reference's steps (pdq.md) so that on the same pixels
//! it gives exactly the reference's hash, quality and eight rotation/flip variants.
//!
//! The maths works on `f32` luma buffers and knows nothing of files; [`crate::decode`] turns image files into
//! luma.

mod blur;
mod dct;
mod hash;

pub use hash::{ParsePdqError, PdqHash};

/// Images under this many pixels on either side hash to all zeros with quality 0.
const MIN_SIDE: usize = 5;

/// Quality below this makes a PDQ hash unreliable: it is reported, never matched.
pub const MIN_QUALITY: u8 = 50;

/// A PDQ hash with its quality (0–100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pdq {
    /// The hash.
    pub hash: PdqHash,
    /// How much gradient the image has: under [`MIN_QUALITY`] the hash is not matched.
    pub quality: u8,
}

/// The eight variants of a PDQ hash, in the reference's order (original, rotate 90, rotate 180, rotate 270,
/// flip x, flip y, flip plus-1, flip minus-1), with the image's quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdqDihedral {
    /// The eight hashes in reference order.
    pub hashes: [PdqHash; 8],
    /// The quality of the blurred 64×64 image they were derived from.
    pub quality: u8,
}

/// A luma (brightness) image: `rows` × `cols` `f32` values, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Luma {
    /// The values, `rows * cols` of them.
    pub values: Vec<f32>,
    /// Height in pixels.
    pub rows: usize,
    /// Width in pixels.
    pub cols: usize,
}

impl Luma {
    /// Luma from packed 8-bit RGB: `0.299*R + 0.587*G + 0.114*B` in `f32`, left to right, no fused multiply-add.
    pub fn from_rgb(rgb: &[u8], cols: usize, rows: usize) -> Luma {
        let values = rgb
            .chunks_exact(3)
            .take(rows * cols)
            .map(|p| 0.299f32 * p[0] as f32 + 0.587f32 * p[1] as f32 + 0.114f32 * p[2] as f32)
            .collect();
        Luma { values, rows, cols }
    }

    /// Luma from 8-bit grey values, used as they are.
    pub fn from_grey(grey: &[u8], cols: usize, rows: usize) -> Luma {
        Luma {
            values: grey.iter().take(rows * cols).map(|&v| v as f32).collect(),
            rows,
            cols,
        }
    }

    fn too_small(&self) -> bool {
        self.rows < MIN_SIDE || self.cols < MIN_SIDE
    }
}

/// The plain PDQ hash and quality. A 64×64 image is hashed as it is, without blur (the reference's rule).
pub fn hash(luma: &Luma) -> Pdq {
    if luma.too_small() {
        return Pdq {
            hash: PdqHash::default(),
            quality: 0,
        };
    }
    let buffer = if luma.rows == 64 && luma.cols == 64 {
        let mut b = [0.0f32; 64 * 64];
        b.copy_from_slice(&luma.values);
        b
    } else {
        blur::blur_and_decimate(&luma.values, luma.rows, luma.cols)
    };
    Pdq {
        hash: dct::to_hash(&dct::dct64_to_16(&buffer)),
        quality: quality(&buffer),
    }
}

/// The eight rotation/flip variants. Like the reference, this always blurs and decimates, even at 64×64, so
/// its "original" can differ from [`hash`] by a few bits for a 64×64 image.
pub fn dihedral(luma: &Luma) -> PdqDihedral {
    if luma.too_small() {
        return PdqDihedral {
            hashes: [PdqHash::default(); 8],
            quality: 0,
        };
    }
    let buffer = blur::blur_and_decimate(&luma.values, luma.rows, luma.cols);
    let variants = dct::dihedral(&dct::dct64_to_16(&buffer));
    PdqDihedral {
        hashes: variants.map(|b| dct::to_hash(&b)),
        quality: quality(&buffer),
    }
}

/// Both the plain hash and the variants, sharing the blur where the reference's results coincide.
pub fn hash_and_dihedral(luma: &Luma) -> (Pdq, PdqDihedral) {
    let d = dihedral(luma);
    if luma.rows == 64 && luma.cols == 64 {
        (hash(luma), d)
    } else {
        (
            Pdq {
                hash: d.hashes[0],
                quality: d.quality,
            },
            d,
        )
    }
}

/// The reference's image-domain quality: summed truncated neighbour gradients / 90, capped at 100.
fn quality(b: &[f32; 64 * 64]) -> u8 {
    let step = |u: f32, v: f32| (((u - v) * 100.0) / 255.0) as i32;
    let mut sum: i32 = 0;
    for i in 0..63 {
        for j in 0..64 {
            sum += step(b[i * 64 + j], b[(i + 1) * 64 + j]).abs();
        }
    }
    for i in 0..64 {
        for j in 0..63 {
            sum += step(b[i * 64 + j], b[i * 64 + j + 1]).abs();
        }
    }
    (sum / 90).min(100) as u8
}
