// The state behind the connection editor: which fields a connector and auth
// method call for, what the user typed, what is wrong with it, and the draft
// that goes to Go. Kept out of the component so the rules are testable and the
// editor's Test and Save buttons read the same state the form shows.

import { literalIn } from '../literalSecrets';
import { isAdvancedAuthField } from '../oauth';
import type { AuthMethod, ConnectionDraft, ConnectionDTO, Connector, Field, LiteralFinding } from '../types';
import { resolveTemplate, urlProblem, validateValue } from '../validation';

export type FieldGroup = 'connection' | 'authentication' | 'advanced';

export const DEFAULT_TIMEOUT_SECONDS = 15;
/** The longest name, in characters: Go's maxNameLength (backend/connections/draft.go). */
export const MAX_NAME_LENGTH = 200;

/** Keys of the editor's own inputs, kept apart from definition fields. */
export const BUILTIN = {
  name: 'name',
  environment: 'environment',
  baseUrl: 'baseUrl',
  timeout: 'timeoutSeconds',
} as const;

/** A {{name}} a secret may be referred to by (backend/tmpl's rule). */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** The chosen account's setting: never a secret's name. */
const ACCOUNT_KEY = 'account';
/** Go's limits on a connection's own secrets. */
export const MAX_USER_SECRETS = 100;
const MAX_SECRET_BYTES = 64 * 1024;

