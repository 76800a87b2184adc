//go:build tools

// Package tools pins kwok. kwok lives in its own module because it needs its own k8s.io/* client
// versions (kwok v0.7.0 does not compile against the v0.34 staging modules pinned in ../go.mod).
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
