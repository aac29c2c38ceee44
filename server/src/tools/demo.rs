//! `gridwork demo`: a demo district (合川区, 500117) with towns, communities, cells with
//! irregular shared borders, and users of every role. Running it again changes nothing.

use gridwork_shared::RegionLevel;
use gridwork_shared::api::{NewRegion, NewUser, Role};
use gridwork_shared::geometry::CellFeature;

use gridwork_shared::geometry::Location;
use gridwork_shared::incident::{
    Action, ActionRequest, NewIncident, NewMediation, Party, Severity,
};

use crate::app::state::AppState;
use crate::core::password;
use crate::db::{self, DbConn, cells, regions, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::Result;
use crate::flow::{import, incidents, regions as region_rules, users as user_rules};
use crate::tools::lattice::Lattice;

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

/// The demo district's lattice.
const LATTICE: Lattice = Lattice {
    origin: ORIGIN,
    step: (STEP_LON, STEP_LAT),
    cols: COLS,
    rows: ROWS,
    seed: 500_117,
};

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
                    shape: LATTICE.cell(slot * 3 + c, band * 2 + r),
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
    // Members of the demo's teams (see `seed_teams`).
    for (n, region, name) in [
        (3, "500117001001", "平安大嫂 张姐"),
        (4, "500117001002", "红袖标 陈大爷"),
        (5, "500117001002", "红袖标 黄阿姨"),
        (6, "500117101201", "乡亲帮帮队 小周"),
        (7, "500117002001", "学府志愿者 何老师"),
    ] {
        v.push((
            format!("volunteer{n}"),
            Role::Volunteer,
            region.into(),
            name.into(),
            vec![],
        ));
    }
    v
}

