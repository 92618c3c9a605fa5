/**
 * The Slipway program: validates the stack's config, then composes the components in the
 * order data flows (Network -> Cluster -> ...), and returns the stack outputs. Pulumi
 * calls the exported function; the offline harness calls the same function under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../components/cluster";
import { Network } from "../components/network";
import { loadStackConfig } from "./config";
import { createAwsProvider } from "./providers";

async function slipway() {
  // Validation first: a bad stack file stops here, before any resource is registered.
  const config = loadStackConfig();
  const aws = createAwsProvider(config);

  const network = new Network(
    "network",
    {
      vpcCidr: config.network.vpcCidr,
      availabilityZones: config.network.availabilityZones,
      privateSubnetCidrs: config.network.privateSubnetCidrs,
      publicSubnetCidrs: config.network.publicSubnetCidrs,
      natGateways: config.network.natGateways,
      flowLogRetentionDays: config.network.flowLogs.retentionDays,
      flowLogTrafficType: config.network.flowLogs.trafficType,
    },
    { providers: [aws] },
  );

  const cluster = new Cluster(
    "cluster",
    {
      clusterName: config.cluster.name,
      kubernetesVersion: config.cluster.kubernetesVersion,
      region: config.region,
      privateSubnetIds: network.privateSubnetIds,
      endpointPublicAccessCidrs: config.cluster.endpointPublicAccessCidrs,
      adminRoleArns: config.cluster.adminRoleArns,
      logTypes: config.cluster.logTypes,
      logRetentionDays: config.cluster.logRetentionDays,
      imdsHopLimit: config.cluster.imdsHopLimit,
      protect: config.cluster.protect,
      addons: config.cluster.addons,
      nodeGroups: config.cluster.nodeGroups,
    },
    { providers: [aws] },
  );

  return {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    oidcIssuerUrl: cluster.oidcIssuerUrl,
    kubeconfig: pulumi.secret(cluster.kubeconfig),
  };
}

export = slipway;
