-- Archive register (DESIGN 2.6, 2.7): categories, items (件), boxes (盒)
-- and attachments.

-- 机构(问题)代码 of a department, used in the 档号 (e.g. XS for 销售部).
-- Empty: the department code is used.
ALTER TABLE departments ADD COLUMN archive_code TEXT NOT NULL DEFAULT '';

-- Two levels: a 门类 (parent_id NULL, letter code, no retention) and its
-- 类别 (code, name, default 保管期限).
CREATE TABLE archive_categories (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES archive_categories(id) ON DELETE RESTRICT,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    retention  TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX archive_categories_code ON archive_categories(coalesce(parent_id, 0), code);
CREATE INDEX archive_categories_parent ON archive_categories(parent_id);

-- A box holds items of one group (全宗, 门类, 年度, 保管期限, 机构); its
-- 盒号 is a serial within the group.
CREATE TABLE archive_boxes (
    id         INTEGER PRIMARY KEY,
    fonds      TEXT NOT NULL,
    class_code TEXT NOT NULL,
    year       INTEGER NOT NULL,
    retention  TEXT NOT NULL,
    org_code   TEXT NOT NULL,
    box_no     INTEGER NOT NULL,
    dept_id    INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
    thickness  INTEGER NOT NULL DEFAULT 30 CHECK (thickness IN (20, 30, 40, 50)),
    room       TEXT NOT NULL DEFAULT '',
    cabinet    TEXT NOT NULL DEFAULT '',
    shelf      TEXT NOT NULL DEFAULT '',
    filer      TEXT NOT NULL DEFAULT '',
    checker    TEXT NOT NULL DEFAULT '',
    filed_on   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (fonds, class_code, year, retention, org_code, box_no)
);
CREATE INDEX archive_boxes_dept ON archive_boxes(dept_id);

-- One row per 件. The group columns and serial make the 档号; code is the
-- 档号 as formatted when it was assigned, sort_key the same segments padded
-- so that text order is segment order (see archivecode.go).
CREATE TABLE archive_items (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES archive_categories(id) ON DELETE RESTRICT,
    class_id    INTEGER NOT NULL REFERENCES archive_categories(id) ON DELETE RESTRICT,
    fonds       TEXT NOT NULL,
    class_code  TEXT NOT NULL,
    year        INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
    retention   TEXT NOT NULL,
    org_code    TEXT NOT NULL,
    serial      INTEGER NOT NULL,
    code        TEXT NOT NULL,
    sort_key    TEXT NOT NULL,
    code_fixed  INTEGER NOT NULL DEFAULT 0,
    dept_id     INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
    title       TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    doc_no      TEXT NOT NULL DEFAULT '',
    doc_date    TEXT NOT NULL DEFAULT '',
    pages       INTEGER NOT NULL CHECK (pages > 0),
    secrecy     TEXT NOT NULL DEFAULT '公开',
    customer_id INTEGER REFERENCES customers(id) ON DELETE RESTRICT,
    carrier     TEXT NOT NULL DEFAULT '纸质',
    box_id      INTEGER REFERENCES archive_boxes(id) ON DELETE RESTRICT,
    location    TEXT NOT NULL DEFAULT '',
    remarks     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'in' CHECK (status IN ('in', 'lent', 'pending_destroy', 'destroyed')),
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (fonds, class_code, year, retention, org_code, serial)
);
CREATE INDEX archive_items_sort ON archive_items(sort_key);
CREATE INDEX archive_items_class ON archive_items(class_id, sort_key);
CREATE INDEX archive_items_category ON archive_items(category_id, sort_key);
CREATE INDEX archive_items_category_year ON archive_items(category_id, year, sort_key);
CREATE INDEX archive_items_class_year ON archive_items(class_id, year, sort_key);
CREATE INDEX archive_items_year ON archive_items(year, sort_key);
CREATE INDEX archive_items_customer ON archive_items(customer_id);
CREATE INDEX archive_items_dept ON archive_items(dept_id);
CREATE INDEX archive_items_box ON archive_items(box_id, serial);

-- Files are stored once per content hash under attachments/; rows keep the
-- original name and size.
CREATE TABLE archive_attachments (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES archive_items(id) ON DELETE RESTRICT,
    sha256     TEXT NOT NULL,
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX archive_attachments_item ON archive_attachments(item_id);
CREATE INDEX archive_attachments_hash ON archive_attachments(sha256);

-- Default categories (DESIGN 2.6); editable by admins.
INSERT INTO archive_categories (code, name, created_at, updated_at) VALUES
    ('KH', '客户档案', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('KJ', '会计档案', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('GL', '管理类', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('SW', '实物', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('SX', '声像', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

INSERT INTO archive_categories (parent_id, code, name, retention, created_at, updated_at)
SELECT p.id, v.code, v.name, v.retention, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM (
    SELECT 'KH' AS class, '01' AS code, '客户基础资料' AS name, 'D30' AS retention
    UNION ALL SELECT 'KH', '02', '合同协议', 'D30'
    UNION ALL SELECT 'KH', '03', '往来账款与对账', 'D30'
    UNION ALL SELECT 'KH', '04', '沟通与拜访记录', 'D10'
    UNION ALL SELECT 'KH', '05', '投诉与反馈', 'D10'
    UNION ALL SELECT 'KH', '06', '资信调查与评级', 'D30'
    UNION ALL SELECT 'KJ', '01', '会计凭证', 'D30'
    UNION ALL SELECT 'KJ', '02', '会计账簿', 'D30'
    UNION ALL SELECT 'KJ', '03', '财务会计报告', 'Y'
    UNION ALL SELECT 'KJ', '04', '其他会计资料', 'D10'
    UNION ALL SELECT 'GL', '01', '综合管理', 'D30'
    UNION ALL SELECT 'SW', '01', '证书', 'Y'
    UNION ALL SELECT 'SW', '02', '奖状锦旗', 'Y'
    UNION ALL SELECT 'SX', '01', '照片', 'Y'
    UNION ALL SELECT 'SX', '02', '录音录像', 'Y'
) v JOIN archive_categories p ON p.code = v.class AND p.parent_id IS NULL;

-- Substring search over 题名, 档号, 文号 and 责任者 (3 characters or more;
-- shorter text falls back to LIKE). Kept in step by triggers.
CREATE VIRTUAL TABLE archive_items_fts USING fts5(
    title, code, doc_no, author,
    content = 'archive_items', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER archive_items_fts_insert AFTER INSERT ON archive_items BEGIN
    INSERT INTO archive_items_fts (rowid, title, code, doc_no, author)
    VALUES (new.id, new.title, new.code, new.doc_no, new.author);
END;
CREATE TRIGGER archive_items_fts_delete AFTER DELETE ON archive_items BEGIN
    INSERT INTO archive_items_fts (archive_items_fts, rowid, title, code, doc_no, author)
    VALUES ('delete', old.id, old.title, old.code, old.doc_no, old.author);
END;
CREATE TRIGGER archive_items_fts_update AFTER UPDATE OF title, code, doc_no, author ON archive_items BEGIN
    INSERT INTO archive_items_fts (archive_items_fts, rowid, title, code, doc_no, author)
    VALUES ('delete', old.id, old.title, old.code, old.doc_no, old.author);
    INSERT INTO archive_items_fts (rowid, title, code, doc_no, author)
    VALUES (new.id, new.title, new.code, new.doc_no, new.author);
END;
