//! A small world every test can build on: a district with two towns, three communities,
//! four cells and one user of each role per scope.

use gridwork_shared::api::{NewUser, Role};
use serde_json::{Value, json};

use crate::TestApp;

pub const PW: &str = "test-password-1";

/// A square cell feature of side `d` degrees with its south-west corner at (x, y).
pub fn square_feature(code: &str, name: &str, x: f64, y: f64, d: f64) -> Value {
    json!({
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}
    })
}

pub fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

pub struct Login {
    pub id: String,
    pub token: String,
    pub username: String,
}

pub struct World {
    pub admin: Login,
    pub district: Login,
    pub town1: Login,
    pub town2: Login,
    pub worker1: Login,
    pub worker2: Login,
    pub volunteer: Login,
}

/// Cells of the world: (code, south-west corner).
pub const CELLS: &[(&str, f64, f64)] = &[
    ("500117001001001", 106.00, 29.00),
    ("500117001001002", 106.01, 29.00),
    ("500117001002001", 106.00, 29.01),
    ("500117002001001", 106.10, 29.00),
];

/// Creates an admin straight in the database (as `gridwork user create` does) and logs in.
pub async fn bootstrap_admin(app: &TestApp, username: &str) -> Login {
    let name = username.to_string();
    let id = app
        .with_db(move |c| {
            let new = NewUser {
                username: name,
                password: PW.into(),
                role: Role::Admin,
                region_code: String::new(),
                display_name: Some("管理员".into()),
                department_id: None,
            };
            let hash = gridwork_server::core::password::hash(PW).unwrap();
            gridwork_server::flow::users::create_user(c, &new, hash, None)
                .unwrap()
                .id
        })
        .await;
    let token = app.login(username, PW).await;
    Login {
        id,
        token,
        username: username.into(),
    }
}

pub async fn create_user(
    app: &TestApp,
    admin: &str,
    username: &str,
    role: &str,
    region: &str,
) -> Login {
    let r = app
        .post(
            "/api/v1/users",
            admin,
            json!({"username": username, "password": PW, "role": role, "region_code": region, "display_name": username}),
        )
        .await;
    let id = r.ok(201)["id"].as_str().unwrap().to_string();
    let token = app.login(username, PW).await;
    Login {
        id,
        token,
        username: username.into(),
    }
}

pub async fn region(
    app: &TestApp,
    admin: &str,
    code: &str,
    name: &str,
    level: &str,
    parent: Option<&str>,
) {
    app.post(
        "/api/v1/regions",
        admin,
        json!({"code": code, "name": name, "level": level, "parent_code": parent}),
    )
    .await
    .ok(201);
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let admin = bootstrap_admin(app, "admin").await;
        let t = admin.token.as_str();
        region(app, t, "500117", "合川区", "district", None).await;
        region(app, t, "500117001", "合阳城街道", "town", Some("500117")).await;
        region(
            app,
            t,
            "500117001001",
            "文峰社区",
            "community",
            Some("500117001"),
        )
        .await;
        region(
            app,
            t,
            "500117001002",
            "白塔社区",
            "community",
            Some("500117001"),
        )
        .await;
        region(app, t, "500117002", "钓鱼城街道", "town", Some("500117")).await;
        region(
            app,
            t,
            "500117002001",
            "学府社区",
            "community",
            Some("500117002"),
        )
        .await;
        let features = CELLS
            .iter()
            .map(|(code, x, y)| square_feature(code, &format!("网格{code}"), *x, *y, 0.01))
            .collect();
        let r = app
            .post("/api/v1/cells/import", t, collection(features))
            .await;
        assert_eq!(r.ok(200)["created"], 4);
        let district = create_user(app, t, "district", "supervisor", "500117").await;
        let town1 = create_user(app, t, "town1", "supervisor", "500117001").await;
        let town2 = create_user(app, t, "town2", "supervisor", "500117002").await;
        let worker1 = create_user(app, t, "worker1", "worker", "500117001001").await;
        let worker2 = create_user(app, t, "worker2", "worker", "500117002001").await;
        let volunteer = create_user(app, t, "volunteer", "volunteer", "500117001001").await;
        app.put(
            "/api/v1/cells/500117001001001/workers",
            t,
            json!({"worker_ids": [worker1.id]}),
        )
        .await
        .ok(200);
        app.put(
            "/api/v1/cells/500117002001001/workers",
            t,
            json!({"worker_ids": [worker2.id]}),
        )
        .await
        .ok(200);
        World {
            admin,
            district,
            town1,
            town2,
            worker1,
            worker2,
            volunteer,
        }
    }
}

/// A point inside cell `500117001001001` (worker1's).
pub const IN_CELL_1: (f64, f64) = (106.005, 29.005);
/// A point inside cell `500117002001001` (worker2's, town 2).
pub const IN_TOWN_2: (f64, f64) = (106.105, 29.005);

/// A report body with a fresh id.
pub fn incident(category: &str, at: (f64, f64), severity: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "category": category,
        "title": "楼道堆放杂物",
        "description": "三单元楼道堆满纸箱，影响通行",
        "location": {"lon": at.0, "lat": at.1},
        "occurred_at": chrono::Utc::now().to_rfc3339(),
        "severity": severity,
    })
}

/// Reports an incident and returns its body.
pub async fn report(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/v1/incidents", token, body).await;
    r.ok(201).clone()
}

/// Takes a step on an incident at its current version; returns the response.
pub async fn step(app: &TestApp, token: &str, id: &str, action: &str, extra: Value) -> crate::Res {
    let current = app.get(&format!("/api/v1/incidents/{id}"), token).await;
    let version = current.body["version"].as_i64().unwrap_or(1);
    let mut body = json!({"action": action, "version": version});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    app.post(&format!("/api/v1/incidents/{id}/actions"), token, body)
        .await
}

/// The `person_view` audit entries of the person `id`, as the audit lists them to `token`.
pub async fn person_views(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let log = app.get(&format!("/api/v1/audit?entity={id}"), token).await;
    log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "person_view")
        .cloned()
        .collect()
}

/// A small JPEG with an EXIF segment holding a fake GPS position.
pub fn jpeg_with_exif() -> Vec<u8> {
    let mut buf = Vec::new();
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    image::codecs::jpeg::JpegEncoder::new(&mut buf)
        .encode_image(&img)
        .unwrap();
    let payload = b"Exif\0\0GPS 29.97N 106.27E";
    let len = (payload.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1, (len >> 8) as u8, len as u8];
    out.extend_from_slice(payload);
    out.extend_from_slice(&buf[2..]);
    out
}
