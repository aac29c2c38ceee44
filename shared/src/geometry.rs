//! Geometry rules of the grid: what a valid cell is, when two cells overlap, and which
//! cell a point belongs to. Plain functions over `geo` types, no I/O.
//!
//! **Border rule.** A point on a border shared by several cells (or on a vertex where
//! several meet) belongs to the cell with the lowest code. A point strictly inside a cell
//! belongs to that cell. A point in no cell's closure is outside the grid.

use chrono::{DateTime, NaiveDate, Utc};
use geo::{
    BoundingRect, Coord, Intersects, LineString, MultiPolygon, Point, Polygon, Relate, Validation,
};
use rstar::{AABB, RTree, RTreeObject};
use serde_json::Value;

use crate::codes::cell_community;
use crate::validate::FieldErrors;

/// A longitude/latitude pair in WGS84.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lon: f64,
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
}

impl Location {
    pub fn validate(&self, errors: &mut FieldErrors, field: &str) {
        if !self.lon.is_finite() || !(-180.0..=180.0).contains(&self.lon) {
            errors.push(
                format!("{field}.lon"),
                "must be a longitude between -180 and 180",
            );
        }
        if !self.lat.is_finite() || !(-90.0..=90.0).contains(&self.lat) {
            errors.push(
                format!("{field}.lat"),
                "must be a latitude between -90 and 90",
            );
        }
    }
}

/// A cell feature from an import file, validated on its own (not yet against the grid).
#[derive(Debug, Clone, PartialEq)]
pub struct CellFeature {
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub valid_from: Option<DateTime<Utc>>,
    pub shape: MultiPolygon<f64>,
}

fn parse_position(v: &Value, field: &str, errors: &mut FieldErrors) -> Option<Coord<f64>> {
    let arr = match v.as_array() {
        Some(a) if a.len() >= 2 && a.len() <= 3 => a,
        _ => {
            errors.push(field, "must be a position [lon, lat]");
            return None;
        }
    };
    let (Some(lon), Some(lat)) = (arr[0].as_f64(), arr[1].as_f64()) else {
        errors.push(field, "coordinates must be numbers");
        return None;
    };
    let mut ok = true;
    if !(-180.0..=180.0).contains(&lon) {
        errors.push(
            field,
            format!("longitude {lon} is out of range [-180, 180]"),
        );
        ok = false;
    }
    if !(-90.0..=90.0).contains(&lat) {
        errors.push(field, format!("latitude {lat} is out of range [-90, 90]"));
        ok = false;
    }
    ok.then_some(Coord { x: lon, y: lat })
}

fn parse_ring(v: &Value, field: &str, errors: &mut FieldErrors) -> Option<LineString<f64>> {
    let Some(arr) = v.as_array() else {
        errors.push(field, "a ring must be an array of positions");
        return None;
    };
    let before = errors.len();
    let coords: Vec<Coord<f64>> = arr
        .iter()
        .enumerate()
        .filter_map(|(i, p)| parse_position(p, &format!("{field}[{i}]"), errors))
        .collect();
    if errors.len() > before {
        return None;
    }
    if coords.len() < 4 {
        errors.push(
            field,
            "a ring needs at least 4 positions (3 corners and the closing one)",
        );
        return None;
    }
    if coords.first() != coords.last() {
        errors.push(
            field,
            "ring is not closed: its first and last positions differ",
        );
        return None;
    }
    Some(LineString::new(coords))
}

fn parse_polygon(v: &Value, field: &str, errors: &mut FieldErrors) -> Option<Polygon<f64>> {
    let Some(rings) = v.as_array().filter(|r| !r.is_empty()) else {
        errors.push(field, "a polygon must be a non-empty array of rings");
        return None;
    };
    let before = errors.len();
    let parsed: Vec<Option<LineString<f64>>> = rings
        .iter()
        .enumerate()
        .map(|(i, r)| parse_ring(r, &format!("{field}[{i}]"), errors))
        .collect();
    if errors.len() > before {
        return None;
    }
    let mut parsed = parsed.into_iter().flatten();
    let exterior = parsed.next()?;
    Some(Polygon::new(exterior, parsed.collect()))
}

/// Parses a GeoJSON Polygon or MultiPolygon geometry object, reporting problems under `field`.
/// The most vertices one cell's outline may have (a real cell has tens to hundreds); more
/// is refused before the outline is checked, which costs more the more vertices it has.
pub const MAX_VERTICES_PER_AREA: usize = 20_000;

/// The most vertices one import may carry in all.
pub const MAX_VERTICES_PER_IMPORT: usize = 2_000_000;

