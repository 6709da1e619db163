// The one door to the Go side. Components and state modules call these functions and
// never the generated wailsjs bindings, so a failed call is always a thrown
// ApiError with a stable code, and the rest of the UI reads like plain async code.

import * as appService from '../../wailsjs/go/services/AppService';
import * as connectionService from '../../wailsjs/go/services/ConnectionService';
import * as connectorService from '../../wailsjs/go/services/ConnectorService';
import * as integrationService from '../../wailsjs/go/services/IntegrationService';
import * as logService from '../../wailsjs/go/services/LogService';
import * as workspaceService from '../../wailsjs/go/services/WorkspaceService';
import type { connections } from '../../wailsjs/go/models';

/** The generated classes of Go's DTOs: loaded with the first argument built from one, not with the first screen. */
const models = () => import('../../wailsjs/go/models');
import * as runtime from '../../wailsjs/runtime/runtime';
import type {
  AccountDTO,
  BatchResultDTO,
  ImportPlan,
  IntegrationDraft,
  IntegrationDTO,
  IntegrationTestDTO,
  IntegrationUseDTO,
  SampleDTO,
  TestAllProgressEvent,
  WorkspaceDTO,
  AppInfoDTO,
  CertInfoDTO,
  ChunkEvent,
  AuthorizationDTO,
  ConnectionDraft,
  ConnectionDTO,
  ConnectionPage,
  ConnectionsOverview,
  Connector,
  DeletionDTO,
  Exchange,
  ExchangeEvent,
  ExchangePage,
  ExchangeSummary,
  HARScope,
  KeychainStatus,
  LiteralFinding,
  LiteralPlace,
  LogFilter,
  LogSettings,
  OAuthProgressEvent,
  SaveResultDTO,
  VerificationDTO,
} from './types';

export const errorCodes = [
  'validation',
  'not_found',
  'in_use',
  'conflict',
  'keychain_unavailable',
  'verification_failed',
  'canceled',
  'internal',
  'missing_parameters',
  'literal_secret',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (errorCodes as readonly string[]).includes(v);
}

/** A failed call to Go: a stable code to branch on and a sentence for a person. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /** The input the error is about ("name", "token", …), "" when none. */
  readonly field: string;
  /** missing_parameters: the {{names}} to ask for, in order of first use. */
  readonly names: string[];
  /**
   * Machine-readable facts a code carries, as Go sent them (literal_secret:
   * where each secret-looking value is, never the value); read them through
   * a guard such as literalDetails.
   */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, field = '', names: string[] = [], details: unknown = undefined) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.names = names;
    this.details = details;
  }
}

function fromObject(o: Record<string, unknown>, fallbackText: string): ApiError {
  const message = typeof o.message === 'string' && o.message !== '' ? o.message : fallbackText;
  const field = typeof o.field === 'string' ? o.field : '';
  const names = Array.isArray(o.names) ? o.names.filter((n): n is string => typeof n === 'string') : [];
  return new ApiError(isErrorCode(o.code) ? o.code : 'internal', message, field, names, o.details);
}

/**
 * Turns whatever a rejected binding gives us into an ApiError. Go's errors
 * arrive as a string holding JSON {"code","message","field"}; anything else
 * (a plain string, a JS exception) becomes code "internal" with its raw text.
 */
export function parseError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          const o = parsed as Record<string, unknown>;
          if ('code' in o || 'message' in o) return fromObject(o, raw);
        }
      } catch {
        // Not JSON after all: fall through to the raw text.
      }
    }
    return new ApiError('internal', raw === '' ? 'Something went wrong.' : raw);
  }
  if (raw instanceof Error) {
    // A binding that was never injected (no Go side) fails with a TypeError.
    if (raw instanceof TypeError && /\bgo\b|services|undefined/.test(raw.message)) {
      return new ApiError('internal', 'Patchbay’s background service is not available. Restart the app.');
    }
    return parseError(raw.message);
  }
  if (raw !== null && typeof raw === 'object') {
    return fromObject(raw as Record<string, unknown>, 'Something went wrong.');
  }
  return new ApiError('internal', 'Something went wrong.');
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw parseError(e);
  }
}

