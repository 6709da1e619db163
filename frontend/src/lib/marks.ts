// Start-up marks: named moments on the page's clock (performance.mark), which
// the start-up benchmark reads through WebKit's inspector to show where the
// first screen's time goes (bench/startup, "Where the first screen's time
// goes"). A mark costs nothing; jsdom, in the unit tests, may lack them.

export type StartupMark = 'script' | 'mounted' | 'first-data' | 'first-frame' | 'list';

export function mark(name: StartupMark): void {
  globalThis.performance?.mark?.(`patchbay:${name}`);
}
