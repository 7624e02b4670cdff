package operators

import "github.com/minisql/minisql/vector"

// valueRefs points each row of [start, start+len(refs)) at the row whose
// argument value a value function returns: lag and lead the row offset
// rows before or after it in its partition (or the default's row, or
// NULL, past the partition's edge), first_value the partition's first
// row, last_value the current row's last peer (the end of the default
// frame). A ref's batch numbers the argument arrays, then the
// default's.
func (w *Window) valueRefs(c WindowCall, start int, refs []vector.RowRef) {
	x := &w.idx
	part, peer := x.part.View(), x.peer.View()
	partStart, partEnd, peerEnd := x.partStart.View(), x.partEnd.View(), x.peerEnd.View()
	for k := range refs {
		r := start + k
		p := int(*part.At(r))
		target := int64(-1)
		switch c.Func {
		case "lag", "lead":
			target = int64(r) - c.Offset
			if c.Func == "lead" {
				target = int64(r) + c.Offset
			}
			if target < *partStart.At(p) || target >= *partEnd.At(p) {
				target = -1
			}
		case "first_value":
			target = *partStart.At(p)
		case "last_value":
			target = *peerEnd.At(int(*peer.At(r))) - 1
		case "nth_value": // within the frame: up to the current row's last peer
			target = *partStart.At(p) + c.Offset - 1
			if target >= *peerEnd.At(int(*peer.At(r))) {
				target = -1
			}
		}
		switch {
		case target >= 0:
			refs[k] = w.ref(int(target), 0)
		case c.Default >= 0:
			refs[k] = w.ref(r, len(w.batches))
		default:
			refs[k] = vector.RowRef{Batch: -1}
		}
	}
}
