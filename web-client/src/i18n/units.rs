//! Text of the safety-unit screens: a unit, registering one, the roll-up.

crate::texts! {
pub enum UnitText {
    UnitTitle => "平安细胞", "Safety unit";
}
}
