//! The responsibility system of the first district (责任制): its departments with their
//! staff, the incidents its supervisors dispatch to them, and this year's and last year's
//! tasks decomposed to departments and towns, with monthly progress reports and scores.
//!
//! Everything here comes from a generator of its own, seeded from `--seed`, so the phases
//! of the main generator draw the same numbers as they did before departments existed.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{PASSWORD, World, chinese_name, chunked, uuid};
use crate::db::DbConn;
use crate::db::bulk::{Inserter, Lit, Table, lit};

/// Staff accounts per department: `dept-D01-1`, `dept-D01-2`, …
const STAFF_PER_DEPARTMENT: usize = 2;

/// The district's bodies that take dispatched incidents and hold functional duties.
const DEPARTMENTS: &[&str] = &[
    "城市管理局",
    "住房和城乡建设委员会",
    "生态环境局",
    "应急管理局",
    "公安分局",
    "交通局",
    "水利局",
    "农业农村委员会",
    "市场监督管理局",
    "卫生健康委员会",
    "教育委员会",
    "民政局",
    "司法局",
    "人力资源和社会保障局",
    "规划和自然资源局",
    "林业局",
    "商务委员会",
    "文化和旅游发展委员会",
    "消防救援支队",
    "信访办公室",
    "退役军人事务局",
    "医疗保障局",
    "财政局",
    "发展和改革委员会",
    "经济和信息化委员会",
    "国有资产管理中心",
    "统计局",
    "审计局",
    "供电公司",
    "自来水公司",
    "燃气公司",
    "通信管理办公室",
    "气象局",
    "粮食和物资储备中心",
    "乡村振兴局",
    "机关事务管理局",
    "大数据发展局",
    "城市照明管理所",
    "市政设施管理处",
    "环境卫生管理处",
    "园林绿化管理处",
    "房屋征收中心",
    "交通运输执法支队",
    "综合行政执法支队",
];

/// The task titles of a year's safety work, with the indicator each is measured by.
const TASKS: &[(&str, &str)] = &[
    ("矛盾纠纷排查化解", "化解纠纷件数"),
    ("重点人员走访管控", "走访人次"),
    ("消防安全隐患整治", "整改隐患处数"),
    ("燃气安全专项检查", "检查户数"),
    ("道路交通安全整治", "整治路段数"),
    ("校园周边环境治理", "治理点位数"),
    ("农村自建房安全排查", "排查栋数"),
    ("防汛地质灾害巡查", "巡查点次"),
    ("食品安全抽检", "抽检批次"),
    ("电信诈骗宣传防范", "宣传场次"),
    ("禁毒宣传教育", "宣传人次"),
    ("平安细胞创建", "创建个数"),
];

const MONTH_NOTES: &[&str] = &[
    "按计划推进，已完成阶段任务。",
    "组织专项行动，台账已更新。",
    "会同属地排查，问题已交办。",
    "进度正常，下月继续推进。",
];

/// A generated department and its staff's user ids.
pub(super) struct GenDepartment {
    pub id: String,
    pub code: String,
    pub staff: Vec<String>,
}

/// The departments, and the generator that decides which incidents went to them.
pub(super) struct Duty {
    rng: StdRng,
    pub departments: Vec<GenDepartment>,
}

/// How an incident handled by a department was dispatched.
pub(super) struct Handling {
    pub department: String,
    /// The staff member who started and resolved it.
    pub staff: String,
    /// The id of its dispatch step, where that is not the incident's last step.
    pub step_id: String,
}

impl Duty {
    pub fn new(seed: u64, departments: usize) -> Duty {
        let mut rng = StdRng::seed_from_u64(seed ^ 0xD07E_D07E);
        let departments = (0..departments.min(DEPARTMENTS.len()))
            .map(|d| GenDepartment {
                id: uuid(&mut rng),
                code: format!("D{:02}", d + 1),
                staff: (0..STAFF_PER_DEPARTMENT).map(|_| uuid(&mut rng)).collect(),
            })
            .collect();
        Duty { rng, departments }
    }

    /// Writes the departments and their staff (role `department`, the district's region).
    pub fn write(
        &mut self,
        c: &mut DbConn,
        district: &str,
        valid_from: NaiveDateTime,
    ) -> anyhow::Result<()> {
        let hash = crate::core::password::hash(PASSWORD)?;
        let mut dep_ins = Inserter::new(Table::Departments);
        let mut staff_ins = Inserter::new(Table::DepartmentStaff);
        let (rng, departments) = (&mut self.rng, &self.departments);
        chunked(
            c,
            departments.len() as u64,
            "departments",
            &mut [&mut dep_ins, &mut staff_ins],
            |k, ins| {
                let d = &departments[k as usize];
                ins[0].row(&[
                    lit(&d.id),
                    lit(&d.code),
                    lit(DEPARTMENTS[k as usize]),
                    lit("gen"),
                    lit(valid_from),
                ]);
                for (s, id) in d.staff.iter().enumerate() {
                    ins[1].row(&[
                        lit(id),
                        lit(format!("dept-{}-{}", d.code, s + 1)),
                        lit(&hash),
                        lit("department"),
                        lit(district),
                        lit(chinese_name(rng)),
                        lit(true),
                        lit(valid_from),
                        lit(valid_from),
                        lit(&d.id),
                    ]);
                }
                Ok(())
            },
        )
    }

    /// Whether an incident in `status` was dispatched to a department: one in sixteen of
    /// those that reached dispatch did (what a grid worker cannot fix: roads, buildings,
    /// pollution), to a department picked at random.
    pub fn dispatch(&mut self, status: &str) -> Option<Handling> {
        let handled = matches!(
            status,
            "dispatched" | "in_progress" | "resolved" | "closed" | "rework"
        );
        if !handled || self.departments.is_empty() || self.rng.gen_range(0..16) != 0 {
            return None;
        }
        let d = &self.departments[self.rng.gen_range(0..self.departments.len())];
        let staff = d.staff[self.rng.gen_range(0..d.staff.len())].clone();
        let department = d.id.clone();
        Some(Handling {
            department,
            staff,
            step_id: uuid(&mut self.rng),
        })
    }

