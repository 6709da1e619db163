// How the editor lays out the complete HTTP connection's fields: which ones
// form a token request's sub-steps, which hold PEM text (a file can be loaded
// into them, certificates are inspected), and which hide while another
// setting makes them meaningless. Rules only; ConnectionForm renders them.

import type { Field } from './types';

/** Fields whose PEM certificates the editor inspects (subject, expiry). */
export const CERTIFICATE_KEYS = new Set(['trustedCa', 'clientCertificate', 'tokenCa']);
/** Fields a PEM file can be loaded into: certificates and private keys. */
export const PEM_FILE_KEYS = new Set([...CERTIFICATE_KEYS, 'clientKey', 'oauthPrivateKey']);
/** A PEM bundle larger than this is not a certificate file. */
export const MAX_PEM_FILE_BYTES = 1024 * 1024;

export interface FieldSection {
  /** "" for the untitled first section. */
  title: string;
  hint?: string;
  fields: Field[];
  /** Shown closed unless one of its fields holds a value. */
  collapsible?: boolean;
}

interface SectionLayout {
  title: string;
  hint?: string;
  keys: string[];
  collapsible?: boolean;
}

const TOKEN_REQUEST: SectionLayout[] = [
  {
    title: 'Token request',
    hint: 'Patchbay sends this request first and takes the token from its answer. Refer to passwords as {{name}} from Secrets.',
    keys: ['tokenMethod', 'tokenPath', 'tokenParams', 'tokenHeaders', 'tokenBodyType', 'tokenBody'],
  },
  {
    title: 'Reading the answer',
    hint: 'JavaScript over the answer: body (parsed JSON, or the text), headers (lower-case names), status and text.',
    keys: ['tokenExpression', 'expiryExpression'],
  },
  {
    title: 'Sending the token',
    keys: ['bearerHeader', 'bearerPrefix'],
  },
  {
    title: 'Use a different server for auth',
    hint: 'When the login endpoint lives on another host than the API.',
    keys: ['tokenBaseUrl', 'tokenCa'],
    collapsible: true,
  },
];

const ADVANCED: SectionLayout[] = [
  {
    title: 'TLS',
    hint: 'Certificates are added to this computer’s trusted ones for this connection only; verification is never turned off.',
    keys: ['trustedCa', 'clientCertificate', 'clientKey'],
  },
  {
    title: 'Requests',
    keys: ['requestHeaders', 'followRedirects', 'streamResponse'],
  },
];

/**
 * Splits fields into titled sections by layout; fields no layout names come
 * first, untitled, in their own order.
 */
function sections(fields: Field[], layout: SectionLayout[]): FieldSection[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const placed = new Set(layout.flatMap((s) => s.keys));
  const out: FieldSection[] = [];
  const rest = fields.filter((f) => !placed.has(f.key));
  if (rest.length > 0) out.push({ title: '', fields: rest });
  for (const s of layout) {
    const list = s.keys.map((k) => byKey.get(k)).filter((f): f is Field => f !== undefined);
    if (list.length > 0) out.push({ title: s.title, hint: s.hint, fields: list, collapsible: s.collapsible });
  }
  return out;
}

/** The auth method's fields in sections (a token request has several steps). */
export function authSections(authType: string, fields: Field[]): FieldSection[] {
  return sections(fields, authType === 'tokenRequest' ? TOKEN_REQUEST : []);
}

/** The connection-level options in sections. */
export function advancedSections(fields: Field[]): FieldSection[] {
  return sections(fields, ADVANCED);
}

/** A field another setting makes meaningless (a body while the body type is "none"). */
export function isHiddenField(key: string, values: Record<string, string>): boolean {
  return key === 'tokenBody' && values.tokenBodyType === 'none';
}
