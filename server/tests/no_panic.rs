//! Property tests: what the server reads from the network never makes it panic.
//!
//! - the GeoJSON cell import: any bytes as the request body, any JSON value as the
//!   document, and near-valid FeatureCollections (odd codes, names, dates, rings with any
//!   coordinates, too few or unclosed, numbers out of range, nested oddly);
//! - the sync push decoder: any bytes as the body, and pushes of well-formed envelopes with
//!   every operation type and any body (as the endpoint decodes them, then as each
//!   operation is read into its typed form);
//! - the photo checks: any bytes behind each format's signature, and small real images with
//!   bytes flipped, cut short or grown — through sniffing, the header check, the metadata
//!   stripping and the decoder.
//!
//! Each property runs a bounded number of cases so the whole file takes seconds.

use gridwork_server::core::geo_json::shape_from_text;
use gridwork_server::core::photo::{self, Kind};
use gridwork_server::flow::decode;
use gridwork_server::flow::import::parse_collection;
use gridwork_shared::sync::{Op, PushRequest};
use proptest::prelude::*;
use serde_json::{Value, json};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // A failure is reported as found; shrinking it is for a developer's rerun.
        max_shrink_iters: 200,
        // Integration tests have no lib.rs beside them to keep regressions next to.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn no_progress(_: &str, _: u64, _: u64) {}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A coordinate: mostly near the demo district, sometimes anything at all.
fn coordinate() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (106.0f64..106.6, 29.6f64..30.2).prop_map(|(x, y)| json!([x, y])),
        1 => (any::<f64>(), any::<f64>())
            .prop_filter("finite", |(x, y)| x.is_finite() && y.is_finite())
            .prop_map(|(x, y)| json!([x, y])),
        1 => prop::collection::vec(-1e3f64..1e3, 0..5).prop_map(|v| json!(v)),
        1 => any_json(),
    ]
}

/// A ring: sometimes closed, sometimes not, of any length (including none).
fn ring() -> impl Strategy<Value = Value> {
    (prop::collection::vec(coordinate(), 0..9), any::<bool>()).prop_map(|(mut pts, close)| {
        if close && let Some(first) = pts.first().cloned() {
            pts.push(first);
        }
        Value::Array(pts)
    })
}

fn geometry() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(ring(), 0..3)
            .prop_map(|rings| json!({"type": "Polygon", "coordinates": rings})),
        prop::collection::vec(prop::collection::vec(ring(), 0..3), 0..3)
            .prop_map(|polys| json!({"type": "MultiPolygon", "coordinates": polys})),
        (
            prop_oneof![Just("Point"), Just("LineString"), Just("Polygon"), Just("")],
            any_json()
        )
            .prop_map(|(t, c)| json!({"type": t, "coordinates": c})),
        any_json(),
    ]
}

fn code() -> impl Strategy<Value = Value> {
    prop_oneof![
        "500117[0-9]{6}[0-9]{3}".prop_map(Value::String),
        "[0-9]{0,18}".prop_map(Value::String),
        ".{0,20}".prop_map(Value::String),
        any_json(),
    ]
}

fn feature() -> impl Strategy<Value = Value> {
    (
        code(),
        prop_oneof![".{0,30}".prop_map(Value::String), any_json()],
        prop::option::of(prop_oneof![
            "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z".prop_map(Value::String),
            ".{0,25}".prop_map(Value::String),
            any_json(),
        ]),
        geometry(),
        prop_oneof![4 => Just("Feature".to_string()), 1 => ".{0,8}"],
    )
        .prop_map(|(code, name, valid_from, geometry, kind)| {
            let mut properties = json!({"code": code, "name": name});
            if let Some(v) = valid_from {
                properties["valid_from"] = v;
            }
            json!({"type": kind, "properties": properties, "geometry": geometry})
        })
}

fn collection() -> impl Strategy<Value = Value> {
    prop::collection::vec(feature(), 0..6)
        .prop_map(|features| json!({"type": "FeatureCollection", "features": features}))
}

fn uuid_text() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u128>().prop_map(|n| Value::String(uuid::Uuid::from_u128(n).to_string())),
        ".{0,40}".prop_map(Value::String),
        any_json(),
    ]
}

/// A body for a sync operation: near one of the endpoints' bodies, or anything.
fn op_body() -> impl Strategy<Value = Value> {
    let near = (
        uuid_text(),
        uuid_text(),
        prop::collection::btree_map(
            prop_oneof![
                Just("category".to_string()),
                Just("title".to_string()),
                Just("description".to_string()),
                Just("location".to_string()),
                Just("occurred_at".to_string()),
                Just("severity".to_string()),
                Just("action".to_string()),
                Just("version".to_string()),
                Just("note".to_string()),
                Just("assignee_id".to_string()),
                Just("visited_at".to_string()),
                Just("outcome".to_string()),
                Just("risk_level".to_string()),
                Just("inspected_at".to_string()),
                Just("result".to_string()),
                Just("hazards".to_string()),
                Just("kind".to_string()),
                Just("name".to_string()),
                Just("address".to_string()),
                Just("into".to_string()),
                "[a-z_]{1,12}",
            ],
            any_json(),
            0..10,
        ),
        prop_oneof![
            Just("incident_id"),
            Just("person_id"),
            Just("unit_id"),
            Just("id")
        ],
    )
        .prop_map(|(id, parent, fields, parent_key)| {
            let mut body: serde_json::Map<String, Value> = fields.into_iter().collect();
            body.insert("id".into(), id);
            body.insert(parent_key.into(), parent);
            Value::Object(body)
        });
    prop_oneof![3 => near, 1 => any_json()]
}

