//! Interface text: Chinese by default, English on request (kept in localStorage).
//!
//! Every piece of text the interface shows is a [`Text`] key, and every key has both
//! languages in one table: a key the table lacks does not compile, and a key nobody uses any
//! more is a dead-code warning. Words that arrive in records (a status, a level, a history
//! step) are parsed into the shared enums first and labelled by the functions below.

use std::cell::Cell;

use gridwork_shared::api::Role;
use gridwork_shared::incident::{Action, Level, Severity, Status};
use gridwork_shared::person::{Outcome, RiskLevel};
use gridwork_shared::safety::UnitStatus;
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::StrDeserializer;

thread_local! {
    static ENGLISH: Cell<bool> = Cell::new(
        crate::services::store::get("gridwork.lang").as_deref() == Some("en")
    );
}

pub fn english() -> bool {
    ENGLISH.with(Cell::get)
}

pub fn set_english(en: bool) {
    ENGLISH.with(|c| c.set(en));
    crate::services::store::set("gridwork.lang", if en { "en" } else { "zh" });
}

/// The Chinese or the English half of a pair, in the current language.
fn pick((zh, en): (&'static str, &'static str)) -> &'static str {
    if english() { en } else { zh }
}

/// The table: one line a key, Chinese then English.
macro_rules! texts {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A piece of interface text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($key,)*
        }

        impl Text {
            /// Every key, for the tests.
            #[cfg(test)]
            pub const ALL: &[Text] = &[$(Text::$key,)*];

            /// (Chinese, English).
            pub const fn pair(self) -> (&'static str, &'static str) {
                match self {
                    $(Text::$key => ($zh, $en),)*
                }
            }
        }
    };
}