/** One of the connection's own secrets, as the editor shows it. */
export interface UserSecretRow {
  /** Stable while the name is edited (a keyed #each needs it). */
  id: number;
  name: string;
  value: string;
  /** The name as stored in the keychain; "" for a row added in this session. */
  savedName: string;
  /** The user typed a value: it replaces the stored one. */
  typed: boolean;
}

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
  /**
   * Inputs the user typed into (or changed). An input only passed through
   * (tabbed past, clicked and left) and still empty is not wrong yet: its
   * "is required" waits for a Test or Save.
   */
  edited: Record<string, boolean> = $state({});
  /** Set by validate(): every error shows, not only visited ones. */
  showAllErrors = $state(false);
  /**
   * The inputs there were at the last Test or Save attempt: an auth method
   * chosen after it brings new inputs, which stay quiet until touched or the
   * next attempt.
   */
  #attempted: ReadonlySet<string> = $state.raw(new Set());
  /** Errors Go reported for a field; cleared when that field changes. */
  serverErrors: Record<string, string> = $state({});
  /** The connection's own secrets ({{name}}); values only when typed or revealed. */
  userSecrets: UserSecretRow[] = $state([]);
  #nextSecretId = 1;
  /** Values for {{parameters}} known in this editor (remembered ones, then answers). */
  parameters: Record<string, string> = $state({});
  /** Store the parameters with the connection when it is saved. */
  rememberParameters = $state(false);
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
    const all = [
      ...(connector.fields ?? []),
      ...(connector.accounts?.field ? [connector.accounts.field] : []),
      ...methods.flatMap((m) => m.fields ?? []),
      ...(connector.advanced ?? []),
    ];
    for (const f of all) {
      if (f.key in values) continue;
      // Secrets are never pre-filled: the stored value stays in the keychain.
      values[f.key] = isSecret(f) ? '' : (settings[f.key] ?? f.default ?? defaultFor(f));
    }
    this.values = values;
    this.userSecrets = (connection?.userSecrets ?? []).map((name) => ({
      id: this.#nextSecretId++,
      name,
      value: '',
      savedName: name,
      typed: false,
    }));
    this.parameters = { ...(connection?.parameters ?? {}) };
    this.rememberParameters = Object.keys(connection?.parameters ?? {}).length > 0;
    this.#initial = this.#snapshot();
  }

  /** Every non-secret input; secrets count through typedSecrets and clearedSecrets. */
  #snapshot(): string {
    const plain = this.allFields
      .filter((f) => !isSecret(f))
      .map((f) => [f.key, this.values[f.key] ?? '']);
    const secretNames = this.userSecrets.map((r) => [r.name, r.savedName]);
    return JSON.stringify([
      this.name,
      this.environment,
      this.authType,
      this.baseUrl,
      this.timeout,
      plain,
      secretNames,
      this.rememberParameters,
    ]);
  }

  /**
   * Whether closing would lose something the user did: a changed input, a
   * typed secret or a secret marked for removal. Revealing a saved secret is
   * not a change, and typing a value back to what it was is none either.
   */
  get dirty(): boolean {
    if (this.allFields.some((f) => isSecret(f) && this.isSecretTyped(f.key))) return true;
    if (Object.values(this.clearedSecrets).some(Boolean)) return true;
    if (this.userSecrets.some((r) => r.typed && r.value !== '')) return true;
    return this.#snapshot() !== this.#initial;
  }

  /** Definition fields of the connector and of every auth method, each key once. */
  get allFields(): Field[] {
    const seen = new Set<string>();
    const out: Field[] = [];
    const auth = this.authMethods.flatMap((m) => m.fields ?? []);
    for (const f of [...this.connectorFields, ...this.accountFields, ...auth, ...this.advancedFields]) {
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
    return !this.isDatabase && this.connector.baseUrl.trim() === '';
  }

  /** A database login (host, port, database): no base URL, no test request. */
  get isDatabase(): boolean {
    return this.connector.kind === 'database';
  }

  get connectorFields(): Field[] {
    return this.connector.fields ?? [];
  }

  get authFields(): Field[] {
    return this.authMethod?.fields ?? [];
  }

  /** Connection-level options: TLS, redirects, streaming, extra headers. */
  get advancedFields(): Field[] {
    return this.connector.advanced ?? [];
  }

  /** The chosen account's input, for connectors that list accounts. */
  get accountFields(): Field[] {
    return this.connector.accounts?.field ? [this.connector.accounts.field] : [];
  }

  /** Every definition field the draft carries for the chosen auth method. */
  get activeFields(): Field[] {
    const seen = new Set<string>();
    const out: Field[] = [];
    for (const f of [...this.connectorFields, ...this.accountFields, ...this.authFields, ...this.advancedFields]) {
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
    this.edited[key] = true;
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

  /** The user changed an input of the editor's own (name, environment, base URL, timeout). */
  edit(key: string): void {
    this.edited[key] = true;
  }

  /** What an input holds now, as typed. */
  #valueOf(key: string): string {
    switch (key) {
      case BUILTIN.name:
        return this.name;
      case BUILTIN.environment:
        return this.environment;
      case BUILTIN.baseUrl:
        return this.baseUrl;
      case BUILTIN.timeout:
        return this.timeout;
    }
    return this.values[key] ?? '';
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
      this.activeFields.some((f) => f.key === key) ||
      this.userSecrets.some((r) => secretKey(r.name) === key)
    );
  }

  addUserSecret(): UserSecretRow {
    const row: UserSecretRow = { id: this.#nextSecretId++, name: '', value: '', savedName: '', typed: false };
    this.userSecrets.push(row);
    return row;
  }

  setUserSecretName(id: number, name: string): void {
    const row = this.userSecrets.find((r) => r.id === id);
    if (!row) return;
    this.clearServerError(secretKey(row.name));
    row.name = name;
  }

  setUserSecretValue(id: number, value: string): void {
    const row = this.userSecrets.find((r) => r.id === id);
    if (!row) return;
    row.value = value;
    row.typed = true;
    this.clearServerError(secretKey(row.name));
  }

  /** Shows a stored value (RevealSecret); it is not sent back unless edited. */
  setUserSecretRevealed(id: number, value: string): void {
    const row = this.userSecrets.find((r) => r.id === id);
    if (!row) return;
    row.value = value;
    row.typed = false;
  }

  removeUserSecret(id: number): void {
    const row = this.userSecrets.find((r) => r.id === id);
    if (row) this.clearServerError(secretKey(row.name));
    this.userSecrets = this.userSecrets.filter((r) => r.id !== id);
  }

  /**
   * "Keep it as a secret": the value a finding points at becomes the user
   * secret finding.secretName (unless it is one the connection already has)
   * and the setting gets the finding's text, {{secretName}} in the value's
   * place. False, and nothing changed, when the setting's text or the
   * secrets are no longer what Go scanned: scan again.
   */
  keepAsSecret(f: LiteralFinding): boolean {
    const text = this.values[f.field];
    if (text === undefined || !this.activeFields.some((x) => x.key === f.field)) return false;
    const value = literalIn(text, f);
    if (value === null) return false;
    const existing = this.userSecrets.find((r) => r.name.trim() === f.secretName);
    if (existing && !f.reused) return false;
    if (!existing) {
      const row = this.addUserSecret();
      this.setUserSecretName(row.id, f.secretName);
      this.setUserSecretValue(row.id, value);
    }
    this.setValue(f.field, f.replacement);
    return true;
  }

  /** Problems with the secrets' names and values, by row id. */
  get userSecretErrors(): Record<number, string> {
    const errors: Record<number, string> = {};
    // Only the chosen auth method's fields count: a token request may well
    // keep its login password as {{password}} although Basic has that field.
    const fieldKeys = new Set(this.activeFields.map((f) => f.key));
    const seen = new Map<string, number>();
    for (const r of this.userSecrets) {
      const name = r.name.trim();
      let msg = '';
      if (name === '') msg = 'Name the secret: it is used as {{name}}.';
      else if (!SECRET_NAME.test(name))
        msg = 'A secret’s name starts with a letter or _ and holds only letters, digits and _ (at most 64).';
      else if (name === ACCOUNT_KEY || fieldKeys.has(name))
        msg = `“${name}” is already a setting of this connection: choose another name.`;
      else if (seen.has(name)) msg = `Another secret is already named “${name}”.`;
      else if (r.savedName === '' && !(r.typed && r.value !== '')) msg = 'Enter the secret’s value.';
      else if (new TextEncoder().encode(r.value).length > MAX_SECRET_BYTES) msg = 'A secret may hold at most 64 KB.';
      seen.set(name, r.id);
      const server = this.serverErrors[secretKey(name)];
      if (server) msg = server;
      if (msg !== '') errors[r.id] = msg;
    }
    return errors;
  }

  /** Whether the draft must carry the complete list of user secrets. */
  get userSecretsChanged(): boolean {
    if (this.userSecrets.some((r) => r.typed && r.value !== '')) return true;
    const saved = this.connection?.userSecrets ?? [];
    const now = this.userSecrets.map((r) => r.name.trim());
    return saved.length !== now.length || saved.some((n, i) => n !== now[i]);
  }

  /** Client-side problems by key; every check, shown or not. */
  get clientErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (this.name.trim() === '') errors[BUILTIN.name] = 'Name is required.';
    else if ([...this.name.trim()].length > MAX_NAME_LENGTH)
      errors[BUILTIN.name] = `Name must be ${MAX_NAME_LENGTH} characters or fewer.`;

    const base = this.baseUrl.trim();
    const problem = base === '' ? '' : urlProblem(base);
    if (base === '' && this.needsBaseUrl) errors[BUILTIN.baseUrl] = 'Base URL is required.';
    else if (problem) errors[BUILTIN.baseUrl] = `Base URL ${problem}.`;

    const t = this.timeout.trim();
    const n = Number(t);
    if (t === '' || !Number.isInteger(n) || n < 1 || n > 300)
      errors[BUILTIN.timeout] = 'Timeout must be a whole number of seconds from 1 to 300.';

    for (const [id, msg] of Object.entries(this.userSecretErrors)) errors[`userSecret#${id}`] = msg;
    if (this.userSecrets.length > MAX_USER_SECRETS)
      errors.userSecrets = `A connection holds at most ${MAX_USER_SECRETS} secrets.`;

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

  /**
   * The message to show under an input, "" for none. Go's word shows at
   * once; the form's own checks show after a Test or Save attempt, or once
   * the user typed into the input and left it (an input only passed through
   * and still empty says nothing yet).
   */
  errorFor(key: string): string {
    const server = this.serverErrors[key];
    if (server) return server;
    const message = this.clientErrors[key] ?? '';
    if (message === '') return '';
    if (this.showAllErrors && this.#attempted.has(key)) return message;
    if (!this.visited[key]) return '';
    if (!this.edited[key] && this.#valueOf(key).trim() === '') return '';
    return message;
  }

  /** Every input key the form shows now: the editor's own and the draft's fields. */
  get inputKeys(): string[] {
    return [BUILTIN.name, BUILTIN.environment, BUILTIN.baseUrl, BUILTIN.timeout, ...this.activeFields.map((f) => f.key)];
  }

  /** Shows every error; true when there are none and the draft may go to Go. */
  validate(): boolean {
    this.#attempted = new Set(this.inputKeys);
    this.showAllErrors = true;
    return Object.keys(this.clientErrors).length === 0;
  }

  /**
   * The inputs under Advanced: the base URL when it is an override, the
   * timeout, OAuth's rarely changed settings, and the connection-level
   * options (TLS, extra headers, redirects, streaming).
   */
  get advancedKeys(): string[] {
    return [
      ...(this.needsBaseUrl || this.isDatabase ? [] : [BUILTIN.baseUrl]),
      BUILTIN.timeout,
      ...this.authFields.filter((f) => isAdvancedAuthField(this.authType, f.key)).map((f) => f.key),
      ...this.advancedFields.map((f) => f.key),
    ];
  }

  /** Whether an input holds something else than what a new connection starts with. */
  isSet(key: string): boolean {
    switch (key) {
      case BUILTIN.name:
      case BUILTIN.environment:
      case BUILTIN.baseUrl:
        return this.#valueOf(key).trim() !== '';
      case BUILTIN.timeout:
        return this.timeout.trim() !== String(DEFAULT_TIMEOUT_SECONDS);
    }
    const field = this.allFields.find((f) => f.key === key);
    if (!field) return false;
    if (isSecret(field)) return this.isSecretTyped(key) || this.isSecretSaved(key);
    return (this.values[key] ?? '').trim() !== (field.default ?? defaultFor(field)).trim();
  }

  /** Something under Advanced differs from its default. */
  get advancedSet(): boolean {
    return this.advancedKeys.some((k) => this.isSet(k));
  }

  /** Something under Advanced shows an error (the form's, or Go's, a diagnosis's included). */
  get advancedHasError(): boolean {
    return this.advancedKeys.some((k) => this.errorFor(k) !== '');
  }

  /** Advanced opens by itself when something in it is set or wrong; else it starts closed. */
  get advancedWanted(): boolean {
    return this.advancedSet || this.advancedHasError;
  }

  /** The label an input is shown with, for "Go to …" links. */
  labelFor(key: string): string {
    switch (key) {
      case BUILTIN.name:
        return 'Name';
      case BUILTIN.environment:
        return 'Environment';
      case BUILTIN.baseUrl:
        return this.needsBaseUrl ? 'Base URL' : 'Base URL override';
      case BUILTIN.timeout:
        return 'Timeout (seconds)';
    }
    const field = this.activeFields.find((f) => f.key === key);
    if (field) return field.label || key;
    const row = this.userSecrets.find((r) => secretKey(r.name) === key);
    return row ? row.name.trim() : key;
  }

  /** The first input with a visible error, to move focus to. */
  firstErrorKey(): string | undefined {
    const order = [
      BUILTIN.name,
      BUILTIN.environment,
      ...(this.needsBaseUrl ? [BUILTIN.baseUrl] : []),
      ...this.connectorFields.map((f) => f.key),
      ...this.accountFields.map((f) => f.key),
      ...this.authFields.map((f) => f.key),
      ...this.userSecrets.map((r) => `userSecret#${r.id}`),
      ...(this.needsBaseUrl ? [] : [BUILTIN.baseUrl]),
      BUILTIN.timeout,
      ...this.advancedFields.map((f) => f.key),
    ];
    return order.find((k) => {
      if (!k.startsWith('userSecret#')) return this.errorFor(k) !== '';
      const id = Number(k.slice('userSecret#'.length));
      const row = this.userSecrets.find((r) => r.id === id);
      return (this.showAllErrors || this.serverErrors[secretKey(row?.name ?? '')]) && !!this.userSecretErrors[id];
    });
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
    // The complete list goes only when something changed: absent keeps the stored
    // ones, and "" keeps a stored value under its (possibly new) name.
    let userSecrets: Record<string, string> | undefined;
    if (this.userSecretsChanged) {
      userSecrets = {};
      for (const r of this.userSecrets) {
        userSecrets[r.name.trim()] = r.typed ? r.value : '';
      }
    }
    const parameters = Object.keys(this.parameters).length > 0 ? { ...this.parameters } : undefined;
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
      ...(userSecrets ? { userSecrets } : {}),
      ...(parameters ? { parameters } : {}),
      // Absent unless it matters: false only to forget parameters saved before.
      ...(this.rememberParameters || Object.keys(this.connection?.parameters ?? {}).length > 0
        ? { rememberParameters: this.rememberParameters }
        : {}),
    };
  }
}

/** The key Go names a user secret's problem with. */
export function secretKey(name: string): string {
  return `userSecrets.${name.trim()}`;
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
