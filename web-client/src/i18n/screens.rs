//! Words more than one screen loaded on demand uses: form fields, the figures, the map legend.

crate::texts! {
pub enum ScreenText {
    Category => "类别", "Category";
    Title => "标题", "Title";
    Description => "描述", "Description";
    Severity => "紧急程度", "Severity";
    Location => "位置", "Location";
    UseGps => "获取定位", "Use GPS";
    GpsUnavailable => "无法定位", "GPS unavailable";
    PickOnMap => "在地图上选点", "Pick on the map";
    GpsPoor => "定位不准，请在地图上点选位置", "GPS is imprecise: tap the place on the map";
    // An explicit first option of a select: nothing is chosen until the user chooses.
    Choose => "请选择…", "Choose…";
    ResultRequired => "请选择检查结果", "Choose the result";
    DaysInvalid => "整改期限须为 1 至 365 天", "Days to fix: a whole number from 1 to 365";
    // Where the worker is (a visit, an inspection): `components/position.rs`.
    Here => "您所在的位置", "Where you are";
    Locating => "正在定位…", "Finding your position…";
    LocateAgain => "重新定位", "Locate again";
    GpsFix => "GPS 定位", "GPS fix";
    Accuracy => "精度", "accuracy";
    Metres => "米", "m";
    TappedOnMap => "在地图上点选", "tapped on the map";
    GpsDenied => "未获定位权限：请在浏览器中允许定位，或在地图上点选您所在的位置",
        "Location permission refused: allow it in the browser, or tap where you are on the map";
    GpsNoFix => "暂时无法定位：请在地图上点选您所在的位置", "No position available: tap where you are on the map";
    GpsTimeout => "定位超时：请重试，或在地图上点选您所在的位置",
        "Finding your position took too long: try again, or tap where you are on the map";
    PositionRequired => "请先确定您所在的位置（定位或在地图上点选）", "Your position is needed first (GPS or a tap on the map)";
    MapUnavailable => "地图无法加载，请联网后重试", "The map cannot be loaded: try again with a network";
    Longitude => "经度", "Longitude";
    Latitude => "纬度", "Latitude";
    Submit => "提交", "Submit";
    Cell => "网格", "Cell";
    OutsideGrid => "该位置不在任何网格内", "This place is in no cell";
    Status => "状态", "Status";
    Level => "层级", "Level";
    History => "处理记录", "History";
    Note => "备注", "Note";
    OpenIncidents => "未结事件", "Open incidents";
    Hazards => "隐患", "Hazards";
    NoCells => "暂无分配的网格", "No cells assigned to you";
    Visit => "走访", "Visit";
    Photo => "照片", "Photo";
    PhotoOpen => "查看大图", "Open the full photo";
    PhotoUnavailable => "照片无法加载", "The photo cannot be loaded";
    Close => "关闭", "Close";
    PhotoReady => "照片已压缩", "Photo compressed to";
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
    MapZoomIn => "放大", "Zoom in";
    MapZoomOut => "缩小", "Zoom out";
    Outcome => "走访结果", "Outcome";
    Risk => "风险等级（如有变化）", "Risk level (if changed)";
    Inspect => "检查", "Inspect";
    Result => "检查结果", "Result";
    Hazard => "隐患描述", "Hazard";
    DeadlineDays => "整改期限（天）", "Days to fix";
    Open => "未办结", "Open";
    All => "全部", "All";
    OfflineList => "离线：显示本机已同步的数据", "Offline: showing what this phone has synced";
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
    Step => "事件步骤", "Step";
    NewUnit => "新平安细胞", "New safety unit";
    DiscardOneForGood => "永久丢弃这条更改？此操作无法撤销。", "Discard this change for good? This cannot be undone.";
    FixAndSend => "修改后重发", "Fix and send again";
    SendAgain => "原样重发", "Send again as it is";
    RefusedChip => "被退回", "refused";
    WaitingChip => "待发送", "waiting to be sent";
    OutboxTitle => "待发送与被退回的更改", "Changes not sent yet, and refused ones";
    AllSent => "全部已发送", "Everything is sent";
    FixingReport => "这条上报被退回了：请按原因修改后重新发送。", "This report was refused: fix it as the reason says and send it again.";
    ChooseCategory => "请选择…", "Choose…";
    ChooseSeverity => "请选择紧急程度", "Choose how serious it is";
    WaitingForOwner => "条更改尚未发送，等其本人登录后发送：",
        "changes not sent yet, waiting for their owner to log in:";
    Discard => "丢弃", "Discard";
    DiscardForGood => "永久丢弃这些更改？此操作无法撤销。", "Discard these changes for good? This cannot be undone.";
    Keep => "保留", "Keep";
    RefusedChanges => "条更改被服务器退回：点此查看原因并处理", "changes refused by the server: see why and deal with them";
    DueIn => "后到期", "due in";
    OverdueBy => "已超期", "overdue";
    SpanMinutes => "分钟", "min";
    Ago => "前", "ago";
    SpanHours => "小时", "h";
    SpanDays => "天", "days";
}
}
