package operators

import (
	"sync"
	"sync/atomic"
)

// SharedSource is a Source read by several parallel scans; the last scan
// to close it closes the source, so no scan can outlive what it reads.
type SharedSource struct {
	Source
	Morsels Morsels
	refs    atomic.Int32
}

// NewSharedSource wraps src for parallel scans.
func NewSharedSource(src Source) *SharedSource { return &SharedSource{Source: src} }

// Scan returns one more scan of the shared source.
func (s *SharedSource) Scan() *Scan {
	s.refs.Add(1)
	return &Scan{src: s, morsels: &s.Morsels, owns: true}
}

// MayBlock forwards the wrapped source's answer (see Blocking).
func (s *SharedSource) MayBlock() bool { return mayBlock(s.Source) }

// CloseUnused closes the source if no scan was ever made of it.
func (s *SharedSource) CloseUnused() error {
	if s.refs.Load() == 0 {
		return s.Source.Close()
	}
	return nil
}

// Close closes the source when the last scan is done with it.
func (s *SharedSource) Close() error {
	if s.refs.Add(-1) == 0 {
		return s.Source.Close()
	}
	return nil
}

// builtSide is a join's materialised build side: one record and, for a
// hash join, the hash table over its keys.
type builtSide struct {
	rows    *buildRows
	hash    *hashIndex // nil for a nested-loop join
	empty   bool
	nullKey bool // some build key is NULL
}

// BuildSide materialises a join's build input once for every join instance
// that probes it: with several workers, the first to need it builds it
// while the others wait, and the last to close releases it.
//
// Waiting happens only in a select that also watches the waiter's context,
// so a worker never hangs on a build whose builder was cancelled (the
// futurelock of the DataFusion case study); a failed or cancelled build is
// reported to every waiter.
type BuildSide struct {
	input Operator
	keys  []int // hash keys; nil for a nested-loop join

	built once[*builtSide]
	mu    sync.Mutex
	users int
	goMem opMemory // the build rows and the hash index

	chunkShift int // log2 of the rows of a build chunk; 0: buildShift (tests set it small)
}

// NewBuildSide returns the build side of users join instances over input.
func NewBuildSide(input Operator, keys []int, users int) *BuildSide {
	return &BuildSide{input: input, keys: keys, built: newOnce[*builtSide](), users: users}
}

// get returns the built side, building it on the calling task if nobody
// has started yet.
func (b *BuildSide) get(t *Task) (*builtSide, error) { return b.built.get(t, b.build) }

func (b *BuildSide) build(t *Task) (*builtSide, error) {
	if err := b.input.Open(t); err != nil {
		return nil, err
	}
	shift := b.chunkShift
	if shift == 0 {
		shift = buildShift
	}
	rows, err := loadBuild(t, b.input, &b.goMem, shift)
	if err != nil {
		return nil, err
	}
	s := &builtSide{rows: rows, empty: rows.numRows() == 0}
	if b.keys != nil {
		if s.hash, s.nullKey, err = buildHashIndex(t, rows, b.keys); err != nil {
			rows.release()
			return nil, err
		}
		b.goMem.set(t, s.hash.bytes(), rows.bytes())
	}
	return s, nil
}

// release is called once by every user; the last one frees the build and
// closes the input.
func (b *BuildSide) release() error {
	b.mu.Lock()
	b.users--
	last := b.users == 0
	b.mu.Unlock()
	if !last {
		return nil
	}
	if built := b.built.take(); built != nil {
		built.rows.release()
		if built.hash != nil {
			built.hash.table.Release()
		}
	}
	b.goMem.free()
	return b.input.Close()
}

// operator is the build input, which EXPLAIN shows.
func (b *BuildSide) operator() Operator { return b.input }

// openBuild waits for the shared build side of a probe that marks build
// rows (semi, anti, outer), and sizes the marks to it.
func openBuild(t *Task, side *BuildSide, matches *BuildMatches) (*builtSide, error) {
	built, err := side.get(t)
	if err != nil {
		return nil, err
	}
	matches.init(built.rows.numRows())
	return built, nil
}

// closeWithSide closes an operator's input and gives back its reference
// to the shared build side, returning the first error: the end of every
// operator holding a BuildSide.
func closeWithSide(input Operator, side *BuildSide) error {
	err := input.Close()
	if berr := side.release(); err == nil {
		err = berr
	}
	return err
}