pub fn parse_area(v: &Value, field: &str, errors: &mut FieldErrors) -> Option<MultiPolygon<f64>> {
    let shape = parse_area_unchecked(v, field, errors)?;
    let vertices = geo::CoordsIter::coords_count(&shape);
    if vertices > MAX_VERTICES_PER_AREA {
        errors.push(
            field,
            format!("has {vertices} vertices; a cell may have at most {MAX_VERTICES_PER_AREA}"),
        );
        return None;
    }
    let problems = shape.validation_errors();
    if !problems.is_empty() {
        for p in problems {
            errors.push(field, format!("invalid geometry: {p}"));
        }
        return None;
    }
    Some(shape)
}

/// Parses an area the server has already validated (the field client's synced cells),
/// checking ranges and rings but not self-intersection, which keeps the validation
/// algorithms out of the browser bundle.
pub fn parse_area_unchecked(
    v: &Value,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<MultiPolygon<f64>> {
    let Some(obj) = v.as_object() else {
        errors.push(field, "must be a GeoJSON geometry object");
        return None;
    };
    let coords = obj.get("coordinates").unwrap_or(&Value::Null);
    let cfield = format!("{field}.coordinates");
    let shape = match obj.get("type").and_then(Value::as_str) {
        Some("Polygon") => {
            parse_polygon(coords, &cfield, errors).map(|p| MultiPolygon::new(vec![p]))
        }
        Some("MultiPolygon") => {
            let Some(polys) = coords.as_array().filter(|p| !p.is_empty()) else {
                errors.push(cfield, "a MultiPolygon needs at least one polygon");
                return None;
            };
            let before = errors.len();
            let parsed: Vec<Polygon<f64>> = polys
                .iter()
                .enumerate()
                .filter_map(|(i, p)| parse_polygon(p, &format!("{cfield}[{i}]"), errors))
                .collect();
            (errors.len() == before).then(|| MultiPolygon::new(parsed))
        }
        _ => {
            errors.push(format!("{field}.type"), "must be Polygon or MultiPolygon");
            return None;
        }
    }?;
    Some(shape)
}

/// Parses an RFC 3339 instant or a plain date (taken as midnight UTC).
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    if let Some(t) = crate::utc::parse(s) {
        return Some(t);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| crate::utc::date_in_range(*d))
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
}

/// Validates feature `index` of an import on its own. Errors are reported under `features[index]`.
pub fn parse_cell_feature(
    index: usize,
    v: &Value,
    errors: &mut FieldErrors,
) -> Option<CellFeature> {
    let f = format!("features[{index}]");
    let Some(obj) = v.as_object() else {
        errors.push(f, "must be a GeoJSON Feature object");
        return None;
    };
    if obj.get("type").and_then(Value::as_str) != Some("Feature") {
        errors.push(format!("{f}.type"), "must be \"Feature\"");
    }
    let before = errors.len();
    let empty = serde_json::Map::new();
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        _ => {
            errors.push(
                format!("{f}.properties"),
                "must be an object with code and name",
            );
            &empty
        }
    };
    let code = props
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let community = match cell_community(code) {
        Ok(c) => Some(c.to_string()),
        Err(msg) => {
            errors.push(format!("{f}.properties.code"), msg);
            None
        }
    };
    let name = props
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    crate::validate::name(errors, &format!("{f}.properties.name"), name, 100);
    let valid_from = match props.get("valid_from") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let t = parse_instant(s);
            if t.is_none() {
                errors.push(
                    format!("{f}.properties.valid_from"),
                    "must be an RFC 3339 time or a YYYY-MM-DD date",
                );
            }
            t
        }
        Some(_) => {
            errors.push(format!("{f}.properties.valid_from"), "must be a string");
            None
        }
    };
    let shape = parse_area(
        obj.get("geometry").unwrap_or(&Value::Null),
        &format!("{f}.geometry"),
        errors,
    );
    if errors.len() > before {
        return None;
    }
    Some(CellFeature {
        code: code.to_string(),
        name: name.trim().to_string(),
        community_code: community?,
        valid_from,
        shape: shape?,
    })
}

