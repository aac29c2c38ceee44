//! Point → cell at district and province scale: `cargo xtask bench` (or
//! `cargo bench -p gridwork-shared --bench grid`).
//!
//! The grid is a lattice of irregular quadrilaterals with shared borders (each inner corner
//! moved by up to 20% of a cell), 10 vertices per side, like the demo district's.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use gridwork_shared::geometry::{GridIndex, IndexedCell};

fn jitter(a: u64, b: u64) -> f64 {
    let mut x = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    (x % 20_001) as f64 / 10_000.0 - 1.0
}

fn lattice(n: usize) -> GridIndex {
    let step = 0.005;
    let corner = |c: usize, r: usize| -> Coord<f64> {
        let inner = c > 0 && c < n && r > 0 && r < n;
        let (dx, dy) = if inner {
            (
                jitter(c as u64, r as u64) * 0.2,
                jitter(r as u64, c as u64 + 7) * 0.2,
            )
        } else {
            (0.0, 0.0)
        };
        Coord {
            x: 100.0 + (c as f64 + dx) * step,
            y: 30.0 - (r as f64 + dy) * step,
        }
    };
    let edge = |a: (usize, usize), b: (usize, usize)| -> Vec<Coord<f64>> {
        let (pa, pb) = (corner(a.0, a.1), corner(b.0, b.1));
        (0..10)
            .map(|k| {
                let t = k as f64 / 10.0;
                Coord {
                    x: pa.x + (pb.x - pa.x) * t,
                    y: pa.y + (pb.y - pa.y) * t,
                }
            })
            .collect()
    };
    let mut cells = Vec::with_capacity(n * n);
    for r in 0..n {
        for c in 0..n {
            let mut ring = Vec::new();
            for (a, b) in [
                ((c, r), (c, r + 1)),
                ((c, r + 1), (c + 1, r + 1)),
                ((c + 1, r + 1), (c + 1, r)),
                ((c + 1, r), (c, r)),
            ] {
                ring.extend(edge(a, b));
            }
            ring.push(ring[0]);
            let code = format!(
                "500117{:03}{:03}{:03}",
                r % 1000,
                c % 1000,
                (r * n + c) % 999 + 1
            );
            cells.push(IndexedCell::new(
                code.clone(),
                code,
                String::new(),
                MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]),
            ));
        }
    }
    GridIndex::new(cells)
}

fn points(n: usize, count: usize) -> Vec<(f64, f64)> {
    let span = n as f64 * 0.005;
    (0..count as u64)
        .map(|i| {
            (
                100.0 + (jitter(i, 1) + 1.0) / 2.0 * span,
                30.0 - (jitter(i, 2) + 1.0) / 2.0 * span,
            )
        })
        .collect()
}

fn locate(c: &mut Criterion) {
    for (label, n) in [("district_3k_cells", 55), ("province_100k_cells", 317)] {
        let grid = lattice(n);
        let pts = points(n, 4096);
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
    c.bench_function("build_index/district_3k_cells", |b| {
        b.iter(|| black_box(lattice(55)))
    });
}

criterion_group!(benches, locate, build);
criterion_main!(benches);
