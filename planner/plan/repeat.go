package plan

// Repeat emits each input row Count times (none when Count is NULL or not
// positive), without the Count column: EXCEPT ALL and INTERSECT ALL group
// both sides and repeat each group's row by its multiplicity in the
// result.
type Repeat struct {
	Input Node
	Count Column // a BIGINT column of Input
}

func (n *Repeat) Columns() []Column {
	in := n.Input.Columns()
	out := make([]Column, 0, len(in))
	for _, c := range in {
		if c.ID != n.Count.ID {
			out = append(out, c)
		}
	}
	return out
}

func (n *Repeat) Inputs() []Node { return []Node{n.Input} }

func (n *Repeat) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}

func (n *Repeat) Explain() string { return "Repeat by " + n.Count.Ref().String() }
