// The shapes the UI works with. They mirror the JSON of the Go DTOs
// (backend/services/dto.go, backend/catalog/types.go, backend/connlog) as plain
// data; src/lib/api.ts checks at compile time that the generated bindings fit.

export type ConnectionStatus = 'connected' | 'disconnected' | 'limited' | 'unreachable' | 'unverified';
/** A badge can also show a check in progress. */
export type BadgeStatus = ConnectionStatus | 'checking';

export type AuthType = 'none' | 'apiKey' | 'basic' | 'bearer' | 'oauth2AuthorizationCode' | 'oauth2ClientCredentials';

export type FieldType = 'text' | 'password' | 'url' | 'number' | 'select' | 'textarea' | 'boolean';

export interface Option {
  value: string;
  label: string;
}

export interface Field {
  key: string;
  label: string;
  type: string;
  secret: boolean;
  required: boolean;
  default?: string;
  placeholder?: string;
  help?: string;
  options?: Option[];
  pattern?: string;
  patternMessage?: string;
}

export interface AuthMethod {
  type: string;
  label?: string;
  in?: string;
  name?: string;
  header?: string;
  prefix?: string;
  configurable?: boolean;
  /** Filled by the catalog loader: the standard fields with overrides applied. */
  fields: Field[] | null;
}

export interface Rule {
  kind: string;
  status?: number[];
  path?: string;
  equals?: unknown;
  message: string;
  outcome?: string;
}

export interface TestRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  rules?: Rule[];
  failures?: Record<string, string>;
  identity?: string;
}

/** How an account-based connector lists the accounts its credentials reach. */
export interface AccountsRequest {
  method?: string;
  baseUrl?: string;
  path: string;
  headers?: Record<string, string>;
  /** A JavaScript expression mapping the answer to {id, name} items. */
  items: string;
  label?: string;
  /** The "account" setting's input (key "account"). */
  field: Field;
}

/**
 * Where a secret-looking value typed into a plain setting is: what a
 * literal_secret error's details list (never the value).
 */
export interface LiteralPlace {
  /** The setting's key, e.g. requestHeaders. */
  field: string;
  /** The setting in words, e.g. "Extra request headers". */
  fieldLabel: string;
  /** 1-based line of the setting's text. */
  line: number;
  /** The header, parameter or JSON key that holds the value. */
  name: string;
  /** Why it looks like a secret, e.g. "its name says it is a secret". */
  reason: string;
  /** The user secret that can keep it ({{secretName}}). */
  secretName: string;
  /** secretName is a secret the connection already has, holding this very value. */
  reused: boolean;
  /** The value is a JSON string's content in the text, written with JSON escapes. */
  inJsonString: boolean;
}

/** A LiteralPlace from FindLiteralSecrets, with the setting's text as it becomes. */
export interface LiteralFinding extends LiteralPlace {
  /** The whole setting with {{secretName}} in the value's place. */
  replacement: string;
}

/** One account ListAccounts found. */
export interface AccountDTO {
  id: string;
  name: string;
}

/** What a pasted PEM certificate says (InspectCertificates). */
export interface CertInfoDTO {
  subject: string;
  issuer: string;
  dnsNames: string[] | null;
  ipAddresses: string[] | null;
  notBefore: string;
  /** RFC 3339: the expiry. */
  notAfter: string;
  isCa: boolean;
  selfSigned: boolean;
  expired: boolean;
  notYetValid: boolean;
  sha256: string;
}

export interface Connector {
  id: string;
  /** "http" or "database" (a login checked by dbcheck, no test request). */
  kind?: string;
  /** Database connectors: the engine, its URL form, whether it is a file (SQLite). */
  database?: { engine: string; urlSchemes?: string[] | null; urlExample?: string; file?: boolean } | null;
  name: string;
  category: string;
  description: string;
  /** Inline SVG document. */
  logo: string;
  logoColor?: string;
  docsUrl: string;
  /** May hold {{key}} placeholders; empty means the user supplies one. */
  baseUrl: string;
  fields: Field[] | null;
  auth: AuthMethod[] | null;
  /** Connection-level options every connector has (TLS, redirects, streaming, extra headers). */
  advanced: Field[] | null;
  test: TestRequest;
  /** Account-based connectors: how to list the accounts to choose from. */
  accounts?: AccountsRequest | null;
  setup: string[] | null;
  builtin: boolean;
}

