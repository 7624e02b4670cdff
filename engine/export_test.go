package engine

// RecoverPlanningForTest runs f under the recovery planning uses.
func RecoverPlanningForTest(f func()) (err error) {
	defer recoverPlanning(&err)
	f()
	return nil
}
