/** The kubeconfig the cluster component exports: pure, so tests read it directly. */

/**
 * The program the kubeconfig runs for a token: whoever uses it (the deploy, a preview, the
 * drift check) needs the AWS CLI on its PATH.
 */
export const KUBECONFIG_TOKEN_COMMAND = "aws";

/**
 * A kubeconfig (JSON, which kubectl reads as YAML) that authenticates with
 * `aws eks get-token`, so it holds no long-lived credential.
 */
export function buildKubeconfig(clusterName: string, endpoint: string, caData: string, region: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: KUBECONFIG_TOKEN_COMMAND,
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
          },
        },
      },
    ],
  });
}
