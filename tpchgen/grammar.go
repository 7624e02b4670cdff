package tpchgen

import "sync"

// The comment text of TPC-H (clause 4.2.2.10) comes from a small grammar:
//
//	sentence      := NP VP T | NP VP PP T | NP VP NP T | NP PP VP NP T | NP PP VP PP T
//	NP (noun phr) := noun | adjective noun | adjective, adjective noun | adverb adjective noun
//	VP (verb phr) := verb | auxiliary verb | verb adverb | auxiliary verb adverb
//	PP (prep phr) := preposition the NP
//	T             := terminator
//
// Comments are substrings of a pool of such sentences, cut at random offsets
// (so they may start or end inside a word, as dbgen's do). The word weights
// below are this package's own; they were chosen so that word frequencies in
// the generated comments are close to those of the official SF0.01 data, which
// keeps LIKE predicates such as q13's '%special%requests%' about as selective
// as the spec's data makes them.

// wordWeight is one alternative of a grammar distribution.
type wordWeight struct {
	word   string
	weight int
}

var (
	gramNouns = []wordWeight{
		{"packages", 40}, {"requests", 40}, {"accounts", 40}, {"deposits", 40},
		{"foxes", 20}, {"ideas", 20}, {"theodolites", 20}, {"pinto beans", 20}, {"instructions", 20},
		{"dependencies", 10}, {"excuses", 10}, {"platelets", 10}, {"asymptotes", 10},
		{"courts", 5}, {"dolphins", 5},
		{"multipliers", 1}, {"sauternes", 1}, {"warthogs", 1}, {"frets", 1}, {"dinos", 1},
		{"attainments", 1}, {"somas", 1}, {"Tiresias", 1}, {"patterns", 1}, {"forges", 1},
		{"braids", 1}, {"hockey players", 1}, {"frays", 1}, {"warhorses", 1}, {"dugouts", 1},
		{"notornis", 1}, {"epitaphs", 1}, {"pearls", 1}, {"tithes", 1}, {"waters", 1},
		{"orbits", 1}, {"gifts", 1}, {"sheaves", 1}, {"depths", 1}, {"sentiments", 1},
		{"decoys", 1}, {"realms", 1}, {"pains", 1}, {"grouches", 1}, {"escapades", 1},
	}
	gramVerbs = []wordWeight{
		{"sleep", 20}, {"wake", 20}, {"are", 20}, {"cajole", 20}, {"haggle", 20},
		{"nag", 10}, {"use", 10}, {"boost", 10},
		{"affix", 5}, {"detect", 5}, {"integrate", 5},
		{"maintain", 1}, {"nod", 1}, {"was", 1}, {"lose", 1}, {"sublate", 1},
		{"solve", 1}, {"thrash", 1}, {"promise", 1}, {"engage", 1}, {"hinder", 1},
		{"print", 1}, {"x-ray", 1}, {"breach", 1}, {"eat", 1}, {"grow", 1},
		{"impress", 1}, {"mold", 1}, {"poach", 1}, {"serve", 1}, {"run", 1},
		{"dazzle", 1}, {"snooze", 1}, {"doze", 1}, {"unwind", 1}, {"kindle", 1},
		{"play", 1}, {"hang", 1}, {"believe", 1}, {"doubt", 1},
	}
	gramAdjectives = []wordWeight{
		{"regular", 50}, {"final", 40}, {"ironic", 40}, {"even", 30},
		{"special", 20}, {"pending", 20}, {"unusual", 20}, {"express", 20}, {"bold", 20},
		{"silent", 10},
		{"furious", 1}, {"sly", 1}, {"careful", 1}, {"blithe", 1}, {"quick", 1},
		{"fluffy", 1}, {"slow", 1}, {"quiet", 1}, {"ruthless", 1}, {"thin", 1},
		{"close", 1}, {"dogged", 1}, {"daring", 1}, {"brave", 1}, {"stealthy", 1},
		{"permanent", 1}, {"enticing", 1}, {"idle", 1}, {"busy", 1},
	}
	gramAdverbs = []wordWeight{
		{"furiously", 50}, {"slyly", 50}, {"carefully", 50}, {"blithely", 40},
		{"quickly", 30}, {"fluffily", 20},
		{"sometimes", 1}, {"always", 1}, {"never", 1}, {"slowly", 1}, {"quietly", 1},
		{"ruthlessly", 1}, {"thinly", 1}, {"closely", 1}, {"doggedly", 1}, {"daringly", 1},
		{"bravely", 1}, {"stealthily", 1}, {"permanently", 1}, {"enticingly", 1}, {"idly", 1},
		{"busily", 1}, {"regularly", 1}, {"finally", 1}, {"ironically", 1}, {"evenly", 1},
		{"boldly", 1}, {"silently", 1},
	}
	gramPrepositions = []wordWeight{
		{"about", 50}, {"above", 50}, {"according to", 50}, {"across", 50}, {"after", 50},
		{"against", 40}, {"along", 40}, {"alongside of", 30}, {"among", 30},
		{"around", 20}, {"to", 12}, {"at", 10}, {"of", 5}, {"into", 2},
		{"atop", 1}, {"before", 1}, {"behind", 1}, {"beneath", 1}, {"beside", 1},
		{"besides", 1}, {"between", 1}, {"beyond", 1}, {"by", 1}, {"despite", 1},
		{"during", 1}, {"except", 1}, {"for", 1}, {"from", 1}, {"in place of", 1},
		{"inside", 1}, {"instead of", 1}, {"near", 1}, {"on", 1}, {"outside", 1},
		{"over", 1}, {"past", 1}, {"since", 1}, {"through", 1}, {"throughout", 1},
		{"toward", 1}, {"under", 1}, {"until", 1}, {"up", 1}, {"upon", 1},
		{"with", 1}, {"within", 1}, {"without", 1},
	}
	gramAuxiliaries = []wordWeight{
		{"do", 1}, {"may", 1}, {"might", 1}, {"shall", 1}, {"will", 1}, {"would", 1},
		{"can", 1}, {"could", 1}, {"should", 1}, {"ought to", 1}, {"must", 1},
		{"will have to", 1}, {"shall have to", 1}, {"could have to", 1},
		{"should have to", 1}, {"must have to", 1}, {"need to", 1}, {"try to", 1},
	}
	gramTerminators = []wordWeight{
		{".", 50}, {";", 1}, {":", 1}, {"?", 1}, {"!", 1}, {"--", 1},
	}
)