texts! {
    App => "网格通", "Gridwork";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    Login => "登录", "Log in";
    Logout => "退出", "Log out";
    UnsentOnLogout => "条更改尚未发送。退出后它们留在本机，只在您再次登录时发送。",
        "changes not sent yet. After you log out they stay on this phone and are sent only when you log in again.";
    LogoutAnyway => "仍然退出", "Log out anyway";
    Stay => "留下", "Stay";
    WaitingForOwner => "条更改尚未发送，等其本人登录后发送：",
        "changes not sent yet, waiting for their owner to log in:";
    Discard => "丢弃", "Discard";
    DiscardForGood => "永久丢弃这些更改？此操作无法撤销。", "Discard these changes for good? This cannot be undone.";
    Keep => "保留", "Keep";
    Lang => "English", "中文";
    MyIncidents => "我的事件", "My incidents";
    Queue => "事件队列", "Incident queue";
    Report => "上报事件", "Report an incident";
    VisitsDue => "待走访", "Visits due";
    MyCells => "我的网格", "My cells";
    Category => "类别", "Category";
    Title => "标题", "Title";
    Description => "描述", "Description";
    Severity => "紧急程度", "Severity";
    Location => "位置", "Location";
    UseGps => "获取定位", "Use GPS";
    GpsUnavailable => "无法定位", "GPS unavailable";
    PickOnMap => "在地图上选点", "Pick on the map";
    GpsPoor => "定位不准，请在地图上点选位置", "GPS is imprecise: tap the place on the map";
    Submit => "提交", "Submit";
    Pending => "待同步", "Pending";
    Offline => "离线", "Offline";
    SessionExpired => "登录已过期，请重新登录", "session expired";
    Cell => "网格", "Cell";
    OutsideGrid => "该位置不在任何网格内", "This place is in no cell";
    Status => "状态", "Status";
    Level => "层级", "Level";
    Due => "期限", "Due";
    History => "处理记录", "History";
    Note => "备注", "Note";
    Back => "返回", "Back";
    Nothing => "暂无", "Nothing here";
    Loading => "加载中…", "Loading…";
    Retry => "重试", "Try again";
    ScreenUnavailable => "此页面尚未下载到手机，请联网后重试",
        "This screen is not on the phone yet: try again with a network";
    Conflict => "离线冲突，待核查", "Offline conflict: to review";
    Overdue => "已超期", "Overdue";
    OpenIncidents => "未结事件", "Open incidents";
    Hazards => "隐患", "Hazards";
    NoCells => "暂无分配的网格", "No cells assigned to you";
    Low => "一般", "Low";
    Medium => "较急", "Medium";
    High => "紧急", "High";
    Urgent => "特急", "Urgent";
    Visit => "走访", "Visit";
    Photo => "照片", "Photo";
    PhotoReady => "照片已压缩", "Photo compressed to";
    Map => "网格地图", "Grid map";
    Admin => "系统管理", "Administration";
    Import => "导入网格（GeoJSON）", "Import cells (GeoJSON)";
    Assign => "网格员分配", "Assign workers to a cell";
    Users => "用户", "Users";
    Role => "角色", "Role";
    Save => "保存", "Save";
    Create => "新建", "Create";
    DisplayName => "姓名", "Name";
    Created => "新增", "created";
    Updated => "更新", "updated";
    NotJson => "文件不是 JSON", "The file is not JSON";
    LegendRed => "有超期", "something overdue";
    LegendYellow => "有未办结", "something open";
    LegendGreen => "无事项", "all clear";
    MapIncidents => "事件", "Incidents";
    MapOverdue => "超期", "overdue";
    MapVisitsOverdue => "走访超期", "Visits overdue";
    MapHazards => "隐患", "Hazards";
    MapHazardsOverdue => "整改超期", "past the deadline to fix";
    Outcome => "走访结果", "Outcome";
    Risk => "风险等级（如有变化）", "Risk level (if changed)";
    Units => "平安细胞", "Safety units";
    Inspect => "检查", "Inspect";
    Result => "检查结果", "Result";
    Hazard => "隐患描述", "Hazard";
    DeadlineDays => "整改期限（天）", "Days to fix";
    QueueFilters => "事件筛选", "Filter incidents";
    Open => "未办结", "Open";
    All => "全部", "All";
    OfflineList => "离线：显示本机已同步的数据", "Offline: showing what this phone has synced";
    OverdueVisits => "超期未走访", "Overdue visits";
    Figures => "考评统计", "Assessment figures";
    From => "开始日期", "From";
    To => "结束日期", "To";
    Region => "区域", "Region";
    Overall => "合计", "Overall";
    Filed => "上报", "Filed";
    ClosedCount => "结案", "Closed";
    OnTime => "按时结案率", "Closed on time";
    ReworkRate => "返工率", "Rework rate";
    VisitsOnTime => "按时走访率", "Visits on time";
    Inspections => "检查次数", "Inspections";
    HazardsOpen => "未整改隐患", "Open hazards";
    MergeInto => "合并到（重复事件）", "Merge into (duplicate of)";
    // Incident statuses.
    Reported => "已上报", "reported";
    Accepted => "已受理", "accepted";
    Rejected => "不予受理", "rejected";
    Dispatched => "已派遣", "dispatched";
    InProgress => "处置中", "in progress";
    Resolved => "已处置", "resolved";
    Closed => "已结案", "closed";
    // Both the status and the step that leads to it.
    Rework => "返工", "rework";
    // Handling levels.
    Community => "村(社区)", "community";
    Town => "镇(街道)", "town";
    District => "区", "district";
    // Steps of an incident.
    Accept => "受理", "Accept";
    Reject => "不受理", "Reject";
    Dispatch => "派遣", "Dispatch";
    Start => "开始处置", "Start";
    Resolve => "处置完成", "Resolve";
    Verify => "核查结案", "Verify";
    Escalate => "上报上级", "Escalate";
    SelfClose => "当场办结", "Close on the spot";
    Merge => "合并", "Merge";
    Comment => "留言", "Comment";
    ClearConflict => "解除冲突", "Clear conflict";
    // History entries that are no step of the state machine.
    Reporting => "上报", "report";
    Mediation => "调解", "mediation";
    Merged => "被合并", "merged";
    // Roles.
    RoleAdmin => "系统管理员", "administrator";
    RoleSupervisor => "综治中心人员", "supervisor";
    RoleWorker => "网格员", "grid worker";
    RoleVolunteer => "志愿者", "volunteer";
    // Safety-unit statuses.
    UnitSafe => "安全", "safe";
    UnitHazard => "有隐患", "hazard";
    UnitOverdue => "整改超期", "overdue";
    UnitUnknown => "未检查", "not inspected";
    // What a visit found.
    Met => "见面", "met";
    NotHome => "不在家", "not at home";
    Refused => "拒绝", "refused";
    Moved => "已搬离", "moved";
    Hospitalized => "住院", "in hospital";
    Detained => "被羁押", "detained";
    Deceased => "已去世", "deceased";
}

/// The text for `key` in the current language.
pub fn t(key: Text) -> &'static str {
    pick(key.pair())
}

pub fn status(s: Status) -> Text {
    match s {
        Status::Reported => Text::Reported,
        Status::Accepted => Text::Accepted,
        Status::Rejected => Text::Rejected,
        Status::Dispatched => Text::Dispatched,
        Status::InProgress => Text::InProgress,
        Status::Resolved => Text::Resolved,
        Status::Closed => Text::Closed,
        Status::Rework => Text::Rework,
    }
}

