// The state behind the connection editor: which fields a connector and auth
// method call for, what the user typed, what is wrong with it, and the draft
// that goes to Go. Kept out of the component so the rules are testable and the
// editor's Test and Save buttons read the same state the form shows.

import type { AuthMethod, ConnectionDraft, ConnectionDTO, Connector, Field } from './types';
import { isHttpUrl, resolveTemplate, validateValue } from './validation';

export type FieldGroup = 'connection' | 'authentication' | 'advanced';

export const DEFAULT_TIMEOUT_SECONDS = 15;

/** Keys of the editor's own inputs, kept apart from definition fields. */
export const BUILTIN = {
  name: 'name',
  environment: 'environment',
  baseUrl: 'baseUrl',
  timeout: 'timeoutSeconds',
} as const;

export const ENVIRONMENT_SUGGESTIONS = ['Production', 'Sandbox', 'Staging', 'Development'];

const AUTH_LABELS: Record<string, string> = {
  none: 'No authentication',
  apiKey: 'API key',
  basic: 'Username and password',
  bearer: 'Bearer token',
};

/** Secret fields go to the keychain; a password-typed field is always one. */
export function isSecret(f: Field): boolean {
  return f.secret || f.type === 'password';
}

export function authLabel(method: AuthMethod): string {
  return method.label || AUTH_LABELS[method.type] || method.type;
}

export class ConnectionFormState {
  readonly connector: Connector;
  readonly connection: ConnectionDTO | null;
  /**
   * For a new connection: the id its tests are logged under, which the save
   * adopts, so the log of a failing first test stays with the connection.
   */
  readonly draftKey: string;

  name = $state('');
  environment = $state('');
  authType = $state('');
  baseUrl = $state('');
  timeout = $state(String(DEFAULT_TIMEOUT_SECONDS));

  /** Values of definition fields (connector fields and every auth method's fields). */
  values: Record<string, string> = $state({});
  /** Secret fields the user typed into during this session. */
  typedSecrets: Record<string, boolean> = $state({});
  /** Saved secrets the user asked to remove. */
  clearedSecrets: Record<string, boolean> = $state({});
  /** Inputs the user has left at least once: their errors show from then on. */
  visited: Record<string, boolean> = $state({});
  /** Set by validate(): every error shows, not only visited ones. */
  showAllErrors = $state(false);
  /** Errors Go reported for a field; cleared when that field changes. */
  serverErrors: Record<string, string> = $state({});
  /** The non-secret inputs as the form opened, to tell whether anything changed. */
  readonly #initial: string;

  constructor(connector: Connector, connection: ConnectionDTO | null = null) {
    this.connector = connector;
    this.connection = connection;
    this.draftKey = connection ? '' : newDraftKey();
    const methods = connector.auth ?? [];
    const settings = connection?.settings ?? {};
    this.name = connection?.name ?? '';
    this.environment = connection?.environment ?? '';
    this.authType =
      connection && methods.some((m) => m.type === connection.authType)
        ? connection.authType
        : (methods[0]?.type ?? 'none');
    this.baseUrl = connection?.baseUrl ?? '';
    this.timeout = String(connection?.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS);
    const values: Record<string, string> = {};
    const all = [...(connector.fields ?? []), ...methods.flatMap((m) => m.fields ?? [])];
    for (const f of all) {
      if (f.key in values) continue;
      // Secrets are never pre-filled: the stored value stays in the keychain.
      values[f.key] = isSecret(f) ? '' : (settings[f.key] ?? f.default ?? defaultFor(f));
    }
    this.values = values;
    this.#initial = this.#snapshot();
  }

