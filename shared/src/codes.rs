//! Region and cell codes (national statistical area codes, GB/T 2260 + 3 + 3, cells + 3).
//!
//! A district is 6 digits, a town or street 9, a community or village 12, a grid cell 15.
//! Each code is its parent's code plus a 3-digit serial, so "is under" is "starts with":
//! scope checks are prefix checks and need no tree walk.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    District,
    Town,
    Community,
}

impl RegionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::District => "district",
            RegionLevel::Town => "town",
            RegionLevel::Community => "community",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "district" => Some(RegionLevel::District),
            "town" => Some(RegionLevel::Town),
            "community" => Some(RegionLevel::Community),
            _ => None,
        }
    }

    /// Number of digits of a code at this level.
    pub fn code_len(self) -> usize {
        match self {
            RegionLevel::District => 6,
            RegionLevel::Town => 9,
            RegionLevel::Community => 12,
        }
    }

    pub fn from_code_len(len: usize) -> Option<Self> {
        match len {
            6 => Some(RegionLevel::District),
            9 => Some(RegionLevel::Town),
            12 => Some(RegionLevel::Community),
            _ => None,
        }
    }

    /// The level whose regions sit directly under this one.
    pub fn child(self) -> Option<Self> {
        match self {
            RegionLevel::District => Some(RegionLevel::Town),
            RegionLevel::Town => Some(RegionLevel::Community),
            RegionLevel::Community => None,
        }
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A validated region code (6, 9 or 12 digits; no serial of `000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        if !all_digits(s) {
            return Err("must be 6, 9 or 12 digits");
        }
        let Some(level) = RegionLevel::from_code_len(s.len()) else {
            return Err("must be 6, 9 or 12 digits");
        };
        if level == RegionLevel::District {
            if s == "000000" {
                return Err("is not a county code");
            }
        } else if s.ends_with("000") {
            return Err("must not end in a 000 serial");
        }
        Ok(RegionCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        RegionLevel::from_code_len(self.0.len()).expect("validated on parse")
    }

    /// The parent's code: `None` for a district.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::District => None,
            _ => Some(RegionCode(self.0[..self.0.len() - 3].to_string())),
        }
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a 15-digit cell code and returns its community's 12-digit code.
pub fn cell_community(code: &str) -> Result<&str, &'static str> {
    if code.len() != 15 || !all_digits(code) {
        return Err("must be 15 digits: the community's 12-digit code and a 3-digit serial");
    }
    if code.ends_with("000") {
        return Err("must not end in a 000 serial");
    }
    let community = &code[..12];
    RegionCode::parse(community).map_err(|_| "does not start with a valid community code")?;
    Ok(community)
}

/// Whether `code` (a region or cell code) lies in the subtree of `scope` (a region code).
/// The empty scope (an admin's) contains everything.
pub fn is_under(code: &str, scope: &str) -> bool {
    code.starts_with(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes() {
        let c = RegionCode::parse("500117001001").unwrap();
        assert_eq!(c.level(), RegionLevel::Community);
        assert_eq!(c.parent().unwrap().as_str(), "500117001");
        assert_eq!(c.parent().unwrap().parent().unwrap().as_str(), "500117");
        assert!(c.parent().unwrap().parent().unwrap().parent().is_none());
        for bad in [
            "",
            "5001",
            "50011700",
            "500117000",
            "abcdefghi",
            "000000",
            "5001170010011",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cell_codes() {
        assert_eq!(cell_community("500117001001001"), Ok("500117001001"));
        assert!(cell_community("500117001001000").is_err());
        assert!(cell_community("50011700100100").is_err());
        assert!(cell_community("500117001000001").is_err());
        assert!(cell_community("50011700100100x").is_err());
    }

    #[test]
    fn scope_is_prefix() {
        assert!(is_under("500117001001001", "500117001"));
        assert!(is_under("500117001001001", ""));
        assert!(!is_under("500117002001001", "500117001"));
    }
}
