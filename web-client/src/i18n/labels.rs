//! Labels of the words records carry (steps, roles, unit statuses, what a visit found,
//! severities and risks), for the screens loaded on demand.

crate::texts! {
pub enum LabelText {
    Low => "一般", "Low";
    Medium => "较急", "Medium";
    High => "紧急", "High";
    Urgent => "特急", "Urgent";
    Accept => "受理", "Accept";
    Reject => "不受理", "Reject";
    Dispatch => "派遣", "Dispatch";
    Start => "开始处置", "Start";
    Resolve => "处置完成", "Resolve";
    Verify => "核查结案", "Verify";
    Escalate => "上报上级", "Escalate";
    SelfClose => "当场办结", "Close on the spot";
    ReworkStep => "返工", "rework";
    Merge => "合并", "Merge";
    Comment => "留言", "Comment";
    ClearConflict => "解除冲突", "Clear conflict";
    Reporting => "上报", "report";
    Mediation => "调解", "mediation";
    Merged => "被合并", "merged";
    RoleAdmin => "系统管理员", "administrator";
    RoleSupervisor => "综治中心人员", "supervisor";
    RoleWorker => "网格员", "grid worker";
    RoleVolunteer => "志愿者", "volunteer";
    RoleDepartment => "部门人员", "department staff";
    UnitSafe => "安全", "safe";
    UnitHazard => "有隐患", "hazard";
    UnitOverdue => "整改超期", "overdue";
    UnitUnknown => "未检查", "not inspected";
    Met => "见面", "met";
    NotHome => "不在家", "not at home";
    Refused => "拒绝", "refused";
    Moved => "已搬离", "moved";
    Hospitalized => "住院", "in hospital";
    Detained => "被羁押", "detained";
    Deceased => "已去世", "deceased";
}
}
