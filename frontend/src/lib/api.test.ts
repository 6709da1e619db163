import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  firstScreenFromPage,
  listConnectionSummaries,
  literalDetails,
  onExchange,
  parseError,
  revealSecret,
  saveConnection,
} from './api';
import type { ConnectionDraft } from './types';

describe('parseError', () => {
  const cases: { name: string; raw: unknown; code: string; message: string; field: string }[] = [
    {
      name: 'Go error JSON with a field',
      raw: '{"code":"validation","message":"Name is required.","field":"name"}',
      code: 'validation',
      message: 'Name is required.',
      field: 'name',
    },
    {
      name: 'Go error JSON without a field',
      raw: '{"code":"in_use","message":"The integration “Orders sync” uses this connection."}',
      code: 'in_use',
      message: 'The integration “Orders sync” uses this connection.',
      field: '',
    },
    {
      name: 'every documented code survives',
      raw: '{"code":"keychain_unavailable","message":"Start the Secret Service."}',
      code: 'keychain_unavailable',
      message: 'Start the Secret Service.',
      field: '',
    },
    {
      name: 'unknown code falls back to internal but keeps the message',
      raw: '{"code":"brand_new","message":"Something new."}',
      code: 'internal',
      message: 'Something new.',
      field: '',
    },
    {
      name: 'plain text is internal with the raw text',
      raw: 'sql: database is closed',
      code: 'internal',
      message: 'sql: database is closed',
      field: '',
    },
    {
      name: 'broken JSON is internal with the raw text',
      raw: '{"code": "validation", "message": ',
      code: 'internal',
      message: '{"code": "validation", "message": ',
      field: '',
    },
    {
      name: 'JSON that is not an error object is raw text',
      raw: '[1,2,3]',
      code: 'internal',
      message: '[1,2,3]',
      field: '',
    },
    {
      name: 'an Error carrying Go JSON is parsed',
      raw: new Error('{"code":"not_found","message":"No such connection."}'),
      code: 'not_found',
      message: 'No such connection.',
      field: '',
    },
    {
      name: 'an already-parsed object',
      raw: { code: 'conflict', message: 'A connection named “Main” exists.', field: 'name' },
      code: 'conflict',
      message: 'A connection named “Main” exists.',
      field: 'name',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const err = parseError(c.raw);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe(c.code);
      expect(err.message).toBe(c.message);
      expect(err.field).toBe(c.field);
    });
  }

  it('keeps a literal_secret error’s details, read through literalDetails', () => {
    const err = parseError(
      JSON.stringify({
        code: 'literal_secret',
        message: '"X-API-Key" in Extra request headers looks like a secret.',
        field: 'requestHeaders',
        details: [
          { field: 'requestHeaders', fieldLabel: 'Extra request headers', line: 2, name: 'X-API-Key', reason: 'its name says it is a secret', secretName: 'xApiKey', reused: false, inJsonString: false },
          { nonsense: true },
        ],
      }),
    );
    expect(err.code).toBe('literal_secret');
    expect(literalDetails(err).map((d) => [d.field, d.name, d.secretName])).toEqual([['requestHeaders', 'X-API-Key', 'xApiKey']]);
    expect(literalDetails(parseError('{"code":"validation","message":"x","details":[{"field":"a","secretName":"b"}]}'))).toEqual([]);
  });

  it('returns the same ApiError it is given', () => {
    const e = new ApiError('canceled', 'Stopped.');
    expect(parseError(e)).toBe(e);
  });
});

