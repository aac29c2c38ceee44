-- Incidents and disputes: categories with deadlines per level, the incidents, their
-- history, mediation sessions and photos.
CREATE TABLE categories (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    deadline_community DOUBLE PRECISION NOT NULL,
    deadline_town DOUBLE PRECISION NOT NULL,
    deadline_district DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    category TEXT NOT NULL REFERENCES categories (code),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    cell_code TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    level TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    reporter_id TEXT NOT NULL REFERENCES users (id),
    assignee_id TEXT REFERENCES users (id),
    resolver_id TEXT REFERENCES users (id),
    merged_into TEXT REFERENCES incidents (id),
    conflict BOOLEAN NOT NULL,
    rework_count INTEGER NOT NULL,
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX incidents_created ON incidents (created_at, id);
CREATE INDEX incidents_cell ON incidents (cell_code, created_at);
CREATE INDEX incidents_status_due ON incidents (status, due_at);
CREATE INDEX incidents_reporter ON incidents (reporter_id);
CREATE INDEX incidents_assignee ON incidents (assignee_id);
CREATE INDEX incidents_category_place ON incidents (category, lat, lon);
CREATE INDEX incidents_updated ON incidents (updated_at);

CREATE TABLE incident_history (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    at TIMESTAMP NOT NULL,
    actor_id TEXT REFERENCES users (id),
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    note TEXT,
    conflict BOOLEAN NOT NULL,
    data TEXT
);
CREATE INDEX incident_history_incident ON incident_history (incident_id, at, id);

CREATE TABLE mediations (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    held_at TIMESTAMP NOT NULL,
    mediator TEXT NOT NULL,
    parties TEXT NOT NULL,
    outcome TEXT NOT NULL,
    agreement_reached BOOLEAN NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mediations_incident ON mediations (incident_id, held_at);

-- Photos of incidents, visits and inspections. The bytes live under the data dir,
-- addressed by SHA-256, so the same image is stored once.
CREATE TABLE photos (
    id TEXT PRIMARY KEY NOT NULL,
    owner_type TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX photos_owner_sha ON photos (owner_type, owner_id, sha256);

INSERT INTO categories (code, name, name_en, deadline_community, deadline_town, deadline_district, updated_at) VALUES
    ('0101', '邻里纠纷', 'Neighbour dispute', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0102', '婚姻家庭纠纷', 'Marriage and family dispute', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0103', '土地山林纠纷', 'Land and forest dispute', 40, 80, 120, CURRENT_TIMESTAMP),
    ('0104', '劳资纠纷', 'Labour and wage dispute', 24, 40, 80, CURRENT_TIMESTAMP),
    ('0105', '物业纠纷', 'Property management dispute', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0106', '征地拆迁纠纷', 'Land requisition and demolition dispute', 40, 80, 120, CURRENT_TIMESTAMP),
    ('0107', '医疗纠纷', 'Medical dispute', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0199', '其他矛盾纠纷', 'Other dispute', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0201', '消防安全隐患', 'Fire hazard', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0202', '安全生产隐患', 'Production safety hazard', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0203', '燃气安全隐患', 'Gas safety hazard', 4, 8, 16, CURRENT_TIMESTAMP),
    ('0204', '房屋安全隐患', 'Building safety hazard', 16, 32, 48, CURRENT_TIMESTAMP),
    ('0205', '交通安全隐患', 'Traffic safety hazard', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0206', '地质灾害隐患', 'Geological hazard', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0301', '治安问题', 'Public order problem', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0302', '可疑人员', 'Suspicious person', 4, 8, 16, CURRENT_TIMESTAMP),
    ('0303', '涉黄赌毒', 'Prostitution, gambling or drugs', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0304', '邪教活动', 'Cult activity', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0401', '垃圾堆放', 'Rubbish dumping', 16, 32, 48, CURRENT_TIMESTAMP),
    ('0402', '污水排放', 'Sewage discharge', 16, 32, 48, CURRENT_TIMESTAMP),
    ('0403', '噪声扰民', 'Noise nuisance', 16, 32, 48, CURRENT_TIMESTAMP),
    ('0404', '大气污染', 'Air pollution', 16, 32, 48, CURRENT_TIMESTAMP),
    ('0405', '违法建设', 'Illegal construction', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0501', '道路损坏', 'Damaged road', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0502', '路灯故障', 'Street light out', 16, 32, 48, CURRENT_TIMESTAMP),
    ('0503', '井盖缺失', 'Missing manhole cover', 4, 8, 16, CURRENT_TIMESTAMP),
    ('0504', '供水供电故障', 'Water or power failure', 8, 16, 24, CURRENT_TIMESTAMP),
    ('0505', '公共设施损坏', 'Damaged public facility', 24, 48, 72, CURRENT_TIMESTAMP),
    ('0601', '自然灾害', 'Natural disaster', 1, 2, 4, CURRENT_TIMESTAMP),
    ('0602', '公共卫生事件', 'Public health emergency', 2, 4, 8, CURRENT_TIMESTAMP),
    ('0603', '群体性事件', 'Mass incident', 1, 2, 4, CURRENT_TIMESTAMP),
    ('0604', '火灾事故', 'Fire', 1, 2, 4, CURRENT_TIMESTAMP),
    ('9901', '其他事项', 'Other matter', 40, 80, 120, CURRENT_TIMESTAMP);
