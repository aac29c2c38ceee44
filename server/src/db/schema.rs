// The one portable diesel schema for both engines. `tests/api/schema_drift.rs` checks it
// against what the migrations of each engine produce.

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        region_code -> Text,
        display_name -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        chain_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        spent_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Text,
        username -> Text,
        ip -> Text,
        at -> Timestamp,
        success -> Bool,
    }
}

diesel::table! {
    cells (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        community_code -> Text,
        geometry -> Text,
        min_lon -> Double,
        min_lat -> Double,
        max_lon -> Double,
        max_lat -> Double,
        valid_from -> Timestamp,
        valid_to -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cell_workers (cell_code, user_id) {
        cell_code -> Text,
        user_id -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    grid_state (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        outcome -> Text,
        ip -> Nullable<Text>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(cell_workers -> users (user_id));
diesel::joinable!(cells -> regions (community_code));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    users,
    refresh_tokens,
    login_attempts,
    cells,
    cell_workers,
    grid_state,
    audit_log,
);