    /// `tasks` tasks for this year and as many for last year (China Standard Time), each
    /// decomposed to one to three departments and, for most, the towns; monthly cumulative
    /// progress from every unit and monthly scores for the months gone by; last year's
    /// tasks also carry the year's scores.
    pub fn write_tasks(
        &mut self,
        c: &mut DbConn,
        w: &World,
        towns: &[String],
        tasks: usize,
    ) -> anyhow::Result<()> {
        if tasks == 0 || self.departments.is_empty() {
            return Ok(());
        }
        let local_now = w.now + Duration::hours(8);
        let this_year = local_now.year();
        let admin = w.user_ids[w.people.admin.as_str()];
        let jobs: Vec<(i32, usize)> = [this_year - 1, this_year]
            .into_iter()
            .flat_map(|y| (0..tasks).map(move |t| (y, t)))
            .collect();
        let mut task_ins = Inserter::new(Table::Tasks);
        let mut unit_ins = Inserter::new(Table::TaskUnits);
        let mut progress_ins = Inserter::new(Table::TaskProgress);
        let mut score_ins = Inserter::new(Table::TaskScores);
        let (rng, departments) = (&mut self.rng, &self.departments);
        chunked(
            c,
            jobs.len() as u64,
            "tasks",
            &mut [
                &mut task_ins,
                &mut unit_ins,
                &mut progress_ins,
                &mut score_ins,
            ],
            |k, ins| {
                let (year, t) = jobs[k as usize];
                let id = uuid(rng);
                let (title, indicator) = TASKS[t % TASKS.len()];
                let weight = f64::from(rng.gen_range(1..=5));
                let due_month = rng.gen_range(6..=12);
                let due = last_day(year, due_month);
                // Entered one after the other on the year's first working days.
                let created = local_midnight(NaiveDate::from_ymd_opt(year, 1, 5).expect("a date"))
                    + Duration::hours(9)
                    + Duration::minutes(t as i64 * 3);
                ins[0].row(&[
                    lit(&id),
                    lit(format!("{year}-AQ-{:03}", t + 1)),
                    lit(format!("{title}（第{}项）", t + 1)),
                    lit("按年度平安建设责任书分解落实，按月报告进度。"),
                    lit(i64::from(year)),
                    lit(indicator),
                    lit(due.format("%Y-%m-%d").to_string()),
                    lit(weight),
                    lit("gen"),
                    lit(admin),
                    lit(created),
                ]);
                // The units: departments by function, towns by territory.
                let mut units: Vec<(String, &str, &str, Option<&str>)> = Vec::new();
                for _ in 0..rng.gen_range(1..=3) {
                    let d = &departments[rng.gen_range(0..departments.len())];
                    if !units.iter().any(|u| u.0 == d.id) {
                        units.push((d.id.clone(), "department", "functional", Some(&d.staff[0])));
                    }
                }
                if rng.gen_range(0..10) < 6 {
                    for town in towns {
                        let sup = w.user_ids[format!("sup-{town}").as_str()];
                        units.push((town.clone(), "region", "territorial", Some(sup)));
                    }
                }
                let months = if year == this_year {
                    local_now.month()
                } else {
                    12
                };
                for (position, (unit, kind, duty, reporter)) in units.iter().enumerate() {
                    let target = f64::from(rng.gen_range(1..=40) * 5);
                    ins[1].row(&[
                        lit(&id),
                        lit(unit),
                        lit(*kind),
                        lit(*duty),
                        lit(target),
                        lit(position as i64),
                    ]);
                    // Where the unit will be at the year's end, reached month by month.
                    let pace = target * rng.gen_range(0.6..1.2) / 12.0;
                    let mut value = 0.0;
                    for month in 1..=months {
                        value += (pace * rng.gen_range(0.5..1.5)).round();
                        let reported = local_midnight(
                            NaiveDate::from_ymd_opt(year, month, 25).expect("a date"),
                        ) + Duration::hours(10);
                        if reported > w.now || rng.gen_range(0..5) == 0 {
                            continue;
                        }
                        ins[2].row(&[
                            lit(uuid(rng)),
                            lit(&id),
                            lit(unit),
                            lit(value),
                            lit(MONTH_NOTES[rng.gen_range(0..MONTH_NOTES.len())]),
                            lit(reported),
                            lit(reporter.unwrap_or(admin)),
                            lit("gen"),
                            lit(reported),
                        ]);
                    }
                    // Months are scored once they are over; a year once it is.
                    let scored: Vec<String> = (1..months)
                        .chain((year < this_year).then_some(12))
                        .map(|m| format!("{year}-{m:02}"))
                        .chain((year < this_year).then(|| year.to_string()))
                        .collect();
                    for period in scored {
                        let at = w.now.min(local_midnight(
                            NaiveDate::from_ymd_opt(year, 12, 31).expect("a date"),
                        ));
                        ins[3].row(&[
                            lit(&id),
                            lit(period),
                            lit(unit),
                            lit(f64::from(rng.gen_range(60..=100))),
                            Lit::Text(""),
                            lit(admin),
                            lit(at),
                        ]);
                    }
                }
                Ok(())
            },
        )
    }
}

/// The last day of a month.
fn last_day(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("a date") - Duration::days(1)
}

/// Midnight of a China Standard Time date, as the UTC instant the database stores.
fn local_midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight") - Duration::hours(8)
}
