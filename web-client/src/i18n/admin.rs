//! Text of the admin console: regions, users, settings, the audit log, and one's own profile.

crate::texts! {
pub enum AdminText {
    RegionsTitle => "区域", "Regions";
}
}