// Grammar productions. Each symbol is one byte: N noun phrase, V verb
// phrase, P prepositional phrase, T terminator; inside phrases n noun,
// j adjective, d adverb, v verb, x auxiliary, p preposition, ',' a comma
// after the previous word, 't' the article "the".
var (
	gramSentences = []wordWeight{
		{"NVT", 3}, {"NVPT", 3}, {"NVNT", 3}, {"NPVNT", 1}, {"NPVPT", 1},
	}
	gramNounPhrases = []wordWeight{
		{"n", 10}, {"jn", 20}, {"j,jn", 10}, {"djn", 50},
	}
	gramVerbPhrases = []wordWeight{
		{"v", 30}, {"xv", 1}, {"vd", 40}, {"xvd", 1},
	}
)

// textPoolSize is the size of the comment pool. 256 KiB reproduces how
// often comments repeat in dbgen's data (distinct values at SF 0.1:
// l_comment 521,044 here vs 524,831, o_comment 149,164 vs 148,790; at SF 1:
// l_comment 3.45 M vs 3.61 M, o_comment 1.42 M vs 1.39 M), which matters
// to COUNT(DISTINCT) and GROUP BY benchmarks. It also stays in cache: with a
// 2 MiB pool, copying comments cost lineitem generation 20% more, all of
// it cache misses. LIKE selectivities depend on the word frequencies, not
// on the pool size.
const textPoolSize = 256 << 10

// textPoolSeed fixes the pool: it is the same for every Seed, like dbgen's.
const textPoolSeed = 0x7ec4_9001_5eed

// sharedTextPool is built on first use and never modified afterwards, so
// all generators of the process can read it concurrently without copies.
var sharedTextPool = sync.OnceValue(func() []byte { return buildTextPool(textPoolSize, textPoolSeed) })

// picker draws words with the given weights in O(1): each word appears in
// the table as many times as its weight.
type picker []string

func newPicker(ws []wordWeight) picker {
	var p picker
	for _, w := range ws {
		for range w.weight {
			p = append(p, w.word)
		}
	}
	return p
}

func (p picker) pick(g *local) string { return p[pick(g.next(), len(p))] }

// buildTextPool writes sentences of the grammar until size bytes are filled.
func buildTextPool(size int, seed uint64) []byte {
	var (
		nouns   = newPicker(gramNouns)
		verbs   = newPicker(gramVerbs)
		adjs    = newPicker(gramAdjectives)
		advs    = newPicker(gramAdverbs)
		preps   = newPicker(gramPrepositions)
		auxs    = newPicker(gramAuxiliaries)
		terms   = newPicker(gramTerminators)
		sents   = newPicker(gramSentences)
		nphrase = newPicker(gramNounPhrases)
		vphrase = newPicker(gramVerbPhrases)
	)
	g := &local{s: seed}
	buf := make([]byte, 0, size+256)
	word := func(w string) {
		if len(buf) > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, w...)
	}
	var phrase func(symbols string)
	phrase = func(symbols string) {
		for i := 0; i < len(symbols); i++ {
			switch symbols[i] {
			case 'N':
				phrase(nphrase.pick(g))
			case 'V':
				phrase(vphrase.pick(g))
			case 'P':
				word(preps.pick(g))
				word("the")
				phrase(nphrase.pick(g))
			case 'T':
				buf = append(buf, terms.pick(g)...)
			case 'n':
				word(nouns.pick(g))
			case 'j':
				word(adjs.pick(g))
			case 'd':
				word(advs.pick(g))
			case 'v':
				word(verbs.pick(g))
			case 'x':
				word(auxs.pick(g))
			case ',':
				buf = append(buf, ',')
			}
		}
	}
	for len(buf) < size {
		phrase(sents.pick(g))
	}
	return buf[:size]
}

// textAt returns the comment for one random value r: a substring of pool
// with a length in rng and a random start. The low 32 bits choose the
// length, the high 32 the offset, so one draw serves both.
func textAt(pool []byte, r uint64, rng lenRange) []byte {
	n := rng.min + int(((r&0xffffffff)*uint64(rng.max-rng.min+1))>>32)
	off := int(((r >> 32) * uint64(len(pool)-rng.max)) >> 32)
	return pool[off : off+n]
}
