/**
 * The project's root folder, defined once for every layer: where `Pulumi.yaml` and the
 * stack files sit, and the folder `lib/` is in (`Pulumi.yaml`'s `main: infra/index.ts` is
 * relative to it). Only a path: nothing here reads the disk.
 */
import * as path from "node:path";

/** The project's root folder (this checkout's; another revision's worktree has its own). */
export const PROJECT_ROOT = path.resolve(__dirname, "..");
