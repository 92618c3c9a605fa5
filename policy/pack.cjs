// The policy pack's entry point for the Pulumi CLI (package.json `main`). The CLI's language
// host starts packs with @pulumi/pulumi/cmd/run-policy-pack, which always registers ts-node
// with type checking (run-policy-pack/index.js passes typeScript: true on Node; it reads no
// runtime options), about 8 s before the first rule runs. Requiring the pack through the
// project's own loader (infra/fast-start.cjs: esbuild, types stripped, cached) instead makes
// it start in well under 1.5 s (bench/run.ts measures it); type checking is `npm run typecheck`.
// eslint-disable-next-line slipway/layers -- the process needs the project's one TypeScript loader, not infra's code
require("../infra/fast-start.cjs");
require("./index.ts");
