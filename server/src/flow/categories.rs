//! Incident categories: the coded list and its deadlines per handling level.

use gridwork_shared::incident::{Category, CategoryPatch, DeadlineHours};

use crate::db::models::CategoryRow;
use crate::db::{self, DbConn, audit, incidents as store};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};

pub fn category_of(r: &CategoryRow) -> Category {
    Category {
        code: r.code.clone(),
        name: r.name.clone(),
        name_en: r.name_en.clone(),
        deadline_hours: DeadlineHours {
            community: r.deadline_community,
            town: r.deadline_town,
            district: r.deadline_district,
        },
        public: r.public,
    }
}

/// Every category, by code.
pub fn list(c: &mut DbConn) -> Result<Vec<Category>> {
    Ok(store::categories(c)?.iter().map(category_of).collect())
}

/// Changes a category's names or deadlines (the patch is validated), audited.
pub fn update(
    c: &mut DbConn,
    actor: &CurrentUser,
    code: &str,
    p: &CategoryPatch,
) -> Result<Category> {
    p.validate(code).map_err(Error::validation)?;
    let row = db::write_tx(c, |c| -> Result<CategoryRow> {
        let mut row = store::category(c, code)?.ok_or_else(Error::not_found)?;
        let before = row.clone();
        if let Some(n) = &p.name {
            row.name = n.trim().to_string();
        }
        if let Some(n) = &p.name_en {
            row.name_en = n.trim().to_string();
        }
        if let Some(d) = &p.deadline_hours {
            row.deadline_community = d.community.unwrap_or(row.deadline_community);
            row.deadline_town = d.town.unwrap_or(row.deadline_town);
            row.deadline_district = d.district.unwrap_or(row.deadline_district);
        }
        if let Some(public) = p.public {
            row.public = public;
        }
        row.updated_at = db::now();
        store::update_category(c, &row)?;
        let changes = changes_of(&before, &row);
        audit::append(
            c,
            row.updated_at,
            audit::Entry {
                actor_id: Some(&actor.id),
                action: "category_update",
                entity_type: "category",
                entity_id: &row.code,
                outcome: "success",
                ip: Some(&actor.ip),
                detail: Some(&changes),
            },
        )?;
        Ok(row)
    })?;
    Ok(category_of(&row))
}

/// What a change of a category changed, as `field: old → new` parts (`nothing` when the
/// patch set what was there).
fn changes_of(before: &CategoryRow, after: &CategoryRow) -> String {
    let mut parts = Vec::new();
    for (field, old, new) in [
        ("name", &before.name, &after.name),
        ("name_en", &before.name_en, &after.name_en),
    ] {
        if old != new {
            parts.push(format!("{field}: {old} → {new}"));
        }
    }
    for (field, old, new) in [
        (
            "deadline_hours.community",
            before.deadline_community,
            after.deadline_community,
        ),
        (
            "deadline_hours.town",
            before.deadline_town,
            after.deadline_town,
        ),
        (
            "deadline_hours.district",
            before.deadline_district,
            after.deadline_district,
        ),
    ] {
        if old != new {
            parts.push(format!("{field}: {old} → {new}"));
        }
    }
    if before.public != after.public {
        parts.push(format!("public: {} → {}", before.public, after.public));
    }
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join("; ")
    }
}