pub fn level(l: Level) -> Text {
    match l {
        Level::Community => Text::Community,
        Level::Town => Text::Town,
        Level::District => Text::District,
    }
}

/// The label of a step (its button, or its line in the history).
pub fn action(a: Action) -> Text {
    match a {
        Action::Accept => Text::Accept,
        Action::Reject => Text::Reject,
        Action::Dispatch => Text::Dispatch,
        Action::Start => Text::Start,
        Action::Resolve => Text::Resolve,
        Action::Verify => Text::Verify,
        Action::Rework => Text::Rework,
        Action::Escalate => Text::Escalate,
        Action::SelfClose => Text::SelfClose,
        Action::Merge => Text::Merge,
        Action::Comment => Text::Comment,
        Action::ClearConflict => Text::ClearConflict,
    }
}

pub fn severity(s: Severity) -> Text {
    match s {
        Severity::Low => Text::Low,
        Severity::Medium => Text::Medium,
        Severity::High => Text::High,
        Severity::Urgent => Text::Urgent,
    }
}

pub fn risk(r: RiskLevel) -> Text {
    match r {
        RiskLevel::Low => Text::Low,
        RiskLevel::Medium => Text::Medium,
        RiskLevel::High => Text::High,
    }
}

pub fn outcome(o: Outcome) -> Text {
    match o {
        Outcome::Met => Text::Met,
        Outcome::NotHome => Text::NotHome,
        Outcome::Refused => Text::Refused,
        Outcome::Moved => Text::Moved,
        Outcome::Hospitalized => Text::Hospitalized,
        Outcome::Detained => Text::Detained,
        Outcome::Deceased => Text::Deceased,
    }
}

pub fn unit_status(s: UnitStatus) -> Text {
    match s {
        UnitStatus::Safe => Text::UnitSafe,
        UnitStatus::Hazard => Text::UnitHazard,
        UnitStatus::Overdue => Text::UnitOverdue,
        UnitStatus::Unknown => Text::UnitUnknown,
    }
}

pub fn role(r: Role) -> Text {
    match r {
        Role::Admin => Text::RoleAdmin,
        Role::Supervisor => Text::RoleSupervisor,
        Role::Worker => Text::RoleWorker,
        Role::Volunteer => Text::RoleVolunteer,
    }
}

/// A word of a history entry — the step taken, or the status it led to — in the current
/// language; empty for a word this client does not know.
pub fn word(s: &str) -> &'static str {
    word_key(s).map(t).unwrap_or_default()
}

fn word_key(s: &str) -> Option<Text> {
    Status::parse(s)
        .map(status)
        .or_else(|| Level::parse(s).map(level))
        .or_else(|| {
            let word: StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
            Action::deserialize(word).ok().map(action)
        })
        .or(match s {
            "report" => Some(Text::Reporting),
            "mediation" => Some(Text::Mediation),
            "merged" => Some(Text::Merged),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_key_has_chinese_and_english_text() {
        for key in Text::ALL {
            let (zh, en) = key.pair();
            assert!(!zh.trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
            // The language switch names the other language; every other key is Chinese
            // first and English second.
            if *key != Text::Lang {
                assert!(has_chinese(zh), "{key:?}: {zh:?} is not Chinese");
                assert!(!has_chinese(en), "{key:?}: {en:?} is not English");
            }
        }
    }

    #[test]
    fn every_word_a_record_can_carry_has_a_label() {
        for s in Status::ALL {
            assert_eq!(word_key(s.as_str()), Some(status(s)));
        }
        assert_eq!(word_key("town"), Some(Text::Town));
        assert_eq!(word_key("self_close"), Some(Text::SelfClose));
        assert_eq!(word_key("clear_conflict"), Some(Text::ClearConflict));
        assert_eq!(word_key("merged"), Some(Text::Merged));
        // "rework" is both a status and the step that leads to it: one label.
        assert_eq!(word_key("rework"), Some(Text::Rework));
        assert_eq!(word_key("no such word"), None);
    }

    /// The `.rs` files of the client, and its map script.
    fn client_sources() -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "js") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("src"), &mut files);
        files.push(root.join("static/gridmap.js"));
        files
    }

    /// Chinese words written outside the table would not switch to English: only this file
    /// holds interface text (comments aside).
    #[test]
    fn interface_text_lives_only_in_the_table() {
        let mut found = Vec::new();
        for path in client_sources() {
            if path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Test data below `#[cfg(test)]` is no interface text.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if has_chinese(code) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "text outside i18n.rs:\n{}",
            found.join("\n")
        );
    }
}
