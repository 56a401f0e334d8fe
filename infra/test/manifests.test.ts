// Static checks of the Kubernetes manifests and Dockerfiles: what `kubectl apply --dry-run` would
// not catch (every container sized, the GPU asked for, the database URL from a Secret, probes),
// without needing a cluster.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const k8sDir = join(infraDir, 'k8s');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
}
interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: EnvVar[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
interface Manifest {
  file: string;
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: {
    selector?: Record<string, unknown> & { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } };
  };
  /** Kustomization only. */
  resources?: string[];
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function loadManifests(): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const file of await yamlFiles(k8sDir)) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      if (doc.contents !== null) manifests.push({ ...(doc.toJS() as object), file: relative(k8sDir, file) });
    }
  }
  return manifests;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'DaemonSet']);
const podContainers = (m: Manifest): Container[] => m.spec?.template?.spec?.containers ?? [];
const secretRef = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef;

function find(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (!found) throw new Error(`infra/k8s has no ${kind}${name ? ` named ${name}` : ''}`);
  return found;
}

const manifests = await loadManifests();
const resources = manifests.filter((m) => m.kind !== 'Kustomization');
const workloads = resources.filter((m) => WORKLOAD_KINDS.has(m.kind ?? ''));

describe('Kubernetes manifests', () => {
  it('each has apiVersion, kind and metadata.name, in the ovus namespace', () => {
    expect(resources.length).toBeGreaterThanOrEqual(9);
    for (const m of resources) {
      expect(m.apiVersion, m.file).toMatch(/^(v1|[a-z.]+\/v\d\w*)$/);
      expect(m.kind, m.file).toMatch(/^[A-Z]\w+$/);
      expect(m.metadata?.name, m.file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (m.kind !== 'Namespace') expect(m.metadata?.namespace, m.file).toBe('ovus');
    }
  });

  it('gives every container a pinned image and cpu/memory requests and limits', () => {
    expect(workloads.length).toBeGreaterThanOrEqual(5);
    for (const m of workloads) {
      const containers = podContainers(m);
      expect(containers.length, m.file).toBeGreaterThan(0);
      for (const c of containers) {
        const where = `${m.file} container ${c.name}`;
        expect(c.image, where).toMatch(/^[\w./-]+:[\w.-]+$/);
        expect(c.image, where).not.toMatch(/:latest$/);
        for (const part of ['requests', 'limits'] as const) {
          expect(c.resources?.[part]?.cpu, `${where} ${part}.cpu`).toBeDefined();
          expect(c.resources?.[part]?.memory, `${where} ${part}.memory`).toBeDefined();
        }
      }
    }
  });

  it('selects its own pods: workload selectors and Service selectors match pod labels', () => {
    const podLabels = workloads.map((w) => w.spec?.template?.metadata?.labels ?? {});
    for (const w of workloads.filter((m) => m.kind !== 'Job')) {
      const selector = w.spec?.selector?.matchLabels ?? {};
      expect(Object.keys(selector).length, w.file).toBeGreaterThan(0);
      expect(w.spec?.template?.metadata?.labels, w.file).toMatchObject(selector);
    }
    for (const s of resources.filter((m) => m.kind === 'Service')) {
      const selector = (s.spec?.selector ?? {}) as Record<string, string>;
      const matches = podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
      expect(matches, `${s.file} selects no pods`).toBe(true);
    }
  });

  it('asks for a GPU for the GPU worker (requests equal limits, as Kubernetes requires)', () => {
    const [worker] = podContainers(find(manifests, 'Deployment', 'ovus-worker-gpu'));
    expect(Number(worker.resources?.limits?.['nvidia.com/gpu'])).toBeGreaterThanOrEqual(1);
    expect(worker.resources?.requests?.['nvidia.com/gpu']).toEqual(worker.resources?.limits?.['nvidia.com/gpu']);
    expect(worker.image).toMatch(/\/worker-gpu:/);
    expect(worker.args).toEqual(expect.arrayContaining(['worker', '--backend', 'tensorflow']));
  });

  it('runs the CPU worker with one training process per requested core, and no GPU', () => {
    const [worker] = podContainers(find(manifests, 'Deployment', 'ovus-worker-cpu'));
    expect(worker.resources?.limits?.['nvidia.com/gpu']).toBeUndefined();
    const args = worker.args ?? [];
    expect(args[args.indexOf('--concurrency') + 1]).toBe(String(worker.resources?.requests?.cpu));
  });

  it('gives everything that talks to the database DATABASE_URL from the ovus-database Secret', () => {
    for (const name of ['ovus-worker-gpu', 'ovus-worker-cpu', 'ovus-dashboard', 'ovus-migrate', 'ovus-import']) {
      const workload = workloads.find((w) => w.metadata?.name === name);
      expect(workload, name).toBeDefined();
      for (const c of podContainers(workload!)) {
        expect(secretRef(c, 'DATABASE_URL'), `${name}/${c.name}`).toEqual({ name: 'ovus-database', key: 'url' });
      }
    }
    const [postgres] = podContainers(find(manifests, 'StatefulSet', 'ovus-postgres'));
    expect(secretRef(postgres, 'POSTGRES_PASSWORD')).toEqual({ name: 'ovus-database', key: 'password' });
  });

  it('probes the dashboard and PostgreSQL', () => {
    for (const m of [find(manifests, 'Deployment', 'ovus-dashboard'), find(manifests, 'StatefulSet', 'ovus-postgres')]) {
      for (const c of podContainers(m)) {
        expect(c.readinessProbe, `${m.file} readiness`).toBeDefined();
        expect(c.livenessProbe, `${m.file} liveness`).toBeDefined();
      }
    }
  });

  it('keeps Secret values out of the repository', () => {
    expect(resources.filter((m) => m.kind === 'Secret').map((m) => m.file)).toEqual([]);
  });

  it('lists in kustomization.yaml every manifest but the one-off Jobs, and only files that exist', async () => {
    const listed = [...(find(manifests, 'Kustomization').resources ?? [])].sort();
    const files = (await yamlFiles(k8sDir))
      .map((f) => relative(k8sDir, f))
      .filter((f) => f !== 'kustomization.yaml' && !f.startsWith('jobs/'));
    expect(listed).toEqual(files.sort());
  });
});

describe('Dockerfiles', () => {
  const read = (name: string) => readFile(join(infraDir, 'docker', name), 'utf8');

  it('builds the GPU worker on a CUDA image with tfjs-node-gpu and starts the trainer worker', async () => {
    const text = await read('worker.Dockerfile');
    expect(text).toMatch(/^FROM nvidia\/cuda:[\w.-]*cudnn[\w.-]*$/m);
    expect(text).toMatch(/npm install [^\n]*--omit=dev[^\n]*@tensorflow\/tfjs-node-gpu@4\.22\.0/);
    expect(text).toMatch(/npm ci/);
    expect(text).toMatch(/ENTRYPOINT \["node", "--import", "tsx", "apps\/trainer\/src\/main\.ts"\]/);
    expect(text).toMatch(/CMD \["worker"/);
    expect(text).toMatch(/^USER (?!root\b)\w+$/m);
  });

  it('builds the CPU worker without any GPU package', async () => {
    const text = await read('worker-cpu.Dockerfile');
    expect(text).toMatch(/^FROM node:20[\w.-]*$/m);
    expect(text).not.toMatch(/tfjs-node-gpu/);
    expect(text).toMatch(/CMD \["worker"/);
    expect(text).toMatch(/^USER (?!root\b)\w+$/m);
  });

  it('builds the worker and dashboard images without dev dependencies, in the layer that installs them', async () => {
    for (const name of ['worker.Dockerfile', 'worker-cpu.Dockerfile', 'dashboard.Dockerfile']) {
      const text = await read(name);
      const install = /^RUN npm ci(?:[^\n]*\\\n)*[^\n]*/m.exec(text)?.[0] ?? '';
      expect(install, name).toMatch(/npm prune --omit=dev/);
      // Any later install keeps dev dependencies out too.
      for (const later of install.match(/npm install [^\n]*/g) ?? []) expect(later, name).toContain('--omit=dev');
    }
  });

  it('has a Dockerfile for every image the manifests use', async () => {
    const images = new Set(manifests.flatMap((m) => podContainers(m).map((c) => c.image?.split(':')[0])));
    const dockerfiles: Record<string, string> = {
      'registry.example.com/ovus/worker-gpu': 'worker.Dockerfile',
      'registry.example.com/ovus/worker-cpu': 'worker-cpu.Dockerfile',
      'registry.example.com/ovus/dashboard': 'dashboard.Dockerfile',
      postgres: '',
    };
    for (const image of images) {
      expect(Object.keys(dockerfiles), `image ${image}`).toContain(image);
      if (dockerfiles[image!]) expect(await read(dockerfiles[image!])).toMatch(/^FROM /m);
    }
  });
});
