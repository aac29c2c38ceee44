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
        scope_epoch -> BigInt,
        department_id -> Nullable<Text>,
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
        detail -> Nullable<Text>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    categories (code) {
        code -> Text,
        name -> Text,
        name_en -> Text,
        deadline_community -> Double,
        deadline_town -> Double,
        deadline_district -> Double,
        updated_at -> Timestamp,
        public -> Bool,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        category -> Text,
        title -> Text,
        description -> Text,
        lon -> Double,
        lat -> Double,
        cell_code -> Text,
        occurred_at -> Timestamp,
        severity -> Text,
        status -> Text,
        level -> Text,
        due_at -> Timestamp,
        reporter_id -> Text,
        assignee_id -> Nullable<Text>,
        resolver_id -> Nullable<Text>,
        merged_into -> Nullable<Text>,
        conflict -> Bool,
        rework_count -> Integer,
        version -> BigInt,
        body_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        source -> Text,
        department_id -> Nullable<Text>,
    }
}

diesel::table! {
    incident_history (id) {
        id -> Text,
        incident_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Nullable<Text>,
        note -> Nullable<Text>,
        conflict -> Bool,
        data -> Nullable<Text>,
    }
}

diesel::table! {
    mediations (id) {
        id -> Text,
        incident_id -> Text,
        held_at -> Timestamp,
        mediator -> Text,
        parties -> Text,
        outcome -> Text,
        agreement_reached -> Bool,
        note -> Nullable<Text>,
        recorded_by -> Text,
        body_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    photos (id) {
        id -> Text,
        owner_type -> Text,
        owner_id -> Text,
        sha256 -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        uploaded_by -> Text,
        created_at -> Timestamp,
        step_id -> Nullable<Text>,
    }
}

diesel::table! {
    visit_intervals (category, risk_level) {
        category -> Text,
        risk_level -> Text,
        days -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        category -> Text,
        name_enc -> Text,
        id_number_enc -> Text,
        id_number_masked -> Text,
        address_enc -> Text,
        lon -> Double,
        lat -> Double,
        cell_code -> Text,
        risk_level -> Text,
        responsible_worker_id -> Text,
        active -> Bool,
        last_visit_at -> Nullable<Timestamp>,
        last_outcome -> Nullable<Text>,
        last_met_at -> Nullable<Timestamp>,
        next_visit_due -> Nullable<Timestamp>,
        version -> BigInt,
        body_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> Text,
        person_id -> Text,
        visitor_id -> Text,
        visited_at -> Timestamp,
        lon -> Double,
        lat -> Double,
        outcome -> Text,
        note -> Text,
        risk_level -> Nullable<Text>,
        distance_m -> Double,
        far -> Bool,
        due_at -> Nullable<Timestamp>,
        on_time -> Nullable<Bool>,
        body_hash -> Text,
        created_at -> Timestamp,
        accuracy_m -> Nullable<Double>,
        picked_on_map -> Bool,
    }
}

diesel::table! {
    safety_units (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        address -> Text,
        lon -> Double,
        lat -> Double,
        cell_code -> Text,
        certification -> Text,
        certified_at -> Nullable<Timestamp>,
        certified_by -> Nullable<Text>,
        last_inspected_at -> Nullable<Timestamp>,
        open_hazards -> Integer,
        earliest_open_deadline -> Nullable<Timestamp>,
        version -> BigInt,
        body_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    inspections (id) {
        id -> Text,
        unit_id -> Text,
        inspector_id -> Text,
        inspected_at -> Timestamp,
        lon -> Double,
        lat -> Double,
        result -> Text,
        note -> Text,
        body_hash -> Text,
        created_at -> Timestamp,
        accuracy_m -> Nullable<Double>,
        picked_on_map -> Bool,
        distance_m -> Nullable<Double>,
        far -> Bool,
    }
}

diesel::table! {
    hazards (id) {
        id -> Text,
        unit_id -> Text,
        inspection_id -> Text,
        description -> Text,
        deadline -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
    }
}

diesel::table! {
    sync_state (id) {
        id -> Integer,
        seq -> BigInt,
    }
}

diesel::table! {
    change_log (id) {
        id -> Text,
        seq -> BigInt,
        entity_type -> Text,
        entity_id -> Text,
        cell_code -> Text,
        at -> Timestamp,
        party -> Nullable<Text>,
    }
}

diesel::table! {
    sync_ops (op_id) {
        op_id -> Text,
        user_id -> Text,
        op_type -> Text,
        body_hash -> Text,
        conflict -> Bool,
        applied_at -> Timestamp,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(visits -> persons (person_id));
diesel::joinable!(inspections -> safety_units (unit_id));
diesel::joinable!(incident_history -> incidents (incident_id));
diesel::joinable!(mediations -> incidents (incident_id));
diesel::joinable!(cell_workers -> users (user_id));
diesel::joinable!(cells -> regions (community_code));

diesel::table! {
    calendar_days (day) {
        day -> Text,
        kind -> Text,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        at -> Timestamp,
        kind -> Text,
        entity_type -> Text,
        entity_id -> Text,
        title -> Text,
        read -> Bool,
        event_key -> Text,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        key_hash -> Text,
        user_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    open311_contacts (incident_id) {
        incident_id -> Text,
        email_enc -> Nullable<Text>,
        first_name_enc -> Nullable<Text>,
        last_name_enc -> Nullable<Text>,
        phone_enc -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    departments (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        body_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tasks (id) {
        id -> Text,
        code -> Text,
        title -> Text,
        description -> Text,
        year -> Integer,
        indicator -> Text,
        due_date -> Text,
        weight -> Double,
        body_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    task_units (task_id, unit) {
        task_id -> Text,
        unit -> Text,
        kind -> Text,
        duty -> Text,
        target -> Double,
        position -> Integer,
    }
}

diesel::table! {
    task_progress (id) {
        id -> Text,
        task_id -> Text,
        unit -> Text,
        value -> Double,
        note -> Text,
        reported_at -> Timestamp,
        reporter_id -> Text,
        body_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliberations (id) {
        id -> Text,
        region_code -> Text,
        title -> Text,
        description -> Text,
        source_incident_id -> Nullable<Text>,
        status -> Text,
        decision -> Nullable<Text>,
        outcome -> Nullable<Text>,
        raised_by -> Text,
        version -> BigInt,
        body_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    deliberation_sessions (id) {
        id -> Text,
        deliberation_id -> Text,
        held_at -> Timestamp,
        place -> Text,
        attendees -> BigInt,
        votes_for -> BigInt,
        votes_against -> BigInt,
        votes_abstain -> BigInt,
        passed -> Bool,
        minutes -> Text,
        recorded_by -> Text,
        body_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliberation_history (id) {
        id -> Text,
        deliberation_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Nullable<Text>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        award -> Text,
        level -> Text,
        region_code -> Text,
        year -> Integer,
        quota -> Integer,
        selected -> Integer,
        nominations_close -> Timestamp,
        status -> Text,
        created_by -> Text,
        version -> BigInt,
        body_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    task_scores (task_id, period, unit) {
        task_id -> Text,
        period -> Text,
        unit -> Text,
        score -> Double,
        note -> Text,
        scored_by -> Text,
        scored_at -> Timestamp,
    }
}

diesel::table! {
    performance_snapshots (id) {
        id -> Text,
        period -> Text,
        taken_at -> Timestamp,
        taken_by -> Text,
        document -> Text,
        sha256 -> Text,
    }
}

diesel::table! {
    nominations (id) {
        id -> Text,
        campaign_id -> Text,
        nominee_name -> Text,
        nominee_region_code -> Text,
        story -> Text,
        status -> Text,
        nominated_by -> Text,
        version -> BigInt,
        body_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        region_code -> Text,
        leader_id -> Nullable<Text>,
        active -> Bool,
        version -> BigInt,
        body_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_cells (team_id, cell_code) {
        team_id -> Text,
        cell_code -> Text,
    }
}

diesel::table! {
    team_members (team_id, user_id) {
        team_id -> Text,
        user_id -> Text,
        joined_at -> Timestamp,
        team_active -> Bool,
    }
}

diesel::table! {
    patrols (id) {
        id -> Text,
        team_id -> Text,
        started_at -> Timestamp,
        ended_at -> Timestamp,
        duration_s -> Integer,
        route -> Nullable<Text>,
        note -> Text,
        recorded_by -> Text,
        body_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    patrol_members (patrol_id, user_id) {
        patrol_id -> Text,
        user_id -> Text,
    }
}

diesel::joinable!(team_members -> users (user_id));
diesel::joinable!(patrol_members -> patrols (patrol_id));

diesel::allow_tables_to_appear_in_same_query!(
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
    sync_ops,
    calendar_days,
    notifications,
    api_keys,
    open311_contacts,
    departments,
    tasks,
    task_units,
    task_progress,
    task_scores,
    performance_snapshots,
    deliberations,
    deliberation_sessions,
    deliberation_history,
    campaigns,
    nominations,
    teams,
    team_cells,
    team_members,
    patrols,
    patrol_members,
);
