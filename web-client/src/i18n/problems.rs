//! What the server or the phone can refuse, in the user's language: every problem `code` of
//! the API, the messages of field errors (the server writes them in English from a fixed set
//! of sentences; each sentence here is a template whose `{}` stand for the numbers or names it
//! carries), and the names of the fields they point at (`hazards[0].description` → "隐患 1 ·
//! 描述"). A sentence this table does not know is shown as the server wrote it.

use gridwork_shared::{ErrorCode, FieldError, Problem};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::StrDeserializer;

use super::{Label, english, t};

crate::texts! {
pub enum ProblemText {
    // Problem codes.
    MalformedJson => "发送的数据格式有误", "The data sent was malformed";
    BadRequest => "请求有误", "Bad request";
    ValidationFailed => "有内容需要修改", "Some fields need changing";
    Unauthorized => "请重新登录", "Please log in again";
    InvalidCredentials => "用户名或密码错误", "Wrong username or password";
    TooManyAttempts => "尝试次数过多，请稍后再试", "Too many attempts: try again later";
    RateLimited => "请求过于频繁，请稍后再试", "Too many requests: try again later";
    Forbidden => "您的角色不能执行此操作", "Your role may not do this";
    NotFound => "找不到该记录，或不在您的管辖范围内", "Not found, or not in your area";
    MethodNotAllowed => "不支持此操作", "This operation is not supported";
    VersionConflict => "记录已被他人修改，请刷新后重试", "Someone changed this record meanwhile: reload and try again";
    IdConflict => "该编号已用于另一条不同的记录", "This id already belongs to a different record";
    UsernameTaken => "用户名已被占用", "This username is taken";
    CodeTaken => "该代码已被占用", "This code is taken";
    InvalidTransition => "当前状态不允许此步骤", "This step is not possible in the record's current state";
    VoteNotPassed => "尚无表决通过的议事会议", "No session of this item has passed a vote";
    QuotaFull => "入选名额已满", "The quota of this selection is full";
    CampaignClosed => "该评选已停止提名", "This selection takes no more nominations";
    AlreadyMember => "该志愿者已在另一支队伍中", "This volunteer is already in another team";
    OutsideGrid => "该位置不在任何网格内", "This place is outside every cell";
    TooLarge => "文件或数据过大", "The file or data is too large";
    UnsupportedMedia => "不支持的文件类型", "Unsupported file type";
    Unavailable => "服务暂不可用，请稍后再试", "The service is unavailable: try again later";
    InternalError => "服务器出错，稍后会自动重试", "The server failed: it will be tried again";
    // Field messages: `{}` is a number or a name carried over from the server's sentence.
    AtLeastNonBlank => "至少需要 {} 个非空白字符", "must have at least {} non-blank characters";
    AtMostChars => "最多 {} 个字符", "must have at most {} characters";
    FieldHolidays => "法定节假日", "holidays";
    FieldWorkdays => "调休上班日", "make-up working days";
    ListedTwice => "重复列出", "is listed twice";
    DateRange => "须为 2000 至 2100 年间的日期", "must be a date from 2000 to 2100";
    HolidayAndWorkday => "不能既是节假日又是调休上班日", "cannot be a holiday and a working day at once";
    AtMostDays => "最多 {} 天", "must hold at most {} days";
    AtLeastChars => "至少需要 {} 个字符", "must have at least {} characters";
    NoControl => "不能包含控制字符", "must not contain control characters";
    OneLine => "须为一行，且不含 < 或 >", "must be one line without < or >";
    UsernameShape => "须为 2–64 个字母、数字或 . _ -", "must be 2–64 characters of letters, digits, '.', '_' or '-'";
    InFuture => "不能晚于现在", "is in the future";
    BeforeInspection => "不能早于检查时间", "is before the inspection";
    VersionRead => "须为读取时的版本号", "must be the version you read (1 or more)";
    Longitude => "经度须在 -180 到 180 之间", "must be a longitude between -180 and 180";
    Latitude => "纬度须在 -90 到 90 之间", "must be a latitude between -90 and 90";
    CategoryCode => "须为 4 位类别代码", "must be a 4-digit category code";
    IdNumber => "须为 18 位且校验位正确的身份证号", "must be an 18-character identity number with a valid check digit";
    TimeOrDate => "须为时间或日期（YYYY-MM-DD）", "must be an RFC 3339 time or a YYYY-MM-DD date";
    Hours => "须在 0.001 到 100000 小时之间", "must be between 0.001 and 100000 hours";
    Metres => "须在 0 到 100000 米之间", "must be between 0 and 100000 metres";
    StepTaken => "这一步的编号已被使用，请重新操作", "names a step already in an incident's history; use a new id";
    PhotoThere => "这张照片已在本事件中", "the same photo is already one of this incident's";
    ParentCode => "须为 {}，即代码去掉最后 3 位", "must be {}, the code minus its last 3 digits";
    CodeDigits => "{} 位代码是{}", "a {}-digit code is a {}";
    NotActiveWorkerHere => "不是您辖区内在岗的网格员", "is not an active worker in your region";
    NotActiveWorker => "不是在岗的网格员", "is not an active worker";
    SafeNoHazards => "“安全”的检查不能列出隐患", "a safe inspection lists no hazards";
    HazardNeedsOne => "“有隐患”的检查至少要列出一项隐患", "a hazard inspection lists at least one hazard";
    MediationParty => "调解至少要有一方当事人", "a mediation has at least one party";
    CommentNote => "评论需要填写内容", "a comment needs a note";
    DispatchWorker => "派遣需要选择网格员", "dispatch needs the worker to dispatch to";
    MergeOriginal => "合并需要选择原事件", "merge needs the original incident's id";
    AlreadyMerged => "本身已被合并到另一事件", "is itself merged into another incident";
    DistrictParent => "区没有上级区域", "a district has no parent: use null";
    NoSuchIncident => "没有这个事件", "no such incident";
    NoSuchUser => "没有这个用户", "no such user";
    NotTeamVolunteer => "不是该队伍所在区域的在用志愿者", "is not an active volunteer of the team's region";
    LeaderStays => "队长须留在队伍中：请先另设队长", "the team's leader stays a member: name another leader first";
    LeaderWho => "须为队员，或辖区包含该区域的在岗网格员、督导员", "must be a member, or an active worker or supervisor whose region holds the team's";
    NotUnderTeamRegion => "不在队伍所在区域内", "is not under the team's region";
    NoSuchCell => "没有这个网格", "no such cell";
    NotTeamMember => "不是该队伍的队员", "is not a member of the team";
    AfterStart => "须晚于开始时间", "must be after started_at";
    PatrolAtMost => "一次巡逻最长 {} 小时", "a patrol lasts at most {} hours";
    PatrolMember => "至少要有一名参加巡逻的队员", "name at least one member who took part";
    CommunityMissing => "村(社区) {} 不存在，请先建立该区域", "community {} does not exist; create the region first";
    NoFeatures => "文件中没有任何网格", "the collection has no features";
    RingNotClosed => "边界未闭合：首尾两点不同", "ring is not closed: its first and last positions differ";
    OverlapsLive => "与同一村(社区)的现有网格 {} 重叠", "overlaps live cell {} of the same community";
    OverlapsFeature => "与同一村(社区)的 features[{}] ({}) 重叠", "overlaps features[{}] ({}) of the same community";
    DuplicateCode => "代码 {} 已出现在 features[{}]", "code {} already appears in features[{}]";
    TooManyVertices => "有 {} 个顶点；一个网格最多 {} 个", "has {} vertices; a cell may have at most {}";
    PolygonKind => "须为 Polygon 或 MultiPolygon", "must be Polygon or MultiPolygon";
    // The deliberation hall's and the selections' sentences.
    CommunityCode => "须为 12 位村(社区)代码", "must be a 12-digit community code";
    NoCommunity => "不是一个村(社区)", "names no community";
    NoRegion => "没有这个区域", "names no region";
    FromOneTo => "须为 1 至 {} 之间的整数", "must be from 1 to {}";
    ZeroOrMore => "不能为负数", "must be 0 or more";
    VotesOverAttendees => "赞成、反对、弃权之和不能超过到会人数", "for + against + abstain must not exceed attendees";
    CompleteNeedsNote => "办结需要写明办理结果", "complete needs a note saying what was done";
    DecideNeedsDecision => "作出决议需要填写决议内容", "decide needs the decision";
    RegionCode => "须为 6、9 或 12 位区域代码", "must be a region code of 6, 9 or 12 digits";
    YearRange => "须为 2000 至 2100 之间的年份", "must be a year from 2000 to 2100";
    AwardLevel => "奖项 {} 须由{}级区域评选", "{} is selected by a {} region";
    UnderCampaign => "须在本评选的区域之内", "must lie under the campaign's region";
    OutsideArea => "不在您的管辖范围内", "is outside your area";
    // The fields those messages point at.
    FieldTitle => "标题", "title";
    FieldDescription => "描述", "description";
    FieldCategory => "类别", "category";
    FieldSeverity => "紧急程度", "severity";
    FieldLocation => "位置", "location";
    FieldOccurredAt => "发生时间", "occurred at";
    FieldNote => "备注", "note";
    FieldName => "姓名/名称", "name";
    FieldAddress => "地址", "address";
    FieldIdNumber => "身份证号", "identity number";
    FieldVisitedAt => "走访时间", "visited at";
    FieldInspectedAt => "检查时间", "inspected at";
    FieldHazards => "隐患", "hazard";
    FieldDeadline => "整改期限", "deadline";
    FieldUsername => "用户名", "username";
    FieldPassword => "密码", "password";
    FieldRegion => "区域", "region";
    FieldCode => "代码", "code";
    FieldParent => "上级代码", "parent code";
    FieldDisplayName => "显示名称", "display name";
    FieldAssignee => "承办人", "assignee";
    FieldWorker => "责任网格员", "responsible worker";
    FieldParties => "当事人", "party";
    FieldHeldAt => "调解时间", "held at";
    FieldVersion => "版本", "version";
    FieldKind => "类型", "kind";
    FieldFeatures => "网格", "cell";
    FieldAccuracy => "定位精度", "GPS accuracy";
    FieldStep => "步骤", "step";
    FieldPhoto => "照片", "photo";
    // The departments, tasks and performance records.
    FieldDepartment => "部门", "department";
    FieldWeight => "权重", "weight";
    FieldTarget => "目标值", "target";
    FieldValue => "累计值", "value";
    FieldScore => "得分", "score";
    FieldPeriod => "考核期", "period";
    FieldIndicator => "考核指标", "indicator";
    FieldDueDate => "完成期限", "due date";
    FieldYear => "年度", "year";
    FieldUnits => "责任单位", "unit";
    FieldScores => "评分", "score";
    StaffNeedDepartment => "部门人员须选择所属部门", "department staff need one";
    OnlyStaffDepartment => "只有部门人员才有所属部门", "only department staff have one";
    DepartmentCode => "须为 D 加 2 至 3 位数字", "must be D followed by 2 or 3 digits";
    NoSuchDepartment => "没有这个部门", "no such department";
    PeriodShape => "须为 YYYY 或 YYYY-MM", "must be YYYY or YYYY-MM";
    ScoreRange => "须在 0 到 100 之间", "must be between 0 and 100";
    MoreThanZero => "须大于 0", "must be more than 0";
    UnitTwice => "重复列出了同一单位", "names a unit twice";
    DispatchTarget => "派遣需要选择网格员或部门", "dispatch needs the worker (assignee_id) or the department (department_id)";
    DispatchBoth => "派遣只能给网格员或部门之一", "dispatch goes to a worker or to a department, not both";
    FieldPlace => "地点", "place";
    FieldAttendees => "到会人数", "attendees";
    FieldVotes => "表决", "votes";
    FieldFor => "赞成", "for";
    FieldAgainst => "反对", "against";
    FieldAbstain => "弃权", "abstain";
    FieldMinutes => "会议纪要", "minutes";
    FieldDecision => "决议", "decision";
    FieldNominee => "被提名人", "nominee";
    FieldNomineeRegion => "所在区域", "nominee's region";
    FieldStory => "事迹", "story";
    FieldQuota => "名额", "quota";
    FieldAward => "奖项", "award";
    FieldNominationsClose => "提名截止", "nominations close";
    FieldMembers => "队员", "member";
    FieldLeader => "队长", "leader";
    FieldZone => "责任区网格", "zone cell";
    FieldEndedAt => "结束时间", "ended at";
    FieldStartedAt => "开始时间", "started at";
    FieldRoute => "巡逻路线", "route";
}
}

