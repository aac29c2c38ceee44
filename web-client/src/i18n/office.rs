//! Text of the office screens: a cell's page, the figures per worker, the map.

crate::texts! {
pub enum OfficeText {
    CellTitle => "网格", "Cell";
}
}