/**
 * A connection as a list shows it (a card, a Manage Connections row, a
 * dropdown): no settings, no secret field names. The Connectors page holds
 * these; the editor reads the whole ConnectionDTO when it opens.
 */
export interface ConnectionSummary {
  id: string;
  connectorId: string;
  name: string;
  environment: string;
  authType: string;
  baseUrl: string;
  status: string;
  diagnosis: string;
  identity: string;
  /** RFC 3339; "" when never checked. */
  checkedAt: string;
  /** "Allow insecure HTTP" is on (the UI warns when the base URL is plain http:// to another host). */
  allowInsecureHttp: boolean;
  /** OAuth 2.0 and token-request connections: what the token grants, never the token. */
  oauth?: OAuthDTO | null;
  /** The integrations the connection serves (filled by the lists; [] elsewhere). */
  usedBy?: IntegrationUseDTO[] | null;
}

export interface ConnectionDTO extends ConnectionSummary {
  workspaceId: string;
  settings: Record<string, string> | null;
  /** Secret fields that hold a value in the keychain (never the values). */
  secretFields: string[] | null;
  timeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
  /** Names of the connection's own secrets ({{name}}); never their values. */
  userSecrets: string[] | null;
  /** Parameters remembered with the connection. */
  parameters: Record<string, string> | null;
}

/** One page of summaries; next is "" after the last. */
export interface ConnectionPage {
  items: ConnectionSummary[] | null;
  next: string;
}

/** One connector's card before the list arrives. */
export interface ConnectorOverview {
  connectorId: string;
  total: number;
  /** Counts of the statuses that occur. */
  byStatus: Record<string, number> | null;
  /** The connection the card shows: the user's choice (chosen), else the rule's pick. */
  shown: ConnectionSummary;
  /** Whether shown is the connection the user chose on the card (kept across restarts). */
  chosen: boolean;
}

/** A delete that Undo can reverse until undoUntil (RFC 3339), undoSeconds after it. */
export interface DeletionDTO {
  connectionId: string;
  undoUntil: string;
  undoSeconds: number;
}

/** The Connectors page's first screen: counts and what each card shows. */
export interface ConnectionsOverview {
  total: number;
  connectors: ConnectorOverview[] | null;
}

/** An integration that uses a connection, on one side. */
export interface IntegrationUseDTO {
  integrationId: string;
  name: string;
  role: string;
  active: boolean;
}

/** An OAuth connection's token facts (backend/services/dto.go OAuthDTO). */
export interface OAuthDTO {
  /** An access token is stored. */
  authorized: boolean;
  grantedScopes: string[] | null;
  /** RFC 3339; "" when the token does not expire. */
  expiresAt: string;
  /** A refresh token is stored. */
  refreshable: boolean;
  /** RFC 3339: when the token was last obtained. */
  authorizedAt: string;
}

export interface ConnectionDraft {
  id: string;
  /** For a new connection: the id its tests are logged under and the save adopts. */
  draftKey: string;
  connectorId: string;
  name: string;
  environment: string;
  authType: string;
  baseUrl: string;
  settings: Record<string, string>;
  /** Only the secrets typed in this session; absent ones keep their stored value. */
  secrets: Record<string, string>;
  clearSecrets: string[];
  timeoutSeconds: number;
  /**
   * The connection's own named secrets ({{name}} in settings). Absent keeps
   * the stored ones untouched; otherwise the complete list.
   */
  userSecrets?: Record<string, string>;
  /** Values for {{name}} references that are neither settings nor secrets. */
  parameters?: Record<string, string>;
  /** Keep parameters with the connection when it is saved. */
  rememberParameters?: boolean;
}

