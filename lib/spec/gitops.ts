// How GitOps controllers sync dist/: one block for all environments (environments/index.ts), because
// one repository, one Argo CD project and one Flux source serve every environment.
import * as z from 'zod';
import { dnsLabel } from './primitives';

/** A Git URL the controllers clone: https://, ssh://, or scp-like git@host:path. */
const gitUrl = z.string().refine((v) => /^(https|ssh):\/\/[^\s/]+\/\S+$/.test(v) || /^[\w.-]+@[\w.-]+:\S+$/.test(v), {
  error: 'expected a Git URL such as https://github.com/org/repo.git, ssh://git@github.com/org/repo.git or git@github.com:org/repo.git',
});

/** A branch name as Git accepts it (no spaces, no "..", not starting with "-" or "/"). */
const branch = z.string().refine((v) => /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(v) && !v.includes('..') && !v.endsWith('/') && !v.endsWith('.lock'), {
  error: 'expected a Git branch name such as "main" or "release/2024"',
});

/** A Go duration as Flux reads it, e.g. "1m", "10m", "1h30m". */
const duration = z.string().regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, { error: 'expected a duration such as "30s", "5m" or "1h30m"' });

/** A folder of the repository, relative to its root, e.g. "dist" or "deploy/dist". */
const repoPath = z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: 'expected a folder relative to the repository root, such as "dist"' });

export const gitopsSchema = z.strictObject({
  /** The repository holding this project (and its committed dist/). */
  repoUrl: gitUrl,
  /** The branch Argo CD and Flux follow. */
  revision: branch.default('main'),
  /** The output folder in the repository: environments are `<path>/<env>`. */
  path: repoPath.default('dist'),
  /** Argo CD: one AppProject and one Application per environment. */
  argoCd: z
    .strictObject({
      /** Namespace Argo CD runs in (and reads Applications from). */
      namespace: dnsLabel.default('argocd'),
      /** The AppProject; defaults to the platform name. */
      project: dnsLabel.optional(),
    })
    .prefault({}),
  /** Flux: one GitRepository and one Kustomization per environment. */
  flux: z
    .strictObject({
      /** Namespace the Flux controllers run in. */
      namespace: dnsLabel.default('flux-system'),
      /** How often the source controller fetches the branch. */
      sourceInterval: duration.default('1m'),
      /** How often each environment is re-applied, repairing drift. */
      interval: duration.default('10m'),
      /** How soon a failed apply is retried. */
      retryInterval: duration.default('2m'),
      /** How long an apply, and the wait for every object to become ready, may take. */
      timeout: duration.default('5m'),
    })
    .prefault({}),
  /**
   * The cluster of each environment as the controllers reach it: an Argo CD cluster name (and the
   * Flux kubeconfig Secret `<name>-kubeconfig` in the Flux namespace). An environment not listed runs
   * on the controllers' own cluster.
   */
  clusters: z.record(z.string(), dnsLabel).default({}),
});

export type GitopsInput = z.input<typeof gitopsSchema>;
export type ResolvedGitops = Readonly<z.output<typeof gitopsSchema>>;
