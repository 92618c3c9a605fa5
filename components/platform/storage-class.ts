/** gp3 as the default StorageClass, through the EBS CSI driver (the in-tree gp2 class is legacy). */
import * as k8s from "@pulumi/kubernetes";
import { addonOptions, type AddonDefinition } from "./addon";

export const storageClass: AddonDefinition = {
  key: "storage-class",
  description: "gp3 default StorageClass (EBS CSI, encrypted)",
  namespace: "kube-system",
  podSecurity: "privileged",
  needs: [],
  deploy(ctx) {
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
  },
};