/// Seeds everything; returns the logins (username, role, region).
pub fn seed(state: &AppState, c: &mut DbConn) -> Result<Vec<(String, String, String)>> {
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
            region_rules::create(c, r, None)?;
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

    let hash = password::hash(PASSWORD)?;
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
                    department_id: None,
                };
                user_rules::create_user(c, &new, hash.clone(), None)?.id
            }
        };
        for code in &worked {
            db::write_tx(c, |c| -> Result<()> {
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
    seed_incidents(state, c)?;
    seed_persons(state, c)?;
    seed_units(state, c)?;
    crate::tools::demo_duty::seed(state, c, &hash, &mut logins)?;
    crate::tools::demo_halls::seed(state, c)?;
    seed_teams(state, c)?;
    Ok(logins)
}

/// Persons of every category, some overdue (registered long ago, never met).
fn seed_persons(state: &AppState, c: &mut DbConn) -> Result<()> {
    use gridwork_shared::person::{NewPerson, PersonCategory, RiskLevel};
    // Valid GB 11643 numbers (synthetic), names and where they live.
    /// (key, category, risk, name, identity number, cell, responsible worker, days since registration)
    type P = (
        &'static str,
        PersonCategory,
        RiskLevel,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        i64,
    );
    const PEOPLE: &[P] = &[
        (
            "p1",
            PersonCategory::CommunityCorrection,
            RiskLevel::High,
            "陈志强",
            "500117198503120011",
            "500117001001001",
            "worker1",
            10,
        ),
        (
            "p2",
            PersonCategory::ReleasedPrisoner,
            RiskLevel::Medium,
            "刘德明",
            "500117197811050036",
            "500117001001002",
            "worker1",
            3,
        ),
        (
            "p3",
            PersonCategory::DrugUser,
            RiskLevel::High,
            "赵小军",
            "500117199207230054",
            "500117001002001",
            "worker3",
            2,
        ),
        (
            "p4",
            PersonCategory::SevereMentalDisorder,
            RiskLevel::High,
            "孙丽华",
            "500117196912300027",
            "500117002001001",
            "worker5",
            9,
        ),
        (
            "p5",
            PersonCategory::KeyYouth,
            RiskLevel::Low,
            "周浩然",
            "500117200805160012",
            "500117003001001",
            "worker9",
            40,
        ),
        (
            "p6",
            PersonCategory::AidsRisk,
            RiskLevel::Medium,
            "吴海涛",
            "500117198801010031",
            "500117101001001",
            "worker13",
            1,
        ),
        (
            "p7",
            PersonCategory::Cult,
            RiskLevel::Low,
            "郑秀兰",
            "500117195504040048",
            "500117101201001",
            "worker15",
            5,
        ),
    ];
    let sup = |cell: &str| match &cell[..9] {
        "500117001" => "town1",
        "500117002" => "town2",
        "500117003" => "town3",
        _ => "town4",
    };
    for (key, category, risk, name, id_number, cell, worker, days_ago) in PEOPLE {
        let id = demo_id(&format!("person-{key}"));
        if db::persons::find(c, &id.to_string())?.is_some() {
            continue;
        }
        let new = NewPerson {
            id,
            category: *category,
            name: (*name).into(),
            id_number: fix_check_digit(id_number),
            address: format!("{}附近居民楼", &cell[12..]),
            location: spot(cell),
            risk_level: *risk,
            responsible_worker_id: actor(c, worker)?.id.parse().map_err(anyhow::Error::from)?,
        };
        let by = actor(c, sup(cell))?;
        state.clock.advance(chrono::Duration::days(-days_ago));
        let done = crate::flow::persons::register(state, c, &by, &new);
        state.clock.advance(chrono::Duration::days(*days_ago));
        done?;
    }
    Ok(())
}

/// Replaces the last character with the GB 11643 check digit of the first 17.
pub(crate) fn fix_check_digit(s: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = s
        .bytes()
        .take(17)
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{}{}", &s[..17], CHECK[(sum % 11) as usize] as char)
}

/// Units of every kind and status, some certified.
fn seed_units(state: &AppState, c: &mut DbConn) -> Result<()> {
    use gridwork_shared::safety::{
        Certification, CertificationRequest, InspectionResult, NewHazard, NewInspection, NewUnit,
        UnitKind,
    };
    // (key, kind, name, cell, who, inspection: None | Some((hazard?, deadline days from now)), certification)
    type U = (
        &'static str,
        UnitKind,
        &'static str,
        &'static str,
        &'static str,
        Option<(bool, i64)>,
        Option<(&'static str, Certification)>,
    );
    const UNITS: &[U] = &[
        (
            "u1",
            UnitKind::School,
            "文峰小学",
            "500117001001001",
            "worker1",
            Some((false, 0)),
            Some(("district", Certification::District)),
        ),
        (
            "u2",
            UnitKind::Hospital,
            "合川区人民医院",
            "500117001001002",
            "worker1",
            Some((false, 0)),
            Some(("town1", Certification::Town)),
        ),
        (
            "u3",
            UnitKind::Enterprise,
            "合川纺织厂",
            "500117001002001",
            "worker3",
            Some((true, 5)),
            None,
        ),
        (
            "u4",
            UnitKind::Shop,
            "白塔副食店",
            "500117001002002",
            "worker3",
            Some((true, -2)),
            None,
        ),
        (
            "u5",
            UnitKind::Market,
            "钓鱼城农贸市场",
            "500117002001001",
            "worker5",
            Some((false, 0)),
            Some(("town2", Certification::Town)),
        ),
        (
            "u6",
            UnitKind::ConstructionSite,
            "学府路安置房工地",
            "500117002001004",
            "worker6",
            Some((true, -1)),
            None,
        ),
        (
            "u7",
            UnitKind::Household,
            "南园小区7栋2单元301",
            "500117003001001",
            "worker9",
            None,
            None,
        ),
        (
            "u8",
            UnitKind::Community,
            "东渡社区",
            "500117003002001",
            "worker11",
            Some((false, 0)),
            None,
        ),
        (
            "u9",
            UnitKind::Other,
            "太和镇文化站",
            "500117101001001",
            "worker13",
            None,
            None,
        ),
    ];
    for (key, kind, name, cell, who, inspection, cert) in UNITS {
        let id = demo_id(&format!("unit-{key}"));
        if db::units::find(c, &id.to_string())?.is_some() {
            continue;
        }
        let by = actor(c, who)?;
        let new = NewUnit {
            id,
            kind: *kind,
            name: (*name).into(),
            address: format!("{name}（演示）"),
            location: spot(cell),
        };
        // Registered and inspected ten days ago, so a past deadline is possible.
        state.clock.advance(chrono::Duration::days(-10));
        let told = (|| -> Result<()> {
            crate::flow::units::create(state, c, &by, &new)?;
            if let Some((hazard, deadline_days)) = inspection {
                let now = state.clock.now();
                let ins = NewInspection {
                    id: demo_id(&format!("inspection-{key}")),
                    inspected_at: now,
                    location: spot(cell),
                    result: if *hazard {
                        InspectionResult::Hazard
                    } else {
                        InspectionResult::Safe
                    },
                    hazards: if *hazard {
                        vec![NewHazard {
                            description: "消防器材过期，疏散通道堆放杂物".into(),
                            deadline: now + chrono::Duration::days(10 + deadline_days),
                        }]
                    } else {
                        vec![]
                    },
                    note: "例行检查".into(),
                    accuracy_m: Some(12.0),
                    picked_on_map: false,
                };
                crate::flow::units::inspect(state, c, &by, &id.to_string(), &ins)?;
            }
            Ok(())
        })();
        state.clock.advance(chrono::Duration::days(10));
        told?;
        if let Some((sup, level)) = cert {
            let version = db::units::find(c, &id.to_string())?
                .map(|u| u.version)
                .unwrap_or(1);
            let sup = actor(c, sup)?;
            crate::flow::units::certify(
                state,
                c,
                &sup,
                &id.to_string(),
                &CertificationRequest {
                    level: *level,
                    version,
                },
            )?;
        }
    }
    Ok(())
}

/// Teams of every kind with their zones, members, leaders and patrols, and reports of
/// their members that earn points (one accepted, one waiting).
fn seed_teams(state: &AppState, c: &mut DbConn) -> Result<()> {
    use gridwork_shared::team::{NewPatrol, NewTeam, TeamKind, TeamMembers, TeamPatch};
    // (key, name, kind, region, zone cells, created by, members, leader)
    type T = (
        &'static str,
        &'static str,
        TeamKind,
        &'static str,
        &'static [&'static str],
        &'static str,
        &'static [&'static str],
        Option<&'static str>,
    );
    const TEAMS: &[T] = &[
        (
            "wenfeng-sisters",
            "文峰社区平安大嫂",
            TeamKind::SafetySisters,
            "500117001001",
            &["500117001001001", "500117001001002", "500117001001003"],
            "town1",
            &["volunteer1", "volunteer3"],
            Some("volunteer3"),
        ),
        (
            "heyang-armband",
            "合阳城红袖标巡逻队",
            TeamKind::RedArmband,
            "500117001",
            &[
                "500117001002001",
                "500117001002002",
                "500117001002003",
                "500117001001004",
            ],
            "town1",
            &["volunteer4", "volunteer5"],
            Some("town1"),
        ),
        (
            "sanhui-help",
            "三汇村乡亲帮帮队",
            TeamKind::NeighbourHelp,
            "500117101201",
            &["500117101201001", "500117101201002", "500117101201003"],
            "town4",
            &["volunteer2", "volunteer6"],
            Some("worker15"),
        ),
        (
            "xuefu-service",
            "学府社区志愿服务队",
            TeamKind::Other,
            "500117002001",
            &[],
            "district",
            &["volunteer7"],
            None,
        ),
    ];
    for (key, name, kind, region, zone, by, members, leader) in TEAMS {
        let by = actor(c, by)?;
        let id = demo_id(&format!("team-{key}"));
        let new = NewTeam {
            id,
            name: (*name).into(),
            kind: *kind,
            region_code: (*region).into(),
            leader_id: None,
            cell_codes: zone.iter().map(|z| z.to_string()).collect(),
        };
        // A replay of the same create answers the team as it is.
        let team = crate::flow::teams::create(state, c, &by, &new)?;
        let mut user_ids = Vec::new();
        for m in *members {
            user_ids.push(actor(c, m)?.id.parse().map_err(anyhow::Error::from)?);
        }
        crate::flow::teams::set_members(state, c, &by, &id.to_string(), &TeamMembers { user_ids })?;
        if let Some(leader) = leader {
            let leader: uuid::Uuid = actor(c, leader)?.id.parse().map_err(anyhow::Error::from)?;
            if team.team.leader_id != Some(leader) {
                let patch = TeamPatch {
                    version: team.team.version,
                    leader_id: Some(Some(leader)),
                    ..TeamPatch::default()
                };
                crate::flow::teams::patch(state, c, &by, &id.to_string(), &patch)?;
            }
        }
    }
    // Patrols of the last days: (key, team, recorded by, members, days ago, start hour
    // (China Standard Time), minutes, with a route).
    type P = (
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
        i64,
        u32,
        i64,
        bool,
    );
    const PATROLS: &[P] = &[
        (
            "p1",
            "wenfeng-sisters",
            "volunteer3",
            &["volunteer1", "volunteer3"],
            1,
            19,
            150,
            true,
        ),
        (
            "p2",
            "wenfeng-sisters",
            "volunteer1",
            &["volunteer1"],
            3,
            8,
            45,
            false,
        ),
        (
            "p3",
            "heyang-armband",
            "volunteer4",
            &["volunteer4", "volunteer5"],
            2,
            20,
            185,
            true,
        ),
        (
            "p4",
            "heyang-armband",
            "town1",
            &["volunteer5"],
            6,
            9,
            60,
            false,
        ),
        (
            "p5",
            "sanhui-help",
            "worker15",
            &["volunteer2", "volunteer6"],
            1,
            14,
            240,
            false,
        ),
        (
            "p6",
            "sanhui-help",
            "volunteer6",
            &["volunteer6"],
            9,
            16,
            95,
            true,
        ),
    ];
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    for (key, team, by, members, days_ago, hour, minutes, route) in PATROLS {
        let id = demo_id(&format!("patrol-{key}"));
        if db::teams::find_patrol(c, &id.to_string())?.is_some() {
            continue;
        }
        let team_id = demo_id(&format!("team-{team}"));
        let zone = db::teams::cells_of(c, &[team_id.to_string()])?;
        let day = (state.clock.now() - chrono::Duration::days(*days_ago))
            .with_timezone(&cst)
            .date_naive();
        let started_at = day
            .and_hms_opt(*hour, 0, 0)
            .and_then(|t| t.and_local_timezone(cst).single())
            .expect("a time of the day")
            .with_timezone(&chrono::Utc);
        // The route walks the zone's cells, one fix inside each.
        let route = route.then(|| {
            let fixes: Vec<[f64; 2]> = zone
                .iter()
                .map(|(_, code)| {
                    let p = spot(code);
                    [p.lon, p.lat]
                })
                .collect();
            serde_json::json!({"type": "LineString", "coordinates": fixes})
        });
        let mut member_ids = Vec::new();
        for m in *members {
            member_ids.push(actor(c, m)?.id.parse().map_err(anyhow::Error::from)?);
        }
        let new = NewPatrol {
            id,
            team_id,
            started_at,
            ended_at: started_at + chrono::Duration::minutes(*minutes),
            member_ids,
            route,
            note: "沿街巡查，提醒商户关好门窗".into(),
        };
        let by = actor(c, by)?;
        crate::flow::teams::record_patrol_wire(state, c, &by, &new)?;
    }
    // Reports of members: one accepted (10 points), one waiting for a supervisor.
    for (key, who, cell, title, accept) in [
        (
            "team-report-1",
            "volunteer3",
            "500117001001003",
            "楼道堆放纸箱有火灾隐患",
            true,
        ),
        (
            "team-report-2",
            "volunteer4",
            "500117001002002",
            "路口护栏被撞坏",
            false,
        ),
    ] {
        let id = demo_id(key);
        if db::incidents::find(c, &id.to_string())?.is_some() {
            continue;
        }
        let new = NewIncident {
            id,
            category: if accept { "0201" } else { "0501" }.into(),
            title: title.into(),
            description: format!("{title}（演示数据）"),
            location: spot(cell),
            occurred_at: state.clock.now() - chrono::Duration::hours(2),
            severity: Severity::Medium,
        };
        let reporter = actor(c, who)?;
        incidents::report(state, c, &reporter, &new)?;
        if accept {
            step(
                state,
                c,
                "town1",
                &id.to_string(),
                Action::Accept,
                None,
                None,
            )?;
        }
    }
    Ok(())
}

pub(crate) fn actor(c: &mut DbConn, username: &str) -> Result<CurrentUser> {
    let u = users::find_by_username(c, username)?
        .ok_or_else(|| anyhow::anyhow!("demo user {username} missing"))?;
    Ok(CurrentUser {
        role: Role::parse(&u.role).expect("demo roles are valid"),
        id: u.id,
        username: u.username,
        region_code: u.region_code,
        display_name: u.display_name,
        department_id: u.department_id,
        ip: "demo".into(),
    })
}

/// A point well inside a demo cell.
pub(super) fn spot(code: &str) -> Location {
    use geo::InteriorPoint;
    let cell = demo_cells()
        .into_iter()
        .find(|c| c.code == code)
        .expect("a demo cell");
    let p = cell.shape.interior_point().expect("a cell has an interior");
    Location {
        lon: (p.x() * 1e6).round() / 1e6,
        lat: (p.y() * 1e6).round() / 1e6,
    }
}

/// One demo story: who reports what where, then the steps taken (actor, action, assignee).
struct Story {
    key: &'static str,
    reporter: &'static str,
    category: &'static str,
    cell: &'static str,
    title: &'static str,
    severity: Severity,
    /// Days ago it happened (the clock is set back while it is told).
    days_ago: i64,
    steps: &'static [(&'static str, Action, Option<&'static str>)],
}

const STORIES: &[Story] = &[
    Story {
        key: "rubbish",
        reporter: "worker1",
        category: "0401",
        cell: "500117001001001",
        title: "小区门口垃圾堆积",
        severity: Severity::Medium,
        days_ago: 0,
        steps: &[],
    },
    Story {
        key: "streetlight",
        reporter: "worker2",
        category: "0502",
        cell: "500117001001004",
        title: "文峰路路灯不亮",
        severity: Severity::Low,
        days_ago: 0,
        steps: &[("town1", Action::Accept, None)],
    },
    Story {
        key: "out-of-scope",
        reporter: "volunteer1",
        category: "9901",
        cell: "500117001001002",
        title: "咨询社保办理",
        severity: Severity::Low,
        days_ago: 1,
        steps: &[("town1", Action::Reject, None)],
    },
    Story {
        key: "manhole",
        reporter: "worker3",
        category: "0503",
        cell: "500117001002001",
        title: "白塔街井盖缺失",
        severity: Severity::High,
        days_ago: 0,
        steps: &[
            ("town1", Action::Accept, None),
            ("town1", Action::Dispatch, Some("worker3")),
        ],
    },
    Story {
        key: "fire-exit",
        reporter: "worker5",
        category: "0201",
        cell: "500117002001001",
        title: "商铺堵塞消防通道",
        severity: Severity::High,
        days_ago: 1,
        steps: &[
            ("town2", Action::Accept, None),
            ("town2", Action::Dispatch, Some("worker5")),
            ("worker5", Action::Start, None),
        ],
    },
    Story {
        key: "noise",
        reporter: "worker6",
        category: "0403",
        cell: "500117002001004",
        title: "夜间施工噪声扰民",
        severity: Severity::Medium,
        days_ago: 2,
        steps: &[
            ("town2", Action::Accept, None),
            ("town2", Action::Dispatch, Some("worker6")),
            ("worker6", Action::Start, None),
            ("worker6", Action::Resolve, None),
        ],
    },
    Story {
        key: "pothole",
        reporter: "worker9",
        category: "0501",
        cell: "500117003001001",
        title: "南园路路面坑洼",
        severity: Severity::Medium,
        days_ago: 3,
        steps: &[
            ("town3", Action::Accept, None),
            ("town3", Action::Dispatch, Some("worker9")),
            ("worker9", Action::Start, None),
            ("worker9", Action::Resolve, None),
            ("town3", Action::Verify, None),
        ],
    },
    Story {
        key: "sewage",
        reporter: "worker11",
        category: "0402",
        cell: "500117003002001",
        title: "餐馆污水直排",
        severity: Severity::Medium,
        days_ago: 2,
        steps: &[
            ("town3", Action::Accept, None),
            ("town3", Action::Dispatch, Some("worker11")),
            ("worker11", Action::Start, None),
            ("worker11", Action::Resolve, None),
            ("town3", Action::Rework, None),
        ],
    },
    Story {
        key: "light-fixed",
        reporter: "worker13",
        category: "0502",
        cell: "500117101001001",
        title: "太和街路灯松动",
        severity: Severity::Low,
        days_ago: 0,
        steps: &[("worker13", Action::SelfClose, None)],
    },
    Story {
        key: "neighbours",
        reporter: "worker1",
        category: "0101",
        cell: "500117001001002",
        title: "邻居因漏水发生纠纷",
        severity: Severity::Medium,
        days_ago: 1,
        steps: &[
            ("town1", Action::Escalate, None),
            ("town1", Action::Accept, None),
        ],
    },
    Story {
        key: "land",
        reporter: "worker15",
        category: "0103",
        cell: "500117101201001",
        title: "三汇村宅基地边界纠纷",
        severity: Severity::High,
        days_ago: 2,
        steps: &[
            ("town4", Action::Escalate, None),
            ("district", Action::Escalate, None),
            ("district", Action::Accept, None),
        ],
    },
    Story {
        key: "wages",
        reporter: "worker7",
        category: "0104",
        cell: "500117002002001",
        title: "工地拖欠农民工工资",
        severity: Severity::High,
        days_ago: 30,
        steps: &[
            ("town2", Action::Escalate, None),
            ("district", Action::Escalate, None),
        ],
    },
];

pub(crate) fn demo_id(key: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("gridwork-demo:{key}").as_bytes(),
    )
}

