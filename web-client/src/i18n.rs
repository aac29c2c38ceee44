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

use self::labels::LabelText;
use serde::de::IntoDeserializer;
use serde::de::value::StrDeserializer;

pub mod admin;
pub mod duty;
pub mod halls;
pub mod incident;
pub mod labels;
pub mod office;
pub mod persons;
pub mod problems;
pub mod screens;
pub mod teams;
pub mod units;

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

/// A table of interface text: one line a key, Chinese then English. The main table below
/// holds what the first screens and the top bar show; each group of screens loaded on demand
/// keeps its own table in a module of `i18n/` (`texts! { pub enum PersonText { … } }`), so
/// its words travel in that screen's chunk rather than before the first screen. Each table
/// is checked by a test of its own: both languages present, Chinese first.
#[macro_export]
macro_rules! texts {
    (pub enum $name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        /// A piece of interface text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($key,)*
        }

        impl $name {
            /// Every key, for the tests.
            #[cfg(test)]
            pub const ALL: &[$name] = &[$($name::$key,)*];
        }

        impl $crate::i18n::Label for $name {
            fn pair(self) -> (&'static str, &'static str) {
                match self {
                    $($name::$key => ($zh, $en),)*
                }
            }
        }

        #[cfg(test)]
        #[test]
        fn every_key_has_chinese_and_english_text() {
            for key in $name::ALL {
                $crate::i18n::check_pair(&format!("{key:?}"), $crate::i18n::Label::pair(*key));
            }
        }
    };
}

/// A key of one of the text tables.
pub trait Label: Copy {
    /// (Chinese, English).
    fn pair(self) -> (&'static str, &'static str);
}

/// Fails when a table line lacks a language or has them the wrong way round.
#[cfg(test)]
pub fn check_pair(key: &str, (zh, en): (&str, &str)) {
    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }
    assert!(!zh.trim().is_empty(), "{key} has no Chinese text");
    assert!(!en.trim().is_empty(), "{key} has no English text");
    // The language switch names the other language; every other key is Chinese first and
    // English second.
    if key != "Lang" {
        assert!(has_chinese(zh), "{key}: {zh:?} is not Chinese");
        assert!(!has_chinese(en), "{key}: {en:?} is not English");
    }
}

texts! {
pub enum Text {
    App => "网格通", "Gridwork";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    Login => "登录", "Log in";
    Logout => "退出", "Log out";
    BadLogin => "用户名或密码错误", "Wrong username or password";
    TooManyAttempts => "尝试次数过多，请稍后再试", "Too many attempts: try again later";
    LoginFailed => "登录失败，请稍后再试", "Login failed: try again later";
    UnsentOnLogout => "条更改尚未发送。退出后它们留在本机，只在您再次登录时发送。",
        "changes not sent yet. After you log out they stay on this phone and are sent only when you log in again.";
    LogoutAnyway => "仍然退出", "Log out anyway";
    Stay => "留下", "Stay";
    Lang => "EN", "中文";
    Notifications => "通知", "Notifications";
    MyIncidents => "我的事件", "My incidents";
    Queue => "事件队列", "Incident queue";
    Report => "上报事件", "Report an incident";
    VisitsDue => "待走访", "Visits due";
    MyCells => "我的网格", "My cells";
    MyTeam => "我的队伍", "My team";
    Teams => "志愿队伍", "Volunteer teams";
    Pending => "待同步", "Pending";
    Offline => "离线", "Offline";
    SessionExpired => "登录已过期，请重新登录", "session expired";
    Due => "期限", "Due";
    Back => "返回", "Back";
    Nothing => "暂无", "Nothing here";
    Loading => "加载中…", "Loading…";
    Retry => "重试", "Try again";
    ScreenUnavailable => "此页面尚未下载到手机，请联网后重试",
        "This screen is not on the phone yet: try again with a network";
    Conflict => "离线冲突，待核查", "Offline conflict: to review";
    Overdue => "已超期", "Overdue";
    Map => "网格地图", "Grid map";
    Admin => "系统管理", "Administration";
    Units => "平安细胞", "Safety units";
    QueueFilters => "事件筛选", "Filter incidents";
    OverdueVisits => "超期未走访", "Overdue visits";
    Figures => "考评统计", "Assessment figures";
    Persons => "特殊人群", "Special populations";
    Safety => "平安细胞汇总", "Safety roll-up";
    MyProfile => "我的资料与密码", "My profile and password";
    // The deliberation hall and the selections (home's links).
    Hall => "议事厅", "Deliberation hall";
    Selections => "德治评选", "Selections";
    Honours => "光荣榜", "Honour roll";
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
}
}