/// The text of a problem code; a code added to the API does not compile until it has one.
fn code_key(code: ErrorCode) -> ProblemText {
    match code {
        ErrorCode::MalformedJson => ProblemText::MalformedJson,
        ErrorCode::BadRequest => ProblemText::BadRequest,
        ErrorCode::ValidationFailed => ProblemText::ValidationFailed,
        ErrorCode::Unauthorized => ProblemText::Unauthorized,
        ErrorCode::InvalidCredentials => ProblemText::InvalidCredentials,
        ErrorCode::TooManyAttempts => ProblemText::TooManyAttempts,
        ErrorCode::RateLimited => ProblemText::RateLimited,
        ErrorCode::Forbidden => ProblemText::Forbidden,
        ErrorCode::NotFound => ProblemText::NotFound,
        ErrorCode::MethodNotAllowed => ProblemText::MethodNotAllowed,
        ErrorCode::VersionConflict => ProblemText::VersionConflict,
        ErrorCode::IdConflict => ProblemText::IdConflict,
        ErrorCode::UsernameTaken => ProblemText::UsernameTaken,
        ErrorCode::CodeTaken => ProblemText::CodeTaken,
        ErrorCode::InvalidTransition => ProblemText::InvalidTransition,
        ErrorCode::VoteNotPassed => ProblemText::VoteNotPassed,
        ErrorCode::QuotaFull => ProblemText::QuotaFull,
        ErrorCode::CampaignClosed => ProblemText::CampaignClosed,
        ErrorCode::AlreadyMember => ProblemText::AlreadyMember,
        ErrorCode::OutsideGrid => ProblemText::OutsideGrid,
        ErrorCode::TooLarge => ProblemText::TooLarge,
        ErrorCode::UnsupportedMedia => ProblemText::UnsupportedMedia,
        ErrorCode::Unavailable => ProblemText::Unavailable,
        ErrorCode::InternalError => ProblemText::InternalError,
    }
}

