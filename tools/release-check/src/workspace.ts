// Reads the workspace's public packages: name, version, directory, internal dependencies and bins.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface PublicPackage {
  name: string;
  version: string;
  dir: string;
  internalDependencies: string[];
  bins: string[];
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

export function publicPackages(): PublicPackage[] {
  const root = path.join(repoRoot, 'packages');
  return readdirSync(root)
    .map((dir) => {
      const manifest = JSON.parse(
        readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
      ) as Manifest;
      return { manifest, dir: path.join(root, dir) };
    })
    .filter(({ manifest }) => !manifest.private)
    .map(({ manifest, dir }) => ({
      name: manifest.name,
      version: manifest.version,
      dir,
      internalDependencies: Object.keys(manifest.dependencies ?? {}).filter((d) =>
        d.startsWith('@tuskdb/'),
      ),
      bins: Object.keys(manifest.bin ?? {}),
    }));
}

/** The package and every @tuskdb package it needs, transitively. */
export function withInternalClosure(name: string, all: PublicPackage[]): PublicPackage[] {
  const byName = new Map(all.map((p) => [p.name, p]));
  const seen = new Map<string, PublicPackage>();
  const visit = (n: string): void => {
    const pkg = byName.get(n);
    if (!pkg || seen.has(n)) return;
    seen.set(n, pkg);
    pkg.internalDependencies.forEach(visit);
  };
  visit(name);
  return [...seen.values()];
}
