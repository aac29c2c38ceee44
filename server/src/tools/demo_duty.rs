//! The demo's departments, their staff and what is dispatched to them, and the district's
//! responsibility tasks for this year with their units, progress and scores. Seeded by
//! `gridwork demo`; running it again changes nothing.

use chrono::Datelike;
use gridwork_shared::api::{NewUser, Role};
use gridwork_shared::incident::{Action, ActionRequest, NewIncident, Severity};
use gridwork_shared::responsibility::{
    Duty, NewDepartment, NewProgress, NewTask, ScoresRequest, UnitAssignment, UnitScore,
    UnitsRequest,
};

use crate::app::state::AppState;
use crate::db::{self, DbConn, users};
use crate::flow::error::Result;
use crate::flow::{departments, incidents, tasks, users as user_rules};
use crate::tools::demo::{PASSWORD, actor, demo_id, spot};

/// (code, name, staff username, staff display name)
const DEPARTMENTS: &[(&str, &str, &str, &str)] = &[
    ("D01", "区城市管理局", "urban1", "城管局 王科长"),
    ("D02", "区住房城乡建委", "housing1", "住建委 陈工"),
    ("D03", "区生态环境局", "env1", "生态环境局 李工"),
    ("D04", "区应急管理局", "safety1", "应急局 赵科长"),
];

