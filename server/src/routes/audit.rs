//! `GET /audit` (admin): the append-only audit log, newest first.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Page;
use gridwork_shared::api::Role;
use gridwork_shared::geometry::parse_instant;
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::db::page::DEFAULT_LIMIT;
use crate::db::{audit, to_utc};
use crate::error::{ApiError, ApiResult};
use crate::extract::parse_query;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/audit").get(list));
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(with = "gridwork_shared::utc")]
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub outcome: String,
    pub ip: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    actor: Option<String>,
    entity: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(("actor" = Option<String>, Query, description = "actor user id"),
        ("entity" = Option<String>, Query, description = "entity id or entity type"),
        ("from" = Option<String>, Query, description = "RFC 3339 or date"),
        ("to" = Option<String>, Query, description = "RFC 3339 or date"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let q: Query = parse_query(&req)?;
    let time = |field: &str, v: &Option<String>| -> ApiResult<_> {
        v.as_deref()
            .map(|s| {
                parse_instant(s)
                    .map(crate::time::to_db)
                    .ok_or_else(|| ApiError::invalid(field, "must be an RFC 3339 time or a date"))
            })
            .transpose()
    };
    let limit = match q.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", "must be an integer from 1 to 500"))?,
    };
    let before_seq = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| ApiError::invalid("cursor", "is not a cursor this server issued"))?,
        ),
    };
    let filter = audit::Filter {
        actor: q.actor,
        entity: q.entity,
        from: time("from", &q.from)?,
        to: time("to", &q.to)?,
        before_seq,
    };
    let mut rows = state.db(move |c| audit::list(c, &filter, limit)).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            seq: r.seq,
            at: to_utc(r.at),
            actor_id: r.actor_id,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            outcome: r.outcome,
            ip: r.ip,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}
