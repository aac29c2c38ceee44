//! Text of the deliberation hall (议事厅) and the selections (德治评选): the items, their
//! sessions and steps, the campaigns, nominations and the honour roll.

use gridwork_shared::deliberation::{DeliberationAction, DeliberationStatus};
use gridwork_shared::selection::{Award, CampaignStatus, NominationStatus};

crate::texts! {
pub enum HallText {
    Hall => "议事厅", "Deliberation hall";
    Raise => "提出议事", "Raise an item";
    RaiseTitle => "提出议事事项", "Raise an item for the hall";
    TakeToHall => "提交议事厅", "Take this to the deliberation hall";
    Community => "村(社区)", "Community";
    NoCommunity => "您没有可提出议事的村(社区)", "You have no community to raise an item in";
    FromIncident => "来源事件", "From incident";
    AllStatuses => "全部状态", "Every status";
    Shown => "项", "shown";
    Waiting => "待发送", "waiting to be sent";
    WaitingItem => "这项议事还在本机，联网后发送。", "This item is still on this phone: it is sent when there is a network.";
    NotFound => "找不到该议事，或您无权查看", "No such item, or it is not yours to see";
    Decision => "决议", "Decision";
    Outcome => "办理结果（公示）", "Outcome (published)";
    DoneAt => "办结时间", "Completed";
    RaisedAt => "提出时间", "Raised";
    Sessions => "议事会议", "Sessions";
    NoSessions => "暂无会议记录", "No session yet";
    SessionsOnline => "联网后显示会议与处理记录", "Sessions and history show when there is a network";
    Attendees => "到会人数", "Present";
    For => "赞成", "For";
    Against => "反对", "Against";
    Abstain => "弃权", "Abstain";
    Passed => "表决通过", "passed";
    NotPassed => "未过半数", "not passed";
    MajorityRule => "赞成票超过到会人数一半即通过（恰好一半不通过）",
        "A vote passes when more than half of those present vote for it (exactly half does not)";
    HeldAt => "会议时间", "Held at";
    Place => "会议地点", "Place";
    Minutes => "会议纪要", "Minutes";
    RecordSession => "记录议事会议", "Record a session";
    NumbersNeeded => "请填写到会人数和赞成票数（整数）", "Fill in those present and the votes for (whole numbers)";
    HeldAtNeeded => "请填写会议时间", "Fill in when the session was held";
    Steps => "办理", "Steps";
    DecisionText => "决议内容", "What was decided";
    CompleteNote => "办理结果（将公示）", "What was done (published)";
    StepNote => "说明", "Note";
    Accept => "立项", "Accept";
    Decline => "不予立项", "Decline";
    Decide => "作出决议", "Decide";
    Implement => "开始实施", "Implement";
    Complete => "办结公示", "Complete";
    RaiseStep => "提出", "raised";
    StepDone => "已保存", "Saved";
    NeedsNetwork => "此操作需要联网", "This needs a network";
    // Statuses of an item.
    Raised => "已提出", "raised";
    Accepted => "已立项", "accepted";
    Declined => "不予立项", "declined";
    Decided => "已决议", "decided";
    Implementing => "实施中", "implementing";
    Done => "已办结", "done";
    // Selections.
    Selections => "德治评选", "Selections";
    NewCampaign => "发起评选", "Start a campaign";
    Award => "奖项", "Award";
    Year => "年度", "Year";
    Quota => "名额", "Quota";
    Selected => "已入选", "Selected";
    NominationsClose => "提名截止", "Nominations close";
    Accepting => "正在接受提名", "taking nominations";
    NotAccepting => "已停止提名", "no more nominations";
    Nominations => "提名", "Nominations";
    NoNominations => "暂无提名", "No nomination yet";
    NominationsOnline => "联网后显示提名", "The nominations show when there is a network";
    Nominate => "提名", "Nominate";
    NomineeName => "被提名人（或家庭）", "Nominee (a person or a family)";
    NomineeRegion => "所在区域", "Lives in";
    Story => "事迹", "Story";
    Nominated => "已提名", "nominated";
    Shortlisted => "入围", "shortlisted";
    SelectedStatus => "入选", "selected";
    DeclinedNomination => "未入选", "declined";
    Shortlist => "入围", "Shortlist";
    Select => "评为入选", "Select";
    DeclineNomination => "不予入选", "Decline";
    Open => "提名中", "open";
    Closed => "已截止", "closed";
    Announced => "已公布", "announced";
    Close => "截止提名", "Close nominations";
    Announce => "公布结果", "Announce";
    Honours => "光荣榜", "Honour roll";
    NoHonours => "暂无公布的入选者", "No one announced yet";
    AllYears => "全部年度", "Every year";
    CampaignNotFound => "找不到该评选，或您无权查看", "No such campaign, or it is not yours to see";
    NominationQueued => "提名已保存，联网后发送", "Nomination kept: it is sent when there is a network";
    OfficeOnly => "仅镇(街道)、区的管理人员和系统管理员可以发起评选", "Only supervisors and admins start a campaign";
    RegionAtLevel => "评选区域（与奖项层级一致）", "Region (at the award's level)";
    ChooseAwardFirst => "请先选择奖项", "Choose the award first";
    MostBeautiful => "最美合川人", "Most Beautiful Hechuan Person";
    NewSage => "新乡贤", "New Village Sage";
    GoodPerson => "身边好人", "Good Person Nearby";
    VillageModel => "乡村榜样", "Village Model";
    GoodFamily => "好家庭", "Good Family";
    GoodFamilyMotto => "好家训", "Good Family Motto";
    GoodInLaws => "好婆媳", "Good In-laws";
}
}