/// The sentences of field errors, matched on their English side.
const SENTENCES: &[ProblemText] = &[
    ProblemText::AtLeastNonBlank,
    ProblemText::AtMostChars,
    ProblemText::AtLeastChars,
    ProblemText::NoControl,
    ProblemText::OneLine,
    ProblemText::UsernameShape,
    ProblemText::InFuture,
    ProblemText::BeforeInspection,
    ProblemText::VersionRead,
    ProblemText::Longitude,
    ProblemText::Latitude,
    ProblemText::CategoryCode,
    ProblemText::IdNumber,
    ProblemText::TimeOrDate,
    ProblemText::Hours,
    ProblemText::Metres,
    ProblemText::StepTaken,
    ProblemText::PhotoThere,
    ProblemText::ParentCode,
    ProblemText::CodeDigits,
    ProblemText::NotActiveWorkerHere,
    ProblemText::NotActiveWorker,
    ProblemText::SafeNoHazards,
    ProblemText::HazardNeedsOne,
    ProblemText::MediationParty,
    ProblemText::CommentNote,
    ProblemText::DispatchWorker,
    ProblemText::MergeOriginal,
    ProblemText::AlreadyMerged,
    ProblemText::DistrictParent,
    ProblemText::NoSuchIncident,
    ProblemText::NoSuchUser,
    ProblemText::NotTeamVolunteer,
    ProblemText::LeaderStays,
    ProblemText::LeaderWho,
    ProblemText::NotUnderTeamRegion,
    ProblemText::NoSuchCell,
    ProblemText::NotTeamMember,
    ProblemText::AfterStart,
    ProblemText::PatrolAtMost,
    ProblemText::PatrolMember,
    ProblemText::CommunityMissing,
    ProblemText::NoFeatures,
    ProblemText::RingNotClosed,
    ProblemText::OverlapsLive,
    ProblemText::OverlapsFeature,
    ProblemText::DuplicateCode,
    ProblemText::TooManyVertices,
    ProblemText::PolygonKind,
    ProblemText::ListedTwice,
    ProblemText::DateRange,
    ProblemText::HolidayAndWorkday,
    ProblemText::AtMostDays,
    ProblemText::StaffNeedDepartment,
    ProblemText::OnlyStaffDepartment,
    ProblemText::DepartmentCode,
    ProblemText::NoSuchDepartment,
    ProblemText::PeriodShape,
    ProblemText::ScoreRange,
    ProblemText::MoreThanZero,
    ProblemText::UnitTwice,
    ProblemText::DispatchTarget,
    ProblemText::DispatchBoth,
    ProblemText::CommunityCode,
    ProblemText::NoCommunity,
    ProblemText::NoRegion,
    ProblemText::FromOneTo,
    ProblemText::ZeroOrMore,
    ProblemText::VotesOverAttendees,
    ProblemText::CompleteNeedsNote,
    ProblemText::DecideNeedsDecision,
    ProblemText::RegionCode,
    ProblemText::YearRange,
    ProblemText::AwardLevel,
    ProblemText::UnderCampaign,
    ProblemText::OutsideArea,
];