// The assignments below (generated type -> our type) are the compile-time
// check that the Go DTOs and these shapes still agree.

/**
 * Our draft as Go's. Fields the UI leaves out stay out of the JSON, so Go
 * sees nil where nil means "keep what is stored" (user secrets).
 */
async function goDraft(d: ConnectionDraft): Promise<connections.Draft> {
  // Both ways: every field of ours is one of Go's with the same type, and
  // Go's draft has every field ours has.
  const ours: Partial<connections.Draft> = d;
  const fits: connections.Draft extends ConnectionDraft ? true : never = true;
  void fits;
  return (await models()).connections.Draft.createFrom(ours);
}

export function listConnectors(): Promise<Connector[]> {
  return call(async () => {
    const list: Connector[] | null = await connectorService.ListConnectors();
    return list ?? [];
  });
}

/** Opens Go's file dialog; null when the user cancels it. */
export function importConnector(): Promise<Connector | null> {
  return call(async () => {
    const c: Connector | null = await connectorService.ImportConnector();
    return c ?? null;
  });
}

export function importConnectorFile(path: string): Promise<Connector> {
  return call(async () => {
    const c: Connector = await connectorService.ImportConnectorFile(path);
    return c;
  });
}

/**
 * The Connectors page's first screen: per connector its counts and the
 * connection its card shows. Small however many connections there are.
 */
/** What the Connectors page's first screen needs: listConnectors, connectionsOverview and appInfo in one. */
export interface FirstScreen {
  connectors: Connector[];
  overview: ConnectionsOverview;
  info: AppInfoDTO;
}

/**
 * The first screen as Go wrote it into the served index.html (page_theme.go),
 * taken once: the element is removed, so a later call (and a later load) asks
 * Go afresh. Null when the page has none (the dev server's page, or Go could
 * not answer in time) or it does not read as one.
 */
export function firstScreenFromPage(): FirstScreen | null {
  const el = typeof document === 'undefined' ? null : document.getElementById('patchbay-first-screen');
  if (!el) return null;
  el.remove();
  try {
    const data = JSON.parse(el.textContent ?? '') as Partial<FirstScreen> | null;
    if (!data || !Array.isArray(data.connectors) || typeof data.overview !== 'object' || !data.overview || typeof data.info !== 'object' || !data.info) return null;
    return data as FirstScreen;
  } catch {
    return null;
  }
}

export function connectionsOverview(): Promise<ConnectionsOverview> {
  return call(async () => {
    const o: ConnectionsOverview = await connectionService.ConnectionsOverview();
    return o;
  });
}

/** One page of connection summaries; cursor "" for the first, then the page's next. */
export function listConnectionSummaries(cursor: string, limit: number): Promise<ConnectionPage> {
  return call(async () => {
    const page: ConnectionPage | null = await connectionService.ListConnectionSummaries(cursor, limit);
    return { items: page?.items ?? [], next: page?.next ?? '' };
  });
}

export function getConnection(id: string): Promise<ConnectionDTO> {
  return call(async () => {
    const c: ConnectionDTO = await connectionService.GetConnection(id);
    return c;
  });
}

export function testConnection(draft: ConnectionDraft, runId: string): Promise<VerificationDTO> {
  return call(async () => {
    const v: VerificationDTO = await connectionService.TestConnection(await goDraft(draft), runId);
    return v;
  });
}

export function cancelRun(runId: string): Promise<void> {
  return call(() => connectionService.CancelRun(runId));
}

export function saveConnection(
  draft: ConnectionDraft,
  verifyFirst: boolean,
  runId: string,
): Promise<SaveResultDTO> {
  return call(async () => {
    const r: SaveResultDTO = await connectionService.SaveConnection(await goDraft(draft), verifyFirst, runId);
    return r;
  });
}

export function retestConnection(id: string, runId: string): Promise<VerificationDTO> {
  return call(async () => {
    const v: VerificationDTO = await connectionService.RetestConnection(id, runId);
    return v;
  });
}

