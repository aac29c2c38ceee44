//! Point → cell in process at district and province scale: `cargo xtask bench` (or
//! `cargo bench -p gridwork-server --bench locate`).
//!
//! The cells are those `gridwork synth` writes (same generator, same seed): irregular cells
//! of 20–60 vertices with shared borders; `cargo xtask bench` runs PostGIS `ST_Contains` on
//! the very same cells for comparison. Points are spread uniformly over the grid.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gridwork_server::tools::synth;

fn points(side: usize, count: u64) -> Vec<(f64, f64)> {
    let span = side as f64 * 0.005;
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|_| (106.0 + next() * span, 30.4 - next() * span))
        .collect()
}

fn locate(c: &mut Criterion) {
    for (label, side) in [("district_3k_cells", 55), ("province_100k_cells", 317)] {
        let grid = synth::index(&synth::lattice(side, 1));
        let pts = points(side, 4096);
        let mut i = 0;
        c.bench_function(&format!("locate/{label}"), |b| {
            b.iter(|| {
                let (x, y) = pts[i % pts.len()];
                i += 1;
                black_box(grid.locate(black_box(x), black_box(y)))
            })
        });
    }
}

fn build(c: &mut Criterion) {
    let cells = synth::lattice(55, 1);
    c.bench_function("build_index/district_3k_cells", |b| {
        b.iter(|| black_box(synth::index(&cells)))
    });
}

criterion_group!(benches, locate, build);
criterion_main!(benches);
