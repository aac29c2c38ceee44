//! The committed diesel schema (`server/src/db/schema.rs`) must match what the migrations
//! of each engine produce: the same tables, the same columns, and every column of the kind
//! and nullability `schema.rs` declares, on both engines.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use gridwork_server::db::DbConn;
use gridwork_tests::{Engine, TestApp};

/// (table → column → (kind, nullable)) as `schema.rs` declares it, read from its
/// `table!` blocks: `name -> Type,` or `name -> Nullable<Type>,`.
fn declared() -> Layout {
    let text = include_str!("../../server/src/db/schema.rs");
    let mut out = Layout::new();
    let mut table: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(head) = line.strip_suffix('{').map(str::trim)
            && let Some((name, _key)) = head.split_once(' ')
            && head.ends_with(')')
        {
            table = Some(name.to_string());
            out.entry(name.to_string()).or_default();
            continue;
        }
        if line == "}" {
            table = None;
            continue;
        }
        let (Some(t), Some((col, ty))) = (&table, line.split_once(" -> ")) else {
            continue;
        };
        let ty = ty.trim_end_matches(',');
        let (ty, nullable) = match ty.strip_prefix("Nullable<") {
            Some(inner) => (inner.trim_end_matches('>'), true),
            None => (ty, false),
        };
        let kind = match ty {
            "Text" => "text",
            "Integer" => "integer",
            "BigInt" => "bigint",
            "Double" => "double",
            "Bool" => "bool",
            "Timestamp" => "timestamp",
            other => panic!("{t}.{col}: a type the two engines do not share: {other}"),
        };
        out.get_mut(t)
            .expect("table seen")
            .insert(col.trim().to_string(), (kind.to_string(), nullable));
    }
    out
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

/// SQLite keeps a 64-bit integer key as `INTEGER` (its rowid); PostgreSQL says `bigint`.
fn same_kind(engine: &str, table: &str, col: &str, declared: &str, have: &str) -> bool {
    declared == have
        || (engine == "sqlite"
            && declared == "bigint"
            && have == "integer"
            && (table, col) == ("audit_log", "seq"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_match_the_committed_schema_on_both_engines() {
    let expected = declared();
    assert!(expected.len() > 20, "schema.rs was not read: {expected:?}");
    let sqlite = layout_of(Engine::Sqlite).await;
    let pg = layout_of(Engine::Postgres).await;
    let mut problems = Vec::new();
    for (name, db) in [("sqlite", &sqlite), ("postgres", &pg)] {
        let tables: Vec<_> = db.keys().collect();
        let want: Vec<_> = expected.keys().collect();
        assert_eq!(tables, want, "{name}: tables differ from schema.rs");
        for (table, cols) in &expected {
            let have: Vec<_> = db[table].keys().collect();
            let want: Vec<_> = cols.keys().collect();
            assert_eq!(
                have, want,
                "{name}: columns of {table} differ from schema.rs"
            );
            for (col, (kind, nullable)) in cols {
                let (have_kind, have_null) = &db[table][col];
                if !same_kind(name, table, col, kind, have_kind) {
                    problems.push(format!(
                        "{name}: {table}.{col} is {have_kind}, schema.rs says {kind}"
                    ));
                }
                if have_null != nullable {
                    problems.push(format!(
                        "{name}: {table}.{col} nullable {have_null}, schema.rs says {nullable}"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "schema drift:\n{}",
        problems.join("\n")
    );
}

#[test]
fn schema_rs_is_read_with_kinds_and_nullability() {
    let d = declared();
    assert_eq!(d["regions"]["parent_code"], ("text".to_string(), true));
    assert_eq!(d["users"]["active"], ("bool".to_string(), false));
    assert_eq!(d["visits"]["distance_m"].0, "double");
}
