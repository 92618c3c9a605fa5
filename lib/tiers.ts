/**
 * How strictly a stack is held (`slipway:tier`): `production` applies production's policy
 * levels and thresholds whatever the stack is called; `staging` applies staging's. A tier
 * is not a stack: the airgap stack is held at the production tier.
 */
export const TIERS = ["production", "staging"] as const;
/** A stack's tier. */
export type Tier = (typeof TIERS)[number];
