//! Regions: the district → town → community tree, and what of it a caller sees.

use gridwork_shared::api::{NewRegion, Region, Role};
use gridwork_shared::{ErrorCode, RegionCode, RegionLevel};

use crate::db::models::RegionRow;
use crate::db::{self, DbConn, audit, cells, regions};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};

pub fn region_of(row: RegionRow) -> Result<Region> {
    Ok(Region {
        level: RegionLevel::parse(&row.level)
            .ok_or_else(|| anyhow::anyhow!("bad level {}", row.level))?,
        code: row.code,
        name: row.name,
        parent_code: row.parent_code,
    })
}

/// Every prefix region (district, town, community) of a cell or region code.
fn ancestors(code: &str) -> impl Iterator<Item = String> + '_ {
    [6usize, 9, 12]
        .into_iter()
        .filter(move |n| *n <= code.len())
        .map(|n| code[..n].to_string())
}

/// Regions in the caller's scope by code: an admin's all; others the subtree of their
/// region; a worker also the regions above its assigned cells.
pub fn list(c: &mut DbConn, user: &CurrentUser) -> Result<Vec<Region>> {
    let mut rows = regions::list_under(c, user.region_scope())?;
    if user.role == Role::Worker {
        let mut extra: Vec<String> = cells::assigned_codes(c, &user.id)?
            .iter()
            .flat_map(|code| ancestors(code).collect::<Vec<_>>())
            .filter(|code| !code.starts_with(user.region_scope()))
            .collect();
        extra.sort();
        extra.dedup();
        rows.extend(regions::list_codes(c, &extra)?);
        rows.sort_by(|a, b| a.code.cmp(&b.code));
    }
    rows.into_iter().map(region_of).collect()
}

/// A region code given as a filter: 422 when it is not one.
pub fn parse_region(s: &str) -> Result<String> {
    RegionCode::parse(s)
        .map(|c| c.as_str().to_string())
        .map_err(|m| Error::invalid("region", m))
}

/// Validates and inserts a region, audited (shared by the API and the demo seeder).
pub fn create(c: &mut DbConn, new: &NewRegion, actor: Option<&CurrentUser>) -> Result<Region> {
    let code = new.validate().map_err(Error::validation)?;
    let code = code.as_str();
    let row = db::write_tx(c, |c| {
        if regions::find(c, code)?.is_some() {
            return Err(Error::new(
                ErrorCode::CodeTaken,
                format!("region {code} exists"),
            ));
        }
        if let Some(parent) = &new.parent_code
            && regions::find(c, parent)?.is_none()
        {
            return Err(Error::invalid("parent_code", "no such region"));
        }
        let now = db::now();
        let row = RegionRow {
            code: code.to_string(),
            name: new.name.trim().to_string(),
            level: new.level.as_str().to_string(),
            parent_code: new.parent_code.clone(),
            created_at: now,
        };
        regions::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                Error::new(ErrorCode::CodeTaken, format!("region {code} exists"))
            } else {
                e.into()
            }
        })?;
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: actor.map(|a| a.id.as_str()),
                action: "region_create",
                entity_type: "region",
                entity_id: code,
                outcome: "success",
                ip: actor.map(|a| a.ip.as_str()),
                detail: None,
            },
        )?;
        Ok(row)
    })?;
    region_of(row)
}
