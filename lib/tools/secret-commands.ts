// `npm run docs:secrets`: rewrites the README's `kubectl create secret` commands from the spec, so
// the documented commands always name the Secrets and keys the manifests reference.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environmentSources } from '../../environments';
import { EXISTING_SECRETS_BEGIN, EXISTING_SECRETS_END, existingSecretsMarkdown } from '../platform/security';
import { resolveEnvironments } from '../spec';

const readme = join(resolve(__dirname, '..', '..'), 'README.md');
const text = readFileSync(readme, 'utf8');
const begin = text.indexOf(EXISTING_SECRETS_BEGIN);
const end = text.indexOf(EXISTING_SECRETS_END);
if (begin < 0 || end < begin) throw new Error(`README.md has no ${EXISTING_SECRETS_BEGIN} … ${EXISTING_SECRETS_END} block`);
const generated = existingSecretsMarkdown(resolveEnvironments(environmentSources.base, environmentSources.environments));
writeFileSync(readme, `${text.slice(0, begin + EXISTING_SECRETS_BEGIN.length)}\n${generated}\n${text.slice(end)}`);
console.log(`README.md: secret commands regenerated`);
