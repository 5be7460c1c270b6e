//! The Jarosz (tent) blur and the decimation to 64×64, exactly as the reference computes them.
//!
//! Each pass is a 1-D box filter with a running `f32` sum in four phases (pdq.md, step 3). The order of the
//! additions and subtractions of every output is the reference's; only independent outputs are computed side by
//! side (the column pass runs over whole rows at once), which keeps the result bit for bit identical. The second
//! column pass only computes the 64 columns that decimation samples.

/// The reference's window size for shrinking `old` pixels towards `new`.
pub(crate) fn window_size(old: usize, new: usize) -> usize {
    old.div_ceil(2 * new)
}

/// The four phase lengths of a box filter of `window` over `length` values.
fn phases(length: usize, window: usize) -> [usize; 4] {
    let half = (window + 2) / 2;
    [half - 1, window - half + 1, length - window, half - 1]
}

/// One box filter along a line (a row), reading `input` and writing `out`.
fn box_line(input: &[f32], out: &mut [f32], window: usize) {
    let [p1, p2, p3, p4] = phases(input.len(), window);
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut sum = 0.0f32;
    let mut count = 0i32;
    for _ in 0..p1 {
        sum += input[ri];
        count += 1;
        ri += 1;
    }
    for _ in 0..p2 {
        sum += input[ri];
        count += 1;
        out[oi] = sum / count as f32;
        ri += 1;
        oi += 1;
    }
    for _ in 0..p3 {
        sum += input[ri];
        sum -= input[li];
        out[oi] = sum / count as f32;
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..p4 {
        sum -= input[li];
        count -= 1;
        out[oi] = sum / count as f32;
        li += 1;
        oi += 1;
    }
}

/// The box filter along every row. Rows are filtered eight at a time, side by side, so that the eight
/// independent running sums hide each other's addition latency; each row's arithmetic is unchanged.
fn box_rows(input: &[f32], out: &mut [f32], cols: usize, window: usize) {
    let mut ins = input.chunks_exact(8 * cols);
    let mut outs = out.chunks_exact_mut(8 * cols);
    for (i, o) in (&mut ins).zip(&mut outs) {
        box_rows8(i, o, cols, window);
    }
    for (row_in, row_out) in ins
        .remainder()
        .chunks_exact(cols)
        .zip(outs.into_remainder().chunks_exact_mut(cols))
    {
        box_line(row_in, row_out, window);
    }
}

/// [`box_line`] over eight rows at once.
fn box_rows8(input: &[f32], out: &mut [f32], cols: usize, window: usize) {
    let [p1, p2, p3, p4] = phases(cols, window);
    let rows: [&[f32]; 8] = std::array::from_fn(|k| &input[k * cols..(k + 1) * cols]);
    let mut sum = [0.0f32; 8];
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut count = 0i32;
    let mut emit = |sum: &[f32; 8], oi: usize, count: i32| {
        let c = count as f32;
        for (k, s) in sum.iter().enumerate() {
            out[k * cols + oi] = s / c;
        }
    };
    for _ in 0..p1 {
        for k in 0..8 {
            sum[k] += rows[k][ri];
        }
        count += 1;
        ri += 1;
    }
    for _ in 0..p2 {
        for k in 0..8 {
            sum[k] += rows[k][ri];
        }
        count += 1;
        emit(&sum, oi, count);
        ri += 1;
        oi += 1;
    }
    for _ in 0..p3 {
        for k in 0..8 {
            sum[k] += rows[k][ri];
            sum[k] -= rows[k][li];
        }
        emit(&sum, oi, count);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..p4 {
        for k in 0..8 {
            sum[k] -= rows[k][li];
        }
        count -= 1;
        emit(&sum, oi, count);
        li += 1;
        oi += 1;
    }
}

/// The box filter down the columns listed in `picked` (all of them for a full pass): `out` has
/// `picked.len()` values per row. The running sums of all picked columns advance one row at a time.
fn box_cols(
    input: &[f32],
    out: &mut [f32],
    rows: usize,
    cols: usize,
    picked: &[usize],
    window: usize,
) {
    let width = picked.len();
    let [p1, p2, p3, p4] = phases(rows, window);
    let mut sums = vec![0.0f32; width];
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut count = 0i32;
    let row = |r: usize| &input[r * cols..(r + 1) * cols];
    let gather = |r: &[f32], s: &mut [f32], sub: bool| {
        if width == cols {
            for (s, v) in s.iter_mut().zip(r) {
                if sub { *s -= v } else { *s += v }
            }
        } else {
            for (s, &c) in s.iter_mut().zip(picked) {
                if sub { *s -= r[c] } else { *s += r[c] }
            }
        }
    };
    let emit = |sums: &[f32], out: &mut [f32], oi: usize, count: i32| {
        let c = count as f32;
        for (o, s) in out[oi * width..(oi + 1) * width].iter_mut().zip(sums) {
            *o = s / c;
        }
    };
    for _ in 0..p1 {
        gather(row(ri), &mut sums, false);
        count += 1;
        ri += 1;
    }
    for _ in 0..p2 {
        gather(row(ri), &mut sums, false);
        count += 1;
        emit(&sums, out, oi, count);
        ri += 1;
        oi += 1;
    }
    for _ in 0..p3 {
        gather(row(ri), &mut sums, false);
        gather(row(li), &mut sums, true);
        emit(&sums, out, oi, count);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..p4 {
        gather(row(li), &mut sums, true);
        count -= 1;
        emit(&sums, out, oi, count);
        li += 1;
        oi += 1;
    }
}

/// The decimation sample indices: output `o` of 64 reads input `(int)(((o + 0.5) * n) / 64)`.
fn sample_indices(n: usize) -> [usize; 64] {
    std::array::from_fn(|o| (((o as f64 + 0.5) * n as f64) / 64.0) as usize)
}

thread_local! {
    /// Two full-size scratch buffers per thread, reused from image to image.
    static SCRATCH: std::cell::RefCell<(Vec<f32>, Vec<f32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Blurs `luma` (`rows` × `cols`, row-major) with two Jarosz passes and decimates it to 64×64.
pub(crate) fn blur_and_decimate(luma: &[f32], rows: usize, cols: usize) -> [f32; 64 * 64] {
    SCRATCH.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (a, b) = &mut *guard;
        a.resize(rows * cols, 0.0);
        b.resize(rows * cols, 0.0);
        blur_with(luma, a, b, rows, cols)
    })
}

fn blur_with(
    luma: &[f32],
    a: &mut [f32],
    b: &mut [f32],
    rows: usize,
    cols: usize,
) -> [f32; 64 * 64] {
    let along_rows = window_size(cols, 64);
    let along_cols = window_size(rows, 64);
    let all: Vec<usize> = (0..cols).collect();
    let picked_cols = sample_indices(cols);
    let picked_rows = sample_indices(rows);
    box_rows(luma, a, cols, along_rows);
    box_cols(a, b, rows, cols, &all, along_cols);
    box_rows(b, a, cols, along_rows);
    let mut narrow = vec![0.0f32; rows * 64];
    box_cols(a, &mut narrow, rows, cols, &picked_cols, along_cols);
    let mut out = [0.0f32; 64 * 64];
    for (o, &r) in picked_rows.iter().enumerate() {
        out[o * 64..(o + 1) * 64].copy_from_slice(&narrow[r * 64..(r + 1) * 64]);
    }
    out
}
