/**
 * The Slipway policy pack for `pulumi preview --policy-pack policy
 * --policy-pack-config policy/config/<stack>.json`. Each policy wraps one rule of
 * policy/rules: the config file sets its enforcement level and the stack whose thresholds
 * apply (production mandatory, staging mostly advisory).
 */
import { PolicyPack } from "@pulumi/policy";
import { toPolicy } from "./policies";
import { RULES } from "./rules/index";

new PolicyPack("slipway", { policies: RULES.map(toPolicy) });
