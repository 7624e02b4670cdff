//go:build !amd64

package operators

func countInLanes(counts []int64, gids []int32) { countInLanesGo(counts, gids) }
