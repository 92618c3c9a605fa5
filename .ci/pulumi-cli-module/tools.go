//go:build tools

// Package tools names the command this module builds, so that `go mod tidy` keeps its
// dependencies: `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` (.ci/pulumi-cli).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
