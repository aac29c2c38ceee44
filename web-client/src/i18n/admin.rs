//! Text of the admin console and of one's own profile, in three tables so that each travels
//! in the one chunk that shows it: [`AdminText`] for the console's screens (regions, users,
//! settings, the audit log), [`ConsoleText`] for the console's index and the worker
//! assignment (which the map shows too), [`MeText`] for one's own profile.

crate::texts! {
pub enum AdminText {
    RegionsTitle => "区域管理", "Regions";
    SettingsTitle => "期限与走访周期", "Deadlines and visit intervals";
    AuditTitle => "审计日志", "Audit log";
    AdminsOnly => "只有系统管理员可以使用此页面。", "Only administrators may use this screen.";
    AuditAdminsOnly => "审计日志只有系统管理员可以查看。", "Only administrators may read the audit log.";
    More => "加载更多", "Load more";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    Cancel => "取消", "Cancel";
    NothingChanged => "没有改动，无需保存。", "Nothing was changed: nothing to save.";
    // Regions.
    Below => "个下级", "below";
    AddRegion => "新增镇(街道)或村(社区)", "Add a town or community";
    CodeRule => "区域代码：区 6 位，镇(街道) 9 位，村(社区) 12 位；每一级都是上级代码后加 3 位序号。选好上级后，上级代码是新代码的固定开头，只需填最后 3 位。",
        "Region codes: a district has 6 digits, a town or street 9, a community or village 12; each is its parent's code followed by a 3-digit serial. Once the parent is chosen, its code is the fixed start of the new code: type the last 3 digits.";
    TownSerials => "镇级序号：001–099 为街道，100–199 为镇，200–399 为乡。",
        "Town serials: 001–099 streets, 100–199 towns, 200–399 townships.";
    CommunitySerials => "村级序号：001–199 为社区居委会，200–399 为村委会。序号不能是 000。",
        "Community serials: 001–199 residents' committees, 200–399 villagers' committees. A serial is never 000.";
    Parent => "上级区域", "Parent region";
    ChooseParent => "请选择上级区域…", "Choose the parent region…";
    ChooseParentFirst => "请先选择上级区域。", "Choose the parent region first.";
    NewDistrict => "无上级（新增一个区，6 位代码）", "None (a new district, 6-digit code)";
    WillBe => "新区域的层级：", "The new region will be a";
    Code => "区域代码", "Region code";
    RegionName => "名称", "Name";
    RegionNameExample => "例如：文峰社区", "e.g. Wenfeng Community";
    Add => "新增", "Add";
    Added => "已新增", "Added";
    ThreeDigits => "请填写 3 位数字序号。", "Type a serial of exactly 3 digits.";
    DistrictDigits => "区的代码是 6 位数字。", "A district's code has exactly 6 digits.";
    NotZeroSerial => "序号不能是 000。", "The serial cannot be 000.";
    NoChildOfCommunity => "村(社区)下面不能再设区域，请在村(社区)下导入网格。",
        "A community has no regions under it: import its cells instead.";
    CodeTaken => "这个代码已被使用，请换一个序号。", "is already taken: choose another serial.";
    // Users.
    Search => "搜索姓名或用户名", "Search by name or username";
    SearchExample => "例如：李娜 或 li.na", "e.g. Li Na or li.na";
    Region => "所属区域", "Region";
    AllRoles => "全部角色", "All roles";
    AllRegions => "全部区域", "All regions";
    ChooseRole => "请选择角色…", "Choose a role…";
    ChooseRegion => "请选择区域…", "Choose a region…";
    ChooseRoleFirst => "请选择角色。", "Choose a role.";
    ChooseRegionFirst => "请选择所属区域（系统管理员以外的角色都需要）。",
        "Choose a region (every role but administrator needs one).";
    AdminNoRegion => "系统管理员管理全系统，不属于任何区域。", "An administrator manages the whole system and has no region.";
    WholeSystem => "全系统", "The whole system";
    NewUser => "新建用户", "New user";
    UsernameRule => "用户名：2–64 个字母、数字或 . _ -，登录时使用，不能重复。",
        "Username: 2–64 letters, digits, '.', '_' or '-'; used to log in, unique.";
    PasswordRule => "密码至少 8 个字符。", "A password has at least 8 characters.";
    DisplayNameExample => "例如：李娜", "e.g. Li Na";
    UserCreated => "已新建用户", "Created user";
    UsernameTaken => "这个用户名已被使用。", "is already taken.";
    OpenUser => "打开", "Open";
    Inactive => "已停用", "deactivated";
    Active => "启用中", "active";
    State => "状态", "State";
    CreatedAt => "创建时间", "Created";
    UpdatedAt => "最近修改", "Last changed";
    AuditOfUser => "查看此用户的审计记录", "This user's audit entries";
    Edit => "修改姓名、角色、区域", "Edit name, role, region";
    Access => "账号与登录", "Account and login";
    NotYourself => "不能停用或降级自己的账号。", "You cannot deactivate or demote your own account.";
    Deactivate => "停用账号", "Deactivate the account";
    DeactivateWhat => "停用后此用户不能再登录，其所有设备上的登录都会失效。确定？",
        "Once deactivated the user cannot log in, and every session on its devices ends. Sure?";
    DeactivateSure => "确定停用", "Deactivate";
    Deactivated => "账号已停用", "Account deactivated";
    Reactivate => "重新启用账号", "Reactivate the account";
    Reactivated => "账号已重新启用", "Account reactivated";
    UnlockWhat => "连续输错密码 5 次的账号会被锁定 15 分钟；解除锁定后可立即再试。",
        "After 5 failed logins an account is locked for 15 minutes; unlocking lets it try again at once.";
    Unlock => "解除登录锁定", "Unlock logins";
    Unlocked => "登录锁定已解除", "Logins unlocked";
    ResetPassword => "重设密码", "Reset the password";
    NewPassword => "新密码", "New password";
    NewPasswordAgain => "再输入一次新密码", "New password again";
    PasswordsDiffer => "两次输入的新密码不一致。", "The two new passwords differ.";
    SetPassword => "设置新密码", "Set the new password";
    PasswordReset => "密码已重设，此用户须用新密码重新登录", "Password reset: the user must log in again with the new one";
    // Settings.
    Deadlines => "事件类别的办理期限", "Deadlines of incident categories";
    DeadlinesHelp => "每一级的期限按工作时间计算（特急事件按自然时间），单位为小时，可填小数，例如 1.5。修改只影响此后上报或升级的事件。",
        "Each level's deadline counts working hours (clock hours for urgent incidents); hours may be fractional, e.g. 1.5. A change applies to incidents reported or escalated afterwards.";
    Hours => "小时", "hours";
    PublicService => "向 Open311 公开（其他系统可查看此类事件并上报）", "Public in Open311 (other systems may read and report incidents of this category)";
    NowPublic => "已公开为 Open311 服务。", "Now public as an Open311 service.";
    NowPrivate => "已不再公开。", "No longer public.";
    DisputeNeverPublic => "矛盾纠纷类别不能公开。", "A dispute category is never public.";
    // API keys.
    ApiKeysTitle => "Open311 接口密钥", "Open311 API keys";
    ApiKeysHelp => "其他系统或市民应用凭密钥通过 Open311 上报事件（只能上报已公开的类别）。密钥只在创建时显示一次；撤销后立即失效。",
        "Other systems and citizen apps post incidents through Open311 with a key (only of public categories). A key is shown once, when it is issued; a revoked key stops working at once.";
    KeyName => "密钥用途（对接的系统名称）", "What the key is for (the system's name)";
    IssueKey => "生成密钥", "Issue a key";
    KeyShownOnce => "请立即复制并妥善保存此密钥：离开本页后将无法再次查看。", "Copy this key now and keep it safe: it cannot be shown again once you leave this screen.";
    TheKey => "密钥", "Key";
    KeyIssued => "创建于", "Issued";
    KeyRevokedAt => "已撤销于", "Revoked";
    RevokeKey => "撤销", "Revoke";
    RevokeConfirm => "撤销后使用此密钥的系统将无法再上报。确定撤销吗？", "Systems using this key will no longer be able to post. Revoke it?";
    KeyRevoked => "密钥已撤销。", "The key is revoked.";
    NoKeys => "还没有密钥。", "No keys yet.";
    HoursNotANumber => "期限请填小时数，例如 24 或 1.5。", "Type each deadline as a number of hours, e.g. 24 or 1.5.";
    Calendar => "工作日历", "Working calendar";
    CalendarHelp => "事件期限按工作时间计算。法定节假日不计工作时间，调休上班日按工作日计算。每行一个日期（如 2026-02-16）。保存后所有未办结事件的期限从其当前层级的起算时间重新计算。",
        "Incident deadlines count working time. Public holidays have none; make-up working days count as working days. One date a line (like 2026-02-16). Saving works out again the deadline of every open incident from the start of its current level.";
    WorkingWeek => "每周工作时间", "Working week";
    Holidays => "法定节假日", "Public holidays";
    Workdays => "调休上班日", "Make-up working days";
    BadDate => "不是有效日期（应为 2026-02-16 这样的格式）：", "Not a date (write it like 2026-02-16):";
    CalendarSaved => "已保存，未办结事件的期限已重新计算", "Saved; the deadlines of open incidents were worked out again";
    Intervals => "特殊人群走访周期", "Visit intervals of special populations";
    IntervalsHelp => "两次走访之间的天数（1–366），按类别和风险等级设置。保存后相关人员的下次走访日期随即重算。",
        "Days between visits (1–366) per category and risk level. On saving, the next visit of every person concerned is rescheduled.";
    Days => "天", "days";
    IntervalDays => "间隔天数", "Days between visits";
    DaysOutOfRange => "天数请填 1 到 366 之间的整数。", "Type the days as a whole number from 1 to 366.";
    CommunityCorrection => "社区矫正对象", "Community correction";
    ReleasedPrisoner => "刑满释放人员", "Released prisoner";
    DrugUser => "吸毒人员", "Drug user";
    SevereMentalDisorder => "严重精神障碍患者", "Severe mental disorder";
    KeyYouth => "重点青少年", "Key youth";
    AidsRisk => "艾滋病危险人员", "AIDS risk";
    Cult => "邪教人员", "Cult member";
    // The audit log.
    ActorSearch => "查找操作人", "Find who acted";
    Actor => "操作人", "Who acted";
    AnyActor => "任何人", "Anyone";
    RecordId => "记录编号", "Record id";
    RecordIdExample => "例如：用户或人员的编号、网格代码", "e.g. a user's or person's id, a cell code";
    FromDay => "开始日期", "From";
    ToDay => "结束日期（含）", "To (inclusive)";
    Who => "操作人", "By";
    System => "系统", "the system";
    Count => "条数", "records";
    Name => "姓名", "name";
    RoleField => "角色", "role";
    TriedUsername => "尝试的用户名", "username tried";
    Reason => "事由", "reason";
    Password => "密码", "password";
    PasswordWasSet => "已重设", "reset";
    DeadlineCommunity => "村(社区)级期限", "community deadline";
    DeadlineTown => "镇(街道)级期限", "town deadline";
    DeadlineDistrict => "区级期限", "district deadline";
    ActLogin => "登录", "Login";
    ActUserCreate => "新建用户", "User created";
    ActUserUpdate => "修改用户", "User changed";
    ActUserUnlock => "解除登录锁定", "Logins unlocked";
    ActPasswordChange => "修改本人密码", "Own password changed";
    ActRegionCreate => "新增区域", "Region added";
    ActCellsImport => "导入网格", "Cells imported";
    ActCellAssign => "分配网格员", "Workers assigned";
    ActCategoryUpdate => "修改事件类别", "Category changed";
    ActCalendarUpdate => "修改工作日历", "Working calendar changed";
    ActIntervalUpdate => "修改走访周期", "Visit interval changed";
    ActPersonCreate => "登记特殊人群", "Person registered";
    ActPersonUpdate => "修改特殊人群信息", "Person changed";
    ActPersonTransfer => "移交负责网格员", "Person transferred";
    ActPersonArchive => "特殊人群归档", "Person archived";
    ActPersonView => "查看完整信息", "Full record read";
    ActPersonsList => "查看人员列表", "Persons listed";
    ActPersonsDue => "查看待走访人员", "Visits due listed";
    ActPersonsPull => "同步人员到手机", "Persons synced to a phone";
    ActUnitCertify => "平安细胞认定", "Unit certified";
    EntUser => "用户", "user";
    EntPerson => "特殊人群", "person";
    EntUnit => "平安细胞", "safety unit";
    EntRegion => "区域", "region";
    EntCell => "网格", "cell";
    EntCells => "网格", "cells";
    EntCategory => "事件类别", "category";
    EntCalendar => "工作日历", "working calendar";
    EntInterval => "走访周期", "visit interval";
    EntIncident => "事件", "incident";
    OutSuccess => "成功", "done";
    OutFailure => "失败", "failed";
    OutRefused => "被拒绝", "refused";
    OutNotFound => "未找到", "not found";
    OutNoCertification => "取消认定", "certification withdrawn";
}
}

