//! The generated grids of the demo district and of the benchmark data: a lattice of
//! cells whose inner corners are moved and whose inner edges bend, so cells look like
//! real blocks and share their borders exactly (both neighbours of an edge get the same
//! points, computed in one canonical direction). Outer edges stay straight.

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// A lattice of `cols × rows` cells, `step` degrees apart, whose north-west corner is
/// `origin`; `seed` picks the bends.
#[derive(Debug, Clone, Copy)]
pub struct Lattice {
    pub origin: (f64, f64),
    pub step: (f64, f64),
    pub cols: usize,
    pub rows: usize,
    pub seed: u64,
}

/// Deterministic hash noise in [-1, 1] (same inputs, same value), for shared geometry.
pub fn noise(a: u64, b: u64, salt: u64) -> f64 {
    let mut x = a.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ salt.wrapping_mul(0x1656_67B1_9E37_79F9);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    (x % 20_001) as f64 / 10_000.0 - 1.0
}

impl Lattice {
    /// The lattice point (col, row) unmoved: where a cell's corner would be.
    pub fn point(&self, col: f64, row: f64) -> (f64, f64) {
        (
            self.origin.0 + col * self.step.0,
            self.origin.1 - row * self.step.1,
        )
    }

    /// The corner (c, r), moved by up to 20% of a cell unless on the outer border.
    fn corner(&self, c: usize, r: usize) -> Coord<f64> {
        let inner = c > 0 && c < self.cols && r > 0 && r < self.rows;
        let (dx, dy) = if inner {
            (
                noise(c as u64, r as u64, self.seed) * 0.2,
                noise(r as u64, c as u64, self.seed + 1) * 0.2,
            )
        } else {
            (0.0, 0.0)
        };
        let (x, y) = self.point(c as f64 + dx, r as f64 + dy);
        Coord { x, y }
    }

    /// The vertices of the edge a → b, without b.
    fn edge(&self, a: (usize, usize), b: (usize, usize)) -> Vec<Coord<f64>> {
        let seed = self.seed;
        let (p, q, reversed) = if a <= b { (a, b, false) } else { (b, a, true) };
        let key = (p.0 * (self.cols.max(self.rows) + 1) + p.1) as u64 * 4 + u64::from(q.0 != p.0);
        let segments = 5 + ((noise(key, 3, seed) + 1.0) * 5.0).round() as usize; // 5..=15
        let (pa, pb) = (self.corner(p.0, p.1), self.corner(q.0, q.1));
        let on_border = (p.0 == q.0 && (p.0 == 0 || p.0 == self.cols))
            || (p.1 == q.1 && (p.1 == 0 || p.1 == self.rows));
        let (nx, ny) = (-(pb.y - pa.y), pb.x - pa.x); // perpendicular, |n| = |pb - pa|
        let amplitude = noise(key, 5, seed) * 0.08;
        let waves = std::f64::consts::PI * (1.0 + (noise(key, 6, seed) + 1.0).round());
        let phase = noise(key, 7, seed) * std::f64::consts::PI;
        let mut pts: Vec<Coord<f64>> = (0..=segments)
            .map(|k| {
                let t = k as f64 / segments as f64;
                // A smooth bend across the edge, zero at both corners: a graph over the
                // straight edge, so it never crosses itself or its neighbours.
                let w = if on_border {
                    0.0
                } else {
                    amplitude * (std::f64::consts::PI * t).sin() * (waves * t + phase).sin()
                };
                Coord {
                    x: pa.x + (pb.x - pa.x) * t + nx * w,
                    y: pa.y + (pb.y - pa.y) * t + ny * w,
                }
            })
            .collect();
        if reversed {
            pts.reverse();
        }
        pts.pop();
        pts
    }

    /// The shape of the cell at (col, row), counter-clockwise from its north-west corner.
    pub fn cell(&self, col: usize, row: usize) -> MultiPolygon<f64> {
        let mut ring = Vec::with_capacity(64);
        for (a, b) in [
            ((col, row), (col, row + 1)),
            ((col, row + 1), (col + 1, row + 1)),
            ((col + 1, row + 1), (col + 1, row)),
            ((col + 1, row), (col, row)),
        ] {
            ring.extend(self.edge(a, b));
        }
        ring.push(ring[0]);
        MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])])
    }
}

#[cfg(test)]
mod tests {
    use geo::{Area, BooleanOps};

    use super::*;

    #[test]
    fn neighbours_share_borders_and_do_not_overlap() {
        let l = Lattice {
            origin: (106.0, 30.0),
            step: (0.007, 0.006),
            cols: 4,
            rows: 3,
            seed: 7,
        };
        let cells: Vec<_> = (0..3)
            .flat_map(|r| (0..4).map(move |c| (c, r)))
            .map(|(c, r)| l.cell(c, r))
            .collect();
        let total: f64 = cells.iter().map(|s| s.unsigned_area()).sum();
        let whole = 4.0 * 0.007 * 3.0 * 0.006;
        assert!((total - whole).abs() < whole * 1e-9, "{total} vs {whole}");
        for (i, a) in cells.iter().enumerate() {
            for b in &cells[i + 1..] {
                assert!(a.intersection(b).unsigned_area() < whole * 1e-9);
            }
        }
    }
}
