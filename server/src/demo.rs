//! `gridwork demo`: a demo district (合川区, 500117) with towns, communities, cells with
//! irregular shared borders, and users of every role. Running it again changes nothing.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use gridwork_shared::RegionLevel;
use gridwork_shared::api::{NewRegion, NewUser, Role};
use gridwork_shared::geometry::CellFeature;

use crate::db::{self, DbConn, cells, regions, users};
use crate::error::ApiResult;
use crate::{auth, import};

pub const PASSWORD: &str = "gridwork-demo";

/// (code, name) of the towns and their communities; each community is a block of
/// 3 × 2 cells on the district lattice.
/// (code, name) of a region.
type Named = (&'static str, &'static str);

const TOWNS: &[(&str, &str, &[Named])] = &[
    (
        "500117001",
        "合阳城街道",
        &[("500117001001", "文峰社区"), ("500117001002", "白塔社区")],
    ),
    (
        "500117002",
        "钓鱼城街道",
        &[("500117002001", "学府社区"), ("500117002002", "钓鱼城社区")],
    ),
    (
        "500117003",
        "南津街街道",
        &[("500117003001", "南园社区"), ("500117003002", "东渡社区")],
    ),
    (
        "500117101",
        "太和镇",
        &[("500117101001", "太和社区"), ("500117101201", "三汇村")],
    ),
];

const ORIGIN: (f64, f64) = (106.240, 30.000); // north-west corner of the lattice
const STEP_LON: f64 = 0.0070;
const STEP_LAT: f64 = 0.0060;
const COLS: usize = 12; // 4 communities of 3 columns side by side
const ROWS: usize = 4; // 2 bands of 2 rows

/// A deterministic pseudo-random number in [-1, 1] from integers.
fn jitter(a: i64, b: i64, salt: i64) -> f64 {
    let mut x = (a.wrapping_mul(73_856_093)
        ^ b.wrapping_mul(19_349_663)
        ^ salt.wrapping_mul(83_492_791)) as u64;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x % 20_001) as f64 / 10_000.0 - 1.0
}

/// Lattice corner (col, row); inner corners are moved a little so streets look real.
fn corner(col: usize, row: usize) -> Coord<f64> {
    let (c, r) = (col as i64, row as i64);
    let inner = col > 0 && col < COLS && row > 0 && row < ROWS;
    let (dx, dy) = if inner {
        (jitter(c, r, 1) * 0.18, jitter(c, r, 2) * 0.18)
    } else {
        (0.0, 0.0)
    };
    Coord {
        x: ORIGIN.0 + (col as f64 + dx) * STEP_LON,
        y: ORIGIN.1 - (row as f64 + dy) * STEP_LAT,
    }
}

/// Points along the edge from corner `a` to corner `b` (exclusive of `b`), bent by a
/// deterministic wiggle that depends on the edge only, so both neighbours share it.
/// Outer edges of the lattice stay straight.
fn edge(a: (usize, usize), b: (usize, usize)) -> Vec<Coord<f64>> {
    let (pa, pb) = (corner(a.0, a.1), corner(b.0, b.1));
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let outer = (lo.0 == hi.0 && (lo.0 == 0 || lo.0 == COLS))
        || (lo.1 == hi.1 && (lo.1 == 0 || lo.1 == ROWS));
    let mut pts = vec![pa];
    for k in 1..=4 {
        // Parameter along the edge measured from `lo`, so both directions agree.
        let t_lo = k as f64 / 5.0;
        let t = if a <= b { t_lo } else { 1.0 - t_lo };
        let (ox, oy) = if outer {
            (0.0, 0.0)
        } else {
            let w = jitter(
                (lo.0 * 100 + lo.1) as i64,
                (hi.0 * 100 + hi.1) as i64,
                k as i64,
            ) * 0.06;
            // Perpendicular to the edge direction, in lattice units.
            if lo.0 == hi.0 {
                (w * STEP_LON, 0.0)
            } else {
                (0.0, w * STEP_LAT)
            }
        };
        pts.push(Coord {
            x: pa.x + (pb.x - pa.x) * t + ox,
            y: pa.y + (pb.y - pa.y) * t + oy,
        });
    }
    // Points were generated from `a`'s side; for the reverse direction reorder them.
    if a > b {
        let mut inner: Vec<Coord<f64>> = pts.drain(1..).collect();
        inner.sort_by(|p, q| {
            let dp = (p.x - pa.x).powi(2) + (p.y - pa.y).powi(2);
            let dq = (q.x - pa.x).powi(2) + (q.y - pa.y).powi(2);
            dp.total_cmp(&dq)
        });
        pts.extend(inner);
    }
    pts
}