pub use console::ConsoleText;
pub use me::MeText;

/// The console's index and the worker assignment.
mod console {
    crate::texts! {
    pub enum ConsoleText {
        Regions => "区域：区域树、新增镇(街道)或村(社区)", "Regions: the tree, add a town or community";
        Users => "用户：查找、新建、修改、停用、解锁、重设密码", "Users: find, create, edit, deactivate, unlock, reset passwords";
        Settings => "事件期限与走访周期", "Incident deadlines and visit intervals";
        Audit => "审计日志", "Audit log";
        ApiKeys => "Open311 接口密钥", "Open311 API keys";
        AssignOnMap => "在地图上分配网格员", "Assign workers on the map";
        MyAccount => "我的账号", "My account";
        ApiDocs => "接口文档（对接其他系统）", "API documentation (for other systems)";
        AdminsOnly => "只有系统管理员可以使用此页面。", "Only administrators may use this screen.";
        ImportHelp => "GeoJSON 要素集合，每个要素带 code（15 位网格代码）和 name；文件有任何错误时全部不写入，并列出每个错误。",
            "A GeoJSON FeatureCollection whose features carry code (the 15-digit cell code) and name; a file with any fault writes nothing and every fault is listed.";
        ImportFile => "选择网格文件", "Choose the cells file";
        CellSearch => "查找网格（名称或代码）", "Find a cell (name or code)";
        CellSearchExample => "例如：文峰 或 500117001001", "e.g. 500117001001";
        ChooseCell => "请选择网格…", "Choose a cell…";
        CellsMatching => "符合的网格：", "Cells matching:";
        ShowingFirst => "只列出前", "listing the first";
        LoadingCurrent => "正在读取此网格现有的网格员…", "Reading who looks after this cell now…";
        NowAssigned => "现负责网格员：", "Looked after now by:";
        NobodyYet => "暂无", "nobody yet";
        WorkerSearch => "按姓名查找本社区网格员", "Find a worker of the community by name";
        WorkerSearchExample => "例如：网格员甲", "e.g. Zhang";
        WorkersOfCommunity => "勾选负责此网格的网格员", "Tick the workers who look after this cell";
        NoWorkersFound => "本社区没有符合的网格员", "No worker of the community matches";
        NoChange => "与现在相同，保存不会改变分配。", "Same as now: saving changes nothing.";
        WillAdd => "将增加：", "Will add:";
        WillRemove => "将移除：", "Will take off:";
    }
    }
}

/// One's own profile.
mod me {
    crate::texts! {
    pub enum MeText {
        Title => "我的账号", "My account";
        Name => "姓名", "Name";
        Role => "角色", "Role";
        Region => "所属区域", "Region";
        WholeSystem => "全系统", "The whole system";
        OfflineProfile => "离线：显示本机记住的信息", "Offline: showing what this phone remembers";
        ChangePassword => "修改密码", "Change my password";
        Current => "当前密码", "Current password";
        New => "新密码", "New password";
        Again => "再输入一次新密码", "New password again";
        Rule => "新密码至少 8 个字符。修改后其他设备上的登录会失效。",
            "A new password has at least 8 characters. Once changed, you are logged out on other devices.";
        Change => "修改密码", "Change the password";
        TypeCurrent => "请输入当前密码。", "Type your current password.";
        PasswordsDiffer => "两次输入的新密码不一致。", "The two new passwords differ.";
        SameAsCurrent => "新密码不能与当前密码相同。", "The new password must differ from the current one.";
        CurrentWrong => "当前密码不对。", "The current password is wrong.";
        Changed => "密码已修改。", "Password changed.";
        ChangedSignInAgain => "密码已修改，请用新密码重新登录。", "Password changed: log in again with the new one.";
    }
    }
}
