package hashtab

import "github.com/minisql/minisql/paged"

// arenaPage is the capacity of a page of serialised keys.
const arenaPage = 1 << 20

// keyArena holds the serialised keys of the bytes layout in pages of
// arenaPage bytes (a larger key gets a page of its own size) so that it
// grows without copying. As one array it doubled by copying everything:
// for Q10's 57K groups of customer strings, 11 MB moved in one go, 5 ms
// without a look at the context.
//
// With a fixed width w, group g's key sits at a computed place; otherwise
// starts records where each key begins, and it ends where the next key
// on its page begins, or at the end of what the page holds.
type keyArena struct {
	pages  [][]byte
	pageSz int              // arenaPage; smaller in tests
	fixedW int              // width of every key, or 0
	perPg  int              // fixedW > 0: keys a page holds
	starts paged.Vec[int64] // fixedW == 0: page<<32 | offset of each key
	n      int              // keys stored
	bytes  int64            // capacity of the pages
}

func newKeyArena(fixedW int) keyArena { return newKeyArenaSized(fixedW, arenaPage) }

func newKeyArenaSized(fixedW, pageSz int) keyArena {
	a := keyArena{fixedW: fixedW, pageSz: pageSz}
	if fixedW > 0 {
		a.perPg = max(1, pageSz/fixedW)
	}
	return a
}

// key returns key g.
func (a *keyArena) key(g int32) []byte {
	if w := a.fixedW; w > 0 {
		p, o := int(g)/a.perPg, int(g)%a.perPg*w
		return a.pages[p][o : o+w]
	}
	loc := a.starts.Get(int(g))
	p, o := loc>>32, loc&(1<<32-1)
	page := a.pages[p]
	end := int64(len(page))
	if int(g)+1 < a.n {
		if next := a.starts.Get(int(g) + 1); next>>32 == p {
			end = next & (1<<32 - 1)
		}
	}
	return page[o:end]
}

// add appends a key. A new page comes from b's page source when it lends
// one (paged.LeaseBytes), else from make.
func (a *keyArena) add(b Budget, key []byte) error {
	last := len(a.pages) - 1
	if last < 0 || len(a.pages[last])+len(key) > cap(a.pages[last]) {
		size := a.pageSz
		if a.fixedW > 0 {
			size = a.perPg * a.fixedW
		}
		size = max(size, len(key))
		page, err := paged.LeaseBytes(b, size)
		if err != nil {
			return err
		}
		if page == nil {
			page = make([]byte, 0, size)
		}
		a.pages = append(a.pages, page)
		a.bytes += int64(cap(page))
		last++
	}
	if a.fixedW == 0 {
		// With the budget, as the key pages: without it the first page
		// doubled with make up to a full page, and the runtime zeroed the
		// new half a megabyte in one call (65 faults, 1-1.2 ms, in q10's
		// aggregate).
		if err := a.starts.Resize(b, a.n+1); err != nil {
			return err
		}
		a.starts.Set(a.n, int64(last)<<32|int64(len(a.pages[last])))
	}
	a.pages[last] = append(a.pages[last], key...)
	a.n++
	return nil
}

// size is the memory the arena holds.
func (a *keyArena) size() int64 { return a.bytes + a.starts.Bytes() }