/// The text for `key`, of any table, in the current language.
pub fn t(key: impl Label) -> &'static str {
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
pub fn action(a: Action) -> LabelText {
    match a {
        Action::Accept => LabelText::Accept,
        Action::Reject => LabelText::Reject,
        Action::Dispatch => LabelText::Dispatch,
        Action::Start => LabelText::Start,
        Action::Resolve => LabelText::Resolve,
        Action::Verify => LabelText::Verify,
        Action::Rework => LabelText::ReworkStep,
        Action::Escalate => LabelText::Escalate,
        Action::SelfClose => LabelText::SelfClose,
        Action::Merge => LabelText::Merge,
        Action::Comment => LabelText::Comment,
        Action::ClearConflict => LabelText::ClearConflict,
    }
}

pub fn severity(s: Severity) -> LabelText {
    match s {
        Severity::Low => LabelText::Low,
        Severity::Medium => LabelText::Medium,
        Severity::High => LabelText::High,
        Severity::Urgent => LabelText::Urgent,
    }
}

pub fn risk(r: RiskLevel) -> LabelText {
    match r {
        RiskLevel::Low => LabelText::Low,
        RiskLevel::Medium => LabelText::Medium,
        RiskLevel::High => LabelText::High,
    }
}

pub fn outcome(o: Outcome) -> LabelText {
    match o {
        Outcome::Met => LabelText::Met,
        Outcome::NotHome => LabelText::NotHome,
        Outcome::Refused => LabelText::Refused,
        Outcome::Moved => LabelText::Moved,
        Outcome::Hospitalized => LabelText::Hospitalized,
        Outcome::Detained => LabelText::Detained,
        Outcome::Deceased => LabelText::Deceased,
    }
}

pub fn unit_status(s: UnitStatus) -> LabelText {
    match s {
        UnitStatus::Safe => LabelText::UnitSafe,
        UnitStatus::Hazard => LabelText::UnitHazard,
        UnitStatus::Overdue => LabelText::UnitOverdue,
        UnitStatus::Unknown => LabelText::UnitUnknown,
    }
}

pub fn role(r: Role) -> LabelText {
    match r {
        Role::Admin => LabelText::RoleAdmin,
        Role::Supervisor => LabelText::RoleSupervisor,
        Role::Worker => LabelText::RoleWorker,
        Role::Volunteer => LabelText::RoleVolunteer,
        Role::Department => LabelText::RoleDepartment,
    }
}

/// A word of a history entry — the step taken, or the status it led to — in the current
/// language; empty for a word this client does not know.
pub fn word(s: &str) -> &'static str {
    word_pair(s).map(pick).unwrap_or_default()
}

/// The (Chinese, English) label of a history word.
fn word_pair(s: &str) -> Option<(&'static str, &'static str)> {
    if let Some(st) = Status::parse(s) {
        return Some(status(st).pair());
    }
    if let Some(l) = Level::parse(s) {
        return Some(level(l).pair());
    }
    let word: StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
    let label = Action::deserialize(word).ok().map(action).or(match s {
        "report" => Some(LabelText::Reporting),
        "mediation" => Some(LabelText::Mediation),
        "merged" => Some(LabelText::Merged),
        _ => None,
    });
    label.map(Label::pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_word_a_record_can_carry_has_a_label() {
        for s in Status::ALL {
            assert_eq!(word_pair(s.as_str()), Some(status(s).pair()));
        }
        assert_eq!(word_pair("town"), Some(Text::Town.pair()));
        assert_eq!(word_pair("self_close"), Some(LabelText::SelfClose.pair()));
        assert_eq!(
            word_pair("clear_conflict"),
            Some(LabelText::ClearConflict.pair())
        );
        assert_eq!(word_pair("merged"), Some(LabelText::Merged.pair()));
        // "rework" is both a status and the step that leads to it: one label.
        assert_eq!(word_pair("rework"), Some(Text::Rework.pair()));
        assert_eq!(word_pair("no such word"), None);
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

    /// Chinese words written outside the tables would not switch to English: only this file
    /// and the tables in `i18n/` hold interface text (comments aside).
    #[test]
    fn interface_text_lives_only_in_the_table() {
        let mut found = Vec::new();
        for path in client_sources() {
            if path.ends_with("i18n.rs") || path.parent().is_some_and(|d| d.ends_with("i18n")) {
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
