import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { LiveRun } from '../../lib/state/liveRun.svelte';
import { logView } from '../../lib/state/log.svelte';
import { runResults } from '../../lib/state/runs.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { Exchange, VerificationDTO } from '../../lib/types';
import TestResult from './TestResult.svelte';

const exchange: Exchange = {
  id: 'x1',
  runId: 'r1',
  connectionId: '',
  workspaceId: 'w',
  kind: 'test',
  startedAt: '',
  method: 'GET',
  url: 'https://api.github.com/user',
  requestHeaders: [{ name: 'Authorization', value: 'Bearer [redacted]' }],
  requestBody: '',
  requestBodySize: 0,
  requestTruncated: false,
  requestBinary: false,
  status: 401,
  statusText: '401 Unauthorized',
  proto: 'HTTP/2.0',
  responseHeaders: [{ name: 'Content-Type', value: 'application/json' }],
  responseBody: '{"message":"Bad credentials"}',
  responseBodySize: 30,
  responseTruncated: false,
  responseBinary: false,
  responseDecompressed: false,
  contentType: 'application/json',
  timings: { dnsMs: 1, connectMs: 2, tlsMs: 3, wroteMs: 7, firstByteMs: 40, downloadMs: 1, totalMs: 41 },
  remoteAddr: '127.0.0.1:443',
  reused: false,
  tls: null,
  redirectOf: '',
  errorClass: '',
  error: '',
};

function failed(): VerificationDTO {
  return {
    runId: 'r1',
    status: 'disconnected',
    code: 'rejected',
    summary: 'GitHub rejected the token (401).',
    advice: 'Create a new token, then paste it here.',
    identity: '',
    httpStatus: 401,
    durationMs: 41,
    checkedAt: '',
    exchanges: [exchange],
  };
}

describe('TestResult', () => {
  it('shows nothing before a run', () => {
    render(TestResult, { props: { run: new LiveRun(), subject: 'Testing GitHub…' } });
    expect(screen.queryByTestId('test-result')).toBeNull();
  });

  it('shows Checking… while running', () => {
    const run = new LiveRun();
    run.running = true;
    render(TestResult, { props: { run, subject: 'Testing GitHub…' } });
    expect(screen.getByTestId('test-result').textContent).toContain('Checking…');
    expect(screen.getByTestId('test-result').textContent).toContain('Testing GitHub…');
  });

  it('shows the diagnosis, the advice and the exchange with a pretty JSON body', async () => {
    const run = new LiveRun();
    run.result = failed();
    run.exchanges = [exchange];
    const user = userEvent.setup();
    render(TestResult, { props: { run, subject: '' } });
    const result = screen.getByTestId('test-result');
    expect(result.querySelector('[data-testid=status-badge]')?.textContent?.trim()).toBe('Disconnected');
    expect(screen.getByTestId('test-summary').textContent).toBe('GitHub rejected the token (401).');
    expect(screen.getByTestId('test-advice').textContent?.trim()).toBe('Create a new token, then paste it here.');
    expect(screen.queryByTestId('test-identity')).toBeNull();
    // A failed run opens its log and its last exchange.
    expect(screen.getByTestId('exchange-status').textContent).toBe('401 Unauthorized');
    expect(screen.getByTestId('response-body').textContent).toBe('{\n  "message": "Bad credentials"\n}');
    await user.click(screen.getByRole('tab', { name: 'Request' }));
    expect(result.textContent).toContain('Bearer [redacted]');
    await user.click(screen.getByTestId('toggle-last-request'));
    expect(screen.queryByTestId('exchange')).toBeNull();
  });

  it('offers "Go to" the input the diagnosis blames, and nothing when none is blamed', async () => {
    const run = new LiveRun();
    run.result = failed();
    let went = 0;
    const user = userEvent.setup();
    render(TestResult, { props: { run, subject: '', blamed: { label: 'Token', go: () => went++ } } });
    const link = screen.getByTestId('goto-field');
    expect(link.textContent?.trim()).toBe('Go to Token');
    await user.click(link);
    expect(went).toBe(1);
  });

  it('has no "Go to" link without a blamed input', () => {
    const run = new LiveRun();
    run.result = failed();
    render(TestResult, { props: { run, subject: '' } });
    expect(screen.queryByTestId('goto-field')).toBeNull();
  });

  it('says who the connection authenticates as when connected', () => {
    const run = new LiveRun();
    run.result = { ...failed(), status: 'connected', summary: 'GitHub accepted the token.', advice: '', identity: 'octocat' };
    render(TestResult, { props: { run, subject: '' } });
    expect(screen.getByTestId('test-identity').textContent).toContain('Connected as octocat');
  });

  it('shows an error from Go and a cancel in plain words', () => {
    const run = new LiveRun();
    run.error = new ApiError('keychain_unavailable', 'Start the Secret Service, then try again.');
    render(TestResult, { props: { run, subject: '' } });
    expect(screen.getByTestId('test-error').textContent).toBe('Start the Secret Service, then try again.');
    flushSync(() => {
      run.error = null;
      run.canceled = true;
    });
    expect(screen.getByTestId('test-result').textContent).toContain('Test canceled');
  });

  it('offers View log for a recorded run, opening the log at the run’s first exchange', async () => {
    const run = new LiveRun();
    const redirect = { ...exchange, id: 'x0', connectionId: 'c1', status: 302, startedAt: '2025-03-10T12:00:00.000Z' };
    const last = { ...exchange, id: 'x1', connectionId: 'c1', startedAt: '2025-03-10T12:00:00.200Z' };
    run.result = failed();
    run.exchanges = [last, redirect];
    const user = userEvent.setup();
    render(TestResult, { props: { run, subject: '' } });
    await user.click(screen.getByTestId('view-log'));
    expect(ui.page).toBe('log');
    expect(logView.filter.connectionId).toBe('c1');
    expect(logView.selectedId).toBe('x0');
  });

  it('has no View log when nothing of the run was stored', () => {
    const run = new LiveRun();
    run.result = failed();
    run.exchanges = [{ ...exchange, id: '', connectionId: '' }];
    render(TestResult, { props: { run, subject: '' } });
    expect(screen.queryByTestId('view-log')).toBeNull();
  });
});

describe('run results for the log', () => {
  it('remembers the diagnosis of each run by its id', () => {
    runResults.record(failed());
    expect(runResults.get('r1')).toMatchObject({ status: 'disconnected', summary: 'GitHub rejected the token (401).' });
    expect(runResults.get('other')).toBeNull();
  });
});
