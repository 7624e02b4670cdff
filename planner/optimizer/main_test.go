package optimizer_test

import (
	"flag"
	"testing"

	"go.uber.org/goleak"
)

// update rewrites the golden files instead of comparing with them:
//
//	go test ./planner/optimizer -run TestX -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
