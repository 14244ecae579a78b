-- Customer cards (DESIGN 2.4, 2.5): dictionaries, customer categories, the
-- cards themselves and their contacts, communication records, bank
-- accounts, rename and status history, and the search index.
--
-- Other tables refer to customers(id); the columns id, code, name, dept_id,
-- status, created_at and updated_at are the contract they rely on.

-- Admin-editable lists that drive drop-downs (DESIGN 2.4). Customers store
-- the entry's name, so that imports can match by name; an entry in use is
-- disabled, not deleted.
CREATE TABLE dictionaries (
    id     INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL,
    sort   INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, name)
);

INSERT INTO dictionaries (kind, name, sort) VALUES
    ('region', '华北', 1), ('region', '华东', 2), ('region', '华南', 3), ('region', '华中', 4),
    ('region', '西南', 5), ('region', '西北', 6), ('region', '东北', 7), ('region', '港澳台及海外', 8),
    ('industry', '制造业', 1), ('industry', '批发和零售业', 2), ('industry', '建筑业', 3),
    ('industry', '信息技术服务业', 4), ('industry', '金融业', 5), ('industry', '交通运输业', 6),
    ('industry', '房地产业', 7), ('industry', '住宿和餐饮业', 8), ('industry', '教育', 9),
    ('industry', '卫生和社会工作', 10), ('industry', '其他', 11),
    ('source', '老客户介绍', 1), ('source', '电话营销', 2), ('source', '展会', 3), ('source', '网络推广', 4),
    ('source', '上门拜访', 5), ('source', '招投标', 6), ('source', '其他', 7),
    ('ownership', '国营', 1), ('ownership', '外企', 2), ('ownership', '股份', 3), ('ownership', '私营', 4),
    ('ownership', '个体', 5), ('ownership', '其他', 6),
    ('grade', 'A', 1), ('grade', 'B', 2), ('grade', 'C', 3),
    ('credit_grade', 'AAA', 1), ('credit_grade', 'AA', 2), ('credit_grade', 'A', 3), ('credit_grade', 'B', 4),
    ('credit_grade', 'C', 5),
    ('satisfaction', '非常满意', 1), ('satisfaction', '满意', 2), ('satisfaction', '一般', 3),
    ('satisfaction', '不满意', 4), ('satisfaction', '非常不满意', 5),
    ('comm_method', '客户上门', 1), ('comm_method', '我方上门', 2), ('comm_method', '电话', 3),
    ('comm_method', '现场', 4), ('comm_method', '线上', 5);

-- Customer categories (客户分类): hierarchical codes by the coding rule, like
-- departments. last_serial hands out the 4-digit serials of customer codes.
CREATE TABLE customer_categories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES customer_categories(id) ON DELETE RESTRICT,
    last_serial INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX customer_categories_parent ON customer_categories(parent_id);

-- Dates are stored as YYYY-MM-DD text ('' when unknown); money in 万元 or 元
-- as the label says, NULL when unknown.
CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    dept_id    INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
    status     TEXT NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'frozen', 'closed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,

    -- 基本
    -- Nullable so that rows written with only the contract columns (tests
    -- of other modules) still insert; the program always fills both.
    name_key       TEXT UNIQUE, -- name folded for uniqueness (width, case, spaces)
    short_name     TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL DEFAULT 'enterprise' CHECK (kind IN ('enterprise', 'individual')),
    category_id    INTEGER REFERENCES customer_categories(id) ON DELETE RESTRICT,
    salesman_id    INTEGER REFERENCES users(id) ON DELETE RESTRICT,
    source         TEXT NOT NULL DEFAULT '',
    grade          TEXT NOT NULL DEFAULT '',
    region         TEXT NOT NULL DEFAULT '',
    industry       TEXT NOT NULL DEFAULT '',
    mnemonic       TEXT NOT NULL DEFAULT '', -- 助记码 as shown and edited
    pinyin_keys    TEXT NOT NULL DEFAULT '', -- every reading of the name's initials, for search
    search_short   TEXT NOT NULL DEFAULT '', -- compact text for 1–2 character searches (see customer_find.go)
    created_by     TEXT NOT NULL DEFAULT '', -- 建档人 (user name)
    created_on     TEXT NOT NULL DEFAULT '', -- 建档日期
    freeze_reason  TEXT NOT NULL DEFAULT '',
    remark         TEXT NOT NULL DEFAULT '',

    -- 企业
    credit_code    TEXT NOT NULL DEFAULT '',
    legal_rep      TEXT NOT NULL DEFAULT '',
    reg_capital    REAL,
    founded_on     TEXT NOT NULL DEFAULT '',
    ownership      TEXT NOT NULL DEFAULT '',
    employees      INTEGER,
    annual_sales   REAL,
    business_scope TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    postcode       TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    fax            TEXT NOT NULL DEFAULT '',
    website        TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',

    -- 资信
    credit_grade   TEXT NOT NULL DEFAULT '',
    credit_limit   REAL,
    credit_days    INTEGER,
    credit_eval    TEXT NOT NULL DEFAULT '',
    sales_ability  TEXT NOT NULL DEFAULT '',
    potential      TEXT NOT NULL DEFAULT '',
    philosophy     TEXT NOT NULL DEFAULT '',

    -- 个人
    gender         TEXT NOT NULL DEFAULT '',
    birth_date     TEXT NOT NULL DEFAULT '',
    mobile         TEXT NOT NULL DEFAULT '',
    id_type        TEXT NOT NULL DEFAULT '',
    id_number      TEXT NOT NULL DEFAULT '',
    native_place   TEXT NOT NULL DEFAULT '',
    education      TEXT NOT NULL DEFAULT '',
    hobbies        TEXT NOT NULL DEFAULT '',

    -- Kept by the communication records, for the list and the reminders.
    last_comm_on   TEXT NOT NULL DEFAULT '',
    next_follow_up TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_dept ON customers(dept_id);
