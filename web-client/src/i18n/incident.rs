//! Text of the incident screen: triage facts, photos, mediation, comments, duplicates.

crate::texts! {
pub enum IncidentText {
    Photos => "照片", "Photos";
    NoPhotos => "暂无照片", "No photos yet";
    AddPhoto => "补充照片", "Add a photo";
    SendPhoto => "保存照片", "Keep this photo";
    StepPhoto => "本步骤照片（如处置后现场，可不填）", "Photo of this step (e.g. the place after the fix; optional)";
    PhotoQueued => "照片已存在手机上，联网后自动上传", "The photo is kept on the phone and uploads when there is a network";
    Reporter => "上报人", "Reporter";
    You => "你", "you";
    NotShown => "（不公开）", "(not shown)";
    Assignee => "承办人", "Assigned to";
    NotAssigned => "尚未派遣", "Not assigned yet";
    AssignedElse => "已派遣（姓名未同步到手机）", "Assigned (the name is not on this phone)";
    ReportedAt => "上报时间", "Reported";
    Place => "位置", "Place";
    DispatchTo => "派遣给", "Dispatch to";
    FindWorker => "按姓名查找网格员", "Find a worker by name";
    FindExample => "例如：张", "e.g. Zhang";
    NoWorkers => "本社区暂无可派遣的网格员", "No worker of this community can take it";
    SendDispatch => "确认派遣", "Dispatch to the chosen worker";
    SendMerge => "确认合并", "Merge into the chosen incident";
    Cancel => "取消", "Cancel";
    MetresAway => "米", "m away";
    Duplicates => "可能重复的事件", "Possible duplicates";
    Mediations => "调解记录", "Mediation sessions";
    NoMediations => "暂无调解记录", "No sessions recorded yet";
    Mediator => "调解员", "Mediator";
    HeldAt => "调解时间", "Held at";
    Parties => "当事人", "Parties";
    PartyName => "当事人姓名", "Party's name";
    PartyRole => "身份（如申请人）", "Role (e.g. applicant)";
    PartyPhone => "电话", "Phone";
    AddParty => "添加当事人", "Add a party";
    RemoveParty => "移除此当事人", "Remove this party";
    MediationOutcome => "调解情况", "What happened";
    Agreement => "是否达成协议", "Agreement reached?";
    AgreementYes => "达成协议", "agreement reached";
    AgreementNo => "未达成协议", "no agreement";
    ChooseAgreement => "请选择是否达成协议", "Choose whether an agreement was reached";
    BadTime => "请填写调解时间", "Fill in when the session was held";
    RecordMediation => "记录本次调解", "Record the session";
    MaskedParties => "当事人姓名和电话仅承办人可见", "Only those who handle the case see the parties' names and phones";
    NewMediation => "新增调解记录", "Record a mediation session";
    Comment => "留言", "Comment";
    CommentExample => "例如：已电话联系物业", "e.g. called the property manager";
    SendComment => "发表留言", "Post the comment";
    OfflineHistory => "离线：以下是手机上已有的记录", "Offline: this is what the phone holds";
    Waiting => "待发送", "Waiting to be sent";
    Queued => "已存在手机上，联网后发送", "Kept on the phone; it is sent when there is a network";
}
}
