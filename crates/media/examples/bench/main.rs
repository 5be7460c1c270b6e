//! The Rust side of `bench/media`: generates the inputs the peers also read (a file tree, RGB buffers, PDQ
//! hashes and queries) and times Safeguard on them. Run in release: `cargo run --release -p media --example
//! bench -- <command> ...`. Each command prints `key value` lines that the script turns into ratios.

mod files;
mod hashing;
mod matching;
mod perceptual;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| usage());
    match args.first().map(String::as_str) {
        Some("gen-tree") => files::tree(
            arg(1).as_ref(),
            arg(2).parse().unwrap(),
            arg(3).parse().unwrap(),
        ),
        Some("hash") => hashing::tree(arg(1).as_ref()),
        Some("limit") => hashing::limit(),
        Some("gen-rgb") => perceptual::generate(arg(1).as_ref()),
        Some("pdq") => perceptual::time(arg(1).as_ref(), arg(2).parse().unwrap()),
        Some("gen-hashes") => matching::generate(
            arg(1).as_ref(),
            arg(2).parse().unwrap(),
            arg(3).parse().unwrap(),
        ),
        Some("index") => matching::time(arg(1).as_ref(), arg(2).parse().unwrap()),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: bench gen-tree DIR FILES BYTES | hash DIR | limit | gen-rgb DIR | pdq DIR REPS | \
         gen-hashes DIR N QUERIES | index DIR FLAT_QUERIES"
    );
    std::process::exit(2)
}

/// A small deterministic generator (xorshift*), so the inputs are the same on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Peak resident memory of this process, in bytes (Linux).
pub fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// This thread's time on a CPU so far, in nanoseconds (Linux schedstat; 0 where unavailable).
pub fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
