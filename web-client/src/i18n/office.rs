//! Text of the office screens: a cell's page, the figures per worker, the map, and a
//! volunteer's reports per cell.

crate::texts! {
pub enum OfficeText {
    CellNotFound => "找不到该网格，或您无权查看", "No such cell, or it is not yours to see";
    Community => "所属社区", "Community";
    Incidents => "事件（未结在前）", "Incidents (open first)";
    PersonsDue => "待走访人员", "Persons due a visit";
    Units => "平安细胞", "Safety units";
    Workers => "网格员", "Workers";
    WorkersOffline => "联网后显示网格员", "The workers show when there is a network";
    OpenCell => "打开网格页面", "Open the cell's page";
    MapHint => "点按网格，查看其事件、待走访人员、平安细胞和网格员",
        "Tap a cell to see its incidents, persons due, safety units and workers";
    RegionFigures => "各区域考评", "Figures per region";
    WorkerFigures => "网格员考评", "Figures per worker";
    Worker => "网格员", "Worker";
    Visits => "走访次数", "Visits";
    NoWorkers => "该区域暂无网格员", "No workers in this region";
    ExportCsv => "导出 CSV", "Export CSV";
    ExportExcel => "导出 Excel", "Export Excel";
    Exporting => "正在导出…", "Exporting…";
    Downloaded => "已下载", "Downloaded";
    SaveRefused => "浏览器未能保存文件，请重试或换用其他浏览器", "The browser could not save the file: try again, or use another browser";
    MyReports => "我的上报", "My reports";
    OpenReports => "处理中", "Being handled";
    NoReportsHere => "您在此网格暂无上报", "No reports of yours in this cell";
    VolunteerScope => "志愿者只看到自己上报的事件：每个网格显示您的上报及其处理情况。",
        "As a volunteer you see the incidents you reported: each cell shows your reports and how they went.";
    OtherCells => "本区域其他网格", "Other cells of your area";
    RejectReason => "不予受理的原因：", "Why it was rejected: ";
    NoReasonGiven => "未说明原因", "No reason given";
    MergedDuplicate => "作为重复事件已合并", "Merged as a duplicate";
}
}