describe('bound calls', () => {
  afterEach(() => {
    delete (window as { go?: unknown }).go;
    delete (window as { runtime?: unknown }).runtime;
  });

  function fakeGo(connection: Record<string, (...args: unknown[]) => Promise<unknown>>): void {
    (window as { go?: unknown }).go = { services: { ConnectionService: connection } };
  }

  it('rejections become thrown ApiErrors with the field', async () => {
    fakeGo({
      SaveConnection: () =>
        Promise.reject('{"code":"validation","message":"Token must start with ghp_.","field":"token"}'),
    });
    const draft: ConnectionDraft = {
      id: '',
      draftKey: '',
      connectorId: 'github',
      name: 'Main',
      environment: '',
      authType: 'bearer',
      baseUrl: '',
      settings: {},
      secrets: { token: 'x' },
      clearSecrets: [],
      timeoutSeconds: 15,
    };
    const err = await saveConnection(draft, true, 'run-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('validation');
    expect((err as ApiError).field).toBe('token');
  });

  it('a draft goes to Go without the fields the UI leaves out (nil user secrets keep the stored ones)', async () => {
    const save = vi.fn((..._args: unknown[]) => Promise.resolve({ saved: true }));
    fakeGo({ SaveConnection: save });
    const draft: ConnectionDraft = {
      id: 'c1',
      draftKey: '',
      connectorId: 'http',
      name: 'Main',
      environment: '',
      authType: 'bearer',
      baseUrl: '',
      settings: { a: '1' },
      secrets: {},
      clearSecrets: [],
      timeoutSeconds: 15,
    };
    await saveConnection(draft, true, 'run-2');
    const sent = JSON.parse(JSON.stringify(save.mock.calls[0]?.[0])) as Record<string, unknown>;
    expect(sent).toEqual({ ...draft });
    expect('userSecrets' in sent).toBe(false);
    expect(save.mock.calls[0]?.slice(1)).toEqual([true, 'run-2']);
  });

  it('passes arguments through and returns the value', async () => {
    const reveal = vi.fn((id: unknown, field: unknown) => Promise.resolve(`${String(id)}/${String(field)}`));
    fakeGo({ RevealSecret: reveal });
    await expect(revealSecret('c1', 'token')).resolves.toBe('c1/token');
    expect(reveal).toHaveBeenCalledWith('c1', 'token');
  });

  it('a null list from Go reads as empty', async () => {
    fakeGo({ ListConnectionSummaries: () => Promise.resolve({ items: null, next: '' }) });
    await expect(listConnectionSummaries('', 10)).resolves.toEqual({ items: [], next: '' });
  });

  it('a missing Go side is an internal ApiError, not a TypeError', async () => {
    const err = await listConnectionSummaries('', 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('internal');
  });

  it('onExchange passes well-formed verify:exchange payloads only', () => {
    const handlers = new Map<string, (...data: unknown[]) => void>();
    (window as { runtime?: unknown }).runtime = {
      EventsOnMultiple: (name: string, cb: (...data: unknown[]) => void) => {
        handlers.set(name, cb);
        return () => handlers.delete(name);
      },
    };
    const seen: string[] = [];
    const off = onExchange((ev) => seen.push(`${ev.runId}:${ev.exchange.id}`));
    const emit = handlers.get('verify:exchange');
    expect(emit).toBeDefined();
    emit?.({ runId: 'r1', exchange: { id: 'e1' } });
    emit?.({ runId: 'r1' });
    emit?.('nonsense');
    expect(seen).toEqual(['r1:e1']);
    off();
    expect(handlers.has('verify:exchange')).toBe(false);
  });
});

describe('firstScreenFromPage', () => {
  function plant(text: string): void {
    const el = document.createElement('script');
    el.type = 'application/json';
    el.id = 'patchbay-first-screen';
    el.textContent = text;
    document.body.appendChild(el);
  }

  it('takes the first screen Go wrote into the page, once', () => {
    plant('{"connectors":[{"id":"http","name":"HTTP API"}],"overview":{"total":3,"connectors":[]},"info":{"version":"v1"}}');
    const first = firstScreenFromPage();
    expect(first?.connectors[0]?.id).toBe('http');
    expect(first?.overview.total).toBe(3);
    expect(first?.info.version).toBe('v1');
    expect(document.getElementById('patchbay-first-screen')).toBeNull();
    expect(firstScreenFromPage(), 'a later load asks Go').toBeNull();
  });

  it('gives null for a page without one or with one that does not read as one', () => {
    expect(firstScreenFromPage()).toBeNull();
    for (const text of ['', 'not json', 'null', '{"connectors":{},"overview":{},"info":{}}', '{"connectors":[],"info":{}}']) {
      plant(text);
      expect(firstScreenFromPage(), text).toBeNull();
      expect(document.getElementById('patchbay-first-screen')).toBeNull();
    }
  });
});
