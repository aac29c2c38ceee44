//! Text of the person screens: the list, the record, registration and editing, the visit.

use gridwork_shared::person::PersonCategory;

crate::texts! {
pub enum PersonText {
    PersonsTitle => "特殊人群", "Special populations";
    Register => "登记人员", "Register a person";
    RegisterTitle => "登记特殊人群", "Register a person";
    EditTitle => "编辑人员信息", "Edit the record";
    // The seven categories (GB/T 31000-2015).
    CommunityCorrection => "社区矫正对象", "Community correction";
    ReleasedPrisoner => "刑满释放人员", "Released prisoner";
    DrugUser => "吸毒人员", "Drug user";
    SevereMentalDisorder => "严重精神障碍患者", "Severe mental disorder";
    KeyYouth => "重点青少年", "Key youth";
    AidsRisk => "艾滋病危险人员", "AIDS risk";
    Cult => "邪教人员", "Cult member";
    // The list's filters.
    Category => "类别", "Category";
    AllCategories => "全部类别", "All categories";
    Cell => "网格", "Cell";
    AllCells => "全部网格", "All cells";
    Due => "走访期限", "Visit due";
    AnyDue => "不限", "Any time";
    DueOverdue => "已超期", "Overdue";
    DueToday => "今天到期", "Due today";
    DueWeek => "7 天内到期", "Due within 7 days";
    More => "加载更多", "Load more";
    Offline => "离线：显示本机已同步的名单", "Offline: showing the persons this phone has synced";
    OfflineVisits => "离线：走访记录需联网查看", "Offline: the visits show with a network";
    // The record.
    Name => "姓名", "Name";
    IdNumber => "身份证号", "Identity number";
    Address => "住址", "Address";
    AddressHidden => "（查看完整信息后显示）", "(shown with the full record)";
    Risk => "风险等级", "Risk level";
    Responsible => "责任网格员", "Responsible worker";
    NextVisit => "下次走访", "Next visit";
    LastVisit => "上次走访", "Last visit";
    NoVisitDue => "无需走访", "No visit due";
    Archived => "已归档", "Archived";
    NotFound => "找不到该人员，或您无权查看", "No such person, or not one you may see";
    // The audited full record.
    ShowFull => "查看完整信息", "Show the full record";
    Reason => "查看理由（将记入审计日志）", "Reason for viewing (kept in the audit log)";
    ReasonExample => "例：核实走访情况", "e.g. checking a visit";
    ReasonRequired => "请填写查看理由", "Give the reason for viewing";
    ReasonTooLong => "理由不能超过 200 字，且只能一行", "The reason is one line of at most 200 characters";
    Show => "查看", "Show";
    Cancel => "取消", "Cancel";
    Hide => "隐藏", "Hide";
    FullShown => "完整信息：离开本页即隐藏", "Full record: hidden again when you leave this screen";
    // Visits.
    Visits => "走访记录", "Visits";
    NoVisits => "暂无走访记录", "No visits yet";
    RecordVisit => "记录走访", "Record a visit";
    Distance => "距登记住址", "from the registered address";
    Metres => "米", "m";
    Far => "偏离住址", "far from the address";
    VisitedBy => "走访人", "Visited by";
    Waiting => "待同步", "waiting to sync";
    OutcomeRequired => "请选择走访结果", "Choose the outcome";
    RiskUnchanged => "不变", "unchanged";
    // Registration and editing.
    IdNumberExample => "18 位，末位可为 X", "18 characters, the last may be X";
    IdNumberInvalid => "身份证号不正确（18 位，校验位须符合 GB 11643）",
        "This identity number is wrong (18 characters with a valid GB 11643 check digit)";
    Place => "住址位置", "Where the person lives";
    PlaceRequired => "请在地图上点选或输入住址位置", "Tap the place on the map or type it";
    CategoryRequired => "请选择类别", "Choose the category";
    RiskRequired => "请选择风险等级", "Choose the risk level";
    WorkerRequired => "请选择责任网格员", "Choose the responsible worker";
    NoWorkers => "您的辖区内没有可选的网格员", "There are no workers in your area to choose";
    KeepBlank => "留空则不变（可先查看完整信息）", "Leave blank to keep it (see the full record)";
    NewIdNumber => "新身份证号", "New identity number";
    NewAddress => "新住址", "New address";
    Edit => "编辑", "Edit";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    NothingChanged => "没有修改", "Nothing changed";
    Transfer => "移交", "Transfer";
    TransferTo => "移交给网格员", "Transfer to worker";
    Transferred => "已移交", "Transferred";
    Archive => "归档", "Archive";
    ArchiveConfirm => "归档后不再安排走访，也不在名单中显示。确定归档？",
        "An archived person gets no more visits and leaves the list. Archive this person?";
    ArchiveYes => "确定归档", "Archive";
    VersionConflict => "该记录已被他人修改：已载入最新内容，请核对后再保存",
        "Someone changed this record meanwhile: the latest version is loaded, check it and save again";
    OfficeOnly => "只有综治中心人员和管理员可以登记和编辑", "Only supervisors and administrators register and edit persons";
}
}

/// The label of a special-population category.
pub fn category(c: PersonCategory) -> PersonText {
    match c {
        PersonCategory::CommunityCorrection => PersonText::CommunityCorrection,
        PersonCategory::ReleasedPrisoner => PersonText::ReleasedPrisoner,
        PersonCategory::DrugUser => PersonText::DrugUser,
        PersonCategory::SevereMentalDisorder => PersonText::SevereMentalDisorder,
        PersonCategory::KeyYouth => PersonText::KeyYouth,
        PersonCategory::AidsRisk => PersonText::AidsRisk,
        PersonCategory::Cult => PersonText::Cult,
    }
}
