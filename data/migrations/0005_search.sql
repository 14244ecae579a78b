-- Global search (issue 9, see data/search.go and docs/search.md).
--
-- Two contentless FTS5 indexes over customers and archive items, keyed by
-- a search key: the customer's id, or 2^40 + the item's id.
--   search_tri   trigram, for queries of 3+ characters: customers' codes,
--                names, 助记码 and pinyin readings, credit code, phones,
--                address, contacts' names and phones; items' 备注 (their
--                题名/档号/文号/责任者 are already in archive_items_fts).
--   search_grams one token per distinct Chinese character and pair of
--                adjacent characters (plus "py"-prefixed pinyin initials of
--                customer names), for 1–2 character queries that trigrams
--                cannot answer and LIKE '%x%' answers only by a full scan.
-- The texts are computed in Go (pinyin, character pairs), so triggers only
-- queue the changed keys in search_dirty; the store folds the queue into
-- the indexes before each search (data/search_index.go), in the background
-- when the queue is long.
--
-- Cost on an existing database, measured on the synthetic office (100,000
-- customers, 1,000,000 items, 2 cores shared): this migration takes about
-- 3.4 s once (queueing every row is a sorted integer insert; the 档号 index
-- a sort of the codes); the tables and triggers cost nothing. The indexes
-- themselves are filled after start-up, in the background, 2,000 rows a
-- transaction (about 90 s for that office; searches meanwhile say they are
-- partial). Their size there: search_tri 71 MB, search_grams 44 MB.

CREATE VIRTUAL TABLE search_tri USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE search_grams USING fts5(text, tokenize = 'unicode61', content = '', contentless_delete = 1,
    detail = 'none');

CREATE TABLE search_dirty (key INTEGER PRIMARY KEY);

CREATE TRIGGER search_customers_insert AFTER INSERT ON customers BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (new.id);
END;
CREATE TRIGGER search_customers_update AFTER UPDATE OF code, name, short_name, mnemonic, credit_code, phone,
    mobile, address ON customers BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (new.id);
END;
CREATE TRIGGER search_customers_delete AFTER DELETE ON customers BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (old.id);
END;
CREATE TRIGGER search_contacts_insert AFTER INSERT ON customer_contacts BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (new.customer_id);
END;
CREATE TRIGGER search_contacts_update AFTER UPDATE OF customer_id, name, mobile, phone ON customer_contacts BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (old.customer_id);
    INSERT OR IGNORE INTO search_dirty (key) VALUES (new.customer_id);
END;
CREATE TRIGGER search_contacts_delete AFTER DELETE ON customer_contacts BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (old.customer_id);
END;
CREATE TRIGGER search_items_insert AFTER INSERT ON archive_items BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (1099511627776 + new.id);
END;
CREATE TRIGGER search_items_update AFTER UPDATE OF title, code, doc_no, author, remarks ON archive_items BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (1099511627776 + new.id);
END;
CREATE TRIGGER search_items_delete AFTER DELETE ON archive_items BEGIN
    INSERT OR IGNORE INTO search_dirty (key) VALUES (1099511627776 + old.id);
END;

-- Rows that exist before this migration are queued for indexing.
INSERT INTO search_dirty (key) SELECT id FROM customers;
INSERT INTO search_dirty (key) SELECT 1099511627776 + id FROM archive_items;

-- Exact 档号 (a scan) and 档号 prefixes, case-insensitive.
CREATE INDEX archive_items_code ON archive_items(code COLLATE NOCASE);
