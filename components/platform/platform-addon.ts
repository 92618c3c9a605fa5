/**
 * One add-on as a component: its Helm release, objects and Secrets sit under it, so a
 * dependent that `dependsOn` the add-on waits for exactly those resources.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AddonFacts, AddonKey } from "../../settings/addons/catalog";

/** Arguments of {@link PlatformAddon}: the add-on's key, description and needs, as its facts say. */
export type PlatformAddonArgs = Pick<AddonFacts<AddonKey>, "key" | "description" | "needs">;

/** The component that parents one add-on's resources. */
export class PlatformAddon extends pulumi.ComponentResource {
  /** The add-on's key. */
  public readonly key: AddonKey;
  /** Keys of the add-ons it waits for. */
  public readonly needs: readonly AddonKey[];

  constructor(name: string, args: PlatformAddonArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "slipway:k8s:PlatformAddon",
      name,
      { key: args.key, description: args.description, needs: [...args.needs] },
      opts,
    );
    this.key = args.key;
    this.needs = args.needs;
  }

  /** Marks the add-on's declarations complete. */
  done(): void {
    this.registerOutputs({ key: this.key, needs: [...this.needs] });
  }
}
