#!/usr/bin/env node
// The `slipway` bin: loads the TypeScript operator CLI through infra/fast-start.cjs, like Pulumi.yaml does.
require("../../infra/fast-start.cjs");
require("../cli.ts").runAsProcess();
