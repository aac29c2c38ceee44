//! Interface text: Chinese by default, English on request (kept in localStorage).

use std::cell::Cell;

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

/// The text for `key` in the current language.
pub fn t(key: &str) -> &'static str {
    let en = english();
    let pair: (&'static str, &'static str) = match key {
        "app" => ("网格通", "Gridwork"),
        "username" => ("用户名", "Username"),
        "password" => ("密码", "Password"),
        "login" => ("登录", "Log in"),
        "logout" => ("退出", "Log out"),
        "lang" => ("English", "中文"),
        "my_incidents" => ("我的事件", "My incidents"),
        "queue" => ("事件队列", "Incident queue"),
        "report" => ("上报事件", "Report an incident"),
        "visits_due" => ("待走访", "Visits due"),
        "my_cells" => ("我的网格", "My cells"),
        "category" => ("类别", "Category"),
        "title" => ("标题", "Title"),
        "description" => ("描述", "Description"),
        "severity" => ("紧急程度", "Severity"),
        "location" => ("位置", "Location"),
        "use_gps" => ("获取定位", "Use GPS"),
        "pick_on_map" => ("在地图上选点", "Pick on the map"),
        "gps_poor" => (
            "定位不准，请在地图上点选位置",
            "GPS is imprecise: tap the place on the map",
        ),
        "submit" => ("提交", "Submit"),
        "pending" => ("待同步", "Pending"),
        "synced" => ("已同步", "Synced"),
        "offline" => ("离线", "Offline"),
        "sync_now" => ("立即同步", "Sync now"),
        "saved_offline" => (
            "已保存，联网后自动同步",
            "Saved; it syncs when the network is back",
        ),
        "cell" => ("网格", "Cell"),
        "outside_grid" => ("该位置不在任何网格内", "This place is in no cell"),
        "status" => ("状态", "Status"),
        "level" => ("层级", "Level"),
        "due" => ("期限", "Due"),
        "history" => ("处理记录", "History"),
        "note" => ("备注", "Note"),
        "assignee" => ("处置人", "Assignee"),
        "back" => ("返回", "Back"),
        "nothing" => ("暂无", "Nothing here"),
        "loading" => ("加载中…", "Loading…"),
        "retry" => ("重试", "Try again"),
        "screen_unavailable" => (
            "此页面尚未下载到手机，请联网后重试",
            "This screen is not on the phone yet: try again with a network",
        ),
        "conflict" => ("离线冲突，待核查", "Offline conflict: to review"),
        "overdue" => ("已超期", "Overdue"),
        "open_incidents" => ("未结事件", "Open incidents"),
        "hazards" => ("隐患", "Hazards"),
        "no_cells" => ("暂无分配的网格", "No cells assigned to you"),
        "low" => ("一般", "Low"),
        "medium" => ("较急", "Medium"),
        "high" => ("紧急", "High"),
        "urgent" => ("特急", "Urgent"),
        "visit" => ("走访", "Visit"),
        "photo" => ("照片", "Photo"),
        "photo_ready" => ("照片已压缩", "Photo compressed to"),
        "map" => ("网格地图", "Grid map"),
        "admin" => ("系统管理", "Administration"),
        "import" => ("导入网格（GeoJSON）", "Import cells (GeoJSON)"),
        "assign" => ("网格员分配", "Assign workers to a cell"),
        "users" => ("用户", "Users"),
        "save" => ("保存", "Save"),
        "create" => ("新建", "Create"),
        "display_name" => ("姓名", "Name"),
        "created" => ("新增", "created"),
        "updated" => ("更新", "updated"),
        "not_json" => ("文件不是 JSON", "The file is not JSON"),
        "legend_red" => ("有超期", "something overdue"),
        "legend_yellow" => ("有未办结", "something open"),
        "legend_green" => ("无事项", "all clear"),
        "outcome" => ("走访结果", "Outcome"),
        "risk" => ("风险等级（如有变化）", "Risk level (if changed)"),
        "units" => ("平安细胞", "Safety units"),
        "inspect" => ("检查", "Inspect"),
        "result" => ("检查结果", "Result"),
        "hazard" => ("隐患描述", "Hazard"),
        "deadline_days" => ("整改期限（天）", "Days to fix"),
        "queue_filters" => ("事件筛选", "Filter incidents"),
        "open" => ("未办结", "Open"),
        "all" => ("全部", "All"),
        "offline_list" => (
            "离线：显示本机已同步的数据",
            "Offline: showing what this phone has synced",
        ),
        "overdue_visits" => ("超期未走访", "Overdue visits"),
        "figures" => ("考评统计", "Assessment figures"),
        "from" => ("开始日期", "From"),
        "to" => ("结束日期", "To"),
        "region" => ("区域", "Region"),
        "overall" => ("合计", "Overall"),
        "filed" => ("上报", "Filed"),
        "closed_count" => ("结案", "Closed"),
        "on_time" => ("按时结案率", "Closed on time"),
        "rework_rate" => ("返工率", "Rework rate"),
        "visits_on_time" => ("按时走访率", "Visits on time"),
        "inspections" => ("检查次数", "Inspections"),
        "hazards_open" => ("未整改隐患", "Open hazards"),
        "merge_into" => ("合并到（重复事件）", "Merge into (duplicate of)"),
        _ => ("?", "?"),
    };
    if en { pair.1 } else { pair.0 }
}

/// A status or action word.
pub fn word(s: &str) -> &'static str {
    let en = english();
    let pair: (&'static str, &'static str) = match s {
        "reported" => ("已上报", "reported"),
        "accepted" => ("已受理", "accepted"),
        "rejected" => ("不予受理", "rejected"),
        "dispatched" => ("已派遣", "dispatched"),
        "in_progress" => ("处置中", "in progress"),
        "resolved" => ("已处置", "resolved"),
        "closed" => ("已结案", "closed"),
        "rework" => ("返工", "rework"),
        "community" => ("村(社区)", "community"),
        "town" => ("镇(街道)", "town"),
        "district" => ("区", "district"),
        "accept" => ("受理", "Accept"),
        "reject" => ("不受理", "Reject"),
        "dispatch" => ("派遣", "Dispatch"),
        "start" => ("开始处置", "Start"),
        "resolve" => ("处置完成", "Resolve"),
        "verify" => ("核查结案", "Verify"),
        "escalate" => ("上报上级", "Escalate"),
        "self_close" => ("当场办结", "Close on the spot"),
        "merge" => ("合并", "Merge"),
        "comment" => ("留言", "Comment"),
        "clear_conflict" => ("解除冲突", "Clear conflict"),
        "report" => ("上报", "report"),
        "mediation" => ("调解", "mediation"),
        "merged" => ("被合并", "merged"),
        _ => ("", ""),
    };
    match (pair, en) {
        (("", ""), _) => "",
        ((zh, _), false) => zh,
        ((_, en), true) => en,
    }
}
