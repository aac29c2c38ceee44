//! Text of the incident screen: triage facts, photos, mediation, comments, duplicates.

crate::texts! {
pub enum IncidentText {
    Photos => "照片", "Photos";
}
}
