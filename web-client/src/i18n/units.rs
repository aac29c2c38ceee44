//! Text of the safety-unit screens: the list, a unit, registering one, the roll-up.

use gridwork_shared::safety::{Certification, UnitKind};

crate::texts! {
pub enum UnitText {
    NewUnit => "登记平安细胞", "Register a safety unit";
    Kind => "类型", "Kind";
    AllStatuses => "全部状态", "Every status";
    AllKinds => "全部类型", "Every kind";
    Name => "名称", "Name";
    NameExample => "例：白塔副食店", "e.g. Baita grocery";
    Address => "地址", "Address";
    AddressExample => "例：白塔路12号", "e.g. 12 Baita Road";
    Lon => "经度", "Longitude";
    Lat => "纬度", "Latitude";
    ChooseKind => "请选择类型", "Choose the kind";
    Accuracy => "定位精度", "GPS accuracy";
    NotInMyCells => "该位置不在本机已有的网格内，发送后由服务器核对",
        "This place is in none of the cells on this phone: the server checks it when it is sent";
    Waiting => "待发送", "waiting to be sent";
    WaitingNote => "已保存在本机，联网后自动发送。发送后才能检查和认定。",
        "Saved on this phone and sent when there is a network; it can be inspected and certified once sent.";
    Shown => "个", "shown";
    Rollup => "平安细胞汇总", "Safety roll-up";
    KindHousehold => "家庭", "household";
    KindSchool => "学校", "school";
    KindHospital => "医院", "hospital";
    KindEnterprise => "企业", "enterprise";
    KindShop => "商铺", "shop";
    KindMarket => "市场", "market";
    KindConstructionSite => "建筑工地", "construction site";
    KindCommunity => "社区", "community";
    KindOther => "其他", "other";
    Certification => "认定", "Certification";
    CertNone => "未认定", "not certified";
    CertTown => "镇级平安细胞", "certified by the town";
    CertDistrict => "区级平安细胞", "certified by the district";
    CertifyAs => "认定为", "Certify as";
    CertifySave => "保存认定", "Save the certification";
    CertifiedAt => "认定时间", "Certified on";
    CertSaved => "认定已保存", "Certification saved";
    CertConflict => "此单位刚被他人修改（检查或认定），已重新读取，请核对后再保存。",
        "Someone changed this unit meanwhile (an inspection or a certification). It has been read again: check it and save again.";
    CertForbidden => "您的层级不能作此认定", "Your level may not make this certification";
    LastInspected => "最近检查", "Last inspected";
    Registered => "登记时间", "Registered";
    InspectNow => "检查此单位", "Inspect this unit";
    Inspections => "检查记录", "Inspections";
    NoInspections => "尚无检查记录", "Not inspected yet";
    InspectionsOnline => "检查记录需联网查看", "The inspections show with a network";
    Inspector => "检查人", "Inspected by";
    FromUnit => "距登记位置", "From the registered place:";
    Far => "偏离登记位置", "far from the registered place";
    Me => "本人", "me";
    FixBy => "整改期限", "Fix by";
    HazardOpen => "未整改", "open";
    HazardFixed => "已整改", "fixed";
    NotFound => "找不到此单位，或不在您的范围内", "No such unit, or not in your area";
    Total => "总数", "Total";
    Everywhere => "全部区域", "Everywhere";
    Up => "上一级", "Up one level";
    Below => "下级", "Below";
    CertifiedTown => "镇级认定", "town-certified";
    CertifiedDistrict => "区级认定", "district-certified";
    NoUnitsHere => "此区域暂无平安细胞", "No safety units here yet";
}
}

/// The label of a unit's kind.
pub fn kind(k: UnitKind) -> UnitText {
    match k {
        UnitKind::Household => UnitText::KindHousehold,
        UnitKind::School => UnitText::KindSchool,
        UnitKind::Hospital => UnitText::KindHospital,
        UnitKind::Enterprise => UnitText::KindEnterprise,
        UnitKind::Shop => UnitText::KindShop,
        UnitKind::Market => UnitText::KindMarket,
        UnitKind::ConstructionSite => UnitText::KindConstructionSite,
        UnitKind::Community => UnitText::KindCommunity,
        UnitKind::Other => UnitText::KindOther,
    }
}

/// The label of a certification level.
pub fn certification(c: Certification) -> UnitText {
    match c {
        Certification::None => UnitText::CertNone,
        Certification::Town => UnitText::CertTown,
        Certification::District => UnitText::CertDistrict,
    }
}
