package engine

// RecoverPlanningForTest runs f under the recovery planning uses.
func RecoverPlanningForTest(f func()) (err error) {
	defer recoverPlanning(&err)
	f()
	return nil
}

// PageStatsForTest returns the engine's state-page pool's figures: pages
// handed out, pages made, pages free.
func (e *Engine) PageStatsForTest() (taken, made, free int) { return e.pages.Stats() }
