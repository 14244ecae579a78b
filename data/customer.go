package data

// EntityCustomer names customer cards in the audit log.
const EntityCustomer = "customer"

// Customer statuses (DESIGN 2.5): a frozen customer is read-only and gets
// no new documents or loans until unfrozen; a closed one is kept for the
// record.
const (
	CustomerNormal = "normal"
	CustomerFrozen = "frozen"
	CustomerClosed = "closed"
)

func init() {
	registerEntity(EntityCustomer, "客户")
	registerRef(EntityDepartment, "客户", `SELECT code || ' ' || name FROM customers WHERE dept_id = ? ORDER BY code`)
}