fn push_body() -> impl Strategy<Value = Value> {
    let op = (
        uuid_text(),
        prop_oneof![
            Just("incident.create".to_string()),
            Just("incident.action".to_string()),
            Just("visit.create".to_string()),
            Just("inspection.create".to_string()),
            Just("unit.create".to_string()),
            ".{0,20}",
        ],
        op_body(),
    )
        .prop_map(|(op_id, kind, body)| json!({"op_id": op_id, "type": kind, "body": body}));
    prop_oneof![
        4 => prop::collection::vec(op, 0..6).prop_map(|ops| json!({"ops": ops})),
        1 => any_json(),
    ]
}

/// A tiny real image of each kind, encoded by the `image` crate.
fn sample(kind: Kind) -> Vec<u8> {
    let img = image::RgbImage::from_fn(7, 5, |x, y| image::Rgb([x as u8 * 30, y as u8 * 40, 99]));
    let format = match kind {
        Kind::Jpeg => image::ImageFormat::Jpeg,
        Kind::Png => image::ImageFormat::Png,
        Kind::Webp => image::ImageFormat::WebP,
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .expect("a tiny image encodes");
    out.into_inner()
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Jpeg), Just(Kind::Png), Just(Kind::Webp)]
}

/// Runs every photo check the upload runs on `bytes` declared as `declared`.
fn photo_checks(declared: Kind, bytes: Vec<u8>) {
    let sniffed = photo::sniff(&bytes);
    let _ = photo::dimensions(declared, &bytes);
    if sniffed == Some(declared)
        && photo::decodes(declared, &bytes)
        && let Some(stored) = photo::strip(declared, bytes.clone().into())
    {
        // As stored and as later read for a thumbnail (a full decode).
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sha = photo::sha256_hex(&stored);
        photo::store(dir.path(), &sha, declared, &stored).expect("stored");
        let _ = photo::thumbnail(dir.path(), &sha, declared);
    }
    // The stripping must hold up even on bytes the header check would have refused.
    let _ = photo::strip(declared, bytes.into());
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn cell_import_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(doc) = decode::json::<Value>(&bytes) {
            let _ = parse_collection(&doc, &no_progress);
        }
    }

    #[test]
    fn cell_import_never_panics_on_any_json(doc in any_json()) {
        let _ = parse_collection(&doc, &no_progress);
    }

    #[test]
    fn cell_import_never_panics_on_near_valid_collections(doc in collection()) {
        let parsed = parse_collection(&doc, &no_progress);
        // What is accepted stores as text that reads back.
        for (_, feature) in &parsed.features {
            let text = gridwork_server::core::geo_json::shape_to_text(&feature.shape);
            prop_assert!(shape_from_text(&text).is_some());
        }
        let bytes = serde_json::to_vec(&doc).expect("a value serializes");
        // Through the body decoder (which refuses NUL characters in text) as the endpoint reads it.
        if let Ok(again) = decode::json::<Value>(&bytes) {
            let _ = parse_collection(&again, &no_progress);
        }
    }

    #[test]
    fn stored_geometry_text_never_panics(text in ".{0,200}") {
        let _ = shape_from_text(&text);
    }

    #[test]
    fn sync_push_decoder_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(req) = decode::json::<PushRequest>(&bytes) {
            for op in &req.ops {
                let _ = op.operation();
            }
        }
    }

    #[test]
    fn sync_push_decoder_never_panics_on_near_valid_pushes(body in push_body()) {
        let bytes = serde_json::to_vec(&body).expect("a value serializes");
        if let Ok(req) = decode::json::<PushRequest>(&bytes) {
            for op in &req.ops {
                let _ = op.operation();
                // As the decoder reads each operation's body on its own.
                let body = serde_json::to_vec(&op.body).expect("a value serializes");
                let _ = decode::json::<gridwork_shared::incident::NewIncident>(&body);
                let _ = decode::json::<gridwork_shared::incident::ActionRequest>(&body);
                let _ = decode::json::<gridwork_shared::person::NewVisit>(&body);
                let _ = decode::json::<gridwork_shared::safety::NewInspection>(&body);
                let _ = decode::json::<gridwork_shared::safety::NewUnit>(&body);
            }
            // A decoded operation travels back to the same envelope.
            for op in &req.ops {
                if let Ok(operation) = op.operation() {
                    let again = Op::new(op.op_id, &operation);
                    prop_assert_eq!(&again.op_type, &op.op_type);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn photo_checks_never_panic_on_any_bytes(
        declared in kind(),
        signature in kind(),
        with_signature in any::<bool>(),
        tail in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = Vec::new();
        if with_signature {
            bytes.extend_from_slice(match signature {
                Kind::Jpeg => &[0xFF, 0xD8, 0xFF][..],
                Kind::Png => b"\x89PNG\r\n\x1a\n",
                Kind::Webp => b"RIFF\x10\x00\x00\x00WEBP",
            });
        }
        bytes.extend_from_slice(&tail);
        photo_checks(declared, bytes);
    }

    #[test]
    fn photo_checks_never_panic_on_damaged_images(
        kind in kind(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        shorten in any::<bool>(),
        grow in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = sample(kind);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if shorten {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        bytes.extend_from_slice(&grow);
        photo_checks(kind, bytes);
    }
}

#[test]
fn sample_images_pass_the_checks() {
    for kind in [Kind::Jpeg, Kind::Png, Kind::Webp] {
        let bytes = sample(kind);
        assert_eq!(photo::sniff(&bytes), Some(kind));
        assert!(photo::decodes(kind, &bytes), "{kind:?} sample decodes");
        assert!(photo::strip(kind, bytes.into()).is_some());
    }
}