/// Field names (the last word of a field path) and their text.
const FIELDS: &[(&str, ProblemText)] = &[
    ("title", ProblemText::FieldTitle),
    ("holidays", ProblemText::FieldHolidays),
    ("workdays", ProblemText::FieldWorkdays),
    ("description", ProblemText::FieldDescription),
    ("category", ProblemText::FieldCategory),
    ("severity", ProblemText::FieldSeverity),
    ("location", ProblemText::FieldLocation),
    ("lon", ProblemText::FieldLocation),
    ("lat", ProblemText::FieldLocation),
    ("occurred_at", ProblemText::FieldOccurredAt),
    ("note", ProblemText::FieldNote),
    ("name", ProblemText::FieldName),
    ("address", ProblemText::FieldAddress),
    ("id_number", ProblemText::FieldIdNumber),
    ("visited_at", ProblemText::FieldVisitedAt),
    ("inspected_at", ProblemText::FieldInspectedAt),
    ("hazards", ProblemText::FieldHazards),
    ("deadline", ProblemText::FieldDeadline),
    ("username", ProblemText::FieldUsername),
    ("password", ProblemText::FieldPassword),
    ("new", ProblemText::FieldPassword),
    ("region_code", ProblemText::FieldRegion),
    ("code", ProblemText::FieldCode),
    ("parent_code", ProblemText::FieldParent),
    ("display_name", ProblemText::FieldDisplayName),
    ("assignee_id", ProblemText::FieldAssignee),
    ("responsible_worker_id", ProblemText::FieldWorker),
    ("parties", ProblemText::FieldParties),
    ("held_at", ProblemText::FieldHeldAt),
    ("version", ProblemText::FieldVersion),
    ("kind", ProblemText::FieldKind),
    ("features", ProblemText::FieldFeatures),
    ("accuracy_m", ProblemText::FieldAccuracy),
    ("op_id", ProblemText::FieldStep),
    ("step", ProblemText::FieldStep),
    ("photo", ProblemText::FieldPhoto),
    ("department_id", ProblemText::FieldDepartment),
    ("weight", ProblemText::FieldWeight),
    ("target", ProblemText::FieldTarget),
    ("value", ProblemText::FieldValue),
    ("score", ProblemText::FieldScore),
    ("period", ProblemText::FieldPeriod),
    ("indicator", ProblemText::FieldIndicator),
    ("due_date", ProblemText::FieldDueDate),
    ("year", ProblemText::FieldYear),
    ("units", ProblemText::FieldUnits),
    ("scores", ProblemText::FieldScores),
    ("place", ProblemText::FieldPlace),
    ("attendees", ProblemText::FieldAttendees),
    ("votes", ProblemText::FieldVotes),
    ("for", ProblemText::FieldFor),
    ("against", ProblemText::FieldAgainst),
    ("abstain", ProblemText::FieldAbstain),
    ("minutes", ProblemText::FieldMinutes),
    ("decision", ProblemText::FieldDecision),
    ("nominee_name", ProblemText::FieldNominee),
    ("nominee_region_code", ProblemText::FieldNomineeRegion),
    ("story", ProblemText::FieldStory),
    ("quota", ProblemText::FieldQuota),
    ("award", ProblemText::FieldAward),
    ("nominations_close", ProblemText::FieldNominationsClose),
    ("user_ids", ProblemText::FieldMembers),
    ("member_ids", ProblemText::FieldMembers),
    ("leader_id", ProblemText::FieldLeader),
    ("cell_codes", ProblemText::FieldZone),
    ("ended_at", ProblemText::FieldEndedAt),
    ("started_at", ProblemText::FieldStartedAt),
    ("route", ProblemText::FieldRoute),
];

