/** Every Slipway policy rule. */
import type { Rule } from "../rule";
import { ADMISSION_RULES } from "./admission";
import { AIRGAP_RULES } from "./airgap";
import { AWS_RULES } from "./aws";
import { KUBERNETES_RULES } from "./kubernetes";
import { STACK_RULES } from "./stack";

/** All rules, AWS first. */
export const RULES: readonly Rule[] = [
  ...AWS_RULES,
  ...KUBERNETES_RULES,
  ...STACK_RULES,
  ...ADMISSION_RULES,
  ...AIRGAP_RULES,
];