pub fn status(s: DeliberationStatus) -> HallText {
    match s {
        DeliberationStatus::Raised => HallText::Raised,
        DeliberationStatus::Accepted => HallText::Accepted,
        DeliberationStatus::Declined => HallText::Declined,
        DeliberationStatus::Decided => HallText::Decided,
        DeliberationStatus::Implementing => HallText::Implementing,
        DeliberationStatus::Done => HallText::Done,
    }
}

pub fn action(a: DeliberationAction) -> HallText {
    match a {
        DeliberationAction::Accept => HallText::Accept,
        DeliberationAction::Decline => HallText::Decline,
        DeliberationAction::Decide => HallText::Decide,
        DeliberationAction::Implement => HallText::Implement,
        DeliberationAction::Complete => HallText::Complete,
    }
}

/// A history line's step (`raise | accept | …`), or the word as it came.
pub fn step_word(s: &str) -> String {
    let a = match s {
        "raise" => return crate::i18n::t(HallText::RaiseStep).to_string(),
        "accept" => DeliberationAction::Accept,
        "decline" => DeliberationAction::Decline,
        "decide" => DeliberationAction::Decide,
        "implement" => DeliberationAction::Implement,
        "complete" => DeliberationAction::Complete,
        other => return other.to_string(),
    };
    crate::i18n::t(action(a)).to_string()
}

pub fn award(a: Award) -> HallText {
    match a {
        Award::MostBeautiful => HallText::MostBeautiful,
        Award::NewSage => HallText::NewSage,
        Award::GoodPerson => HallText::GoodPerson,
        Award::VillageModel => HallText::VillageModel,
        Award::GoodFamily => HallText::GoodFamily,
        Award::GoodFamilyMotto => HallText::GoodFamilyMotto,
        Award::GoodInLaws => HallText::GoodInLaws,
    }
}

pub fn campaign_status(s: CampaignStatus) -> HallText {
    match s {
        CampaignStatus::Open => HallText::Open,
        CampaignStatus::Closed => HallText::Closed,
        CampaignStatus::Announced => HallText::Announced,
    }
}

pub fn nomination_status(s: NominationStatus) -> HallText {
    match s {
        NominationStatus::Nominated => HallText::Nominated,
        NominationStatus::Shortlisted => HallText::Shortlisted,
        NominationStatus::Selected => HallText::SelectedStatus,
        NominationStatus::Declined => HallText::DeclinedNomination,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Label;

    #[test]
    fn awards_are_named_as_the_shared_crate_names_them() {
        for a in Award::ALL {
            assert_eq!(award(a).pair().0, a.name_zh());
        }
    }
}