/// True when the interiors of two areas intersect (sharing a border or a corner is fine).
pub fn interiors_overlap(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> bool {
    let m = a.relate(b);
    m.is_intersects() && !m.is_touches()
}

fn envelope(shape: &MultiPolygon<f64>) -> AABB<[f64; 2]> {
    match shape.bounding_rect() {
        Some(r) => AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
        None => AABB::from_point([f64::NAN, f64::NAN]),
    }
}

/// One live cell in the spatial index.
#[derive(Debug, Clone)]
pub struct IndexedCell {
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub shape: MultiPolygon<f64>,
    env: AABB<[f64; 2]>,
}

impl IndexedCell {
    pub fn new(
        code: String,
        name: String,
        community_code: String,
        shape: MultiPolygon<f64>,
    ) -> Self {
        let env = envelope(&shape);
        IndexedCell {
            code,
            name,
            community_code,
            shape,
            env,
        }
    }
}

impl RTreeObject for IndexedCell {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

/// The live grid as an R-tree: point → cell and area → overlapping cells.
#[derive(Debug, Default)]
pub struct GridIndex {
    tree: RTree<IndexedCell>,
}

impl GridIndex {
    pub fn new(cells: Vec<IndexedCell>) -> Self {
        GridIndex {
            tree: RTree::bulk_load(cells),
        }
    }

    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The cell a point belongs to, by the border rule (lowest code wins on a shared border).
    pub fn locate(&self, lon: f64, lat: f64) -> Option<&IndexedCell> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let p = Point::new(lon, lat);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .filter(|c| c.shape.intersects(&p))
            .min_by(|a, b| a.code.cmp(&b.code))
    }

    /// Live cells whose interiors overlap `shape`.
    pub fn overlapping<'a>(
        &'a self,
        shape: &'a MultiPolygon<f64>,
    ) -> impl Iterator<Item = &'a IndexedCell> + 'a {
        self.tree
            .locate_in_envelope_intersecting(&envelope(shape))
            .filter(move |c| interiors_overlap(&c.shape, shape))
    }

    pub fn iter(&self) -> impl Iterator<Item = &IndexedCell> {
        self.tree.iter()
    }
}

/// Renders an area as a GeoJSON geometry value (Polygon when it has one part).
pub fn area_to_geojson(shape: &MultiPolygon<f64>) -> Value {
    fn ring(ls: &LineString<f64>) -> Value {
        Value::Array(ls.coords().map(|c| serde_json::json!([c.x, c.y])).collect())
    }
    fn poly(p: &Polygon<f64>) -> Value {
        let mut rings = vec![ring(p.exterior())];
        rings.extend(p.interiors().iter().map(ring));
        Value::Array(rings)
    }
    if shape.0.len() == 1 {
        serde_json::json!({"type": "Polygon", "coordinates": poly(&shape.0[0])})
    } else {
        serde_json::json!({
            "type": "MultiPolygon",
            "coordinates": shape.0.iter().map(poly).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(x0: f64, y0: f64, d: f64) -> Value {
        json!({"type": "Polygon", "coordinates": [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]]})
    }

    fn feature(code: &str, geometry: Value) -> Value {
        json!({"type": "Feature", "properties": {"code": code, "name": "一网格"}, "geometry": geometry})
    }

    #[test]
    fn parses_a_good_feature() {
        let mut e = FieldErrors::new();
        let f = parse_cell_feature(
            0,
            &feature("500117001001001", square(106.0, 29.0, 0.01)),
            &mut e,
        )
        .unwrap();
        assert!(e.is_empty());
        assert_eq!(f.community_code, "500117001001");
    }

    #[test]
    fn reports_unclosed_and_out_of_range_and_self_intersecting() {
        let unclosed = json!({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]});
        let out = json!({"type": "Polygon", "coordinates": [[[0,0],[181,0],[1,1],[0,0]]]});
        let bowtie = json!({"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]});
        for (i, g) in [unclosed, out, bowtie].into_iter().enumerate() {
            let mut e = FieldErrors::new();
            assert!(parse_cell_feature(i, &feature("500117001001001", g), &mut e).is_none());
            assert!(
                e.0.iter()
                    .all(|fe| fe.field.starts_with(&format!("features[{i}]"))),
                "{e:?}"
            );
            assert!(!e.is_empty());
        }
    }

    #[test]
    fn border_goes_to_lowest_code_and_overlap_is_interior_only() {
        let mut e = FieldErrors::new();
        let a = parse_cell_feature(
            0,
            &feature("500117001001002", square(0.0, 0.0, 1.0)),
            &mut e,
        )
        .unwrap();
        let b = parse_cell_feature(
            1,
            &feature("500117001001001", square(1.0, 0.0, 1.0)),
            &mut e,
        )
        .unwrap();
        assert!(!interiors_overlap(&a.shape, &b.shape));
        let idx = GridIndex::new(vec![
            IndexedCell::new(
                a.code.clone(),
                a.name.clone(),
                a.community_code.clone(),
                a.shape.clone(),
            ),
            IndexedCell::new(
                b.code.clone(),
                b.name.clone(),
                b.community_code.clone(),
                b.shape.clone(),
            ),
        ]);
        assert_eq!(idx.locate(1.0, 0.5).unwrap().code, "500117001001001");
        assert_eq!(idx.locate(0.5, 0.5).unwrap().code, "500117001001002");
        assert!(idx.locate(2.5, 0.5).is_none());
        let c = parse_cell_feature(
            2,
            &feature("500117001001003", square(0.5, 0.5, 1.0)),
            &mut e,
        )
        .unwrap();
        assert_eq!(idx.overlapping(&c.shape).count(), 2);
    }
}