export interface Header {
  name: string;
  value: string;
}

export interface Timings {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  wroteMs: number;
  firstByteMs: number;
  downloadMs: number;
  totalMs: number;
}

/** One certificate of the peer's chain, leaf first. */
export interface Cert {
  subject: string;
  issuer: string;
  dnsNames: string[] | null;
  ipAddresses: string[] | null;
  notBefore: string;
  notAfter: string;
  sha256: string;
}

export interface TLSInfo {
  version: string;
  cipherSuite: string;
  alpn: string;
  serverName: string;
  peerCertificates: Cert[] | null;
  verifyError: string;
}

/** One read of a streamed response. */
export interface Chunk {
  /** Since the request started. */
  offsetMs: number;
  size: number;
  data: string;
}

export interface Exchange {
  id: string;
  runId: string;
  connectionId: string;
  workspaceId: string;
  kind: string;
  startedAt: string;
  method: string;
  url: string;
  requestHeaders: Header[] | null;
  requestBody: string;
  requestBodySize: number;
  requestTruncated: boolean;
  requestBinary: boolean;
  status: number;
  statusText: string;
  proto: string;
  responseHeaders: Header[] | null;
  responseBody: string;
  responseBodySize: number;
  responseTruncated: boolean;
  /** For a binary body: the hex of its first 64 bytes. */
  responseBinary: boolean;
  responseDecompressed: boolean;
  contentType: string;
  timings: Timings | null;
  remoteAddr: string;
  reused: boolean;
  tls?: TLSInfo | null;
  /** A streamed response as it arrived, read by read (at most 1000). */
  chunks?: Chunk[] | null;
  chunksTruncated?: boolean;
  redirectOf: string;
  /**
   * On a redirect hop to another origin: the names (never the values) of the
   * connection's headers and query parameters that were not sent on to it.
   */
  withheld?: { headers: string[] | null; params: string[] | null } | null;
  errorClass: string;
  error: string;
}

export interface VerificationDTO {
  runId: string;
  status: string;
  code: string;
  summary: string;
  advice: string;
  identity: string;
  httpStatus: number;
  durationMs: number;
  checkedAt: string;
  exchanges: Exchange[] | null;
  /** The setting the diagnosis points at ("trustedCa", "tokenExpression", …). */
  field?: string;
}

export interface SaveResultDTO {
  saved: boolean;
  connection?: ConnectionDTO | null;
  verification?: VerificationDTO | null;
}

/**
 * The outcome of a browser authorization. saved: the connection is stored with
 * its tokens (its status is what the test request earned); not saved: the
 * token endpoint refused or failed and verification says why.
 */
export interface AuthorizationDTO {
  saved: boolean;
  connection?: ConnectionDTO | null;
  verification?: VerificationDTO | null;
}

export type OAuthStage = 'listening' | 'browser_opened' | 'callback' | 'exchanging' | 'done' | 'failed';

/** One stage of a running browser authorization (oauth:progress). */
export interface OAuthProgressEvent {
  flowId: string;
  stage: string;
  /** The sign-in link (no secret: its PKCE challenge and state are single-use). */
  authorizeUrl: string;
  /** Where the browser comes back: the loopback listener. */
  redirectUri: string;
  message: string;
}

export interface AppInfoDTO {
  version: string;
  dataDir: string;
  databasePath: string;
  logPath: string;
  workspaceId: string;
  workspaceName: string;
  catalogWarnings: string[] | null;
}

/** Whether secrets can be stored in the keychain, and if not, what to fix. */
export interface KeychainStatus {
  ok: boolean;
  message: string;
}

export interface ExchangeEvent {
  runId: string;
  exchange: Exchange;
}

/** A chunk of a streamed test response, before its exchange (verify:chunk). */
export interface ChunkEvent {
  runId: string;
  exchangeId: string;
  connectionId: string;
  chunk: Chunk;
}

// The connection log (LogService).

/** A status class the log filters by; "error" is a network error (no response). */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'error';
export type ExchangeKind = 'test' | 'token' | 'oauth' | 'refresh' | 'accounts' | 'database' | 'sample';