/// (key, code, title, indicator, weight, units: (department code | town code, target))
type TaskSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static [(&'static str, f64)],
);

const TASKS: &[TaskSeed] = &[
    (
        "gas",
        "AQ-01",
        "城镇燃气安全专项整治",
        "排查整改燃气用户（户）",
        3.0,
        &[
            ("D02", 1200.0),
            ("500117001", 400.0),
            ("500117002", 300.0),
            ("500117101", 150.0),
        ],
    ),
    (
        "fire",
        "AQ-02",
        "高层建筑消防通道清理",
        "清理堵塞点位（处）",
        2.0,
        &[("D04", 80.0), ("500117001", 30.0), ("500117003", 20.0)],
    ),
    (
        "river",
        "AQ-03",
        "河道沿岸违法倾倒治理",
        "清运点位（处）",
        1.0,
        &[
            ("D01", 40.0),
            ("D03", 25.0),
            ("500117002", 10.0),
            ("500117003", 12.0),
        ],
    ),
    (
        "selfbuilt",
        "AQ-04",
        "农村自建房安全隐患排查",
        "排查房屋（栋）",
        2.0,
        &[("D02", 500.0), ("500117101", 260.0)],
    ),
];

/// Seeds departments, staff, dispatched incidents and the year's tasks; adds the staff
/// to `logins`.
pub fn seed(
    state: &AppState,
    c: &mut DbConn,
    hash: &str,
    logins: &mut Vec<(String, String, String)>,
) -> Result<()> {
    let admin = actor(c, "admin")?;
    for (code, name, username, display) in DEPARTMENTS {
        let new = NewDepartment {
            id: demo_id(&format!("department-{code}")),
            code: code.to_string(),
            name: name.to_string(),
        };
        let (dept, _) = departments::create(c, &admin, &new)?;
        if users::find_by_username(c, username)?.is_none() {
            let user = NewUser {
                username: username.to_string(),
                password: PASSWORD.into(),
                role: Role::Department,
                region_code: "500117".into(),
                display_name: Some(display.to_string()),
                department_id: Some(dept.id),
            };
            user_rules::create_user(c, &user, hash.to_string(), None)?;
        }
        logins.push((
            username.to_string(),
            "department".into(),
            format!("{code} {name}"),
        ));
    }
    seed_dispatched(state, c)?;
    seed_tasks(state, c)
}

/// Two reports a community could not handle: one with the urban management bureau now, one
/// the housing commission fixed and the town verified.
fn seed_dispatched(state: &AppState, c: &mut DbConn) -> Result<()> {
    let cases: [(&str, &str, &str, &str, &[&str]); 2] = [
        (
            "dept-river",
            "500117002001001",
            "0401",
            "嘉陵江边建筑垃圾倾倒",
            &["urban1:start"],
        ),
        (
            "dept-wall",
            "500117001002002",
            "0204",
            "老旧小区围墙开裂倾斜",
            &["housing1:start", "housing1:resolve", "town1:verify"],
        ),
    ];
    for (key, cell, category, title, later) in cases {
        let id = demo_id(key);
        if db::incidents::find(c, &id.to_string())?.is_some() {
            continue;
        }
        let reporter = actor(c, "volunteer2")?;
        let new = NewIncident {
            id,
            category: category.into(),
            title: title.into(),
            description: format!("{title}（演示数据）"),
            location: spot(cell),
            occurred_at: state.clock.now() - chrono::Duration::hours(3),
            severity: Severity::Medium,
        };
        incidents::report(state, c, &reporter, &new)?;
        let department = if key == "dept-river" { "D01" } else { "D02" };
        let town = if cell.starts_with("500117002") {
            "town2"
        } else {
            "town1"
        };
        let steps = [
            (town, Action::Accept, None),
            (town, Action::Dispatch, Some(department)),
        ];
        let later: Vec<(&str, Action, Option<&str>)> = later
            .iter()
            .map(|s| {
                let (who, what) = s.split_once(':').expect("who:action");
                let action = match what {
                    "start" => Action::Start,
                    "resolve" => Action::Resolve,
                    _ => Action::Verify,
                };
                (who, action, None)
            })
            .collect();
        for (who, action, dept) in steps.into_iter().chain(later) {
            let user = actor(c, who)?;
            let version = db::incidents::find(c, &id.to_string())?
                .map(|r| r.version)
                .unwrap_or(1);
            let req = ActionRequest {
                action,
                version,
                note: (action == Action::Resolve).then(|| "已加固并设置警示".to_string()),
                assignee_id: None,
                department_id: dept.map(|d| demo_id(&format!("department-{d}"))),
                into: None,
            };
            incidents::act(state, c, &user, &id.to_string(), &req)?;
        }
    }
    Ok(())
}

/// This year's tasks, decomposed, with progress reported by each unit and the district's
/// scores of the year for the first two.
fn seed_tasks(state: &AppState, c: &mut DbConn) -> Result<()> {
    let district = actor(c, "district")?;
    let year = state.config.calendar.local_date(state.clock.now()).year();
    for (n, (key, code, title, indicator, weight, units)) in TASKS.iter().enumerate() {
        let id = demo_id(&format!("task-{year}-{key}"));
        if db::tasks::find(c, &id.to_string())?.is_some() {
            continue;
        }
        let new = NewTask {
            id,
            code: format!("{year}-{code}"),
            title: title.to_string(),
            description: format!("{title}：按属地、属事分解到各镇街和部门，按月报送进度。"),
            year,
            indicator: indicator.to_string(),
            due_date: chrono::NaiveDate::from_ymd_opt(year, 11, 30).expect("a date"),
            weight: *weight,
        };
        tasks::create(state, c, &district, &new)?;
        let unit = |key: &str| {
            if key.starts_with('D') {
                (Some(demo_id(&format!("department-{key}"))), None)
            } else {
                (None, Some(key.to_string()))
            }
        };
        let req = UnitsRequest {
            units: units
                .iter()
                .map(|(k, target)| {
                    let (department_id, region_code) = unit(k);
                    UnitAssignment {
                        department_id,
                        region_code,
                        duty: if department_id.is_some() {
                            Duty::Functional
                        } else {
                            Duty::Territorial
                        },
                        target: *target,
                    }
                })
                .collect(),
        };
        tasks::put_units(state, c, &district, &id.to_string(), &req)?;
        // Each unit reports twice: a month ago and this week; a few are done.
        for (i, (k, target)) in units.iter().enumerate() {
            let (department_id, region_code) = unit(k);
            let reporter = match *k {
                d if d.starts_with('D') => DEPARTMENTS
                    .iter()
                    .find(|x| x.0 == d)
                    .map(|x| x.2)
                    .expect("a demo department"),
                "500117001" => "town1",
                "500117002" => "town2",
                "500117003" => "town3",
                _ => "town4",
            };
            let who = actor(c, reporter)?;
            let share = [0.35, 0.6, 0.8, 1.0][(n + i) % 4];
            for (ago, part) in [(30, share * 0.5), (3, share)] {
                let report = NewProgress {
                    id: demo_id(&format!("progress-{year}-{key}-{k}-{ago}")),
                    department_id,
                    region_code: region_code.clone(),
                    value: (target * part).round(),
                    note: format!("第{}次报送（演示数据）", if ago == 30 { 1 } else { 2 }),
                    reported_at: state.clock.now() - chrono::Duration::days(ago),
                };
                tasks::report_progress(state, c, &who, &id.to_string(), &report)?;
            }
        }
        if n < 2 {
            let scores = ScoresRequest {
                period: year.to_string(),
                scores: units
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| {
                        let (department_id, region_code) = unit(k);
                        UnitScore {
                            department_id,
                            region_code,
                            score: [92.0, 85.0, 78.0, 88.0][(n + i) % 4],
                            note: "年中考核".into(),
                        }
                    })
                    .collect(),
            };
            tasks::put_scores(state, c, &district, &id.to_string(), &scores)?;
        }
    }
    Ok(())
}
