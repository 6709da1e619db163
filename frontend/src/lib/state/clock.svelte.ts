// A clock that ticks every 30 s so "checked 2 min ago" stays true on screen.

class Clock {
  now = $state(Date.now());

  constructor() {
    if (typeof window !== 'undefined') {
      setInterval(() => (this.now = Date.now()), 30_000);
    }
  }
}

export const clock = new Clock();
