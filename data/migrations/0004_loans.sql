-- Loans (借阅), appraisal (鉴定) and destruction (销毁清册) (DESIGN 2.8).

-- A loan (one 借阅单) of one or more items to a user or an outside person.
-- Dates are calendar days, YYYY-MM-DD. returned_on is set when the last item
-- comes back.
CREATE TABLE loans (
    id               INTEGER PRIMARY KEY,
    no               TEXT NOT NULL UNIQUE,
    borrower_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    borrower         TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    purpose          TEXT NOT NULL,
    lent_on          TEXT NOT NULL,
    due_on           TEXT NOT NULL CHECK (due_on >= lent_on),
    renewals         INTEGER NOT NULL DEFAULT 0,
    handler          TEXT NOT NULL,
    returned_on      TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);
CREATE INDEX loans_open ON loans(returned_on, due_on);

CREATE TABLE loan_items (
    id          INTEGER PRIMARY KEY,
    loan_id     INTEGER NOT NULL REFERENCES loans(id) ON DELETE RESTRICT,
    item_id     INTEGER NOT NULL REFERENCES archive_items(id) ON DELETE RESTRICT,
    returned_on TEXT NOT NULL DEFAULT '',
    received_by TEXT NOT NULL DEFAULT '',
    UNIQUE (loan_id, item_id)
);
-- An item is out on at most one loan.
CREATE UNIQUE INDEX loan_items_out ON loan_items(item_id) WHERE returned_on = '';
CREATE INDEX loan_items_item ON loan_items(item_id);

CREATE TABLE loan_renewals (
    id        INTEGER PRIMARY KEY,
    loan_id   INTEGER NOT NULL REFERENCES loans(id) ON DELETE RESTRICT,
    old_due   TEXT NOT NULL,
    new_due   TEXT NOT NULL,
    at        TEXT NOT NULL,
    user_name TEXT NOT NULL
);
CREATE INDEX loan_renewals_loan ON loan_renewals(loan_id);

-- A keep decision of an appraisal sets the retention the item is kept for
-- from now on; its 档号 (which holds the original retention) stays.
ALTER TABLE archive_items ADD COLUMN kept_retention TEXT NOT NULL DEFAULT '';

CREATE TABLE appraisals (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES archive_items(id) ON DELETE RESTRICT,
    decision      TEXT NOT NULL CHECK (decision IN ('keep', 'destroy')),
    old_retention TEXT NOT NULL,
    new_retention TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL,
    at            TEXT NOT NULL,
    user_name     TEXT NOT NULL
);
CREATE INDEX appraisals_item ON appraisals(item_id);

-- A 销毁清册: a draft until an admin approves or rejects it; then it is
-- fixed for good. Rows are never deleted.
CREATE TABLE destruction_registers (
    id          INTEGER PRIMARY KEY,
    no          TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'rejected')),
    reason      TEXT NOT NULL,
    method      TEXT NOT NULL,
    proposer    TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    approver    TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL DEFAULT '',
    reject_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX destruction_registers_status ON destruction_registers(status);

-- The items of a register, with their code and title as they were.
CREATE TABLE destruction_items (
    id          INTEGER PRIMARY KEY,
    register_id INTEGER NOT NULL REFERENCES destruction_registers(id) ON DELETE RESTRICT,
    item_id     INTEGER NOT NULL REFERENCES archive_items(id) ON DELETE RESTRICT,
    code        TEXT NOT NULL,
    title       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    retention   TEXT NOT NULL,
    pages       INTEGER NOT NULL,
    attachments INTEGER NOT NULL DEFAULT 0,
    UNIQUE (register_id, item_id)
);
CREATE INDEX destruction_items_item ON destruction_items(item_id);

CREATE TRIGGER destruction_registers_no_delete BEFORE DELETE ON destruction_registers
BEGIN SELECT RAISE(ABORT, 'destruction registers are permanent'); END;
CREATE TRIGGER destruction_registers_fixed BEFORE UPDATE ON destruction_registers
WHEN old.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a decided destruction register is permanent'); END;
CREATE TRIGGER destruction_items_no_delete BEFORE DELETE ON destruction_items
BEGIN SELECT RAISE(ABORT, 'destruction registers are permanent'); END;
CREATE TRIGGER destruction_items_no_update BEFORE UPDATE ON destruction_items
WHEN (SELECT status FROM destruction_registers WHERE id = old.register_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a decided destruction register is permanent'); END;
CREATE TRIGGER destruction_items_no_insert BEFORE INSERT ON destruction_items
WHEN (SELECT status FROM destruction_registers WHERE id = new.register_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a decided destruction register is permanent'); END;
