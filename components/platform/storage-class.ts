/** gp3 as the default StorageClass, through the EBS CSI driver (the in-tree gp2 class is legacy). */
import * as k8s from "@pulumi/kubernetes";
import { addonOptions, type AddonContext } from "./addon";

/** Deploys storage-class (its facts: settings/addons/catalog.ts). */
export function deployStorageClass(ctx: AddonContext): void {
  new k8s.storage.v1.StorageClass(
    `${ctx.name}-gp3`,
    {
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    },
    addonOptions(ctx),
  );
}
