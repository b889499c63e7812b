-- Public side (R31, R32, R34): village boards, the judicial offices' public
-- contacts, the service WeChat group register and the pinyin search index.

-- A village board's own settings; the rest of a board comes from the registry.
CREATE TABLE boards (
    village_code TEXT PRIMARY KEY REFERENCES regions (code),
    onsite_hours TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- A town's judicial office (司法所) as shown on its villages' boards.
CREATE TABLE offices (
    town_code TEXT PRIMARY KEY REFERENCES regions (code),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- One service WeChat group per village (R34).
CREATE TABLE wechat_groups (
    village_code TEXT PRIMARY KEY REFERENCES regions (code),
    name TEXT NOT NULL,
    admin_advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    admin_nickname TEXT NOT NULL DEFAULT '',
    members_advisor INTEGER NOT NULL DEFAULT 0,
    members_assistant INTEGER NOT NULL DEFAULT 0,
    members_committee INTEGER NOT NULL DEFAULT 0,
    members_mediation INTEGER NOT NULL DEFAULT 0,
    members_party INTEGER NOT NULL DEFAULT 0,
    members_representative INTEGER NOT NULL DEFAULT 0,
    members_judicial INTEGER NOT NULL DEFAULT 0,
    qr_file TEXT NOT NULL DEFAULT '',
    qr_uploaded_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX wechat_groups_admin ON wechat_groups (admin_advisor_id);

-- Pinyin of village names for the public search (filled from the regions by
-- the service; name is the name the pinyin was made from).
CREATE TABLE region_pinyin (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    full_pinyin TEXT NOT NULL,
    initials TEXT NOT NULL
);