/** Retests a saved connection with values for the {{parameters}} it refers to. */
export function retestConnectionWithParameters(
  id: string,
  runId: string,
  parameters: Record<string, string>,
): Promise<VerificationDTO> {
  return call(async () => {
    const v: VerificationDTO = await connectionService.RetestConnectionWithParameters(id, runId, parameters);
    return v;
  });
}

/** What a pasted PEM holds; rejects with a validation error for anything else. */
export function inspectCertificates(pem: string): Promise<CertInfoDTO[]> {
  return call(async () => {
    const list: CertInfoDTO[] | null = await connectionService.InspectCertificates(pem);
    return list ?? [];
  });
}

/** The accounts a draft's credentials reach (account-based connectors). */
export function listAccounts(draft: ConnectionDraft): Promise<AccountDTO[]> {
  return call(async () => {
    const list: AccountDTO[] | null = await connectionService.ListAccounts(await goDraft(draft));
    return list ?? [];
  });
}

/**
 * The secret-looking values typed into a draft's plain settings (extra
 * headers, the token request's parameters, headers and body, extra
 * authorization and driver parameters), which a save refuses with
 * literal_secret. Each comes with the setting's text with {{secretName}} in
 * the value's place; the value itself is never sent back (see
 * lib/literalSecrets.ts).
 */
export function findLiteralSecrets(draft: ConnectionDraft): Promise<LiteralFinding[]> {
  return call(async () => {
    const list: LiteralFinding[] | null = await connectionService.FindLiteralSecrets(await goDraft(draft));
    return list ?? [];
  });
}

/** The places a literal_secret error lists (its details), or [] for any other error. */
export function literalDetails(e: ApiError): LiteralPlace[] {
  if (e.code !== 'literal_secret' || !Array.isArray(e.details)) return [];
  return e.details.filter(
    (d): d is LiteralPlace =>
      d !== null &&
      typeof d === 'object' &&
      typeof (d as Record<string, unknown>).field === 'string' &&
      typeof (d as Record<string, unknown>).secretName === 'string',
  );
}

/** What a database connection URL fills in; the password goes to the keychain only if saved. */
export interface DatabaseURL {
  /** Settings the URL gives; a key it lacks keeps the form's value. */
  settings: Record<string, string>;
  password: string;
  hasPassword: boolean;
  /** URL parts Patchbay does not use, with why. */
  ignored: string[];
}

export function parseDatabaseURL(connectorId: string, url: string): Promise<DatabaseURL> {
  return call(async () => {
    const r = await connectionService.ParseDatabaseURL(connectorId, url);
    return { settings: r.settings ?? {}, password: r.password ?? '', hasPassword: !!r.hasPassword, ignored: r.ignored ?? [] };
  });
}

/** Go's open-file dialog for a SQLite file; "" when the user cancels. */
export function pickDatabaseFile(): Promise<string> {
  return call(() => connectionService.PickDatabaseFile());
}

/** Deletes a connection; undoDeleteConnection brings it back until the answer's undoUntil. */
export function deleteConnection(id: string): Promise<DeletionDTO> {
  return call(async () => {
    const d: DeletionDTO = await connectionService.DeleteConnection(id);
    return d;
  });
}

/** Brings back a deleted connection with the same secrets; not_found once the delete is final. */
export function undoDeleteConnection(id: string): Promise<ConnectionDTO> {
  return call(async () => {
    const c: ConnectionDTO = await connectionService.UndoDeleteConnection(id);
    return c;
  });
}

/** Records the connection the user chose on a connector's card ("" forgets it). */
export function chooseShownConnection(connectorId: string, connectionId: string): Promise<void> {
  return call(() => connectionService.ChooseShownConnection(connectorId, connectionId));
}

// OAuth 2.0 in the system browser. Each call blocks in Go until the browser
// comes back, the flow times out or CancelAuthorization(flowId) stops it;
// oauth:progress and verify:exchange events carry flowId meanwhile.

