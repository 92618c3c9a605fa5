/**
 * The Slipway program: validates the stack's config, then composes the components in the
 * order data flows (Network -> Cluster -> ...), and returns the stack outputs. Pulumi
 * calls the exported function; the offline harness calls the same function under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppRelease } from "../components/app-release";
import { Cache } from "../components/cache";
import { Cluster } from "../components/cluster";
import { Database } from "../components/database";
import { MONITORING_NAMESPACE } from "../components/platform/cluster-monitoring";
import { INGRESS_CLASS, INGRESS_NAMESPACE } from "../components/platform/ingress-controllers";
import { Platform } from "../components/platform/platform";
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

  // The data stores need the network, not the cluster: their security groups admit the
  // nodes through separate rules, so RDS and ElastiCache create in parallel with EKS.
  const clients = { nodes: cluster.nodeSecurityGroupId };
  const database = new Database(
    "database",
    {
      identifier: config.database.identifier,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      clientSecurityGroupIds: clients,
      engineVersion: config.database.engineVersion,
      instanceClass: config.database.instanceClass,
      allocatedStorageGiB: config.database.allocatedStorageGiB,
      maxAllocatedStorageGiB: config.database.maxAllocatedStorageGiB,
      multiAz: config.database.multiAz,
      backupRetentionDays: config.database.backupRetentionDays,
      backupWindow: config.database.backupWindow,
      maintenanceWindow: config.database.maintenanceWindow,
      deletionProtection: config.database.deletionProtection,
      protect: config.database.protect,
      databaseName: config.database.databaseName,
      masterUsername: config.database.masterUsername,
      masterCredentials: config.database.masterCredentials,
      tuning: config.database.tuning,
      logMinDurationStatementMs: config.database.logMinDurationStatementMs,
      performanceInsightsRetentionDays: config.database.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: config.database.monitoringIntervalSeconds,
    },
    { providers: [aws] },
  );
  const cache = new Cache(
    "cache",
    {
      replicationGroupId: config.cache.replicationGroupId,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      clientSecurityGroupIds: clients,
      engineVersion: config.cache.engineVersion,
      nodeType: config.cache.nodeType,
      numCacheClusters: config.cache.numCacheClusters,
      multiAz: config.cache.multiAz,
      snapshotRetentionDays: config.cache.snapshotRetentionDays,
      snapshotWindow: config.cache.snapshotWindow,
      maintenanceWindow: config.cache.maintenanceWindow,
      slowLogRetentionDays: config.cache.slowLogRetentionDays,
      protect: config.cache.protect,
      tuning: config.cache.tuning,
    },
    { providers: [aws] },
  );

  const platform = new Platform(
    "platform",
    {
      enabled: config.platform.enabled,
      charts: config.platform.charts,
      settings: {
        clusterName: config.cluster.name,
        region: config.region,
        highAvailability: config.platform.highAvailability,
        protectCrds: config.platform.protectCrds,
        monitoring: config.platform.monitoring,
        certificates: config.platform.certificates,
        runners: config.platform.runners,
        grafana: config.platform.grafana,
        exampleServices: config.platform.exampleServices,
      },
      secrets: config.secrets,
      cluster: { oidcProviderArn: cluster.oidcProviderArn, oidcIssuerUrl: cluster.oidcIssuerUrl },
      clusterReady: cluster.readyForWorkloads,
    },
    { providers: [aws, cluster.provider] },
  );

  const addons = platform.addons;
  const apps = config.apps.map(
    (app) =>
      new AppRelease(
        `app-${app.name}`,
        {
          name: app.name,
          image: app.pinnedImage,
          port: app.port,
          replicas: app.replicas,
          autoscaling: app.autoscaling,
          resources: app.resources,
          env: app.env,
          secretEnv: Object.fromEntries(
            Object.entries(app.secretEnv).map(([variable, key]) => [variable, config.secrets.appSecrets[key]]),
          ),
          probes: app.probes,
          ingress: app.ingress && {
            ...app.ingress,
            className: INGRESS_CLASS,
            clusterIssuer: config.platform.certificates.issuer,
          },
          database: app.uses.includes("database")
            ? { connection: database.connection, cidrs: config.network.privateSubnetCidrs }
            : undefined,
          cache: app.uses.includes("cache")
            ? { connection: cache.connection, cidrs: config.network.privateSubnetCidrs }
            : undefined,
          ingressNamespace: INGRESS_NAMESPACE,
          monitoringNamespace: MONITORING_NAMESPACE,
          allowFrom: app.allowFrom,
          iam: app.iamPolicyStatements && {
            statements: app.iamPolicyStatements,
            oidcProviderArn: cluster.oidcProviderArn,
            oidcIssuerUrl: cluster.oidcIssuerUrl,
          },
          metrics: app.metrics,
          dependsOn: cluster.readyForWorkloads,
          ingressDependsOn: [addons["ingress-controllers"], addons["cluster-issuers"]].filter((a) => a !== undefined),
          serviceMonitorDependsOn: [addons["prometheus-operator-crds"]].filter((a) => a !== undefined),
        },
        { providers: [aws, cluster.provider] },
      ),
  );

  return {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    oidcIssuerUrl: cluster.oidcIssuerUrl,
    kubeconfig: pulumi.secret(cluster.kubeconfig),
    databaseEndpoint: pulumi.interpolate`${database.host}:${database.port}`,
    cacheEndpoint: pulumi.interpolate`${cache.host}:${cache.port}`,
    platformWaves: platform.waves,
    appUrls: Object.fromEntries(config.apps.map((app, i) => [app.name, apps[i].publicUrl ?? apps[i].serviceUrl])),
  };
}

export = slipway;
