//! The 64 → 16 DCT, the eight rotation/flip variants of its output, Torben's median and the thresholding to
//! bits, each with the reference's float arithmetic and summation order (pdq.md, steps 6 and 7).

use std::sync::OnceLock;

use super::PdqHash;

/// The 16×64 DCT matrix, without its DC row.
fn matrix() -> &'static [f32; 16 * 64] {
    static MATRIX: OnceLock<[f32; 16 * 64]> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let scale = (2.0f64 / 64.0).sqrt() as f32 as f64;
        let pi = std::f64::consts::PI;
        std::array::from_fn(|n| {
            let (i, j) = ((n / 64) as f64, (n % 64) as f64);
            (scale * ((pi / 2.0 / 64.0) * (i + 1.0) * (2.0 * j + 1.0)).cos()) as f32
        })
    })
}

/// `B = D · A · Dᵀ` for the 64×64 buffer `a`: 16×16 values, row-major.
pub(crate) fn dct64_to_16(a: &[f32; 64 * 64]) -> [f32; 256] {
    let d = matrix();
    // T = D · A, computed a row of T at a time so that the inner loop runs over contiguous j; every T[i][j]
    // still sums k in ascending order from 0.0.
    let mut t = [0.0f32; 16 * 64];
    for i in 0..16 {
        let row = &mut t[i * 64..(i + 1) * 64];
        for k in 0..64 {
            let dik = d[i * 64 + k];
            let a_row = &a[k * 64..(k + 1) * 64];
            for (tj, &akj) in row.iter_mut().zip(a_row) {
                *tj += dik * akj;
            }
        }
    }
    let mut b = [0.0f32; 256];
    for i in 0..16 {
        for j in 0..16 {
            let mut sum = 0.0f32;
            for k in 0..64 {
                sum += t[i * 64 + k] * d[j * 64 + k];
            }
            b[i * 16 + j] = sum;
        }
    }
    b
}

/// The eight variants of a 16×16 DCT output in reference order: original, rotate 90, rotate 180, rotate 270,
/// flip x, flip y, flip plus-1, flip minus-1 (the sign and transposition rules of pdq.md).
pub(crate) fn dihedral(a: &[f32; 256]) -> [[f32; 256]; 8] {
    let mut out = [[0.0f32; 256]; 8];
    for i in 0..16 {
        for j in 0..16 {
            let v = a[i * 16 + j];
            let (same, swapped) = (i * 16 + j, j * 16 + i);
            let odd = |x: usize| x % 2 == 1;
            let sign = |keep: bool| if keep { v } else { -v };
            out[0][same] = v;
            out[1][swapped] = sign(odd(j));
            out[2][same] = sign(!odd(i + j));
            out[3][swapped] = sign(odd(i));
            out[4][same] = sign(odd(i));
            out[5][same] = sign(odd(j));
            out[6][swapped] = v;
            out[7][swapped] = sign(!odd(i + j));
        }
    }
    out
}

/// Torben's selection median, as in the reference (for 256 values, the 128th smallest by its definition).
fn torben(m: &[f32]) -> f32 {
    let n = m.len();
    let half = n.div_ceil(2);
    let (mut min, mut max) = (m[0], m[0]);
    for &v in &m[1..] {
        if v < min {
            min = v;
        }
        if v > max {
            max = v;
        }
    }
    loop {
        let guess = (min + max) / 2.0;
        let (mut less, mut greater, mut equal) = (0, 0, 0);
        let (mut max_lt, mut min_gt) = (min, max);
        for &v in m {
            if v < guess {
                less += 1;
                if v > max_lt {
                    max_lt = v;
                }
            } else if v > guess {
                greater += 1;
                if v < min_gt {
                    min_gt = v;
                }
            } else {
                equal += 1;
            }
        }
        if less <= half && greater <= half {
            return if less >= half {
                max_lt
            } else if less + equal >= half {
                guess
            } else {
                min_gt
            };
        } else if less > greater {
            max = max_lt;
        } else {
            min = min_gt;
        }
    }
}

/// Thresholds a 16×16 DCT output at its median: bit `16*i + j` is set where `B[i][j]` is above it.
pub(crate) fn to_hash(b: &[f32; 256]) -> PdqHash {
    let median = torben(b);
    let mut hash = PdqHash::default();
    for (k, &v) in b.iter().enumerate() {
        if v > median {
            hash.set_bit(k);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torben_returns_the_lower_middle_of_an_even_count() {
        let values: Vec<f32> = (0..256).rev().map(|v| v as f32).collect();
        assert_eq!(torben(&values), 127.0);
    }

    #[test]
    fn rotating_four_times_by_ninety_degrees_is_the_identity() {
        let a: [f32; 256] = std::array::from_fn(|n| n as f32 + 1.0);
        let mut b = a;
        for _ in 0..4 {
            b = dihedral(&b)[1];
        }
        assert_eq!(a, b);
    }
}
