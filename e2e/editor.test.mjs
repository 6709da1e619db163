// End to end, in the real app at a small window (1024×700): the editor's
// action bar stays in view however far the form scrolls, Advanced starts
// closed, the guide beside the form has no scrollbar of its own, the name's
// counter shows near the limit, an input only passed through says nothing
// yet, and a failed test's "Go to …" link focuses the input it blames.
// Screenshots light and dark at 1280×800 and 1024×700 land in e2e/artifacts/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appWithPeer, chooseAuth, openNewEditor, settled, shot } from './harness.mjs';

const GOOD_KEY = 'pb-e2e-editor-right-key-51c2';
const WRONG_KEY = 'pb-e2e-editor-wrong-key-0000';
const env = appWithPeer(GOOD_KEY);

/** Fails unless the element is wholly inside the window. */
async function assertInWindow(page, locator, what) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(box, `${what} is on the page`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
    `${what} is inside the ${width}×${height} window: ${JSON.stringify(box)}`);
}

/** Scrolls the editor's body (the one scrollbar) to its top or bottom. */
async function scrollBody(page, where) {
  await page.evaluate((w) => {
    const body = document.querySelector('[data-testid="connection-editor"] > .body');
    body.scrollTop = w === 'bottom' ? body.scrollHeight : 0;
  }, where);
}

test('the editor fits a small window: Save always in view, Advanced closed, one scrollbar, Go to the blamed field', async () => {
  const page = await env.browser.newPage(env.app.url, { width: 1024, height: 700 });
  const editor = await openNewEditor(page, 'http api', 'http');
  const save = editor.getByTestId('save-button');

  // Advanced starts closed; the guide does not scroll inside itself.
  assert.equal(await editor.getByTestId('advanced').evaluate((el) => el.open), false, 'Advanced starts closed');
  assert.equal(await editor.getByTestId('connector-guide').evaluate((el) => el.scrollHeight > el.clientHeight + 1), false,
    'the guide has no scrollbar of its own');

  // Passing through the default method's token says nothing yet.
  await editor.getByTestId('field-token').focus();
  await page.keyboard.press('Tab');
  assert.equal(await editor.getByTestId('error-token').count(), 0, 'no "Token is required" for an input only passed through');

  // The name's counter shows near the limit, and goes once the name is short.
  await editor.getByTestId('field-name').fill('N'.repeat(184));
  assert.match(await editor.getByTestId('counter-name').innerText(), /184 \/ 200/);
  await editor.getByTestId('field-name').fill('Billing API with a long name for the northern region, sandbox');
  assert.equal(await editor.getByTestId('counter-name').count(), 0);

  await editor.getByTestId('field-baseUrl').fill(env.peer.url);
  await editor.getByTestId('field-testPath').fill('/v1/me');
  await chooseAuth(editor, 'apiKey');
  await editor.getByTestId('field-apiKeyName').fill('X-API-Key');
  await editor.getByTestId('field-apiKey').fill(WRONG_KEY);

  // Save stays in the window however far the form scrolls.
  await scrollBody(page, 'bottom');
  await assertInWindow(page, save, 'Save, the form scrolled to the bottom');
  await scrollBody(page, 'top');
  await assertInWindow(page, save, 'Save, the form scrolled to the top');

  // A failed test blames the key; its link scrolls to the key and focuses it.
  await editor.getByTestId('test-button').click();
  await editor.getByTestId('test-result').getByText('Disconnected').waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /401/);
  await assertInWindow(page, save, 'Save, with the result shown');
  const link = editor.getByTestId('goto-field');
  assert.equal((await link.innerText()).trim(), 'Go to API key');
  await scrollBody(page, 'bottom');
  await link.click();
  const key = editor.getByTestId('field-apiKey');
  assert.equal(await key.evaluate((el) => el === document.activeElement), true, 'the API key has focus');
  await assertInWindow(page, key, 'the API key');
  assert.ok(!(await editor.innerText()).includes(WRONG_KEY), 'the typed key is not echoed');

  // Screenshots, light and dark, at both sizes: the diagnosis, and the form's top.
  for (const [width, height] of [[1024, 700], [1280, 800]]) {
    for (const colorScheme of ['light', 'dark']) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await settled(page);
      await link.scrollIntoViewIfNeeded();
      await assertInWindow(page, save, `Save at ${width}×${height}`);
      await shot(page, `editor-${width}x${height}-${colorScheme}-diagnosis`);
      await scrollBody(page, 'top');
      await shot(page, `editor-${width}x${height}-${colorScheme}-top`);
    }
  }
  await page.close();
});