/** Connect: authorizes a draft (new or edited), then tests and saves it. */
export function startAuthorization(draft: ConnectionDraft, flowId: string): Promise<AuthorizationDTO> {
  return call(async () => {
    const r: AuthorizationDTO = await connectionService.StartAuthorization(await goDraft(draft), flowId);
    return r;
  });
}

/** Re-authorize: signs a saved connection in again; only its tokens change. */
export function reauthorizeConnection(id: string, flowId: string): Promise<AuthorizationDTO> {
  return call(async () => {
    const r: AuthorizationDTO = await connectionService.ReauthorizeConnection(id, flowId);
    return r;
  });
}

/** Stops a running authorization; its pending call rejects with "canceled". */
export function cancelAuthorization(flowId: string): Promise<void> {
  return call(() => connectionService.CancelAuthorization(flowId));
}

/** The one way a stored secret reaches the UI: the user asked to see it. */
export function revealSecret(id: string, field: string): Promise<string> {
  return call(() => connectionService.RevealSecret(id, field));
}

export function lastRun(connectionId: string): Promise<Exchange[]> {
  return call(async () => {
    const list: Exchange[] | null = await connectionService.LastRun(connectionId);
    return list ?? [];
  });
}

/** Moves a connection, with its keychain entries and log, to another workspace. */
export function moveConnection(id: string, workspaceId: string): Promise<ConnectionDTO> {
  return call(async () => {
    const c: ConnectionDTO = await connectionService.MoveConnection(id, workspaceId);
    return c;
  });
}

/**
 * Copies a connection (Duplicate, or Copy to another workspace); "" keeps the
 * original's workspace, name or environment. Tokens are never copied.
 */
export function copyConnection(id: string, workspaceId: string, name: string, environment: string): Promise<ConnectionDTO> {
  return call(async () => {
    const c: ConnectionDTO = await connectionService.CopyConnection(id, workspaceId, name, environment);
    return c;
  });
}

/** Fetch one record: the connection's sample request, logged like a test. */
export function fetchSample(id: string, runId: string): Promise<SampleDTO> {
  return call(async () => {
    const r: SampleDTO = await connectionService.FetchSample(id, runId);
    return r;
  });
}

/** Tests every connection of the workspace; cancelRun(batchId) stops it. */
export function testAllConnections(batchId: string): Promise<BatchResultDTO> {
  return call(async () => {
    const r: BatchResultDTO = await connectionService.TestAllConnections(batchId);
    return r;
  });
}

/** The integrations that use a connection (for a refused delete's dialog). */
export function integrationsUsing(id: string): Promise<IntegrationUseDTO[]> {
  return call(async () => {
    const list: IntegrationUseDTO[] | null = await connectionService.IntegrationsUsing(id);
    return list ?? [];
  });
}

// Workspaces.

export function listWorkspaces(): Promise<WorkspaceDTO[]> {
  return call(async () => {
    const list: WorkspaceDTO[] | null = await workspaceService.ListWorkspaces();
    return list ?? [];
  });
}

export function createWorkspace(name: string): Promise<WorkspaceDTO> {
  return call(async () => {
    const w: WorkspaceDTO = await workspaceService.CreateWorkspace(name);
    return w;
  });
}

export function renameWorkspace(id: string, name: string): Promise<WorkspaceDTO> {
  return call(async () => {
    const w: WorkspaceDTO = await workspaceService.RenameWorkspace(id, name);
    return w;
  });
}

/** Makes a workspace current (remembered for the next start); workspace:changed follows. */
export function switchWorkspace(id: string): Promise<WorkspaceDTO> {
  return call(async () => {
    const w: WorkspaceDTO = await workspaceService.SwitchWorkspace(id);
    return w;
  });
}

/**
 * Deletes a workspace. One that holds connections or integrations needs moveTo
 * (another workspace) or deleteContents; without either Go rejects with in_use.
 */
export function deleteWorkspace(id: string, moveTo: string, deleteContents: boolean): Promise<void> {
  return call(() => workspaceService.DeleteWorkspace(id, moveTo, deleteContents));
}

/** Asks where to save the workspace as a secret-free export file; "" when cancelled. */
export function exportWorkspace(): Promise<string> {
  return call(() => workspaceService.ExportWorkspace());
}

