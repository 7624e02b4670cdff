package hashtab

// reserve returns s with room for extra more elements. When it must move
// s, it copies in chunks and spends budget between them: a table of tens
// of millions of groups would otherwise copy (and make the garbage
// collector scan its way through) hundreds of megabytes in one unchecked
// append, tens of milliseconds during which a cancel goes unseen.
func reserve[E any](b Budget, s []E, extra int) ([]E, error) {
	if cap(s)-len(s) >= extra {
		return s, nil
	}
	grown := make([]E, len(s), max(2*cap(s), len(s)+extra, 64))
	for from := 0; from < len(s); from += copyChunk {
		to := min(from+copyChunk, len(s))
		copy(grown[from:to], s[from:to])
		if err := b.Spend(growChunk); err != nil {
			return s, err
		}
	}
	return grown, nil
}