/** A row of the connection log: enough to list and filter, not the bodies. */
export interface ExchangeSummary {
  id: string;
  runId: string;
  connectionId: string;
  kind: string;
  method: string;
  url: string;
  host: string;
  path: string;
  status: number;
  statusText: string;
  errorClass: string;
  error: string;
  startedAt: string;
  totalMs: number;
  responseBodySize: number;
}

/** What ListExchanges filters by; "" and [] mean "any". Times are RFC 3339. */
export interface LogFilter {
  connectionId: string;
  runId: string;
  statusClasses: string[];
  kinds: string[];
  from: string;
  to: string;
  /** Full-text search over URL, headers and bodies. */
  query: string;
  /** From the previous page's `next`; "" for the first page. */
  cursor: string;
  limit: number;
}

export interface ExchangePage {
  /** Newest first. */
  items: ExchangeSummary[] | null;
  /** The cursor of the next page; "" at the end. */
  next: string;
}

/** What a HAR export holds: one exchange, one run, or everything a filter matches. */
export interface HARScope {
  exchangeId: string;
  runId: string;
  filter: LogFilter | null;
}

export interface LogSettings {
  /** How many verification runs to keep per connection. */
  runsPerConnection: number;
  /** The size cap of the whole log, in bytes. */
  maxBytes: number;
}

// Workspaces (WorkspaceService).

/** A workspace with what it holds. */
export interface WorkspaceDTO {
  id: string;
  name: string;
  connections: number;
  integrations: number;
  current: boolean;
}

// Integrations (IntegrationService).

export type Role = 'source' | 'destination';

/** One side as the editor sends it; connectionId "" while none is chosen. */
export interface SideDraft {
  connectorId: string;
  connectionId: string;
}

/** An integration as the editor sends it; id "" creates one. */
export interface IntegrationDraft {
  id: string;
  name: string;
  description: string;
  active: boolean;
  source: SideDraft;
  destination: SideDraft;
}

/** One side: its connector, its connection, and why it needs attention ("" when Connected). */
export interface SideDTO {
  role: string;
  connectorId: string;
  connectorName: string;
  connection?: ConnectionDTO | null;
  problem: string;
}

export interface IntegrationDTO {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  active: boolean;
  /** "ready" when both sides are Connected, else "attention". */
  readiness: string;
  summary: string;
  /** Source, then destination. */
  sides: SideDTO[] | null;
  updatedAt: string;
}

/** One side of Test both: its verification, or why it could not be tested. */
export interface SideTestDTO {
  role: string;
  verification?: VerificationDTO | null;
  error: string;
  errorCode: string;
}

export interface IntegrationTestDTO {
  sides: SideTestDTO[] | null;
  integration: IntegrationDTO;
}

// Fetch one record and Test all (ConnectionService).

/** Fetch one record: the sample request's verification and the record as JSON text. */
export interface SampleDTO {
  verification: VerificationDTO;
  /** "" when no record was read. */
  record: string;
  /** What one record is called: "customer", "row". */
  label: string;
}

/** One connection of Test all, as it finished (testall:progress). */
export interface TestAllProgressEvent {
  batchId: string;
  done: number;
  total: number;
  connection: ConnectionDTO;
  /** Why it could not be tested ("" when it was). */
  error: string;
}

export interface BatchResultDTO {
  total: number;
  byStatus: Record<string, number> | null;
  failed: TestAllProgressEvent[] | null;
  canceled: number;
}

// Export and import (WorkspaceService): the file `patchbay export` writes.

/** One line of an import's plan or result. */
export interface ImportStep {
  /** create, update, unchanged or skip. */
  action: string;
  /** connection or integration. */
  what: string;
  name: string;
  environment: string;
  /** Secrets still to enter (they are never in the file). */
  needs: string[] | null;
  note: string;
}

export interface ImportPlan {
  /** "" when the person closed the file dialog. */
  path: string;
  steps: ImportStep[] | null;
}
