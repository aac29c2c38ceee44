//! Users and their scope.

use diesel::prelude::*;

use super::models::UserRow;
use super::page::{Cursor, PageRequest};
use super::schema::users::dsl as u;
use super::{DbConn, like_prefix};

pub fn find_by_id(c: &mut DbConn, id: &str) -> QueryResult<Option<UserRow>> {
    u::users
        .find(id)
        .select(UserRow::as_select())
        .first(c)
        .optional()
}

pub fn find_by_username(c: &mut DbConn, username: &str) -> QueryResult<Option<UserRow>> {
    u::users
        .filter(u::username.eq(username))
        .select(UserRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(u::users)
        .values(row)
        .execute(c)
        .map(|_| ())
}

/// A user if it lies in `scope` (a region prefix; `""` = everything).
pub fn find_in_scope(c: &mut DbConn, id: &str, scope: &str) -> QueryResult<Option<UserRow>> {
    u::users
        .find(id)
        .filter(u::region_code.like(like_prefix(scope)).escape('\\'))
        .select(UserRow::as_select())
        .first(c)
        .optional()
}

diesel::define_sql_function! {
    /// Lower case (ASCII on SQLite), so a search matches alike on both engines.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What a users list is narrowed to, besides the caller's scope.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Part of the username or the display name, lower case.
    pub text: Option<String>,
    pub role: Option<String>,
    /// Users whose region lies at or under this code.
    pub region: Option<String>,
    pub active: Option<bool>,
}

/// Users whose region lies in `scope` and who match `f`, newest first.
pub fn list(
    c: &mut DbConn,
    scope: &str,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<UserRow>> {
    let mut q = u::users
        .filter(u::region_code.like(like_prefix(scope)).escape('\\'))
        .select(UserRow::as_select())
        .order((u::created_at.desc(), u::id.desc()))
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(text) = &f.text {
        let pattern = format!("%{}", like_prefix(text));
        q = q.filter(
            lower(u::username)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(u::display_name).like(pattern).escape('\\')),
        );
    }
    if let Some(role) = &f.role {
        q = q.filter(u::role.eq(role.clone()));
    }
    if let Some(region) = &f.region {
        q = q.filter(u::region_code.like(like_prefix(region)).escape('\\'));
    }
    if let Some(active) = f.active {
        q = q.filter(u::active.eq(active));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            u::created_at
                .lt(*created_at)
                .or(u::created_at.eq(*created_at).and(u::id.lt(id.clone()))),
        );
    }
    q.load(c)
}

pub fn find_many(c: &mut DbConn, ids: &[String]) -> QueryResult<Vec<UserRow>> {
    u::users
        .filter(u::id.eq_any(ids))
        .select(UserRow::as_select())
        .order(u::username.asc())
        .load(c)
}

pub fn update(c: &mut DbConn, row: &UserRow) -> QueryResult<()> {
    // What the user may see changes with its role, region, department or activation: its
    // phone's next pull starts again from nothing.
    let current: Option<(String, String, Option<String>, bool)> = u::users
        .find(&row.id)
        .select((u::role, u::region_code, u::department_id, u::active))
        .first(c)
        .optional()?;
    if current.is_some_and(|(role, region, department, active)| {
        (role, region, department, active)
            != (
                row.role.clone(),
                row.region_code.clone(),
                row.department_id.clone(),
                row.active,
            )
    }) {
        diesel::update(u::users.find(&row.id))
            .set(u::scope_epoch.eq(u::scope_epoch + 1))
            .execute(c)?;
    }
    diesel::update(u::users.find(&row.id))
        .set((
            u::display_name.eq(&row.display_name),
            u::role.eq(&row.role),
            u::region_code.eq(&row.region_code),
            u::department_id.eq(&row.department_id),
            u::active.eq(row.active),
            u::password_hash.eq(&row.password_hash),
            u::updated_at.eq(row.updated_at),
        ))
        .execute(c)
        .map(|_| ())
}

/// What bounds a user's scope, read in one statement with the epoch it belongs to:
/// `(role, region_code, department_id, scope_epoch)` of an active user.
pub type ScopeRow = (String, String, Option<String>, i64);

pub fn scope_row(c: &mut DbConn, id: &str) -> QueryResult<Option<ScopeRow>> {
    u::users
        .find(id)
        .filter(u::active.eq(true))
        .select((u::role, u::region_code, u::department_id, u::scope_epoch))
        .first(c)
        .optional()
}

/// Raises the scope epoch of these users: what they may see changed.
pub fn bump_scope(c: &mut DbConn, ids: &[&String]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(u::users.filter(u::id.eq_any(ids)))
        .set(u::scope_epoch.eq(u::scope_epoch + 1))
        .execute(c)
        .map(|_| ())
}