fn cell_shape(col: usize, row: usize) -> MultiPolygon<f64> {
    // Counter-clockwise: NW → SW → SE → NE.
    let nw = (col, row);
    let sw = (col, row + 1);
    let se = (col + 1, row + 1);
    let ne = (col + 1, row);
    let mut ring = Vec::new();
    for (a, b) in [(nw, sw), (sw, se), (se, ne), (ne, nw)] {
        ring.extend(edge(a, b));
    }
    ring.push(ring[0]);
    MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])])
}

/// The demo's regions and cells as import features.
pub fn demo_cells() -> Vec<CellFeature> {
    let mut out = Vec::new();
    let communities: Vec<(&str, &str)> = TOWNS.iter().flat_map(|t| t.2.iter().copied()).collect();
    for (i, (code, name)) in communities.iter().enumerate() {
        let band = i / 4; // 0: north band, 1: south band
        let slot = i % 4;
        let mut serial = 0;
        for r in 0..2 {
            for c in 0..3 {
                serial += 1;
                out.push(CellFeature {
                    code: format!("{code}{serial:03}"),
                    name: format!("{name}第{serial}网格"),
                    community_code: code.to_string(),
                    valid_from: None,
                    shape: cell_shape(slot * 3 + c, band * 2 + r),
                });
            }
        }
    }
    out
}

/// (username, role, region, display name, cells it works).
fn demo_users() -> Vec<(String, Role, String, String, Vec<String>)> {
    let mut v = vec![
        (
            "admin".into(),
            Role::Admin,
            String::new(),
            "系统管理员".into(),
            vec![],
        ),
        (
            "district".into(),
            Role::Supervisor,
            "500117".into(),
            "区综治中心 刘主任".into(),
            vec![],
        ),
    ];
    for (i, (town, name, comms)) in TOWNS.iter().enumerate() {
        v.push((
            format!("town{}", i + 1),
            Role::Supervisor,
            town.to_string(),
            format!("{name}综治中心"),
            vec![],
        ));
        for (j, (comm, cname)) in comms.iter().enumerate() {
            let n = i * 2 + j + 1;
            let cells_a = (1..=3).map(|s| format!("{comm}{s:03}")).collect();
            let cells_b = (4..=6).map(|s| format!("{comm}{s:03}")).collect();
            v.push((
                format!("worker{}", 2 * n - 1),
                Role::Worker,
                comm.to_string(),
                format!("{cname}网格员甲"),
                cells_a,
            ));
            v.push((
                format!("worker{}", 2 * n),
                Role::Worker,
                comm.to_string(),
                format!("{cname}网格员乙"),
                cells_b,
            ));
        }
    }
    v.push((
        "volunteer1".into(),
        Role::Volunteer,
        "500117001001".into(),
        "平安大嫂 王姐".into(),
        vec![],
    ));
    v.push((
        "volunteer2".into(),
        Role::Volunteer,
        "500117101201".into(),
        "乡亲帮帮队 老李".into(),
        vec![],
    ));
    v
}

/// Seeds everything; returns the logins (username, role, region).
pub fn seed(c: &mut DbConn) -> ApiResult<Vec<(String, String, String)>> {
    let district = NewRegion {
        code: "500117".into(),
        name: "合川区".into(),
        level: RegionLevel::District,
        parent_code: None,
    };
    let mut all = vec![district];
    for (town, name, comms) in TOWNS {
        all.push(NewRegion {
            code: town.to_string(),
            name: name.to_string(),
            level: RegionLevel::Town,
            parent_code: Some("500117".into()),
        });
        for (comm, cname) in comms.iter() {
            all.push(NewRegion {
                code: comm.to_string(),
                name: cname.to_string(),
                level: RegionLevel::Community,
                parent_code: Some(town.to_string()),
            });
        }
    }
    for r in &all {
        if regions::find(c, &r.code)?.is_none() {
            crate::routes::regions::create_region(c, r, &r.code, None)?;
        }
    }
    let parsed = import::Parsed {
        features: demo_cells().into_iter().enumerate().collect(),
        errors: Default::default(),
    };
    import::apply(
        c,
        parsed,
        import::Actor { id: None, ip: None },
        &|_, _, _| {},
    )?;

    let hash = auth::password::hash(PASSWORD)?;
    let mut logins = Vec::new();
    for (username, role, region, display, worked) in demo_users() {
        let id = match users::find_by_username(c, &username)? {
            Some(u) => u.id,
            None => {
                let new = NewUser {
                    username: username.clone(),
                    password: PASSWORD.into(),
                    role,
                    region_code: region.clone(),
                    display_name: Some(display),
                };
                crate::routes::users::create_user(c, &new, hash.clone(), None)?.id
            }
        };
        for code in &worked {
            db::write_tx(c, |c| -> ApiResult<()> {
                let mut ids = cells::workers_of(c, code)?;
                if !ids.contains(&id) {
                    ids.push(id.clone());
                    cells::set_workers(c, code, &ids, db::now())?;
                }
                Ok(())
            })?;
        }
        logins.push((
            username,
            role.as_str().to_string(),
            if region.is_empty() {
                "(all)".into()
            } else {
                region
            },
        ));
    }
    Ok(logins)
}