/// The values `template`'s `{}` hold in `text`, when `text` is that sentence (each `{}`
/// holding at least one character).
fn fill_ins<'a>(template: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = template.split("{}").collect();
    let (first, between) = parts.split_first()?;
    let mut rest = text.strip_prefix(first)?;
    let mut values = Vec::new();
    for (i, part) in between.iter().enumerate() {
        let end = match i + 1 == between.len() {
            // The last piece of the template ends the text.
            true => rest.strip_suffix(part)?.len(),
            false => rest.find(part)?,
        };
        if end == 0 {
            return None;
        }
        values.push(&rest[..end]);
        rest = &rest[end + part.len()..];
    }
    rest.is_empty().then_some(values)
}

/// `template` with its `{}` replaced by `values` in order.
fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::new();
    for (i, part) in template.split("{}").enumerate() {
        if i > 0 {
            out.push_str(values.get(i - 1).copied().unwrap_or_default());
        }
        out.push_str(part);
    }
    out
}

/// The (Chinese, English) of a field error's sentence, when the table knows it.
fn sentence(message: &str) -> Option<(String, String)> {
    SENTENCES.iter().find_map(|key| {
        let (zh, en) = key.pair();
        let values = fill_ins(en, message)?;
        Some((fill(zh, &values), fill(en, &values)))
    })
}