/** Asks for an export file and says what importing it would do, changing nothing. */
export function previewImport(): Promise<ImportPlan> {
  return call(async () => {
    const p: ImportPlan = await workspaceService.PreviewImport();
    return p;
  });
}

/** Imports the file a preview showed. */
export function applyImport(path: string): Promise<ImportPlan> {
  return call(async () => {
    const p: ImportPlan = await workspaceService.ApplyImport(path);
    return p;
  });
}

// Integrations.

export function listIntegrations(): Promise<IntegrationDTO[]> {
  return call(async () => {
    const list: IntegrationDTO[] | null = await integrationService.ListIntegrations();
    return list ?? [];
  });
}

export function getIntegration(id: string): Promise<IntegrationDTO> {
  return call(async () => {
    const v: IntegrationDTO = await integrationService.GetIntegration(id);
    return v;
  });
}

/** Creates (id "") or updates an integration; errors name the field ("source.connectionId", …). */
export function saveIntegration(d: IntegrationDraft): Promise<IntegrationDTO> {
  return call(async () => {
    const { services } = await models();
    const v: IntegrationDTO = await integrationService.SaveIntegration(services.IntegrationDraftDTO.createFrom(d));
    return v;
  });
}

export function deleteIntegration(id: string): Promise<void> {
  return call(() => integrationService.DeleteIntegration(id));
}

/** Test both: each side's exchanges stream with runId runId+":source" / ":destination". */
export function testIntegration(id: string, runId: string): Promise<IntegrationTestDTO> {
  return call(async () => {
    const r: IntegrationTestDTO = await integrationService.TestIntegration(id, runId);
    return r;
  });
}

// The connection log.

/** One page of the connection log, newest first. */
export function listExchanges(filter: LogFilter): Promise<ExchangePage> {
  return call(async () => {
    const page: ExchangePage = await logService.ListExchanges(filter);
    return { items: page?.items ?? [], next: page?.next ?? '' };
  });
}

export function getExchange(id: string): Promise<Exchange> {
  return call(async () => {
    const ex: Exchange = await logService.GetExchange(id);
    return ex;
  });
}

/** A shell command that repeats the request; secrets only when asked for. */
export function copyAsCurl(id: string, includeSecrets: boolean): Promise<string> {
  return call(() => logService.CopyAsCurl(id, includeSecrets));
}

/** Go asks where to save and writes the file; "" when the user cancels. */
export function exportHAR(scope: HARScope): Promise<string> {
  return call(async () => logService.ExportHAR((await models()).services.HARScope.createFrom(scope)));
}

/** The HAR 1.2 JSON text of a scope. */
export function exportHARData(scope: HARScope): Promise<string> {
  return call(async () => logService.ExportHARData((await models()).services.HARScope.createFrom(scope)));
}

export function getLogSettings(): Promise<LogSettings> {
  return call(async () => {
    const s: LogSettings = await logService.GetLogSettings();
    return s;
  });
}

export function setLogSettings(s: LogSettings): Promise<void> {
  return call(() => logService.SetLogSettings(s));
}

export function appInfo(): Promise<AppInfoDTO> {
  return call(async () => {
    const info: AppInfoDTO = await appService.Info();
    return info;
  });
}

/** Probes the keychain (a write, a read and a delete; up to 5 s on a slow keyring). */
export function keychainStatus(): Promise<KeychainStatus> {
  return call(async () => {
    const k: KeychainStatus = await appService.Keychain();
    return k;
  });
}

/** Keeps the theme chosen on Settings for the next start ("system", "light" or "dark"). */
export function setTheme(choice: 'system' | 'light' | 'dark'): Promise<void> {
  return call(async () => {
    await appService.SetTheme(choice);
  });
}

/** Paints the window under the page light or dark (what shows while the page reloads). */
export function paintWindow(dark: boolean): Promise<void> {
  return call(() => appService.PaintWindow(dark));
}

/** Shows the data folder in the system file manager; the error says why not, with the path. */
export function openDataFolder(): Promise<void> {
  return call(() => appService.OpenDataFolder());
}

