/**
 * The Pod Security Standards, as Kubernetes' Pod Security admission enforces them on a
 * namespace labelled `pod-security.kubernetes.io/enforce: <level>`: a pure check of one
 * pod spec against `baseline` or `restricted`, so a pod that admission would refuse is
 * found offline, before Helm waits out its timeout.
 *
 * Source: "Pod Security Standards", kubernetes.io/docs/concepts/security/pod-security-standards
 * (the policy controls and their allowed values, version latest = v1.34), and the checks in
 * k8s.io/pod-security-admission/policy (check_*.go). Not modelled: Windows HostProcess,
 * AppArmor annotations older than the `appArmorProfile` field, and the relaxation of
 * runAsNonRoot for user-namespaced pods (`hostUsers: false`, v1.35).
 */

/** A Pod Security Standards level. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** The parts of a PodSpec the standards look at (as plain data). */
export type PodSpecData = Record<string, unknown>;

type Dict = Record<string, unknown>;
const asDict = (value: unknown): Dict => (value !== null && typeof value === "object" ? (value as Dict) : {});
const asList = (value: unknown): Dict[] => (Array.isArray(value) ? value.map(asDict) : []);

/** Capabilities baseline allows a container to add (the standard's "Capabilities" control). */
const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
/** Sysctls baseline allows (the standard's "Sysctls" control). */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
/** Volume types restricted allows (the standard's "Volume Types" control). */
const RESTRICTED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Every container of a pod, with where it sits (`containers[0]`, `initContainers[1]`...). */
function containersOf(spec: PodSpecData): Array<{ at: string; container: Dict }> {
  return (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((kind) =>
    asList(spec[kind]).map((container, i) => ({
      at: `${kind}[${i}] ${String(container.name ?? "")}`.trim(),
      container,
    })),
  );
}

/** Violations of the baseline level: the known privilege escalations. */
function baselineViolations(spec: PodSpecData): string[] {
  const problems: string[] = [];
  const podContext = asDict(spec.securityContext);
  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (spec[field] === true) problems.push(`${field} is true`);
  }
  for (const volume of asList(spec.volumes)) {
    if (volume.hostPath !== undefined) problems.push(`volume ${String(volume.name)} is a hostPath`);
  }
  for (const sysctl of asList(podContext.sysctls)) {
    if (!SAFE_SYSCTLS.has(String(sysctl.name))) problems.push(`sysctl ${String(sysctl.name)} is not in the safe set`);
  }
  if (asDict(podContext.seccompProfile).type === "Unconfined") problems.push("the pod's seccompProfile is Unconfined");
  if (asDict(podContext.appArmorProfile).type === "Unconfined")
    problems.push("the pod's appArmorProfile is Unconfined");
  for (const { at, container } of containersOf(spec)) {
    const context = asDict(container.securityContext);
    if (context.privileged === true) problems.push(`${at} is privileged`);
    const added = asDict(context.capabilities).add;
    for (const cap of Array.isArray(added) ? added : []) {
      if (!BASELINE_CAPABILITIES.has(String(cap))) problems.push(`${at} adds capability ${String(cap)}`);
    }
    for (const port of asList(container.ports)) {
      if (port.hostPort !== undefined && port.hostPort !== 0)
        problems.push(`${at} uses hostPort ${String(port.hostPort)}`);
    }
    if (asDict(context.seccompProfile).type === "Unconfined") problems.push(`${at} has seccompProfile Unconfined`);
    if (asDict(context.appArmorProfile).type === "Unconfined") problems.push(`${at} has appArmorProfile Unconfined`);
    if (context.procMount !== undefined && context.procMount !== "Default")
      problems.push(`${at} has procMount ${String(context.procMount)}`);
  }
  return problems;
}

/** Violations of the restricted level beyond baseline: hardening best practices. */
function restrictedViolations(spec: PodSpecData): string[] {
  const problems: string[] = [];
  const podContext = asDict(spec.securityContext);
  for (const volume of asList(spec.volumes)) {
    const type = Object.keys(volume).find((key) => key !== "name");
    if (type && !RESTRICTED_VOLUME_TYPES.has(type)) problems.push(`volume ${String(volume.name)} is of type ${type}`);
  }
  if (podContext.runAsUser === 0) problems.push("the pod runs as UID 0");
  const podSeccomp = asDict(podContext.seccompProfile).type;
  for (const { at, container } of containersOf(spec)) {
    const context = asDict(container.securityContext);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${at} does not set allowPrivilegeEscalation: false`);
    // runAsNonRoot: true on the pod, unless a container says false; else on every container.
    const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (nonRoot !== true) problems.push(`${at} does not set runAsNonRoot: true (neither it nor the pod does)`);
    if (context.runAsUser === 0) problems.push(`${at} runs as UID 0`);
    const seccomp = asDict(context.seccompProfile).type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      problems.push(`${at} has no seccompProfile RuntimeDefault or Localhost (neither it nor the pod sets one)`);
    }
    const capabilities = asDict(context.capabilities);
    const drop = Array.isArray(capabilities.drop) ? capabilities.drop.map(String) : [];
    if (!drop.includes("ALL")) problems.push(`${at} does not drop ALL capabilities`);
    const add = Array.isArray(capabilities.add) ? capabilities.add.map(String) : [];
    for (const cap of add.filter((c) => c !== "NET_BIND_SERVICE")) problems.push(`${at} adds capability ${cap}`);
  }
  return problems;
}

/**
 * What Pod Security admission would refuse in `spec` at `level`: one message per
 * violated control, empty when the pod is admitted. `privileged` admits everything.
 */
export function podSecurityViolations(spec: PodSpecData, level: PodSecurityLevel): string[] {
  switch (level) {
    case "privileged":
      return [];
    case "baseline":
      return baselineViolations(spec);
    case "restricted":
      return [...baselineViolations(spec), ...restrictedViolations(spec)];
  }
}

/**
 * The enforce level a namespace's labels set; `privileged` when unlabelled, the default of
 * the PodSecurity admission plugin's configuration (kubernetes.io/docs/tasks/configure-pod-container/
 * enforce-standards-admission-controller), which EKS does not change.
 */
export function enforcedLevel(labels: Readonly<Record<string, unknown>> | undefined): PodSecurityLevel {
  const level = labels?.["pod-security.kubernetes.io/enforce"];
  return level === "baseline" || level === "restricted" ? level : "privileged";
}