/// The (Chinese, English) of a field path: each name translated, each index counted from 1.
fn field_pair(path: &str) -> (String, String) {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, i)) => (name, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let (z, e) = FIELDS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| k.pair())
            .unwrap_or((name, name));
        let n = index.map(|i| format!(" {}", i + 1)).unwrap_or_default();
        zh.push(format!("{z}{n}"));
        en.push(format!("{e}{n}"));
    }
    (zh.join(" · "), en.join(" · "))
}

/// One field error as a line in the current language: "标题：至少需要 1 个非空白字符".
pub fn field_line(e: &FieldError) -> String {
    let (zh_field, en_field) = field_pair(&e.field);
    let (zh, en) = sentence(&e.message).unwrap_or_else(|| (e.message.clone(), e.message.clone()));
    match english() {
        true => format!("{en_field}: {en}"),
        false => format!("{zh_field}：{zh}"),
    }
}

/// What a problem code means, in the current language; `None` for a code this client does
/// not know.
pub fn code_text(code: &str) -> Option<&'static str> {
    let code: StrDeserializer<'_, serde::de::value::Error> = code.into_deserializer();
    ErrorCode::deserialize(code).ok().map(|c| t(code_key(c)))
}

/// A problem as lines in the current language: one per field error, else what its code
/// means (the server's own detail for a code this client does not know).
pub fn problem_lines(code: &str, detail: &str, errors: &[FieldError]) -> Vec<String> {
    if !errors.is_empty() {
        return errors.iter().map(field_line).collect();
    }
    vec![
        code_text(code)
            .map(str::to_string)
            .unwrap_or_else(|| detail.to_string()),
    ]
}

/// A problem answer as lines in the current language.
pub fn lines_of(p: &Problem) -> Vec<String> {
    match p.errors.is_empty() {
        true => vec![t(code_key(p.code)).to_string()],
        false => p.errors.iter().map(field_line).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(message: &str) -> Option<String> {
        sentence(message).map(|(zh, _)| zh)
    }

    #[test]
    fn sentences_carry_their_numbers_and_names() {
        assert_eq!(
            zh("must have at least 1 non-blank characters").as_deref(),
            Some("至少需要 1 个非空白字符")
        );
        assert_eq!(
            zh("must have at most 200 characters").as_deref(),
            Some("最多 200 个字符")
        );
        assert_eq!(
            zh("has 900 vertices; a cell may have at most 500").as_deref(),
            Some("有 900 个顶点；一个网格最多 500 个")
        );
        assert_eq!(
            zh("must be 500117001, the code minus its last 3 digits").as_deref(),
            Some("须为 500117001，即代码去掉最后 3 位")
        );
        assert_eq!(zh("is in the future").as_deref(), Some("不能晚于现在"));
        assert_eq!(zh("is listed twice").as_deref(), Some("重复列出"));
        assert_eq!(
            zh("must hold at most 1000 days").as_deref(),
            Some("最多 1000 天")
        );
        // Not a sentence of the table, nor one with more words around it.
        assert_eq!(zh("something new"), None);
        assert_eq!(zh("it is in the future"), None);
        assert_eq!(zh("is in the future, twice"), None);
    }

    #[test]
    fn field_paths_are_named_and_counted_from_one() {
        assert_eq!(
            field_pair("hazards[0].description"),
            (
                "隐患 1 · 描述".to_string(),
                "hazard 1 · description".to_string()
            )
        );
        assert_eq!(field_pair("title").0, "标题");
        assert_eq!(field_pair("features[3]").1, "cell 4");
        assert_eq!(field_pair("unknown_thing").0, "unknown_thing");
    }

    #[test]
    fn codes_are_read_as_the_api_writes_them() {
        assert_eq!(
            code_key(ErrorCode::OutsideGrid).pair().0,
            "该位置不在任何网格内"
        );
        let code: StrDeserializer<'_, serde::de::value::Error> = "outside_grid".into_deserializer();
        assert_eq!(
            ErrorCode::deserialize(code).ok(),
            Some(ErrorCode::OutsideGrid)
        );
    }
}