// Events. Without the Wails runtime (a plain browser) subscriptions are no-ops.

function hasRuntime(): boolean {
  return typeof window !== 'undefined' && 'runtime' in window && window.runtime != null;
}

function isExchangeEvent(v: unknown): v is ExchangeEvent {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.runId === 'string' && o.exchange !== null && typeof o.exchange === 'object';
}

/** Calls back with each exchange of a running test as Go records it. */
export function onExchange(cb: (event: ExchangeEvent) => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('verify:exchange', (payload: unknown) => {
    if (isExchangeEvent(payload)) cb(payload);
  });
}

function isChunkEvent(v: unknown): v is ChunkEvent {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.runId === 'string' && typeof o.exchangeId === 'string' && o.chunk !== null && typeof o.chunk === 'object';
}

/** Calls back with each chunk of a streamed test response as it arrives (verify:chunk). */
export function onChunk(cb: (event: ChunkEvent) => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('verify:chunk', (payload: unknown) => {
    if (isChunkEvent(payload)) cb(payload);
  });
}

function isExchangeSummary(v: unknown): v is ExchangeSummary {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'string' && o.id !== '' && typeof o.startedAt === 'string';
}

/** Calls back with every exchange the connection log records (log:exchange). */
export function onLogExchange(cb: (summary: ExchangeSummary) => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('log:exchange', (payload: unknown) => {
    if (isExchangeSummary(payload)) cb(payload);
  });
}

function isOAuthProgress(v: unknown): v is OAuthProgressEvent {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.flowId === 'string' && typeof o.stage === 'string';
}

/** Calls back with each stage of a browser authorization (oauth:progress). */
export function onOAuthProgress(cb: (event: OAuthProgressEvent) => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('oauth:progress', (payload: unknown) => {
    if (isOAuthProgress(payload)) {
      cb({
        flowId: payload.flowId,
        stage: payload.stage,
        authorizeUrl: typeof payload.authorizeUrl === 'string' ? payload.authorizeUrl : '',
        redirectUri: typeof payload.redirectUri === 'string' ? payload.redirectUri : '',
        message: typeof payload.message === 'string' ? payload.message : '',
      });
    }
  });
}

/** Calls back when the current workspace changed (switched or renamed). */
export function onWorkspaceChanged(cb: (w: WorkspaceDTO) => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('workspace:changed', (payload: unknown) => {
    if (payload !== null && typeof payload === 'object' && typeof (payload as WorkspaceDTO).id === 'string') {
      cb(payload as WorkspaceDTO);
    }
  });
}

/** Calls back after an integration was saved, tested or deleted. */
export function onIntegrationsChanged(cb: () => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('integrations:changed', () => cb());
}

/** Calls back as each connection of Test all finishes (testall:progress). */
export function onTestAllProgress(cb: (event: TestAllProgressEvent) => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('testall:progress', (payload: unknown) => {
    if (payload !== null && typeof payload === 'object' && typeof (payload as TestAllProgressEvent).batchId === 'string') {
      cb(payload as TestAllProgressEvent);
    }
  });
}

/** Calls back after any save, delete or status change. */
export function onConnectionsChanged(cb: () => void): () => void {
  if (!hasRuntime()) return () => {};
  return runtime.EventsOn('connections:changed', () => cb());
}

/** Opens a link in the system browser (the webview must never navigate away). */
export function openExternal(url: string): void {
  if (hasRuntime()) {
    runtime.BrowserOpenURL(url);
  } else {
    window.open(url, '_blank', 'noopener');
  }
}

/**
 * Puts text on the clipboard: the web Clipboard API first (it works in the
 * webview and in a browser), then the Wails runtime's native clipboard.
 * Resolves false when neither could.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!hasRuntime()) return false;
    try {
      return await runtime.ClipboardSetText(text);
    } catch {
      return false;
    }
  }
}

/** A fresh id that ties a test run to its events and to CancelRun. */
export function newRunId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

declare global {
  interface Window {
    runtime?: unknown;
    go?: unknown;
  }
}
