// Follows the OS light/dark setting; logos need it to pick an ink colour.

class Theme {
  dark = $state(false);

  constructor() {
    if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    this.dark = mq.matches;
    mq.addEventListener?.('change', (e) => (this.dark = e.matches));
  }
}

export const theme = new Theme();
