// Words about workspaces and what they hold, and the checks a workspace name
// or a connection copy gets before anything goes to Go (Go checks again).

import type { WorkspaceDTO } from './types';

/** "1 connection", "3 integrations". */
export function counted(n: number, word: string): string {
  return `${n.toLocaleString()} ${n === 1 ? word : `${word}s`}`;
}

/** "3 connections · 1 integration", or "Empty" (the switcher's hint). */
export function holdings(w: Pick<WorkspaceDTO, 'connections' | 'integrations'>): string {
  const parts = [];
  if (w.connections > 0) parts.push(counted(w.connections, 'connection'));
  if (w.integrations > 0) parts.push(counted(w.integrations, 'integration'));
  return parts.length > 0 ? parts.join(' · ') : 'Empty';
}

/** "3 connections and 1 integration", for a sentence. */
export function holdingsSentence(w: Pick<WorkspaceDTO, 'connections' | 'integrations'>): string {
  const parts = [];
  if (w.connections > 0) parts.push(counted(w.connections, 'connection'));
  if (w.integrations > 0) parts.push(counted(w.integrations, 'integration'));
  return parts.join(' and ') || 'nothing';
}

function same(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'accent' }) === 0;
}

/** Why a workspace name cannot be used ("" when it can); exceptId is the one being renamed. */
export function workspaceNameError(name: string, list: WorkspaceDTO[], exceptId = ''): string {
  const n = name.trim();
  if (n === '') return 'Enter a name for the workspace.';
  if (n.length > 100) return 'Keep the name under 100 characters.';
  const taken = list.find((w) => w.id !== exceptId && same(w.name, n));
  return taken ? `A workspace named “${taken.name}” already exists. Choose another name.` : '';
}

/**
 * Why a copy of a connection cannot have this name and environment in a
 * workspace ("" when it can): a connector's connections differ by name or
 * environment, whatever their case.
 */
export function copyNameError(
  name: string,
  environment: string,
  existing: { name: string; environment: string }[],
): string {
  if (name.trim() === '') return 'Enter a name for the copy.';
  const clash = existing.find((c) => same(c.name, name) && same(c.environment, environment));
  if (!clash) return '';
  const where = clash.environment ? `in ${clash.environment}` : 'without an environment';
  return `A connection named “${clash.name}” already exists ${where}. Change the name or the environment.`;
}
