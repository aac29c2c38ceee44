//! Text of the departments, the responsibility tasks (责任制) and the performance records
//! (实绩档案). The links of the home screen and the words of the incident screen's dispatch
//! to a department are tables of their own, so that each travels with the screen that uses it.

/// The links to these screens (home screen, admin console).
pub mod nav {
    crate::texts! {
    pub enum DutyNav {
        TaskBoard => "责任制任务", "Responsibility tasks";
        MyTasks => "我的任务", "My tasks";
        Performance => "实绩档案", "Performance records";
        Departments => "区级部门", "Departments";
    }
    }
}

/// The incident screen's dispatch to a department, and the department an incident is with.
pub mod dispatch {
    crate::texts! {
    pub enum DispatchText {
        ToWorker => "派给网格员", "To a worker";
        ToDepartment => "派给部门", "To a department";
        Department => "承办部门", "Department";
        ChooseDepartment => "请选择部门…", "Choose a department…";
        NoDepartments => "尚未设立部门", "No departments yet";
    }
    }
}

crate::texts! {
pub enum DutyText {
    // Departments.
    DepartmentsTitle => "区级部门", "Departments";
    DepartmentCode => "部门代码", "Department code";
    DepartmentCodeRule => "D 加 2 至 3 位数字，如 D05", "D and 2 or 3 digits, e.g. D05";
    DepartmentName => "部门名称", "Department name";
    DepartmentNameExample => "区市场监督管理局", "District market regulation bureau";
    NewDepartment => "新建部门", "New department";
    DepartmentCreated => "已建立部门", "Department created:";
    Department => "部门", "Department";
    ChooseDepartment => "请选择部门…", "Choose a department…";
    DistrictStaff => "部门人员属于本区，无需选择区域", "Department staff belong to the district: no region to choose";
    AdminsOnly => "只有系统管理员可以管理部门", "Only administrators manage departments";
    // Tasks.
    Tasks => "责任制任务", "Responsibility tasks";
    Year => "年度", "Year";
    Code => "编号", "Code";
    TitleField => "任务名称", "Title";
    DescriptionField => "任务说明", "Description";
    Indicator => "考核指标", "Indicator";
    IndicatorExample => "排查整改燃气用户（户）", "Gas users checked and fixed";
    DueDate => "完成期限", "Due date";
    Weight => "权重", "Weight";
    NewTask => "新建任务", "New task";
    TaskCreated => "已建立任务", "Task created:";
    OpenTask => "打开任务", "Open the task";
    NoTasks => "该年度暂无任务", "No tasks this year";
    More => "更多", "More";
    UnitsDone => "单位完成", "units complete";
    UnitsOverdue => "个单位超期", "units overdue";
    NotDecomposed => "尚未分解", "not decomposed yet";
    BoardOnly => "只有管理员和主管可以查看任务", "Only administrators and supervisors see the tasks";
    // A task's page.
    Units => "责任单位", "Responsible units";
    Unit => "单位", "Unit";
    Duty => "责任类型", "Duty";
    Territorial => "属地", "territorial";
    Functional => "属事", "functional";
    Target => "目标值", "Target";
    Progress => "累计进度", "Progress";
    Completion => "完成率", "Completion";
    Score => "得分", "Score";
    OverdueChip => "超期", "overdue";
    Reports => "最新进度报送", "Latest progress reports";
    NoReports => "暂无报送", "No reports yet";
    Value => "累计值", "Cumulative value";
    ReportedBy => "报送人", "Reported by";
    Decompose => "分解任务", "Decompose the task";
    DecomposeHelp => "保存后以此表替换全部责任单位", "Saving replaces the whole set of responsible units with this table";
    UnitKind => "单位类型", "Kind of unit";
    KindDepartment => "部门", "department";
    KindTown => "镇(街道)", "town";
    ChooseTown => "请选择镇(街道)…", "Choose a town…";
    AddUnit => "添加单位", "Add a unit";
    Remove => "移除", "Remove";
    SaveUnits => "保存分解", "Save the units";
    UnitsSaved => "责任单位已保存", "The units are saved";
    ChooseUnitFirst => "每一行都要选择单位并填写大于 0 的目标值", "Each row needs its unit and a target above 0";
    Scoring => "评分", "Scoring";
    ScoringHelp => "每个单位 0–100 分；留空的不评分", "0–100 a unit; units left blank are not scored";
    Period => "考核期", "Period";
    PeriodRule => "YYYY 或 YYYY-MM", "YYYY or YYYY-MM";
    SaveScores => "保存评分", "Save the scores";
    ScoresSaved => "评分已保存", "The scores are saved";
    NoScores => "请至少为一个单位填写分数", "Give at least one unit a score";
    NumberInvalid => "请填写数字", "Enter a number";
    // A unit's own tasks.
    MyTasksTitle => "本单位的任务", "My unit's tasks";
    MyTasksHelp => "离线也可报送：进度在联网后发送", "Works offline: progress is sent when there is a network";
    NoMyTasks => "本单位暂无任务", "No tasks for your unit";
    ReportProgress => "报送进度", "Report progress";
    ValueHelp => "填写截至目前的累计值，不是本次新增量", "The cumulative value so far, not what was added since the last report";
    SendProgress => "报送", "Send";
    Waiting => "待发送", "waiting to be sent";
    YourUnit => "本单位", "Your unit";
    NotYourTask => "本机没有这项任务", "This task is not on the phone";
    UnitsOnly => "只有镇(街道)主管和部门人员报送任务进度", "Only town supervisors and department staff report progress";
    // Performance records.
    PerformanceTitle => "实绩档案", "Performance records";
    WholeYear => "全年", "whole year";
    Month => "月份", "Month";
    AllDepartments => "全部部门", "All departments";
    AllRegions => "全部区域", "All regions";
    Region => "区域", "Region";
    WeightedScore => "加权得分", "Weighted score";
    NoRecords => "该考核期暂无档案", "No records for this period";
    Handled => "派至本部门", "Dispatched to it";
    TeamsPoints => "志愿队积分", "Teams' points";
    DeliberationsDone => "议事完成", "Deliberations done";
    WorkersTitle => "网格员实绩", "Figures per worker";
    Snapshots => "档案快照", "Snapshots";
    SnapshotsHelp => "快照冻结考核期的全部档案，此后不再改动；SHA-256 可核对文件未被篡改",
        "A snapshot freezes the period's records for good; the SHA-256 proves the document unchanged";
    TakeSnapshot => "生成快照", "Take a snapshot";
    SnapshotTaken => "已生成快照", "Snapshot taken:";
    TakenAt => "生成时间", "Taken at";
    Download => "下载", "Download";
    NoSnapshots => "暂无快照", "No snapshots yet";
    PeriodInvalid => "考核期须为 YYYY 或 YYYY-MM", "The period is YYYY or YYYY-MM";
    RecordsOnly => "只有管理员和主管可以查看实绩档案", "Only administrators and supervisors see the performance records";
}
}
