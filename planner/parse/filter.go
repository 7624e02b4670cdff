package parse

import "github.com/minisql/minisql/sqlerr"

// filterAt reports whether the function call whose name is toks[i] has a
// FILTER (WHERE ...) clause, and returns the indexes of the call's ')'
// and of the clause's ')'.
func filterAt(toks []token, i int) (callEnd, filterEnd int, ok bool) {
	if i+1 >= len(toks) || !toks[i+1].isChar('(') {
		return 0, 0, false
	}
	callEnd = matching(toks, i+1)
	if callEnd < 0 || callEnd+3 >= len(toks) || !toks[callEnd+1].is("filter") || !toks[callEnd+2].isChar('(') {
		return 0, 0, false
	}
	return callEnd, matching(toks, callEnd+2), true
}

// filterMarker is the call the FILTER clause becomes inside its
// aggregate's argument: __filter(cond, x), or __filter(cond) for count(*).
// The binder reads it as CASE WHEN cond THEN x (or 1) END, which is what
// FILTER means: the aggregates skip the NULLs it makes.
const filterMarker = "__filter"

// rewriteFilter turns agg([DISTINCT] x) FILTER ([WHERE] c) into
// agg([DISTINCT] __filter(c, x)).
func (r *rewriter) rewriteFilter(i, callEnd, filterEnd int) (int, error) {
	toks := r.toks
	if filterEnd < 0 {
		return 0, sqlerr.At(toks[callEnd+1].start, sqlerr.ErrSyntax, "FILTER ( without a closing parenthesis")
	}
	condFrom := callEnd + 3
	if toks[condFrom].is("where") {
		condFrom++
	}
	if condFrom >= filterEnd {
		return 0, sqlerr.At(toks[callEnd+1].start, sqlerr.ErrSyntax, "FILTER without a condition")
	}
	argFrom := i + 2
	distinct := argFrom < callEnd && toks[argFrom].is("distinct")
	if distinct {
		argFrom++
	}
	if argFrom >= callEnd {
		return 0, sqlerr.At(toks[callEnd+1].start, sqlerr.ErrSyntax, "FILTER on a call without an argument")
	}
	cond := &rewriter{src: r.src, toks: toks[condFrom:filterEnd], aliases: r.aliases}
	if err := cond.run(); err != nil {
		return 0, err
	}
	r.w.emit(toks[i].text(r.src)+"(", toks[i].start)
	if distinct {
		r.w.emit("distinct", toks[i+2].start)
	}
	r.w.emit(filterMarker+"((", toks[callEnd+1].start)
	r.absorb(cond)
	if argFrom+1 == callEnd && toks[argFrom].isChar('*') {
		r.w.emit(")))", toks[filterEnd].start)
		return filterEnd, nil
	}
	// Only the first argument is filtered (string_agg's separator is not).
	argEnd := callEnd
	for _, j := range topLevel(toks, argFrom, callEnd) {
		if toks[j].isChar(',') {
			argEnd = j
			break
		}
	}
	arg := &rewriter{src: r.src, toks: toks[argFrom:argEnd], aliases: r.aliases}
	if err := arg.run(); err != nil {
		return 0, err
	}
	r.w.emit("),", toks[filterEnd].start)
	r.absorb(arg)
	r.w.emit(")", toks[argEnd].start)
	if argEnd < callEnd {
		rest := &rewriter{src: r.src, toks: toks[argEnd:callEnd], aliases: r.aliases}
		if err := rest.run(); err != nil {
			return 0, err
		}
		r.absorb(rest)
	}
	r.w.emit(")", toks[callEnd].start)
	return filterEnd, nil
}
