package tpchgen

// Value domains of TPC-H clause 4.2.2.13 and 4.2.3. These are immutable
// lookup tables: nothing writes to them after package initialisation.

// Dates are days since 1970-01-01 (Arrow Date32).
const (
	startDate   = 8035  // 1992-01-01, STARTDATE
	currentDate = 9298  // 1995-06-17, CURRENTDATE
	endDate     = 10591 // 1998-12-31, ENDDATE
	// lastOrderDate leaves room for the 121 days of shipping plus 30 days of
	// delivery of the last order's lines before ENDDATE.
	lastOrderDate = endDate - 151
)

// Base cardinalities at scale factor 1.
const (
	suppliersPerSF   = 10_000
	customersPerSF   = 150_000
	partsPerSF       = 200_000
	ordersPerSF      = 1_500_000
	clerksPerSF      = 1_000
	suppliersPerPart = 4
	maxLinesPerOrder = 7
)

// nation is one row of the fixed NATION table.
type nation struct {
	name   string
	region int64
}

var nations = [25]nation{
	{"ALGERIA", 0}, {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1}, {"EGYPT", 4},
	{"ETHIOPIA", 0}, {"FRANCE", 3}, {"GERMANY", 3}, {"INDIA", 2}, {"INDONESIA", 2},
	{"IRAN", 4}, {"IRAQ", 4}, {"JAPAN", 2}, {"JORDAN", 4}, {"KENYA", 0},
	{"MOROCCO", 0}, {"MOZAMBIQUE", 0}, {"PERU", 1}, {"CHINA", 2}, {"ROMANIA", 3},
	{"SAUDI ARABIA", 4}, {"VIETNAM", 2}, {"RUSSIA", 3}, {"UNITED KINGDOM", 3}, {"UNITED STATES", 1},
}

var regions = [5]string{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"}

// colors are the 92 words p_name is made of (five distinct ones per part).
var colors = [...]string{
	"almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched",
	"blue", "blush", "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate",
	"coral", "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim",
	"dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost",
	"goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki",
	"lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta",
	"maroon", "medium", "metallic", "midnight", "mint", "misty", "moccasin", "navajo",
	"navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru",
	"pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy",
	"royal", "saddle", "salmon", "sandy", "seashell", "sienna", "sky", "slate",
	"smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise",
	"violet", "wheat", "white", "yellow",
}

// p_type is one word from each of three syllable lists.
var (
	typeSyllable1 = [...]string{"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"}
	typeSyllable2 = [...]string{"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"}
	typeSyllable3 = [...]string{"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"}
)

// p_container is one word from each of two syllable lists.
var (
	containerSyllable1 = [...]string{"SM", "LG", "MED", "JUMBO", "WRAP"}
	containerSyllable2 = [...]string{"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"}
)

var (
	segments     = [...]string{"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"}
	priorities   = [...]string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
	instructions = [...]string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	shipModes    = [...]string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
)

// alphanum is the 64-character set of clause 4.2.2.7 random v-strings
// (addresses): a power of two, so six random bits pick one character.
const alphanum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,"

// Comment length ranges, clause 4.2.3 ("text string [min, max]").
var (
	regionComment   = lenRange{31, 115}
	nationComment   = lenRange{31, 114}
	supplierComment = lenRange{25, 100}
	customerComment = lenRange{29, 116}
	partComment     = lenRange{5, 22}
	partsuppComment = lenRange{49, 198}
	ordersComment   = lenRange{19, 78}
	lineitemComment = lenRange{10, 43}
	addressLen      = lenRange{10, 40}
)

// lenRange is an inclusive range of string lengths.
type lenRange struct{ min, max int }

// maxLen returns the length of the longest string in words.
func maxLen(words []string) int {
	m := 0
	for _, w := range words {
		m = max(m, len(w))
	}
	return m
}
