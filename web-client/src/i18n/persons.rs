//! Text of the person screens: the list, the record, registration and editing.

crate::texts! {
pub enum PersonText {
    PersonsTitle => "特殊人群", "Special populations";
}
}
