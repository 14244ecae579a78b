-- The 首页 counts (data/dashboard.go) in one pass each: every item column
-- the item counts group by, and the customer columns of theirs, department
-- first so that an operator's scope reads only its own departments. Both
-- are covering, so the table rows are never read. Building the item index
-- takes about 1.6 s per 1,000,000 items here (BenchmarkDashboard1M,
-- index-build-ms).
CREATE INDEX archive_items_dashboard ON archive_items(dept_id, class_id, year, retention, kept_retention, status);
CREATE INDEX customers_dashboard ON customers(dept_id, status, grade, region);