  /** Every non-secret input; secrets count through typedSecrets and clearedSecrets. */
  #snapshot(): string {
    const plain = this.allFields
      .filter((f) => !isSecret(f))
      .map((f) => [f.key, this.values[f.key] ?? '']);
    return JSON.stringify([this.name, this.environment, this.authType, this.baseUrl, this.timeout, plain]);
  }

  /**
   * Whether closing would lose something the user did: a changed input, a
   * typed secret or a secret marked for removal. Revealing a saved secret is
   * not a change, and typing a value back to what it was is none either.
   */
  get dirty(): boolean {
    if (this.allFields.some((f) => isSecret(f) && this.isSecretTyped(f.key))) return true;
    if (Object.values(this.clearedSecrets).some(Boolean)) return true;
    return this.#snapshot() !== this.#initial;
  }

  /** Definition fields of the connector and of every auth method, each key once. */
  get allFields(): Field[] {
    const seen = new Set<string>();
    const out: Field[] = [];
    for (const f of [...this.connectorFields, ...this.authMethods.flatMap((m) => m.fields ?? [])]) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      out.push(f);
    }
    return out;
  }

  get isNew(): boolean {
    return this.connection === null;
  }

  get authMethods(): AuthMethod[] {
    return this.connector.auth ?? [];
  }

  get authMethod(): AuthMethod | undefined {
    return this.authMethods.find((m) => m.type === this.authType);
  }

  /** Whether the connector has no base URL of its own, so the user must give one. */
  get needsBaseUrl(): boolean {
    return this.connector.baseUrl.trim() === '';
  }

  get connectorFields(): Field[] {
    return this.connector.fields ?? [];
  }

  get authFields(): Field[] {
    return this.authMethod?.fields ?? [];
  }

  /** Every definition field the draft carries for the chosen auth method. */
  get activeFields(): Field[] {
    const seen = new Set<string>();
    const out: Field[] = [];
    for (const f of [...this.connectorFields, ...this.authFields]) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      out.push(f);
    }
    return out;
  }

  /** Where requests go, with the connector's {{placeholders}} filled in. */
  get effectiveBaseUrl(): string {
    const override = this.baseUrl.trim();
    return override !== '' ? override : resolveTemplate(this.connector.baseUrl, this.values);
  }

  /** A secret stored in the keychain for this connection that the user kept. */
  isSecretSaved(key: string): boolean {
    return (
      this.connection !== null &&
      (this.connection.secretFields ?? []).includes(key) &&
      !this.clearedSecrets[key]
    );
  }

  /** A secret counts as typed once the user entered something non-empty. */
  isSecretTyped(key: string): boolean {
    return this.typedSecrets[key] === true && (this.values[key] ?? '') !== '';
  }

  setValue(key: string, value: string): void {
    this.values[key] = value;
    const field = this.activeFields.find((f) => f.key === key);
    if (field && isSecret(field)) this.typedSecrets[key] = true;
    this.clearServerError(key);
  }

  /** Fills a secret from RevealSecret: shown, but not sent back unless edited. */
  setRevealed(key: string, value: string): void {
    this.values[key] = value;
    this.typedSecrets[key] = false;
  }

  clearSecret(key: string): void {
    this.clearedSecrets[key] = true;
    this.values[key] = '';
    this.typedSecrets[key] = false;
    this.clearServerError(key);
  }

  visit(key: string): void {
    this.visited[key] = true;
  }

  clearServerError(key: string): void {
    if (key in this.serverErrors) delete this.serverErrors[key];
  }

  setServerError(field: string, message: string): void {
    this.serverErrors[field] = message;
    this.visited[field] = true;
  }

  /** Keys the form can place an error under. */
  hasInput(key: string): boolean {
    return (
      key === BUILTIN.name ||
      key === BUILTIN.environment ||
      key === BUILTIN.baseUrl ||
      key === BUILTIN.timeout ||
      this.activeFields.some((f) => f.key === key)
    );
  }

  /** Client-side problems by key; every check, shown or not. */
  get clientErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (this.name.trim() === '') errors[BUILTIN.name] = 'Name is required.';
    else if (this.name.trim().length > 100) errors[BUILTIN.name] = 'Name must be 100 characters or fewer.';

    const base = this.baseUrl.trim();
    if (base === '' && this.needsBaseUrl) errors[BUILTIN.baseUrl] = 'Base URL is required.';
    else if (base !== '' && !isHttpUrl(base))
      errors[BUILTIN.baseUrl] = 'Base URL must be a full URL starting with https:// or http://.';

    const t = this.timeout.trim();
    const n = Number(t);
    if (t === '' || !Number.isInteger(n) || n < 1 || n > 300)
      errors[BUILTIN.timeout] = 'Timeout must be a whole number of seconds from 1 to 300.';

    for (const f of this.activeFields) {
      const value = this.values[f.key] ?? '';
      let msg: string;
      if (isSecret(f)) {
        const typed = this.isSecretTyped(f.key);
        msg = validateValue(f, typed ? value : '', typed || this.isSecretSaved(f.key));
      } else if (f.type === 'boolean') {
        msg = '';
      } else {
        msg = validateValue(f, value);
      }
      if (msg !== '') errors[f.key] = msg;
    }
    return errors;
  }

  /** The message to show under an input, "" for none. */
  errorFor(key: string): string {
    const server = this.serverErrors[key];
    if (server) return server;
    if (!this.showAllErrors && !this.visited[key]) return '';
    return this.clientErrors[key] ?? '';
  }

  /** Shows every error; true when there are none and the draft may go to Go. */
  validate(): boolean {
    this.showAllErrors = true;
    return Object.keys(this.clientErrors).length === 0;
  }

  /** The first input with a visible error, to move focus to. */
  firstErrorKey(): string | undefined {
    const order = [
      BUILTIN.name,
      BUILTIN.environment,
      ...(this.needsBaseUrl ? [BUILTIN.baseUrl] : []),
      ...this.connectorFields.map((f) => f.key),
      ...this.authFields.map((f) => f.key),
      ...(this.needsBaseUrl ? [] : [BUILTIN.baseUrl]),
      BUILTIN.timeout,
    ];
    return order.find((k) => this.errorFor(k) !== '');
  }

  /**
   * What Test and Save send. Secrets go only when typed in this session: an
   * untouched secret stays in the keychain and is never echoed back.
   */
  draft(): ConnectionDraft {
    const settings: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    for (const f of this.activeFields) {
      const value = this.values[f.key] ?? '';
      if (isSecret(f)) {
        if (this.isSecretTyped(f.key)) secrets[f.key] = value;
      } else {
        settings[f.key] = f.type === 'boolean' ? (value === 'true' ? 'true' : 'false') : value.trim();
      }
    }
    const clearSecrets = Object.keys(this.clearedSecrets).filter(
      (k) => this.clearedSecrets[k] && !(k in secrets),
    );
    return {
      id: this.connection?.id ?? '',
      draftKey: this.draftKey,
      connectorId: this.connector.id,
      name: this.name.trim(),
      environment: this.environment.trim(),
      authType: this.authType,
      baseUrl: this.baseUrl.trim(),
      settings,
      secrets,
      clearSecrets,
      timeoutSeconds: Number(this.timeout.trim()) || DEFAULT_TIMEOUT_SECONDS,
    };
  }
}

/** 16 random bytes in lowercase hex: the shape of a connection id in Go. */
function newDraftKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function defaultFor(f: Field): string {
  if (f.type === 'boolean') return 'false';
  if (f.type === 'select' && f.required && f.options?.[0]) return f.options[0].value;
  return '';
}
