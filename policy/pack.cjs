// The policy pack's entry point for the Pulumi CLI (package.json `main`). The CLI's language
// host starts packs with @pulumi/pulumi/cmd/run-policy-pack, which always registers ts-node
// with type checking (run-policy-pack/index.js passes typeScript: true on Node; it reads no
// runtime options), about 8 s before the first rule runs. Requiring the pack through the
// project's own loader (infra/fast-start.cjs: sucrase, types stripped, cached) instead makes
// it start in well under 1.5 s (bench/run.ts measures it); type checking is `npm run typecheck`.
// eslint-disable-next-line slipway/layers -- the process needs the project's one TypeScript loader, not infra's code
require("../infra/fast-start.cjs");
// ts-node's `.ts` handler still runs first and would type-check the loader's output: its
// registered service is switched off through ts-node's public `REGISTER_INSTANCE` and
// `enabled()` (ts-node 10.9.2, dist/index.d.ts, Service.enabled), the ts-node
// run-policy-pack takes from node_modules (@pulumi/pulumi 3.248.0, tsutils.js).
process[Symbol.for("ts-node.register.instance")]?.enabled(false);
require("./index.ts");
