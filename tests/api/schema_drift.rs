//! The committed diesel schema (`server/src/db/schema.rs`) must match what the migrations
//! of each engine produce: the same tables, the same columns, and the two engines must
//! agree on every column's kind and nullability.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use gridwork_server::db::DbConn;
use gridwork_server::db::schema::*;
use gridwork_tests::{Engine, TestApp};

/// Column names of each table as diesel knows them, read off a rendered `SELECT`.
fn diesel_columns() -> BTreeMap<String, Vec<String>> {
    fn cols(sql: String) -> Vec<String> {
        let list = &sql[sql.find("SELECT ").unwrap() + 7..sql.find(" FROM").unwrap()];
        list.split(", ")
            .map(|c| {
                c.rsplit('.')
                    .next()
                    .unwrap()
                    .trim_matches(['`', '"'])
                    .to_string()
            })
            .collect()
    }
    macro_rules! tables {
        ($($t:ident),*) => {{
            let mut m = BTreeMap::new();
            $(
                let q = $t::table.select($t::all_columns);
                m.insert(stringify!($t).to_string(), cols(diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string()));
            )*
            m
        }};
    }
    tables!(
        regions,
        users,
        refresh_tokens,
        login_attempts,
        cells,
        cell_workers,
        grid_state,
        audit_log,
        categories,
        incidents,
        incident_history,
        mediations,
        photos,
        visit_intervals,
        persons,
        visits,
        safety_units,
        inspections,
        hazards,
        sync_state,
        change_log,
        sync_ops
    )
}

#[derive(QueryableByName, Debug)]
struct Col {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    nullable: i32,
}

/// (table → column → (kind, nullable)) as the database has it.
type Layout = BTreeMap<String, BTreeMap<String, (String, bool)>>;

fn kind(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    let k = if t.contains("char") || t == "text" {
        "text"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("double") || t.contains("real") || t.contains("float") {
        "double"
    } else if t.contains("big") {
        "bigint"
    } else if t.contains("int") {
        "integer"
    } else {
        return t;
    };
    k.to_string()
}

fn layout(c: &mut DbConn) -> Layout {
    let rows: Vec<Col> = match c {
        DbConn::Sqlite(s) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 0 ELSE 1 END AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'",
        )
        .load(s)
        .unwrap(),
        DbConn::Pg(p) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
             CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name NOT LIKE '__diesel%'",
        )
        .load(p)
        .unwrap(),
    };
    let mut out = Layout::new();
    for r in rows {
        out.entry(r.table_name)
            .or_default()
            .insert(r.column_name, (kind(&r.data_type), r.nullable == 1));
    }
    out
}

async fn layout_of(engine: Engine) -> Layout {
    let app = TestApp::spawn(engine).await;
    app.with_db(layout).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_match_the_committed_schema_on_both_engines() {
    let expected = diesel_columns();
    let sqlite = layout_of(Engine::Sqlite).await;
    let pg = layout_of(Engine::Postgres).await;
    for (name, db) in [("sqlite", &sqlite), ("postgres", &pg)] {
        let tables: Vec<_> = db.keys().cloned().collect();
        let want: Vec<_> = expected.keys().cloned().collect();
        assert_eq!(tables, want, "{name}: tables differ from schema.rs");
        for (table, cols) in &expected {
            let mut have: Vec<_> = db[table].keys().cloned().collect();
            let mut want = cols.clone();
            have.sort();
            want.sort();
            assert_eq!(
                have, want,
                "{name}: columns of {table} differ from schema.rs"
            );
        }
    }
    // The two migration trees agree on each column's kind and nullability, except that
    // SQLite's rowid key is INTEGER where PostgreSQL has BIGINT.
    for (table, cols) in &sqlite {
        for (col, (k, null)) in cols {
            let (pk, pnull) = &pg[table][col];
            let same_kind = k == pk || (k == "integer" && pk == "bigint" && table == "audit_log");
            assert!(same_kind, "{table}.{col}: sqlite {k} vs postgres {pk}");
            assert_eq!(null, pnull, "{table}.{col}: nullability differs");
        }
    }
}