CREATE INDEX customers_salesman ON customers(salesman_id);
-- The list's drop-down filters: counting matches scans this narrow
-- covering index (seeking by category) instead of the wide rows.
CREATE INDEX customers_filters ON customers(category_id, dept_id, status, grade, region, industry, salesman_id);
CREATE INDEX customers_mnemonic ON customers(mnemonic, code);
CREATE INDEX customers_updated ON customers(updated_at);
CREATE INDEX customers_follow_up ON customers(next_follow_up) WHERE next_follow_up != '';
CREATE INDEX customers_quiet ON customers(coalesce(nullif(last_comm_on, ''), created_on));
-- 1–2 character searches scan this narrow covering index instead of the
-- wide rows: whole for the count, in code order for a page.
CREATE INDEX customers_search_short ON customers(code, search_short, dept_id);
CREATE UNIQUE INDEX customers_credit_code ON customers(credit_code) WHERE credit_code != '';

-- One row per customer: code, names, 助记码 and pinyin readings, credit code,
-- folded to lower case; trigram gives substring search for 3+ characters.
-- The program keeps it in step in the transaction of each change.
CREATE VIRTUAL TABLE customer_search USING fts5(text, tokenize = 'trigram');

CREATE TABLE customer_contacts (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    mobile      TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    birthday    TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    is_primary  INTEGER NOT NULL DEFAULT 0,
    remark      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_contacts_customer ON customer_contacts(customer_id, seq);
CREATE UNIQUE INDEX customer_contacts_primary ON customer_contacts(customer_id) WHERE is_primary;
CREATE INDEX customer_contacts_birthday ON customer_contacts(substr(birthday, 6, 5)) WHERE birthday != '';

CREATE TABLE customer_bank_accounts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL DEFAULT 0,
    bank         TEXT NOT NULL,
    account_name TEXT NOT NULL DEFAULT '',
    account_no   TEXT NOT NULL,
    is_primary   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_bank_accounts_customer ON customer_bank_accounts(customer_id, seq);
CREATE UNIQUE INDEX customer_bank_accounts_primary ON customer_bank_accounts(customer_id) WHERE is_primary;

-- 沟通纪要 (seed 000 专业沟通阶段).
CREATE TABLE customer_comms (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    on_date        TEXT NOT NULL,
    method         TEXT NOT NULL DEFAULT '',
    our_people     TEXT NOT NULL DEFAULT '',
    their_people   TEXT NOT NULL DEFAULT '',
    subject        TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    satisfaction   TEXT NOT NULL DEFAULT '',
    next_follow_up TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX customer_comms_customer ON customer_comms(customer_id, on_date, id);

-- 更名记录 (seed 002 更名流程).
CREATE TABLE customer_renames (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    old_name    TEXT NOT NULL,
    new_name    TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL
);
CREATE INDEX customer_renames_customer ON customer_renames(customer_id, id);

-- Freeze, unfreeze, close and reopen, with the reason given.
CREATE TABLE customer_status_log (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    old_status  TEXT NOT NULL,
    new_status  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL
);
CREATE INDEX customer_status_log_customer ON customer_status_log(customer_id, id);
