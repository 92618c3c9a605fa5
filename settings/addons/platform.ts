/**
 * The platform's settings in `slipway:platform`: what every add-on reads (high
 * availability, CRD protection) and each add-on's own section (settings/addons/catalog.ts).
 * Which add-ons are on and where a stack leaves its channel (`disabledCharts`,
 * `pinOverrides`) are checked against the channel by the config (infra/schema/platform.ts).
 */
import { z } from "zod";
import { ADDON_SETTINGS_SHAPE } from "./catalog";
import { strictObject } from "../common";

/** The settings every add-on may read, then each add-on's section, in catalog order. */
export const platformSettingsShape = {
  /**
   * Two or more replicas and a PodDisruptionBudget for every platform controller.
   * @default true
   */
  highAvailability: z.boolean().default(true),
  /**
   * Pulumi `protect` on the releases that carry CRDs: deleting a CRD deletes every object of it.
   * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#delete-a-customresourcedefinition
   * @default true
   */
  protectCrds: z.boolean().default(true),
  ...ADDON_SETTINGS_SHAPE,
};

/** The platform's settings as one object (the config adds `disabledCharts` and `pinOverrides`). */
export const platformSettings = strictObject(platformSettingsShape);

/** The platform's settings after validation and defaults. */
export type PlatformSettings = z.output<typeof platformSettings>;
/** Certificate settings (cert-manager's section, also read by the issuers and the demo release). */
export type CertificateSettings = PlatformSettings["certificates"];
/** GitHub Actions runner settings (gha-runners' section). */
export type RunnerSettings = PlatformSettings["runners"];
