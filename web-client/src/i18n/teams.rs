//! Text of the volunteer-team screens (群防群治): a volunteer's team and its patrols, and the
//! office's team list, team page, team forms and the teams' figures.

use gridwork_shared::team::TeamKind;

crate::texts! {
pub enum TeamText {
    Kind => "类型", "Kind";
    AllKinds => "全部类型", "Every kind";
    KindSafetySisters => "平安大嫂", "safety sisters";
    KindRedArmband => "红袖标", "red armbands";
    KindNeighbourHelp => "乡亲帮帮队", "neighbour help";
    KindOther => "其他", "other";
    Zone => "责任区", "Zone";
    ZoneEmpty => "尚未划定责任区", "No zone set yet";
    Members => "队员", "Members";
    NoMembers => "暂无队员", "No members yet";
    Points => "积分", "Points";
    TeamPoints => "队伍积分", "Team points";
    PointsRule => "每条被受理的上报 10 分，每次巡逻每满 1 小时 2 分",
        "10 points per accepted report, 2 per whole hour of each patrol";
    AcceptedReports => "受理上报", "Accepted reports";
    PatrolHours => "巡逻小时", "Patrol hours";
    Leader => "队长", "Leader";
    NoLeader => "未设队长", "No leader";
    Region => "所属区域", "Region";
    Active => "在用", "Active";
    Inactive => "已停用", "Inactive";
    Patrols => "最近巡逻", "Recent patrols";
    NoPatrols => "暂无巡逻记录", "No patrols yet";
    PatrolsOffline => "联网后显示已发送的巡逻", "Patrols already sent show when there is a network";
    NoTeam => "您还不在任何队伍中", "You are in no team";
    StartPatrol => "开始巡逻", "Start a patrol";
    StopPatrol => "结束巡逻", "Stop the patrol";
    Patrolling => "巡逻中，自", "Patrolling since";
    Fixes => "个定位点", "GPS fixes";
    NoFixYet => "正在等待定位…", "Waiting for a GPS fix…";
    GpsOff => "无法定位：巡逻照常记录，但没有路线", "No GPS: the patrol is recorded without a route";
    ConfirmPatrol => "确认巡逻记录", "Confirm the patrol";
    TookPart => "参加巡逻的队员", "Members who took part";
    KeepRoute => "保留我的巡逻路线", "Keep my route";
    KeepRouteHint => "只有勾选时才会发送路线", "The route is sent only when this is ticked";
    NoRoute => "定位点不足两个，不能保存路线", "Fewer than two fixes: there is no route to keep";
    SavePatrol => "保存巡逻", "Save the patrol";
    ContinuePatrol => "继续巡逻", "Go on patrolling";
    DiscardPatrol => "放弃本次巡逻", "Discard this patrol";
    ChooseMember => "请至少勾选一名参加的队员", "Tick at least one member who took part";
    Queued => "巡逻已保存，联网后自动发送", "Patrol saved: it is sent when there is a network";
    Waiting => "待发送", "waiting to be sent";
    Hours => "小时", "h";
    PointsEach => "每人积分", "points each";
    WithRoute => "含路线", "with route";
    NewTeam => "新建队伍", "New team";
    EditTeam => "修改队伍", "Edit the team";
    SetMembers => "设置队员", "Set the members";
    Name => "名称", "Name";
    ChooseRegion => "请选择区域（镇街或社区）", "Choose the region (a town or a community)";
    ChooseKind => "请选择类型", "Choose the kind";
    ZoneCells => "责任区网格", "The zone's cells";
    NoCellsHere => "该区域暂无网格", "No cells in this region";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    MembersSaved => "队员已保存", "Members saved";
    NoVolunteersHere => "该区域暂无可选的志愿者", "No volunteers of this region to choose";
    InAnotherTeam => "已在另一支在用的队伍中", "is already in another active team";
    Shown => "支", "shown";
    More => "更多", "More";
    Figures => "队伍考评", "Team figures";
    Team => "队伍", "Team";
    Reports => "上报", "Reports";
    PatrolCount => "巡逻次数", "Patrols";
    NoTeams => "暂无队伍", "No teams";
    AllTime => "不填日期即统计全部时间", "Leave the dates empty for all of time";
    ExportNote => "按当前表格导出", "Exports the table as shown";
    OfficeOnly => "只有督导员和管理员可以查看", "Only supervisors and admins see this";
}
}

/// A team's kind, as the screens name it.
pub fn kind(k: TeamKind) -> TeamText {
    match k {
        TeamKind::SafetySisters => TeamText::KindSafetySisters,
        TeamKind::RedArmband => TeamText::KindRedArmband,
        TeamKind::NeighbourHelp => TeamText::KindNeighbourHelp,
        TeamKind::Other => TeamText::KindOther,
    }
}
