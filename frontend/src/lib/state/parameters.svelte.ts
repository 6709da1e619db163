// Values for {{parameters}}: what the user typed this session, by connection
// (or a new connection's draft key), and the one question the app asks when
// a test needs values it does not know. Parameters are plain values, not
// secrets: Go logs them and stores them only when the user says so.

export interface ParameterQuestion {
  /** Names to ask for, in the order the connection uses them. */
  names: string[];
  /** Which connection asks ("Orders API · Sandbox"). */
  subject: string;
  /** Values known from before, to pre-fill. */
  known: Record<string, string>;
  /** Offer "Remember with this connection" (only where a save follows). */
  offerRemember: boolean;
  remember: boolean;
}

export interface ParameterAnswer {
  values: Record<string, string>;
  remember: boolean;
}

class Parameters {
  /** Session values by connection id or draft key. */
  private byKey: Record<string, Record<string, string>> = {};
  /** The open question, if any; ParameterPrompt shows it. */
  question: ParameterQuestion | null = $state(null);
  private resolve: ((a: ParameterAnswer | null) => void) | null = null;

  get(key: string): Record<string, string> {
    return { ...(this.byKey[key] ?? {}) };
  }

  set(key: string, values: Record<string, string>): void {
    if (key === '') return;
    this.byKey[key] = { ...(this.byKey[key] ?? {}), ...values };
  }

  /** Asks for values; null when the user backs out. One question at a time. */
  ask(q: ParameterQuestion): Promise<ParameterAnswer | null> {
    this.resolve?.(null);
    this.question = q;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  answer(a: ParameterAnswer | null): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.question = null;
    resolve?.(a);
  }
}

export const parameters = new Parameters();
