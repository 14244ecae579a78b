-- Customer cards (DESIGN 2.5). Other tables refer to customers(id); the
-- columns below are the contract they rely on.

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    dept_id    INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
    status     TEXT NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'frozen', 'closed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX customers_dept ON customers(dept_id);
