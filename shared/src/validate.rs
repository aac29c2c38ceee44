//! Field-error collection shared by every validator.

use crate::problem::FieldError;

/// Collects every problem with a request instead of stopping at the first one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    /// `Ok(())` when nothing was collected.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// A GPS fix's accuracy in metres, when given: 0 to 100,000.
pub fn accuracy(errors: &mut FieldErrors, value: Option<f64>) {
    if value.is_some_and(|a| !a.is_finite() || !(0.0..=100_000.0).contains(&a)) {
        errors.push("accuracy_m", "must be between 0 and 100000 metres");
    }
}

/// Checks a required, trimmed, bounded text field with no control characters (line breaks
/// and tabs aside).
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, min: usize, max: usize) {
    let n = value.trim().chars().count();
    if n < min {
        errors.push(
            field,
            format!("must have at least {min} non-blank characters"),
        );
    } else if value.chars().count() > max {
        errors.push(field, format!("must have at most {max} characters"));
    } else if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.push(field, "must not contain control characters");
    }
}

/// Checks a name (of a cell, region, person, unit…): a one-line [`text`] with no markup
/// characters (`<`, `>`), since names are shown in lists, maps and tooltips.
pub fn name(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    let before = errors.len();
    text(errors, field, value, 1, max);
    if errors.len() == before
        && value
            .chars()
            .any(|c| matches!(c, '<' | '>' | '\n' | '\r' | '\t'))
    {
        errors.push(field, "must be one line without < or >");
    }
}

/// Usernames: 3–64 characters of ASCII letters, digits, `.`, `_`, `-`.
pub fn username(errors: &mut FieldErrors, field: &str, value: &str) {
    let ok_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if value.len() < 2 || value.len() > 64 || !ok_chars {
        errors.push(
            field,
            "must be 2–64 characters of letters, digits, '.', '_' or '-'",
        );
    }
}

/// Passwords: at least 8 characters, at most 256 (argon2 input is bounded).
pub fn password(errors: &mut FieldErrors, field: &str, value: &str) {
    let n = value.chars().count();
    if n < 8 {
        errors.push(field, "must have at least 8 characters");
    } else if n > 256 {
        errors.push(field, "must have at most 256 characters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error() {
        let mut e = FieldErrors::new();
        username(&mut e, "username", "a");
        password(&mut e, "password", "short");
        text(&mut e, "display_name", "   ", 1, 10);
        assert_eq!(e.len(), 3);
        assert!(e.into_result().is_err());
    }

    #[test]
    fn accepts_good_values() {
        let mut e = FieldErrors::new();
        username(&mut e, "username", "wang.fang-01");
        password(&mut e, "password", "correct horse");
        text(&mut e, "name", "合川区", 1, 10);
        assert!(e.is_empty());
    }
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn names_refuse_markup_and_control_characters() {
        let check = |v: &str| {
            let mut e = FieldErrors::new();
            name(&mut e, "name", v, 100);
            e.is_empty()
        };
        assert!(check("合阳城街道第1网格"));
        assert!(!check("<img src=x onerror=alert(1)>"));
        assert!(!check("a\u{0}b"));
        assert!(!check("two\nlines"));
        let mut e = FieldErrors::new();
        text(&mut e, "note", "line one\nline two", 1, 100);
        assert!(e.is_empty());
        text(&mut e, "note", "bell\u{7}", 1, 100);
        assert_eq!(e.len(), 1);
    }
}