/// Incidents in every state: each story is told once (a story already there is skipped).
fn seed_incidents(state: &AppState, c: &mut DbConn) -> Result<()> {
    for story in STORIES {
        let id = demo_id(story.key);
        if db::incidents::find(c, &id.to_string())?.is_some() {
            continue;
        }
        state.clock.advance(chrono::Duration::days(-story.days_ago));
        let told = tell(state, c, story, id);
        state.clock.advance(chrono::Duration::days(story.days_ago));
        told?;
    }
    // A duplicate report next to the rubbish, merged into it.
    let dup = demo_id("rubbish-again");
    if db::incidents::find(c, &dup.to_string())?.is_none() {
        let mut at = spot("500117001001001");
        at.lon += 0.0001;
        let new = NewIncident {
            id: dup,
            category: "0401".into(),
            title: "门口垃圾没人清".into(),
            description: String::new(),
            location: at,
            occurred_at: state.clock.now(),
            severity: Severity::Low,
        };
        let volunteer = actor(c, "volunteer1")?;
        incidents::report(state, c, &volunteer, &new)?;
        step(
            state,
            c,
            "town1",
            &dup.to_string(),
            Action::Merge,
            None,
            Some(demo_id("rubbish")),
        )?;
    }
    Ok(())
}

fn step(
    state: &AppState,
    c: &mut DbConn,
    who: &str,
    id: &str,
    action: Action,
    assignee: Option<&str>,
    into: Option<uuid::Uuid>,
) -> Result<()> {
    let user = actor(c, who)?;
    let version = db::incidents::find(c, id)?.map(|r| r.version).unwrap_or(1);
    let assignee_id = match assignee {
        Some(name) => Some(actor(c, name)?.id.parse().map_err(anyhow::Error::from)?),
        None => None,
    };
    let req = ActionRequest {
        action,
        version,
        note: None,
        assignee_id,
        department_id: None,
        into,
    };
    incidents::act(state, c, &user, id, &req).map(|_| ())
}