#[cfg(test)]
mod tests {
    use geo::{Contains, Intersects, Point, Validation};
    use gridwork_shared::geometry::{GridIndex, IndexedCell, interiors_overlap};
    use proptest::prelude::*;

    use super::{COLS, ORIGIN, ROWS, STEP_LAT, STEP_LON};

    fn index() -> GridIndex {
        GridIndex::new(
            super::demo_cells()
                .into_iter()
                .map(|c| IndexedCell::new(c.code, c.name, c.community_code, c.shape))
                .collect(),
        )
    }

    fn east() -> f64 {
        ORIGIN.0 + COLS as f64 * STEP_LON
    }

    fn south() -> f64 {
        ORIGIN.1 - ROWS as f64 * STEP_LAT
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Every point of the grid's area resolves to exactly one cell: one that holds it,
        /// and on a shared border the lowest code of those that touch it.
        #[test]
        fn points_inside_resolve_to_exactly_one_cell(fx in 0.0001f64..0.9999, fy in 0.0001f64..0.9999) {
            let idx = index();
            let (lon, lat) = (ORIGIN.0 + fx * (east() - ORIGIN.0), south() + fy * (ORIGIN.1 - south()));
            let p = Point::new(lon, lat);
            let found = idx.locate(lon, lat);
            prop_assert!(found.is_some(), "({lon}, {lat}) resolved to no cell");
            let found = found.unwrap();
            prop_assert!(found.shape.intersects(&p));
            let holders: Vec<&str> = idx.iter().filter(|c| c.shape.intersects(&p)).map(|c| c.code.as_str()).collect();
            prop_assert_eq!(holders.iter().min().copied(), Some(found.code.as_str()));
            let interiors = idx.iter().filter(|c| c.shape.contains(&p)).count();
            prop_assert!(interiors <= 1);
        }

        /// Points off the grid resolve to none.
        #[test]
        fn points_outside_resolve_to_none(lon in 100.0f64..112.0, lat in 25.0f64..35.0) {
            let idx = index();
            let inside = lon >= ORIGIN.0 && lon <= east() && lat >= south() && lat <= ORIGIN.1;
            prop_assume!(!inside);
            prop_assert!(idx.locate(lon, lat).is_none());
        }

        /// A point on a lattice edge is claimed by the lowest code among its cells.
        #[test]
        fn border_points_go_to_the_lowest_code(cell in 0usize..48, t in 0.0f64..1.0) {
            let idx = index();
            let cells = super::demo_cells();
            let ring = &cells[cell].shape.0[0].exterior().0;
            let n = ring.len() - 1;
            let k = ((t * n as f64) as usize).min(n - 1);
            let (a, b) = (ring[k], ring[k + 1]);
            let (lon, lat) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
            let found = idx.locate(lon, lat).expect("a border point is in the grid");
            let p = Point::new(lon, lat);
            let lowest = idx.iter().filter(|c| c.shape.intersects(&p)).map(|c| c.code.clone()).min().unwrap();
            prop_assert_eq!(&found.code, &lowest);
        }
    }

    #[test]
    fn demo_cells_are_valid_and_disjoint() {
        let cells = super::demo_cells();
        assert_eq!(cells.len(), 48);
        for c in &cells {
            assert!(
                c.shape.is_valid(),
                "{} invalid: {:?}",
                c.code,
                c.shape.validation_errors()
            );
        }
        for (i, a) in cells.iter().enumerate() {
            for b in &cells[i + 1..] {
                assert!(
                    !interiors_overlap(&a.shape, &b.shape),
                    "{} overlaps {}",
                    a.code,
                    b.code
                );
            }
        }
    }
}
