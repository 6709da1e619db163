import { describe, expect, it } from 'vitest';
import type { WorkspaceDTO } from './types';
import { copyNameError, holdings, holdingsSentence, workspaceNameError } from './workspaceWords';

const ws = (id: string, name: string, connections = 0, integrations = 0): WorkspaceDTO => ({
  id,
  name,
  connections,
  integrations,
  current: false,
});

describe('holdings', () => {
  it('counts connections and integrations, singular and plural, or says Empty', () => {
    expect(holdings(ws('a', 'A', 3, 1))).toBe('3 connections · 1 integration');
    expect(holdings(ws('a', 'A', 1, 0))).toBe('1 connection');
    expect(holdings(ws('a', 'A', 0, 2))).toBe('2 integrations');
    expect(holdings(ws('a', 'A'))).toBe('Empty');
    expect(holdings(ws('a', 'A', 1200, 0))).toBe(`${(1200).toLocaleString()} connections`);
    expect(holdingsSentence(ws('a', 'A', 3, 1))).toBe('3 connections and 1 integration');
    expect(holdingsSentence(ws('a', 'A', 0, 1))).toBe('1 integration');
  });
});

describe('workspaceNameError', () => {
  const list = [ws('p', 'Personal'), ws('s', 'Staging')];

  it('wants a name that no other workspace has, whatever its case', () => {
    expect(workspaceNameError('  ', list)).toBe('Enter a name for the workspace.');
    expect(workspaceNameError('staging ', list)).toBe('A workspace named “Staging” already exists. Choose another name.');
    expect(workspaceNameError('Client A', list)).toBe('');
    expect(workspaceNameError('x'.repeat(101), list)).toMatch(/under 100 characters/);
  });

  it('lets a workspace keep its own name when renamed (a change of case)', () => {
    expect(workspaceNameError('STAGING', list, 's')).toBe('');
    expect(workspaceNameError('personal', list, 's')).toMatch(/“Personal” already exists/);
  });
});

describe('copyNameError', () => {
  const existing = [
    { name: 'Main', environment: 'Production' },
    { name: 'Main', environment: '' },
  ];

  it('refuses the name and environment of a connection that exists, whatever their case', () => {
    expect(copyNameError('main', 'PRODUCTION', existing)).toBe(
      'A connection named “Main” already exists in Production. Change the name or the environment.',
    );
    expect(copyNameError('Main', ' ', existing)).toBe(
      'A connection named “Main” already exists without an environment. Change the name or the environment.',
    );
    expect(copyNameError('', 'Sandbox', existing)).toBe('Enter a name for the copy.');
  });

  it('accepts another environment or another name', () => {
    expect(copyNameError('Main', 'Sandbox', existing)).toBe('');
    expect(copyNameError('Main copy', 'Production', existing)).toBe('');
  });
});