fn tell(state: &AppState, c: &mut DbConn, story: &Story, id: uuid::Uuid) -> Result<()> {
    let reporter = actor(c, story.reporter)?;
    let new = NewIncident {
        id,
        category: story.category.into(),
        title: story.title.into(),
        description: format!("{}（演示数据）", story.title),
        location: spot(story.cell),
        occurred_at: state.clock.now() - chrono::Duration::hours(1),
        severity: story.severity,
    };
    incidents::report(state, c, &reporter, &new)?;
    for (who, action, assignee) in story.steps {
        step(state, c, who, &id.to_string(), *action, *assignee, None)?;
    }
    if gridwork_shared::incident::is_dispute(story.category) {
        let handler = actor(c, story.steps.last().map(|s| s.0).unwrap_or("district"))?;
        let session = NewMediation {
            id: demo_id(&format!("{}-mediation", story.key)),
            held_at: state.clock.now(),
            mediator: "人民调解员 周红".into(),
            parties: vec![
                Party {
                    name: "张建国".into(),
                    role: Some("申请人".into()),
                    phone: Some("13800001111".into()),
                },
                Party {
                    name: "李秀英".into(),
                    role: Some("被申请人".into()),
                    phone: None,
                },
            ],
            outcome: "双方陈述意见，约定下周再次调解".into(),
            agreement_reached: false,
            note: None,
        };
        incidents::record_mediation(state, c, &handler, &id.to_string(), &session)?;
    }
    Ok(())
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
